/**
 * Answers the hub's four requests with the directory engine. Claims come from a verified JWT but are still
 * checked for shape; each request is logged with the user and the outcome, never the password.
 */
import { DirectoryError, type Directory } from './directory';
import type { Logger } from '../shared/logger';
import { EVENT, type RequestEvent } from '../protocol/messages';
import type { WireError } from '../protocol/wireError';

const MAX_SEARCH_LIMIT = 1000;

export class MalformedRequestError extends Error {}

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
  constructor(
    private readonly directory: Directory,
    private readonly log: Logger,
    private readonly writeBack: boolean,
  ) {}

  async handle(event: RequestEvent, claims: Record<string, unknown>): Promise<Record<string, unknown>> {
    const t0 = performance.now();
    const user = typeof claims.username === 'string' ? claims.username.slice(0, 256) : undefined;
    try {
      const reply = await this.dispatch(event, claims);
      const err = reply.err as { name?: string } | undefined;
      this.log.info('connector.request', {
        event,
        user,
        result: err?.name ?? 'ok',
        ms: Math.round(performance.now() - t0),
      });
      return reply;
    } catch (e) {
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

  private async dispatch(event: RequestEvent, c: Record<string, unknown>): Promise<Record<string, unknown>> {
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
