/**
 * SIDs go into filters in their string form (`(objectSid=S-1-5-21-...)`), which AD and Samba accept: ldapts
 * decodes `\xx` escapes above 0x7f as UTF-8, so the binary form of a SID matches nothing.
 *
 * Group membership, nested groups included. Active Directory: the LDAP_MATCHING_RULE_IN_CHAIN rule or the
 * constructed tokenGroups attribute, plus the primary group (which AD never lists in `member`). OpenLDAP:
 * `member` followed upward level by level. Cycles end because every group is visited once. Results are cached
 * per user DN for a while.
 *
 * OpenLDAP with memberOf (the memberof overlay), group cache on: each group is read once per cache period (its
 * name and its own memberOf, i.e. its parents) and kept by DN, so a login of any user whose direct groups are
 * known (from memberOf, fresh in every find) resolves the whole nesting from memory: find + bind, no group search.
 * Many users share few groups, so this holds for distinct users, not only for a user seen before.
 */
import { NoSuchObjectError, ResultCodeError, type Client } from 'ldapts';
import type { DirectoryConfig } from './config';
import { sidToString } from './decode';
import { DirectoryBusyError, UnexpectedDirectoryError } from './errors';
import { bytes, text, texts, values, type RawEntry } from './entry';
import { escapeFilterValue } from './filter';

export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';

export interface GroupRef {
  dn: string;
  name: string;
}

export class GroupResolver {
  private readonly cache = new Map<string, { at: number; groups: GroupRef[] }>();
  /** recursive mode with memberOf: each group's name and parents (its memberOf), by lowercased DN */
  private readonly groupCache = new Map<string, { at: number; ref: GroupRef; parents: string[] }>();
  constructor(private readonly config: DirectoryConfig) {}

  /** Groups of a user entry (fetched with primaryGroupID and objectSid), by the configured mode. */
  async groupsOf(client: Client, user: RawEntry): Promise<GroupRef[]> {
    if (this.config.groupMode === 'off') return [];
    const key = user.dn.toLowerCase();
    const hit = this.cache.get(key);
    const ttl = this.config.groupsCacheSeconds * 1000;
    if (hit && Date.now() - hit.at < ttl) return hit.groups;
    const groups = await this.resolve(client, user);
    if (ttl > 0) {
      this.cache.set(key, { at: Date.now(), groups });
      if (this.cache.size > 10000) this.cache.delete(this.cache.keys().next().value!);
    }
    return groups;
  }

  clearCache(): void {
    this.cache.clear();
    this.groupCache.clear();
  }

  private get base(): string {
    return this.config.groupsBaseDn || this.config.baseDn;
  }
  private get attrs(): string[] {
    return ['cn', this.config.groupProperty];
  }

  private resolve(client: Client, user: RawEntry): Promise<GroupRef[]> {
    switch (this.config.groupMode) {
      case 'in-chain':
        return this.inChain(client, user);
      case 'token-groups':
        return this.tokenGroups(client, user);
      case 'recursive':
        return this.recursive(client, user);
      default:
        return Promise.resolve([]);
    }
  }

  private async inChain(client: Client, user: RawEntry): Promise<GroupRef[]> {
    const found = new Map<string, GroupRef>();
    const add = (gs: GroupRef[]) => gs.forEach((g) => found.set(g.dn.toLowerCase(), g));
    // Without the object class term Samba evaluates the rule against every entry (1.4 s with 10,000 users, 13 ms with it)
    const inChain = (dn: string) => `(&${this.config.groupsFilter}(member:${IN_CHAIN_RULE}:=${escapeFilterValue(dn)}))`;
    add(await this.find(client, inChain(user.dn)));
    const primary = await this.primaryGroup(client, user);
    if (primary) {
      add([primary]);
      add(await this.find(client, inChain(primary.dn)));
    }
    return sortGroups(found);
  }

