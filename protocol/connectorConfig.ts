/**
 * The connector's config.json, which the extension writes (deployments, the embedded runner, bundles) and the
 * connector reads: its key names, defined once. They follow the widely deployed AD/LDAP connector where one exists,
 * and new keys take the same style (design.md). An environment variable of the same name overrides each.
 */
export const CONFIG_KEYS = [
  'PROVISIONING_TICKET',
  'AD_HUB',
  'CONNECTION',
  'REALM',
  'TENANT_SIGNING_KEY',
  'CA_CERT',
  'LDAP_KIND',
  'LDAP_URL',
  'LDAP_BASE',
  'LDAP_BASE_GROUPS',
  'LDAP_BIND_USER',
  'LDAP_BIND_CREDENTIALS',
  'LDAP_USER_BY_NAME',
  'LDAP_SEARCH_QUERY',
  'LDAP_SEARCH_ALL_QUERY',
  'LDAP_SEARCH_GROUPS',
  'LDAP_CA_FILE',
  'LDAP_STARTTLS',
  'LDAP_VERIFY_TLS',
  'LDAP_TIMEOUT_MS',
  'LDAP_BIND_POOL_SIZE',
  'LDAP_SEARCH_POOL_SIZE',
  'GROUPS',
  'GROUP_MODE',
  'GROUP_PROPERTY',
  'GROUPS_CACHE_SECONDS',
  'ALLOW_PASSWORD_EXPIRED',
  'ALLOW_PASSWORD_CHANGE_REQUIRED',
  'ENABLE_WRITE_BACK',
  'UNLOCK_ON_PASSWORD_CHANGE',
  'PROFILE_MAPPER_FILE',
  'LOG_LEVEL',
  'HUB_HEARTBEAT_TIMEOUT_MS',
  'KERBEROS_AUTH',
  'KERBEROS_KEYTAB',
  'KERBEROS_PRINCIPAL',
  'KERBEROS_LISTEN',
  'KERBEROS_URL',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export type RawConfig = Partial<Record<ConfigKey, string | number | boolean | string[]>>;

/** Sealed at rest. The ticket too: until it is used up, it registers a connector in the admin's name. */
export const SECRET_KEYS: readonly ConfigKey[] = ['LDAP_BIND_CREDENTIALS', 'TENANT_SIGNING_KEY', 'PROVISIONING_TICKET'];
