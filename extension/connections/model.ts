/**
 * A connection as the admin defines it, and the validation every input step and the store share. Pure: no
 * `vscode` import, so it is unit tested with plain Node.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { findFilterProblem, type DirectoryConfigInput, type GroupMode } from '../../connector/directory';
import { CONNECTION_NAME } from '../hub/state';
import { isPlainLdapUrl } from '../../shared/tlsWarning';
import type { RawConfig } from '../../protocol/connectorConfig';

export type DirectoryKind = 'ad' | 'openldap';

export interface DirectoryDefinition {
  kind: DirectoryKind;
  urls: string[];
  baseDn: string;
  bindDn: string;
  userFilter: string;
  groupMode: GroupMode;
  caFile?: string;
  startTls: boolean;
  verifyTls: boolean;
  profileMapperFile?: string;
}

export interface ConnectionDefinition {
  name: string;
  emailDomains: string[];
  kerberosRanges: string[];
  cacheEnabled: boolean;
  /**
   * The connection's connectors may reset passwords for the hub (ENABLE_WRITE_BACK in their config.json); off when
   * absent. The editor then sets a new password through a connector rather than with its own service account.
   */
  writeBack?: boolean;
  directory: DirectoryDefinition;
}

/** The first preset of each kind is the default: it accepts every form a user types (AD strips DOMAIN\ first). */
export const USER_FILTER_PRESETS: Array<{ label: string; filter: string; kind: DirectoryKind; detail: string }> = [
  {
    label: 'Logon name, UPN or DOMAIN\\user',
    filter: '(|(sAMAccountName={0})(userPrincipalName={0}))',
    kind: 'ad',
    detail: 'Matches alice, alice@example.com and EXAMPLE\\alice',
  },
  {
    label: 'sAMAccountName',
    filter: '(sAMAccountName={0})',
    kind: 'ad',
    detail: 'Matches alice and EXAMPLE\\alice, not alice@example.com',
  },
  {
    label: 'userPrincipalName',
    filter: '(userPrincipalName={0})',
    kind: 'ad',
    detail: 'Matches alice@example.com only',
  },
  {
    label: 'uid or mail',
    filter: '(|(uid={0})(mail={0}))',
    kind: 'openldap',
    detail: 'Matches alice and alice@example.com',
  },
  { label: 'uid', filter: '(uid={0})', kind: 'openldap', detail: 'Matches alice only, not an email address' },
];

/** What a user filter matches, in the words the wizard and the test-login panel show. */
export function userFilterMatches(filter: string, kind: DirectoryKind): string {
  const preset = USER_FILTER_PRESETS.find((p) => p.filter === filter && p.kind === kind);
  if (preset) return preset.detail;
  const forms = [
    /\(sAMAccountName=\{0\}\)|\(uid=\{0\}\)/i.test(filter) && 'a login name',
    acceptsEmail(filter) && 'an email address',
  ].filter(Boolean);
  return forms.length ? `Matches ${forms.join(' or ')} (custom filter ${filter})` : `Custom filter ${filter}`;
}

/** Whether a user filter looks at an attribute that holds email-style names. */
export function acceptsEmail(filter: string): boolean {
  return /\((mail|userPrincipalName|email)=\{0\}\)/i.test(filter);
}

/** Each returns undefined when valid, else the message shown under the input box as the admin types. */
export const validate = {
  name(v: string, existing: string[] = []): string | undefined {
    if (!v) return 'A name is required.';
    if (!CONNECTION_NAME.test(v))
      return 'Use lowercase letters, digits and "-" (1-63 characters, not starting or ending with "-").';
    if (existing.includes(v)) return `A connection named "${v}" already exists.`;
    return undefined;
  },
  emailDomains(v: string): string | undefined {
    for (const d of splitList(v)) {
      if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(d))
        return `"${d}" is not a domain name (example.com).`;
    }
    return undefined;
  },
  cidrs(v: string): string | undefined {
    for (const c of splitList(v)) {
      const m = /^([^/]+)\/(\d{1,3})$/.exec(c);
      if (!m) return `"${c}" is not a CIDR range (10.0.0.0/8).`;
      const bits = Number(m[2]);
      if (isIPv4(m[1])) {
        if (bits > 32) return `"${c}": an IPv4 prefix is at most /32.`;
      } else if (isIPv6(m[1])) {
        if (bits > 128) return `"${c}": an IPv6 prefix is at most /128.`;
      } else return `"${m[1]}" is not an IP address.`;
    }
    return undefined;
  },
  ldapUrls(v: string): string | undefined {
    const urls = splitList(v);
    if (!urls.length) return 'At least one LDAP URL is required (ldaps://dc1.example.com).';
    for (const u of urls) {
      let parsed: URL;
      try {
        parsed = new URL(u);
      } catch {
        return `"${u}" is not a URL.`;
      }
      if (parsed.protocol !== 'ldap:' && parsed.protocol !== 'ldaps:')
        return `"${u}" must start with ldap:// or ldaps://.`;
      if (!parsed.hostname) return `"${u}" has no host.`;
      if (parsed.pathname && parsed.pathname !== '/') return `"${u}": put the base DN in its own step, not in the URL.`;
    }
    return undefined;
  },
  dn(v: string, what = 'A DN'): string | undefined {
    if (!v.trim()) return `${what} is required.`;
    if (!/^[A-Za-z][\w-]*=[^,]+(,\s*[A-Za-z][\w-]*=[^,]+)*$/.test(v.replace(/\\,/g, '')))
      return `${what} looks like "DC=example,DC=com" (attribute=value pairs separated by commas).`;
    return undefined;
  },
  /** The service account: a DN, or for AD also user@domain or DOMAIN\user. */
  bindUser(v: string): string | undefined {
    if (!v.trim()) return 'The service account is required.';
    if (/^[^@\s]+@[^@\s]+$/.test(v) || /^[^\\\s]+\\[^\\\s]+$/.test(v)) return undefined;
    return validate.dn(v, 'The service account');
  },
  userFilter(v: string): string | undefined {
    if (!v.includes('{0}')) return 'The filter must contain {0} where the login name goes: (sAMAccountName={0}).';
    return findFilterProblem(v.split('{0}').join('x'))?.message;
  },
};

