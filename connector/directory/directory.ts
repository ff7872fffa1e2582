/**
 * The directory engine: everything the connector, the hub's direct mode and the extension's panels ask of an
 * LDAP directory. Two pools: service-account connections for searches and password resets, and connections
 * for user binds (one bind at a time on each, several in parallel).
 */
import { ResultCodeError, type Entry } from 'ldapts';
import { withDefaults, type DirectoryConfig, type DirectoryConfigInput } from './config';
import type { EndpointSettings, LdapConnection } from './connection';
import { BINARY_ATTRIBUTES, generalizedTimeToDate } from './decode';
import { text, withoutSecrets } from './entry';
import { mapAdBindError, mapPolicyBindError } from './errorMapping';
import {
  AccountDisabledError,
  AccountExpiredError,
  AmbiguousUserError,
  DirectoryError,
  InputTooLongError,
  InvalidFilterError,
  ServiceBindError,
  WrongPasswordError,
  WrongUsernameError,
  PasswordChangeRequiredError,
  PasswordExpiredError,
} from './errors';
import { assertValidFilter, fillFilter, findFilterProblem } from './filter';
import { GroupResolver, type GroupRef } from './groups';
import { silentLogger, type Logger } from '../../shared/logger';
import { PasswordPolicyControl } from './passwordPolicyControl';
import { setPassword } from './password';
import { applyAccountFix, mustChangeSupported, type AccountFixRequest } from './accountFixes';
import { ConnectionPool } from './pool';
import { defaultProfile, PROFILE_ATTRIBUTES, ProfileMapper, type Profile } from './profile';
import type { LoginTimings } from '../../protocol/messages';
import { streamSearch, type StreamSearchOptions } from './search';
import { countChildren, probeChildren, readEntry } from './browse';
import { limitProblem, type LimitName } from '../../protocol/limits';

/** OpenLDAP password-policy state read after a refused bind, to tell disabled and expired from locked. */
const POLICY_STATE_ATTRIBUTES = ['pwdAccountLockedTime', 'pwdEndTime', 'pwdStartTime'];
/** ppolicy's "locked until an administrator unlocks it" value: how OpenLDAP admins disable an account. */
const PERMANENT_LOCK = '000001010000Z';

/** A login the directory accepted: who the user is, and how long each stage took. */
export interface AuthenticatedUser {
  profile: Profile;
  groups: GroupRef[];
  dn: string;
  timings: LoginTimings;
  /** A state the config lets through (ALLOW_PASSWORD_EXPIRED, ALLOW_PASSWORD_CHANGE_REQUIRED). */
  warning?: string;
}

export interface UserQueryOptions {
  escaped?: boolean;
}

export interface HealthReport {
  ok: boolean;
  url?: string;
  latencyMs?: number;
  error?: string;
  kind?: string;
}

export class Directory {
  readonly config: DirectoryConfig;
  private readonly searchPool: ConnectionPool;
  private readonly bindPool: ConnectionPool;
  private readonly groups: GroupResolver;
  private readonly mapper?: ProfileMapper;

  constructor(input: DirectoryConfigInput, log: Logger = silentLogger) {
    this.config = withDefaults(input);
    for (const [name, f] of Object.entries({
      userFilter: this.config.userFilter,
      searchFilter: this.config.searchFilter,
      searchAllFilter: this.config.searchAllFilter,
      groupsFilter: this.config.groupsFilter,
    })) {
      const problem = findFilterProblem(f.split('{0}').join('x'));
      if (problem) throw new InvalidFilterError(`${name}: ${problem.message}`, problem.position);
    }
    const endpoint: EndpointSettings = {
      urls: this.config.urls,
      tls: this.config.tls,
      connectTimeoutMs: this.config.connectTimeoutMs,
      operationTimeoutMs: this.config.operationTimeoutMs,
    };
    this.searchPool = new ConnectionPool({
      name: 'search',
      size: this.config.searchPoolSize,
      endpoint,
      log,
      acquireTimeoutMs: this.config.operationTimeoutMs * 3,
      prepare: (conn) => this.serviceBind(conn),
    });
    this.bindPool = new ConnectionPool({
      name: 'bind',
      size: this.config.bindPoolSize,
      endpoint,
      log,
      acquireTimeoutMs: this.config.operationTimeoutMs * 3,
    });
    this.groups = new GroupResolver(this.config);
    if (this.config.profileMapperFile) this.mapper = new ProfileMapper(this.config.profileMapperFile);
  }