  private async tokenGroups(client: Client, user: RawEntry): Promise<GroupRef[]> {
    const { searchEntries } = await client.search(user.dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['tokenGroups'],
      explicitBufferAttributes: ['tokenGroups'],
    });
    const sids = values(searchEntries[0] ?? { dn: user.dn }, 'tokenGroups').filter(Buffer.isBuffer) as Buffer[];
    const found = new Map<string, GroupRef>();
    // resolve SIDs in chunks: one filter per 50 SIDs
    for (let i = 0; i < sids.length; i += 50) {
      const filter = `(|${sids
        .slice(i, i + 50)
        .map((s) => `(objectSid=${sidToString(s)})`)
        .join('')})`;
      // tokenGroups names builtin groups too (CN=Builtin under the domain), so search from the domain root
      for (const g of await this.find(client, filter, this.config.baseDn)) found.set(g.dn.toLowerCase(), g);
    }
    return sortGroups(found);
  }

  private async primaryGroup(client: Client, user: RawEntry): Promise<GroupRef | undefined> {
    const rid = text(user, 'primaryGroupID');
    const sid = bytes(user, 'objectSid');
    if (!rid || !sid) return undefined;
    const userSid = sidToString(sid);
    const groupSid = userSid.replace(/-\d+$/, `-${rid}`);
    const groups = await this.find(client, `(objectSid=${groupSid})`, this.config.baseDn);
    return groups[0];
  }

  private async recursive(client: Client, user: RawEntry): Promise<GroupRef[]> {
    const found = new Map<string, GroupRef>();
    const attr = this.config.groupMemberAttribute;
    const seen = new Set([user.dn.toLowerCase()]);
    const keep = (level: GroupRef[]): string[] => {
      const fresh: string[] = [];
      for (const g of level) {
        const k = g.dn.toLowerCase();
        if (seen.has(k)) continue;
        seen.add(k);
        found.set(k, g);
        fresh.push(g.dn);
      }
      return fresh;
    };
    const direct = texts(user, 'memberOf');
    if (direct.length && this.config.groupsCacheSeconds > 0) return this.viaGroupCache(client, direct);
    let frontier = [user.dn];
    // memberOf (asked for by name: it is operational in OpenLDAP) names the direct groups before any query: one
    // search then finds them (member=user) and their parents (member=each of them) at once, the first two levels
    let depth = 0;
    if (direct.length && direct.length < 50) {
      const level = await this.find(
        client,
        `(|${[user.dn, ...direct].map((dn) => `(${attr}=${escapeFilterValue(dn)})`).join('')})`,
      );
      // a memberOf value the search did not return (a group outside the groups base, or one whose member list
      // disagrees) is read by its DN, as it is still a group the directory says the user is in
      const returned = new Set(level.map((g) => g.dn.toLowerCase()));
      const missing = direct.filter((dn) => !returned.has(dn.toLowerCase()));
      for (const dn of missing) {
        const g = await this.group(client, dn);
        if (g) level.push(g.ref);
      }
      // the parents of the memberOf groups are in this level already: only the others still need theirs searched
      const searched = new Set(direct.map((dn) => dn.toLowerCase()));
      frontier = keep(level).filter((dn) => !searched.has(dn.toLowerCase()));
      depth = 2;
    }
    for (; frontier.length && depth < 32; depth++) {
      const level: GroupRef[] = [];
      for (let i = 0; i < frontier.length; i += 50) {
        const filter = `(|${frontier
          .slice(i, i + 50)
          .map((dn) => `(${attr}=${escapeFilterValue(dn)})`)
          .join('')})`;
        level.push(...(await this.find(client, filter)));
      }
      frontier = keep(level);
    }
    return sortGroups(found);
  }

  /** The user's direct groups (memberOf) and, level by level, their parents, each group read at most once a period. */
  private async viaGroupCache(client: Client, direct: string[]): Promise<GroupRef[]> {
    const found = new Map<string, GroupRef>();
    let frontier = direct;
    for (let depth = 0; frontier.length && depth < 32; depth++) {
      const next: string[] = [];
      for (const dn of frontier) {
        const k = dn.toLowerCase();
        if (found.has(k)) continue;
        const g = await this.group(client, dn);
        if (!g) continue; // a group deleted since the user's memberOf was read
        found.set(k, g.ref);
        next.push(...g.parents);
      }
      frontier = next;
    }
    return sortGroups(found);
  }

  /** A group's name and parents (its memberOf), from the cache while fresh; undefined for a group deleted since. */
  private async group(client: Client, dn: string): Promise<{ ref: GroupRef; parents: string[] } | undefined> {
    const key = dn.toLowerCase();
    const ttl = this.config.groupsCacheSeconds * 1000;
    const hit = this.groupCache.get(key);
    if (hit && Date.now() - hit.at < ttl) return hit;
    this.groupCache.delete(key); // re-inserted last: the oldest entry is the first to go past the bound
    const g = await this.readGroup(client, dn);
    if (g && ttl > 0) {
      this.groupCache.set(key, { at: Date.now(), ...g });
      if (this.groupCache.size > 10000) this.groupCache.delete(this.groupCache.keys().next().value!);
    }
    return g;
  }

  /** The one read of a group's own entry, by its DN. */
  private async readGroup(client: Client, dn: string): Promise<{ ref: GroupRef; parents: string[] } | undefined> {
    let entry: RawEntry | undefined;
    try {
      const { searchEntries } = await client.search(dn, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: [...this.attrs, 'memberOf'],
      });
      entry = searchEntries[0];
    } catch (e) {
      const failure = groupReadFailure(e, dn);
      if (failure) throw failure;
      return undefined; // deleted since memberOf named it
    }
    if (entry) return { ref: this.ref(entry), parents: texts(entry, 'memberOf') };
    // no error and no entry: it exists (memberOf names it) but the service account may not read it. Dropping it
    // would hide a membership (a deny group, say); it is kept under the value of its first RDN, parents unknown
    return { ref: { dn, name: firstRdnValue(dn) }, parents: [] };
  }

  private async find(client: Client, filter: string, base = this.base): Promise<GroupRef[]> {
    const out: GroupRef[] = [];
    for await (const page of client.searchPaginated(base, {
      scope: 'sub',
      filter,
      attributes: this.attrs,
      paged: { pageSize: 500 },
    })) {
      for (const e of page.searchEntries) out.push(this.ref(e));
    }
    return out;
  }

  private ref(e: RawEntry): GroupRef {
    return { dn: e.dn, name: text(e, this.config.groupProperty) ?? text(e, 'cn') ?? e.dn };
  }
}

