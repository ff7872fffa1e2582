/**
 * Sends each request to a live instance of the connection (the one with the fewest requests in flight) and waits
 * for its reply. If the instance drops first, a login, search or group listing goes to another instance; a
 * password change does not, because its outcome is unknown.
 */
import { randomUUID } from 'node:crypto';
import { EVENT, type ReplyPayload, type RequestClaims, type RequestEvent } from '../../protocol/messages';
import type { RequestTokens } from '../../protocol/tokens';
import { InstanceLostError, NoInstanceError, RequestTimeoutError } from './errors';
import type { ConnectorSession } from './session';

export interface RouteResult<E extends RequestEvent> {
  reply: ReplyPayload[E];
  session: ConnectorSession;
  attempts: number;
}

export interface RouterDeps {
  sessionsOf(connection: string): ConnectorSession[];
  tokensOf(connection: string): RequestTokens;
  timeoutMs: number;
}

export class Router {
  constructor(private readonly deps: RouterDeps) {}

  async request<E extends RequestEvent>(
    connection: string,
    event: E,
    claims: Omit<RequestClaims[E], 'pid'>,
  ): Promise<RouteResult<E>> {
    const retryable = event !== EVENT.changePassword;
    const tried = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      const session = this.pick(connection, tried);
      if (!session) {
        throw new NoInstanceError(
          tried.size
            ? `Every instance of "${connection}" dropped before answering (${tried.size} tried).`
            : `No connector instance of "${connection}" is online.`,
        );
      }
      tried.add(session.id);
      const outcome = await this.send(session, event, claims);
      if (outcome.kind === 'reply') return { reply: outcome.payload as ReplyPayload[E], session, attempts: attempt };
      if (!retryable) {
        throw new InstanceLostError(
          `The connector instance on ${session.host} dropped before answering: the password change may or may not have happened. Check by logging in with the new password.`,
        );
      }
    }
  }

  private pick(connection: string, exclude: Set<string>): ConnectorSession | undefined {
    let best: ConnectorSession | undefined;
    for (const s of this.deps.sessionsOf(connection)) {
      if (!s.authenticated || s.closed || exclude.has(s.id)) continue;
      if (!best || s.pending.size < best.pending.size) best = s;
    }
    return best;
  }

  private send(
    session: ConnectorSession,
    event: RequestEvent,
    claims: object,
  ): Promise<{ kind: 'reply'; payload: unknown } | { kind: 'lost' }> {
    const pid = randomUUID();
    const jwt = this.deps.tokensOf(session.connection!).sign({ ...claims, pid });
    // a session that closed since it was picked has run its close handler, and would never release this request
    if (session.closed) return Promise.resolve({ kind: 'lost' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        session.pending.delete(pid);
        reject(
          new RequestTimeoutError(
            `The connector instance on ${session.host} did not answer ${event} within ${this.deps.timeoutMs} ms.`,
          ),
        );
      }, this.deps.timeoutMs);
      session.pending.set(pid, {
        event: event,
        resolve: (payload) => {
          clearTimeout(timer);
          session.pending.delete(pid);
          session.served++;
          resolve({ kind: 'reply', payload });
        },
        lost: () => {
          clearTimeout(timer);
          session.pending.delete(pid);
          resolve({ kind: 'lost' });
        },
      });
      session.send(event, { jwt });
    });
  }
}