export function splitList(v: string): string[] {
  return v
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Checks a whole definition (from the store, possibly hand-edited, or from pre-answered steps); returns every problem found. */
export function problemsOf(d: ConnectionDefinition, existing: string[] = []): string[] {
  const strs = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const dir = (d?.directory && typeof d.directory === 'object' ? d.directory : {}) as Partial<DirectoryDefinition>;
  const out = [
    validate.name(str(d?.name), existing),
    strs(d?.emailDomains)
      ? validate.emailDomains(d.emailDomains.join(' '))
      : 'emailDomains must be a list of domain names.',
    strs(d?.kerberosRanges)
      ? validate.cidrs(d.kerberosRanges.join(' '))
      : 'kerberosRanges must be a list of CIDR ranges.',
    strs(dir.urls) ? validate.ldapUrls(dir.urls!.join(' ')) : 'directory.urls must be a list of LDAP URLs.',
    validate.dn(str(dir.baseDn), 'The base DN'),
    validate.bindUser(str(dir.bindDn)),
    validate.userFilter(str(dir.userFilter)),
  ].filter((x): x is string => !!x);
  if (dir.kind !== 'ad' && dir.kind !== 'openldap') out.push('The directory kind must be "ad" or "openldap".');
  if (typeof d?.cacheEnabled !== 'boolean') out.push('cacheEnabled must be true or false.');
  if (d?.writeBack !== undefined && typeof d.writeBack !== 'boolean') out.push('writeBack must be true or false.');
  return out;
}

/** The directory engine's settings for a definition and its service password. */
export function toDirectoryConfig(d: ConnectionDefinition, bindPassword: string): DirectoryConfigInput {
  return {
    kind: d.directory.kind,
    urls: d.directory.urls,
    baseDn: d.directory.baseDn,
    bindDn: d.directory.bindDn,
    bindPassword,
    userFilter: d.directory.userFilter,
    groupMode: d.directory.groupMode,
    tls: { caFile: d.directory.caFile, startTls: d.directory.startTls, verify: d.directory.verifyTls },
    profileMapperFile: d.directory.profileMapperFile,
  };
}

/** The connector's config.json keys for a definition; secrets are never part of it. */
export function toConnectorConfig(d: ConnectionDefinition, caFileInDeployment?: string): RawConfig {
  return {
    LDAP_KIND: d.directory.kind,
    LDAP_URL: d.directory.urls,
    LDAP_BASE: d.directory.baseDn,
    LDAP_BIND_USER: d.directory.bindDn,
    LDAP_USER_BY_NAME: d.directory.userFilter,
    GROUP_MODE: d.directory.groupMode,
    ...((caFileInDeployment ?? d.directory.caFile) ? { LDAP_CA_FILE: caFileInDeployment ?? d.directory.caFile } : {}),
    LDAP_STARTTLS: d.directory.startTls,
    LDAP_VERIFY_TLS: d.directory.verifyTls,
    ...(d.writeBack ? { ENABLE_WRITE_BACK: true } : {}),
  };
}

/**
 * The TLS these URLs will use, in the words of the wizard's CA question ("ldaps://", "StartTLS" or both), or
 * undefined when nothing is encrypted: then there is no certificate to check and the question is not asked.
 */
export function tlsInUse(urls: string[], startTls: boolean): string | undefined {
  const plain = urls.some(isPlainLdapUrl);
  const ldaps = urls.some((u) => /^ldaps:\/\//i.test(u));
  const used = [ldaps && 'ldaps://', plain && startTls && 'StartTLS'].filter((x): x is string => !!x);
  return used.length ? used.join(' and ') : undefined;
}

/** Whether the connection is encrypted, in the editor's words (a plain ldap:// without StartTLS is "not encrypted"). */
export function tlsWords(d: DirectoryDefinition): string {
  const plain = d.urls.filter(isPlainLdapUrl);
  const verify = d.verifyTls ? 'certificate verified' : '**certificate NOT verified**';
  if (plain.length && !d.startTls)
    return plain.length === d.urls.length
      ? '**not encrypted** (ldap:// without StartTLS)'
      : `**not encrypted** on ${plain.join(', ')} (no StartTLS)`;
  return `${plain.length ? 'StartTLS' : 'LDAPS'}, ${verify}${d.caFile ? `, CA ${d.caFile}` : ''}`;
}