/**
 * What a failed read of one group's entry means. NoSuchObject: the group was deleted since the user's memberOf
 * named it, so it is skipped (`undefined`). Any other LDAP result becomes a named error, and a transport failure
 * (timeout, TLS, lost connection) is returned as it is for the connection pool to name: a group dropped unseen
 * would be a wrong answer that looks like a right one.
 */
export function groupReadFailure(e: unknown, dn: string): unknown {
  if (e instanceof NoSuchObjectError) return undefined;
  if (!(e instanceof ResultCodeError)) return e;
  // busy (51) and unavailable (52): the server is there but cannot serve now
  const Named = e.code === 51 || e.code === 52 ? DirectoryBusyError : UnexpectedDirectoryError;
  return new Named(`Reading the group ${dn} failed: ${e.message} (LDAP result ${e.code})`, {
    cause: e,
    source: `LDAP result ${e.code}`,
  });
}

/** `cn=Domain Admins,cn=Users,…` → `Domain Admins` (escapes of the RFC 4514 form undone for display). */
export function firstRdnValue(dn: string): string {
  const rdn = /^((?:[^,\\]|\\.)*)/.exec(dn)![1];
  const value = rdn.slice(rdn.indexOf('=') + 1).trim();
  return (
    value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, c: string) =>
      c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c,
    ) || dn
  );
}

function sortGroups(found: Map<string, GroupRef>): GroupRef[] {
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
