/**
 * The requests the hub sends to a connection's instances (through the router): a login, a user search, the group
 * list, a password change. Inputs over their limits are refused before anything is sent; a login with no instance
 * online is answered from the credential cache when the connection allows it, and a refused or changed password
 * leaves the cache.
 */
import type { Profile } from '../../protocol/profile';
import { EVENT } from '../../protocol/messages';
import { limitProblem, type LimitName } from '../../protocol/limits';
import { sanitizeWireError, type WireError } from '../../protocol/wireError';
import type { Connections } from './connections';
import type { CredentialCache } from './credentialCache';
import { checkUsernameDomain } from './emailDomains';
import { HubError, InputTooLongError, NoInstanceError } from './errors';
import type { Router } from './router';
import type { LoginOutcome } from './types';

export interface PasswordChangeOutcome {
  ok: boolean;
  error?: WireError;
  profile?: Profile;
  instance?: { id: string; host: string };
}

export interface RequestsDeps {
  router: Router;
  cache: CredentialCache;
  connections: Connections;
}

export class Requests {
  constructor(private readonly deps: RequestsDeps) {}

  async login(
    connection: string,
    username: string,
    password: string,
    options: { escaped?: boolean } = {},
  ): Promise<LoginOutcome> {
    const { router, cache } = this.deps;
    const conn = this.deps.connections.require(connection);
    refuseTooLong({ username, password });
    checkUsernameDomain(conn, username);
    const t0 = performance.now();
    try {
      const { reply, session, attempts } = await router.request(connection, EVENT.authenticateUser, {
        username,
        password,
        escaped: options.escaped === true,
      });
      const r = reply;
      const totalMs = performance.now() - t0;
      const ct = r.timings && typeof r.timings === 'object' ? r.timings : undefined;
      const timings = {
        totalMs,
        searchMs: num(ct?.searchMs),
        bindMs: num(ct?.bindMs),
        groupsMs: num(ct?.groupsMs),
        hubToConnectorMs: num(ct?.totalMs) !== undefined ? Math.max(0, totalMs - (ct!.totalMs as number)) : undefined,
      };
      const instance = { id: session.id, host: session.host };
      const profile = r.profile && typeof r.profile === 'object' ? r.profile : undefined;
      if (r.err) {
        // a refused password must not stay usable from the cache
        cache.forgetUser(connection, username);
        return { ok: false, error: sanitizeWireError(r.err), profile, fromCache: false, instance, attempts, timings };
      }
      if (!profile)
        return {
          ok: false,
          error: { name: 'UnexpectedError', message: 'The connector replied without a profile' },
          fromCache: false,
          instance,
          attempts,
          timings,
        };
      if (conn.cacheEnabled)
        void cache.remember(connection, username, password, profile, session.thumbprint).catch(() => undefined);
      return { ok: true, profile, fromCache: false, instance, attempts, timings };
    } catch (e) {
      if (e instanceof NoInstanceError && conn.cacheEnabled) {
        const profile = await cache.verify(connection, username, password);
        const totalMs = performance.now() - t0;
        if (profile) return { ok: true, profile, fromCache: true, timings: { totalMs } };
        return {
          ok: false,
          fromCache: true,
          timings: { totalMs },
          error: {
            name: 'UnexpectedError',
            code: 'NoInstanceError',
            message: `${e.message} The credential cache has no matching entry for this user and password.`,
          },
        };
      }
      throw e;
    }
  }

  async searchUsers(connection: string, search: string, limit = 50): Promise<{ users: Profile[]; instance: string }> {
    this.deps.connections.require(connection);
    refuseTooLong({ search });
    const { reply, session } = await this.deps.router.request(connection, EVENT.searchUsers, {
      search,
      limit,
      escaped: false,
    });
    if (reply.err) throw replyError(reply.err);
    return { users: Array.isArray(reply.users) ? reply.users : [], instance: session.host };
  }

  async listGroups(connection: string, limit = 1000): Promise<Array<{ id: string; name: string }>> {
    this.deps.connections.require(connection);
    const { reply } = await this.deps.router.request(connection, EVENT.listGroups, { limit });
    if (reply.err) throw replyError(reply.err);
    return Array.isArray(reply.groups) ? reply.groups : [];
  }

  /**
   * A password reset through a connector's write-back. `writeBackOnly` sends it only to an instance that reports
   * write-back on (connector_health), so the editor's confirmation can name the path before anything is written.
   */
  async changePassword(
    connection: string,
    username: string,
    password: string,
    options: { writeBackOnly?: boolean } = {},
  ): Promise<PasswordChangeOutcome> {
    this.deps.connections.require(connection);
    refuseTooLong({ username, password });
    // the old password leaves the cache before the change is sent, and again once it is answered: a change that
    // times out or whose instance drops may still have been made, and a login with the old password answered
    // meanwhile must not put it back
    this.deps.cache.forgetUser(connection, username);
    const { reply, session } = await this.deps.router
      .request(
        connection,
        EVENT.changePassword,
        { username, password, escaped: false },
        options.writeBackOnly
          ? { accept: (s) => s.writeBack === true, why: 'online reports write-back on (ENABLE_WRITE_BACK)' }
          : undefined,
      )
      .finally(() => this.deps.cache.forgetUser(connection, username));
    const instance = { id: session.id, host: session.host };
    return reply.err
      ? { ok: false, error: sanitizeWireError(reply.err), profile: reply.profile, instance }
      : { ok: true, profile: reply.profile, instance };
  }
}

function replyError(err: unknown): HubError {
  const e = sanitizeWireError(err);
  return new HubError(`${e.name}: ${e.message}`);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function refuseTooLong(values: Partial<Record<LimitName, string>>): void {
  for (const [k, v] of Object.entries(values)) {
    const problem = limitProblem(k as LimitName, v);
    if (problem) throw new InputTooLongError(problem);
  }
}
