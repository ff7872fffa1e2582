/**
 * The directory tree's small rules, without VS Code or a server: which entries have children, how many a container
 * holds in words, DN parents and chains for "Go to DN…", and the "find in this container" filter. Pure.
 */
import { escapeFilterValue } from '../../connector/directory';

/** Asked for with every listing: what servers say about children (OpenLDAP, 389 DS and others, real AD). */
export const SUBORDINATE_ATTRIBUTES = ['hasSubordinates', 'numSubordinates', 'msDS-Approx-Immed-Subordinates'];

/** How many entries a container holds, and how sure that is. */
export interface ChildCount {
  n: number;
  /** exact: said by the server or counted to the end; approx: AD's estimate; atLeast: counting stopped there. */
  kind: 'exact' | 'approx' | 'atLeast';
}

export interface Subordinates {
  /** undefined: the server did not say. */
  has?: boolean;
  count?: ChildCount;
}

const first = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return x === undefined || x === null ? undefined : String(x);
};
const attr = (e: Record<string, unknown>, name: string): string | undefined => {
  const key = Object.keys(e).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? first(e[key]) : undefined;
};

/** What an entry's operational attributes say about its children. */
export function subordinatesOf(e: Record<string, unknown>): Subordinates {
  const num = attr(e, 'numSubordinates');
  if (num !== undefined && /^\d+$/.test(num)) return { has: num !== '0', count: { n: Number(num), kind: 'exact' } };
  const approx = attr(e, 'msDS-Approx-Immed-Subordinates');
  const has = attr(e, 'hasSubordinates');
  const hasBool = has === undefined ? undefined : has.toUpperCase() === 'TRUE';
  if (approx !== undefined && /^\d+$/.test(approx)) {
    const n = Number(approx);
    // the estimate may lag: with hasSubordinates beside it, that one decides
    return { has: hasBool ?? n > 0, count: n > 0 ? { n, kind: 'approx' } : undefined };
  }
  return { has: hasBool };
}

/** Object classes that exist to hold other entries: shown expandable without asking the server first. */
const CONTAINER_CLASSES = new Set([
  'organizationalunit',
  'container',
  'builtindomain',
  'domain',
  'domaindns',
  'dcobject',
  'organization',
  'lostandfound',
  'msds-quotacontainer',
  'configuration',
  'dmd',
]);

export function objectClasses(e: Record<string, unknown>): string[] {
  const key = Object.keys(e).find((k) => k.toLowerCase() === 'objectclass');
  const v = key ? e[key] : undefined;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => String(x).toLowerCase());
}

export function isContainerClass(e: Record<string, unknown>): boolean {
  return objectClasses(e).some((c) => CONTAINER_CLASSES.has(c));
}

/** "1 entry", "10,000 entries", "about 9,800 entries", "1,000+ entries". */
export function countLabel(c: ChildCount): string {
  const n = c.n.toLocaleString('en-US');
  if (c.kind === 'atLeast') return `${n}+ entries`;
  const words = `${n} ${c.n === 1 ? 'entry' : 'entries'}`;
  return c.kind === 'approx' ? `about ${words}` : words;
}

/** The count a bounded count of at most `max` entries gives: exact below the bound, "max+" at it. */
export function boundedCount(found: number, max: number): ChildCount {
  return found > max ? { n: max, kind: 'atLeast' } : { n: found, kind: 'exact' };
}

/** What a container's listing says once pages were read: exact when it reached the end, else "at least". */
export function listedCount(loaded: number, exhausted: boolean): ChildCount {
  return { n: loaded, kind: exhausted ? 'exact' : 'atLeast' };
}

// --- DNs ---

/** The RDNs of a DN, split at commas that are not escaped (`\,` and `\5c,` forms stay inside their RDN). */
export function rdns(dn: string): string[] {
  if (!dn.trim()) return [];
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i];
    if (c === '\\' && i + 1 < dn.length) {
      cur += c + dn[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** A DN for comparing: RDNs trimmed, spaces around "=" gone, lower case (names compare case-insensitively). */
export function normalizeDn(dn: string): string {
  return rdns(dn)
    .map((r) =>
      r
        .split('+')
        .map((ava) => ava.replace(/^\s*([^=]+?)\s*=\s*/, (_, t: string) => `${t}=`))
        .join('+')
        .toLowerCase(),
    )
    .join(',');
}

export function parentDn(dn: string): string | undefined {
  const r = rdns(dn);
  return r.length > 1 ? r.slice(1).join(',') : undefined;
}

/** Whether `dn` is `base` or below it. */
export function isUnder(dn: string, base: string): boolean {
  const d = rdns(normalizeDn(dn));
  const b = rdns(normalizeDn(base));
  if (b.length > d.length) return false;
  return b.every((r, i) => r === d[d.length - b.length + i]);
}

/** The DNs from just below `base` down to `dn` (the path to expand); undefined when dn is not under base. */
export function chainBelow(dn: string, base: string): string[] | undefined {
  if (!isUnder(dn, base)) return undefined;
  const d = rdns(dn);
  const depth = d.length - rdns(base).length;
  const out: string[] = [];
  for (let i = depth - 1; i >= 0; i--) out.push(d.slice(i).join(','));
  return out;
}

/** Whether what the admin typed in "Go to DN…" looks like a DN (attr=value), rather than a login name. */
export function looksLikeDn(s: string): boolean {
  return /^\s*[A-Za-z][\w-]*\s*=/.test(s) || /^\s*\d+(\.\d+)+\s*=/.test(s);
}

// --- the container filter ---

/** The attributes "Find in this container" matches text against, per kind of directory. */
export const FIND_ATTRIBUTES = {
  ad: ['name', 'sAMAccountName', 'userPrincipalName', 'mail', 'displayName'],
  openldap: ['cn', 'uid', 'mail', 'ou', 'displayName'],
} as const;

/**
 * The server-side filter for what the admin typed: a full LDAP filter when it starts with "(", else the text
 * anywhere in the name, login or mail (RFC 4515 escaped, so `*`, `(`, `\` are matched as themselves).
 */
export function findFilter(text: string, kind: 'ad' | 'openldap'): string {
  const t = text.trim();
  if (t.startsWith('(')) return t;
  const v = escapeFilterValue(t);
  return `(|${FIND_ATTRIBUTES[kind].map((a) => `(${a}=*${v}*)`).join('')})`;
}

/** How deep "Find in This Container…" looks: the children only, or every level below (LDAP scope one / sub). */
export type FindScope = 'one' | 'sub';

/** The scope in the words the box and the tree use: "one level", "all levels". */
export function scopeWords(scope: FindScope): string {
  return scope === 'sub' ? 'all levels' : 'one level';
}

/**
 * Where a match found at any depth sits, seen from the container searched: "directly below", or the RDNs between
 * them from the top down ("in ou=people", "in ou=emea › ou=sales").
 */
export function placeBelow(dn: string, container: string): string {
  const chain = chainBelow(dn, container);
  if (!chain || chain.length <= 1) return 'directly below';
  return `in ${chain
    .slice(0, -1)
    .map((d) => rdns(d)[0])
    .join(' › ')}`;
}
