/** The directory engine's settings, with the defaults an Active Directory or OpenLDAP admin would expect. */
import type { TlsSettings } from './connection';

export type GroupMode = 'in-chain' | 'token-groups' | 'recursive' | 'off';
export type DirectoryKind = 'ad' | 'openldap';

export interface DirectoryConfig {
  kind: DirectoryKind;
  /** Tried in order; the next one is used when one does not answer. */
  urls: string[];
  baseDn: string;
  /** Where groups live; the base DN when unset (LDAP_BASE_GROUPS). */
  groupsBaseDn?: string;
  /** Service account (LDAP_BIND_USER / LDAP_BIND_CREDENTIALS). */
  bindDn: string;
  bindPassword: string;
  /** Finds one user by login name; `{0}` is the escaped name (LDAP_USER_BY_NAME). */
  userFilter: string;
  /** Finds users by a search term (LDAP_SEARCH_QUERY). */
  searchFilter: string;
  /** Lists all users (LDAP_SEARCH_ALL_QUERY). */
  searchAllFilter: string;
  /** Lists groups (LDAP_SEARCH_GROUPS). */
  groupsFilter: string;
  groupMode: GroupMode;
  /** The attribute that lists a group's members: `member` (groupOfNames, AD) or `uniqueMember`. */
  groupMemberAttribute: string;
  /** The attribute that names a group in profiles (GROUP_PROPERTY). */
  groupProperty: string;
  groupsCacheSeconds: number;
  tls: TlsSettings;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  /** Service-account connections for searches. */
  searchPoolSize: number;
  /** Connections for user binds: how many logins bind in parallel. */
  bindPoolSize: number;
  allowPasswordExpired: boolean;
  allowPasswordChangeRequired: boolean;
  /** Unlock the account when an admin resets its password. */
  unlockOnPasswordChange: boolean;
  profileMapperFile?: string;
  /** Extra attributes to fetch for profiles and mappers. */
  extraAttributes: string[];
  pageSize: number;
}

// the default user filters accept every form users type: a logon name or an email-style name (UPN, mail)
export const AD_DEFAULTS = {
  userFilter: '(|(sAMAccountName={0})(userPrincipalName={0}))',
  searchFilter: '(&(objectCategory=person)(objectClass=user)(anr={0}))',
  searchAllFilter: '(&(objectCategory=person)(objectClass=user))',
  groupsFilter: '(objectClass=group)',
  groupMode: 'in-chain' as GroupMode,
};

export const OPENLDAP_DEFAULTS = {
  userFilter: '(|(uid={0})(mail={0}))',
  searchFilter: '(&(objectClass=person)(|(uid={0}*)(cn={0}*)(mail={0}*)))',
  searchAllFilter: '(objectClass=person)',
  groupsFilter: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
  groupMode: 'recursive' as GroupMode,
};

export type DirectoryConfigInput = Partial<DirectoryConfig> &
  Pick<DirectoryConfig, 'urls' | 'baseDn' | 'bindDn' | 'bindPassword'> & { kind: DirectoryKind };

export function withDefaults(input: DirectoryConfigInput): DirectoryConfig {
  const kindDefaults = input.kind === 'ad' ? AD_DEFAULTS : OPENLDAP_DEFAULTS;
  const defined = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<DirectoryConfig>;
  return {
    ...kindDefaults,
    groupProperty: 'cn',
    groupMemberAttribute: 'member',
    groupsCacheSeconds: 60,
    tls: {},
    connectTimeoutMs: 5000,
    operationTimeoutMs: 10000,
    searchPoolSize: 4,
    bindPoolSize: 8,
    allowPasswordExpired: false,
    allowPasswordChangeRequired: false,
    unlockOnPasswordChange: false,
    extraAttributes: [],
    pageSize: 500,
    ...defined,
  } as DirectoryConfig;
}