  get stats() {
    return { search: this.searchPool.stats, bind: this.bindPool.stats };
  }

  /** Finds exactly one user by login name; WrongUsername when none matches. */
  async findUser(username: string, options: UserQueryOptions = {}): Promise<Entry> {
    refuseUnsafeName(username);
    const filter = fillFilter(
      this.config.userFilter,
      this.config.kind === 'ad' ? withoutDomain(username, options.escaped) : username,
      options.escaped,
    );
    const entries = await this.searchPool.run(
      async (conn) =>
        (
          await conn.client.search(this.config.baseDn, {
            scope: 'sub',
            filter,
            sizeLimit: 2,
            attributes: this.userAttributes(conn),
            explicitBufferAttributes: BINARY_ATTRIBUTES,
          })
        ).searchEntries,
    );
    // the exact filter and base searched: an admin sees at once whether the filter accepts the form typed
    if (entries.length === 0)
      throw new WrongUsernameError(`No user matches ${filter} under ${this.config.baseDn}`, {
        source: `no entry matches ${filter} under ${this.config.baseDn}`,
      });
    if (entries.length > 1)
      throw new AmbiguousUserError(`More than one entry matches ${filter}: refusing to guess which one logs in`);
    return entries[0];
  }

  /** Verifies a password and returns the user's profile with groups, or throws a typed error (carrying the profile once the user is known). */
  async authenticate(username: string, password: string, options: UserQueryOptions = {}): Promise<AuthenticatedUser> {
    const t0 = performance.now();
    // An empty simple bind is an anonymous bind that "succeeds" (RFC 4513 5.1.2): never send one.
    if (typeof password !== 'string' || password.length === 0) {
      throw new WrongPasswordError('An empty password is refused before any bind (it would be an anonymous bind)', {
        source: 'Directory Bridge',
      });
    }
    refuseTooLong('password', password);
    const user = await this.findUser(username, options);
    const t1 = performance.now();
    let warning: string | undefined;
    try {
      await this.bindAs(user, password);
    } catch (e) {
      if (!(e instanceof DirectoryError)) throw e;
      const allowed =
        (e instanceof PasswordExpiredError && this.config.allowPasswordExpired) ||
        (e instanceof PasswordChangeRequiredError && this.config.allowPasswordChangeRequired);
      if (!allowed) {
        e.profile = this.profileOf(user, []);
        throw e;
      }
      warning = e.message;
    }
    const t2 = performance.now();
    const groups = await this.searchPool.run((conn) => this.groups.groupsOf(conn.client, user));
    const t3 = performance.now();
    const profile = this.profileOf(
      user,
      groups.map((g) => g.name),
    );
    return {
      profile,
      groups,
      dn: user.dn,
      warning,
      timings: { searchMs: t1 - t0, bindMs: t2 - t1, groupsMs: t3 - t2, totalMs: t3 - t0 },
    };
  }

  /** Groups of a user, by login name. */
  async groupsOfUser(username: string, options: UserQueryOptions = {}): Promise<GroupRef[]> {
    const user = await this.findUser(username, options);
    return this.searchPool.run((conn) => this.groups.groupsOf(conn.client, user));
  }

  /** Profile of a user by login name, without verifying a password (search results, mapper preview). */
  async profileOfUser(username: string, options: UserQueryOptions = {}): Promise<Profile> {
    const user = await this.findUser(username, options);
    const groups = await this.searchPool.run((conn) => this.groups.groupsOf(conn.client, user));
    return this.profileOf(
      user,
      groups.map((g) => g.name),
    );
  }

  /** Resets a user's password as the service account (optionally unlocking the account); returns the profile. */
  async changePassword(username: string, newPassword: string, options: UserQueryOptions = {}): Promise<Profile> {
    if (typeof newPassword !== 'string' || newPassword.length === 0)
      throw new WrongPasswordError('The new password is empty');
    refuseTooLong('password', newPassword);
    const user = await this.findUser(username, options);
    try {
      // no retry: a reset whose answer was lost may or may not have happened
      await this.searchPool.run((conn) => setPassword(conn, user.dn, newPassword, this.config.unlockOnPasswordChange), {
        retry: false,
      });
    } catch (e) {
      if (e instanceof DirectoryError) e.profile = this.profileOf(user, []);
      throw e;
    }
    this.groups.clearCache();
    return this.profileOf(user, []);
  }

