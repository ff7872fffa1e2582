/**
 * Sends each request to a live instance of the connection (the one with the fewest requests in flight) and waits
 * for its reply. If the instance drops first, a login, search or group listing goes to another instance; a
 * password change does not, because its outcome is unknown. An instance that lets several requests in a row time
 * out is marked unresponsive: it gets no more requests, only probes, until it answers one.
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

export const DEFAULT_UNRESPONSIVE_AFTER = 3;

export interface RouterDeps {
  sessionsOf(connection: string): ConnectorSession[];
  tokensOf(connection: string): RequestTokens;
  timeoutMs: number;
  /** Consecutive timeouts after which an instance is marked unresponsive (default 3). */
  unresponsiveAfter?: number;
  /** Pause between probes of an unresponsive instance (default: the request timeout). */
  probeIntervalMs?: number;
  /** Called when an instance is marked unresponsive and when it answers again. */
  onResponsiveness?(session: ConnectorSession): void;
}

type Outcome = { kind: 'reply'; payload: unknown } | { kind: 'lost' } | { kind: 'timeout' };

export class Router {
  constructor(private readonly deps: RouterDeps) {}

  async request<E extends RequestEvent>(
    connection: string,
    event: E,
    claims: Omit<RequestClaims[E], 'pid'>,
    /** Only instances this accepts are used (e.g. those that report write-back); `why` names the rule in errors. */
    only?: { accept(s: ConnectorSession): boolean; why: string },
  ): Promise<RouteResult<E>> {
    const retryable = event !== EVENT.changePassword;
    const tried = new Set<string>();
    let timedOut: ConnectorSession | undefined;
    for (let attempt = 1; ; attempt++) {
      const session = this.pick(connection, tried, only?.accept);
      if (!session) {
        if (only && !tried.size && this.pick(connection, tried))
          throw new NoInstanceError(`No connector instance of "${connection}" ${only.why}.`);
        if (timedOut)
          throw new RequestTimeoutError(
            `The connector instance on ${timedOut.host} did not answer ${event} within ${this.deps.timeoutMs} ms.`,
          );
        throw new NoInstanceError(this.noInstanceReason(connection, tried));
      }
      tried.add(session.id);
      const outcome = await this.send(session, event, claims);
      if (outcome.kind === 'reply') return { reply: outcome.payload as ReplyPayload[E], session, attempts: attempt };
      if (outcome.kind === 'timeout') {
        // the request may have reached the directory: only what is safe to repeat goes to another instance
        if (!retryable)
          throw new RequestTimeoutError(
            `The connector instance on ${session.host} did not answer ${event} within ${this.deps.timeoutMs} ms: the password change may or may not have happened.`,
          );
        timedOut = session;
        continue;
      }
      if (!retryable) {
        throw new InstanceLostError(
          `The connector instance on ${session.host} dropped before answering: the password change may or may not have happened. Check by logging in with the new password.`,
        );
      }
    }
  }

  private pick(
    connection: string,
    exclude: Set<string>,
    accept?: (s: ConnectorSession) => boolean,
  ): ConnectorSession | undefined {
    let best: ConnectorSession | undefined;
    for (const s of this.deps.sessionsOf(connection)) {
      if (!s.authenticated || !s.approved || s.closed || s.unresponsive || exclude.has(s.id)) continue;
      if (accept && !accept(s)) continue;
      if (!best || s.pending.size < best.pending.size) best = s;
    }
    return best;
  }

  private noInstanceReason(connection: string, tried: Set<string>): string {
    const silent = this.deps.sessionsOf(connection).filter((s) => s.unresponsive && !s.closed && !tried.has(s.id));
    if (silent.length) {
      return `No responsive connector instance of "${connection}": ${silent.map((s) => `${s.host} is unresponsive (${s.unresponsive!.reason})`).join('; ')}.`;
    }
    return tried.size
      ? `Every instance of "${connection}" dropped before answering (${tried.size} tried).`
      : `No connector instance of "${connection}" is online.`;
  }

  private send(session: ConnectorSession, event: RequestEvent, claims: object, probe = false): Promise<Outcome> {
    const pid = randomUUID();
    const jwt = this.deps.tokensOf(session.connection!).sign({ ...claims, pid });
    // a session that closed since it was picked has run its close handler, and would never release this request
    if (session.closed) return Promise.resolve({ kind: 'lost' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        session.pending.delete(pid);
        if (!probe) this.timedOut(session, event);
        resolve({ kind: 'timeout' });
      }, this.deps.timeoutMs);
      session.pending.set(pid, {
        event: event,
        resolve: (payload) => {
          clearTimeout(timer);
          session.pending.delete(pid);
          session.served++;
          this.answered(session);
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

  private timedOut(session: ConnectorSession, event: RequestEvent): void {
    session.consecutiveTimeouts++;
    const after = this.deps.unresponsiveAfter ?? DEFAULT_UNRESPONSIVE_AFTER;
    if (session.unresponsive || session.consecutiveTimeouts < after) return;
    session.unresponsive = {
      since: new Date().toISOString(),
      reason: `${session.consecutiveTimeouts} requests in a row got no answer within ${this.deps.timeoutMs} ms (last: ${event})`,
    };
    this.deps.onResponsiveness?.(session);
    void this.probe(session);
  }

  private answered(session: ConnectorSession): void {
    session.consecutiveTimeouts = 0;
    if (!session.unresponsive) return;
    session.unresponsive = undefined;
    this.deps.onResponsiveness?.(session);
  }

  /** Sends a cheap request (one group) until the instance answers or goes away. */
  private async probe(session: ConnectorSession): Promise<void> {
    const pause = this.deps.probeIntervalMs ?? this.deps.timeoutMs;
    while (session.unresponsive && !session.closed) {
      session.probes++;
      let outcome: Outcome;
      try {
        outcome = await this.send(session, EVENT.listGroups, { limit: 1 }, true);
      } catch {
        outcome = { kind: 'lost' };
      }
      if (outcome.kind !== 'timeout') return;
      await new Promise((r) => setTimeout(r, pause).unref());
    }
  }
}
