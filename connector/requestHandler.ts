/**
 * Answers the hub's four requests with the directory engine. Claims come from a verified JWT but are still
 * checked for shape. A request that fails is logged (info) with the user and the outcome, never the password; one
 * that succeeds only at debug level, and counted into a summary the connector logs once a minute: a line per
 * login would cost a write per login and fill the journal at thousands of logins a second.
 */
import { DirectoryError, type Directory } from './directory';
import type { Logger } from '../shared/logger';
import { EVENT, type ReplyPayload, type RequestEvent } from '../protocol/messages';
import type { WireError } from '../protocol/wireError';
import { NamedError } from '../shared/namedError';

const MAX_SEARCH_LIMIT = 1000;

export class MalformedRequestError extends NamedError {}

/** Any of the four replies (protocol/messages.ts). */
export type Reply = ReplyPayload[RequestEvent];

/** A directory failure as it travels: the protocol's name, our class name as `code`, and where the verdict came from. */
export function toWireError(e: unknown): WireError {
  if (e instanceof DirectoryError) {
    return { name: e.protocolName, message: e.message, code: e.name, ...(e.source ? { source: e.source } : {}) };
  }
  return { name: 'UnexpectedError', message: (e as Error)?.message ?? String(e), code: 'UnexpectedError' };
}

function field(claims: Record<string, unknown>, k: string, type: 'string' | 'number', max = 1024): unknown {
  const v = claims[k];
  if (typeof v !== type) throw new MalformedRequestError(`claim "${k}" must be a ${type}`);
  if (type === 'string' && (v as string).length > max)
    throw new MalformedRequestError(`claim "${k}" is longer than ${max}`);
  return v;
}

export class RequestHandler {
  /** event → outcome (ok or the error's name) → count, since the last summary */
  private counts = new Map<string, Map<string, number>>();
  private since = Date.now();

  constructor(
    private readonly directory: Directory,
    private readonly log: Logger,
    private readonly writeBack: boolean,
  ) {}

  async handle(event: RequestEvent, claims: Record<string, unknown>): Promise<Reply> {
    const t0 = performance.now();
    const user = typeof claims.username === 'string' ? claims.username.slice(0, 256) : undefined;
    try {
      const reply = await this.dispatch(event, claims);
      const result = (reply.err as { name?: string } | undefined)?.name ?? 'ok';
      this.count(event, result);
      this.log[result === 'ok' ? 'debug' : 'info']('connector.request', {
        event,
        user,
        result,
        ms: Math.round(performance.now() - t0),
      });
      return reply;
    } catch (e) {
      this.count(event, 'malformed');
      this.log.warn('connector.request', {
        event,
        user,
        result: 'malformed',
        error: (e as Error).message,
        ms: Math.round(performance.now() - t0),
      });
      return {
        err: {
          name: 'UnexpectedError',
          message: `Malformed request: ${(e as Error).message}`,
          code: 'MalformedRequest',
        },
      };
    }
  }

  /** Counts by event and outcome since the last call (undefined if there were none), and starts counting afresh. */
  takeSummary(): Record<string, unknown> | undefined {
    if (!this.counts.size) return undefined;
    const out: Record<string, unknown> = { seconds: Math.round((Date.now() - this.since) / 1000) };
    for (const [event, outcomes] of this.counts) out[event] = Object.fromEntries(outcomes);
    this.counts = new Map();
    this.since = Date.now();
    return out;
  }

  private count(event: string, result: string): void {
    let outcomes = this.counts.get(event);
    if (!outcomes) this.counts.set(event, (outcomes = new Map()));
    outcomes.set(result, (outcomes.get(result) ?? 0) + 1);
  }

  private async dispatch(event: RequestEvent, c: Record<string, unknown>): Promise<Reply> {
    const escaped = c.escaped === true;
    switch (event) {
      case EVENT.authenticateUser: {
        // lengths are the engine's to refuse (limits.ts), with a typed error naming the limit
        const username = field(c, 'username', 'string', Infinity) as string;
        const password = field(c, 'password', 'string', Infinity) as string;
        try {
          const r = await this.directory.authenticate(username, password, { escaped });
          return { profile: r.profile, timings: r.timings };
        } catch (e) {
          return {
            err: toWireError(e),
            ...((e as { profile?: unknown }).profile ? { profile: (e as { profile?: unknown }).profile } : {}),
          };
        }
      }
      case EVENT.searchUsers: {
        const search = typeof c.search === 'string' ? c.search : '';
        const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(Number(c.limit) || 50)));
        try {
          const users = [];
          for await (const page of this.directory.searchUsers(search, limit, { escaped })) users.push(...page);
          return { users };
        } catch (e) {
          return { err: toWireError(e) };
        }
      }
      case EVENT.listGroups: {
        const limit = Math.min(10000, Math.max(1, Math.floor(Number(c.limit) || 1000)));
        try {
          const groups = await this.directory.listGroups(limit);
          return { groups: groups.map((g) => ({ id: g.dn, name: g.name })) };
        } catch (e) {
          return { err: toWireError(e) };
        }
      }
      case EVENT.changePassword: {
        // lengths are the engine's to refuse (limits.ts), with a typed error naming the limit
        const username = field(c, 'username', 'string', Infinity) as string;
        const password = field(c, 'password', 'string', Infinity) as string;
        if (!this.writeBack) {
          return {
            err: {
              name: 'UnexpectedError',
              code: 'WriteBackDisabled',
              message: 'Password changes are disabled on this connector (set ENABLE_WRITE_BACK to true).',
            },
          };
        }
        try {
          return { profile: await this.directory.changePassword(username, password, { escaped }) };
        } catch (e) {
          return {
            err: toWireError(e),
            ...((e as { profile?: unknown }).profile ? { profile: (e as { profile?: unknown }).profile } : {}),
          };
        }
      }
    }
  }
}