  /** Unlocks, enables or sets a new password for a user, as the service account (see accountFixes.ts); returns the DN. */
  async fixAccount(username: string, request: AccountFixRequest): Promise<string> {
    const user = await this.findUser(username);
    // no retry: a change whose answer was lost may or may not have happened
    await this.searchPool.run((conn) => applyAccountFix(conn, user, request), { retry: false });
    return user.dn;
  }

  /** Whether the directory would enforce "must change at next logon" for this user. */
  async mustChangeSupported(username: string): Promise<boolean> {
    const user = await this.findUser(username);
    return this.searchPool.run((conn) => mustChangeSupported(conn, user));
  }

  /** Users matching a search term (LDAP_SEARCH_QUERY) or all users (empty term), page by page. */
  searchUsers(
    term: string,
    limit: number,
    options: UserQueryOptions & { signal?: AbortSignal } = {},
  ): AsyncGenerator<Profile[]> {
    refuseTooLong('search', term);
    const filter = term ? fillFilter(this.config.searchFilter, term, options.escaped) : this.config.searchAllFilter;
    const self = this;
    return this.searchPool.stream(async function* (conn) {
      for await (const page of streamSearch(conn.client, {
        base: self.config.baseDn,
        filter,
        attributes: self.userAttributes(conn),
        binaryAttributes: BINARY_ATTRIBUTES,
        pageSize: self.config.pageSize,
        limit,
        signal: options.signal,
      }))
        yield page.map((e) => self.profileOf(e, []));
    });
  }

  /** Groups (LDAP_SEARCH_GROUPS), page by page. */
  async listGroups(limit: number): Promise<GroupRef[]> {
    return this.searchPool.run(async (conn) => {
      const out: GroupRef[] = [];
      for await (const page of streamSearch(conn.client, {
        base: this.config.groupsBaseDn || this.config.baseDn,
        filter: this.config.groupsFilter,
        attributes: ['cn', this.config.groupProperty],
        pageSize: this.config.pageSize,
        limit,
      })) {
        for (const e of page) out.push({ dn: e.dn, name: text(e, this.config.groupProperty) ?? text(e, 'cn') ?? e.dn });
      }
      return out;
    });
  }

  /** A raw paged search for the query panel and the tree. Secret attributes are removed whatever was asked for. */
  search(o: Omit<StreamSearchOptions, 'pageSize'> & { pageSize?: number }): AsyncGenerator<Entry[]> {
    assertValidFilter(o.filter);
    const pageSize = o.pageSize ?? this.config.pageSize;
    return this.searchPool.stream(async function* (conn) {
      for await (const page of streamSearch(conn.client, { ...o, pageSize })) yield page.map(withoutSecrets);
    });
  }

  /** For the tree (browse.ts): which of these entries have children, on one connection. */
  probeChildren(dns: string[]): Promise<Array<boolean | undefined>> {
    return dns.length ? this.searchPool.run((conn) => probeChildren(conn.client, dns)) : Promise.resolve([]);
  }

  /** Children of `dn`, counted up to `max + 1`. */
  countChildren(dn: string, max: number): Promise<number> {
    return this.searchPool.run((conn) => countChildren(conn.client, dn, max));
  }

  /** One entry, every user attribute (plus `extra`), secrets removed; undefined when there is no such entry. */
  readEntry(dn: string, extra: string[] = []): Promise<Entry | undefined> {
    return this.searchPool.run((conn) => readEntry(conn.client, dn, extra));
  }

  /** A cheap round trip on each pool; never re-binds a connection that has work in flight. */
  async health(): Promise<HealthReport> {
    const t0 = performance.now();
    try {
      const { url, kind } = await this.searchPool.run(async (conn) => {
        await conn.client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
        return { url: conn.url, kind: conn.kind };
      });
      return { ok: true, url, kind, latencyMs: performance.now() - t0 };
    } catch (e) {
      return { ok: false, error: (e as Error).message, latencyMs: performance.now() - t0 };
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.searchPool.close(), this.bindPool.close()]);
  }

  // --- internals ---

  private async serviceBind(conn: LdapConnection): Promise<void> {
    try {
      await conn.client.bind(this.config.bindDn, this.config.bindPassword);
    } catch (e) {
      if (!(e instanceof ResultCodeError)) throw e; // transport failures are the pool's to handle
      const reason = conn.kind === 'ad' ? mapAdBindError(e) : undefined;
      throw new ServiceBindError(
        `The service account ${this.config.bindDn} cannot bind to ${conn.url}: ${reason?.message ?? e.message}` +
          (reason?.source ? ` (${reason.source})` : ''),
        { cause: e, source: reason?.source },
      );
    }
  }

  private async bindAs(user: Entry, password: string): Promise<void> {
    await this.bindPool.run(async (conn) => {
      const policy = conn.kind === 'ad' ? undefined : new PasswordPolicyControl();
      try {
        await conn.client.bind(user.dn, password, policy);
      } catch (e) {
        if (!(e instanceof ResultCodeError)) throw e;
        if (conn.kind === 'ad') throw mapAdBindError(e);
        const mapped = mapPolicyBindError(e, policy?.response);
        throw mapped.name === 'AccountLockedError' ? await this.refineLock(user, mapped) : mapped;
      }
      if (policy?.response?.error !== undefined) {
        throw mapPolicyBindError({ code: 0, message: 'bind succeeded with a password policy error' }, policy.response);
      }
    });
  }

  /** ppolicy says "locked" for a disabled account and an ended account too: the policy attributes tell them apart. */
  private async refineLock(user: Entry, locked: DirectoryError): Promise<DirectoryError> {
    const state = await this.searchPool
      .run(
        async (conn) =>
          (
            await conn.client.search(user.dn, {
              scope: 'base',
              filter: '(objectClass=*)',
              attributes: POLICY_STATE_ATTRIBUTES,
            })
          ).searchEntries[0],
      )
      .catch(() => undefined);
    if (!state) return locked;
    const end = text(state, 'pwdEndTime');
    const endDate = end ? generalizedTimeToDate(end) : undefined;
    if (endDate && endDate.getTime() <= Date.now()) {
      return new AccountExpiredError(`Account expired on ${endDate.toISOString()}`, {
        source: 'OpenLDAP password policy: pwdEndTime',
      });
    }
    if (text(state, 'pwdAccountLockedTime') === PERMANENT_LOCK) {
      return new AccountDisabledError('Account disabled', {
        source: `OpenLDAP password policy: pwdAccountLockedTime ${PERMANENT_LOCK}`,
      });
    }
    return locked;
  }

  private userAttributes(conn: LdapConnection): string[] {
    const extra = conn.kind === 'ad' ? [] : POLICY_STATE_ATTRIBUTES;
    return [...new Set([...PROFILE_ATTRIBUTES, ...extra, ...this.config.extraAttributes])];
  }

  private profileOf(user: Entry, groups: string[]): Profile {
    return this.mapper ? this.mapper.map(user, groups) : defaultProfile(user, groups);
  }
}

/** AD's down-level logon name `EXAMPLE\\alice` is `alice` in the domain (AD forbids "\\" in sAMAccountName). */
export function withoutDomain(username: string, escaped = false): string {
  const m = (escaped ? /^[^\\@]+\\5c([^\\]+)$/i : /^[^\\@]+\\([^\\]+)$/).exec(username);
  return m ? m[1] : username;
}

/**
 * Names the directory would silently fold or cut are refused before any search: control characters (Samba ends an
 * escaped NUL's value there, so `alice\0` found alice) and compatibility characters (OpenLDAP matches with NFKC,
 * so a fullwidth `ａlice` found alice).
 */
function refuseUnsafeName(username: string): void {
  if (typeof username !== 'string' || username.length === 0) throw new WrongUsernameError('The username is empty');
  refuseTooLong('username', username);
  if (/[\u0000-\u001f\u007f]/.test(username))
    throw new WrongUsernameError('The username contains a control character', { source: 'Directory Bridge' });
  if (username.normalize('NFKC') !== username.normalize('NFC')) {
    throw new WrongUsernameError(
      'The username contains compatibility characters (fullwidth letters, ligatures...) that the directory would fold into other letters',
      { source: 'Directory Bridge' },
    );
  }
}

function refuseTooLong(what: LimitName, value: string): void {
  const problem = limitProblem(what, value);
  if (problem) throw new InputTooLongError(problem, { source: 'Directory Bridge' });
}
