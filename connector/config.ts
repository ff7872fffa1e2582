/**
 * The connector's config.json, with the key names of the widely deployed AD/LDAP connector where one exists and
 * new keys in the same style. Environment variables of the same names override the file. Secrets are sealed at
 * rest (secretBox.ts) and opened only in memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DirectoryConfigInput, GroupMode } from './directory';
import { writeFileAtomic } from '../shared/files';
import { isSealed, loadOrCreateKey, open, seal } from './secretBox';
import { NamedError } from '../shared/namedError';

import { CONFIG_KEYS, SECRET_KEYS, type ConfigKey, type RawConfig } from '../protocol/connectorConfig';

export { CONFIG_KEYS, SECRET_KEYS, type ConfigKey, type RawConfig };

export class ConfigError extends NamedError {}

export interface ConnectorPaths {
  config: string;
  dir: string;
  certs: string;
  privateKey: string;
  certificate: string;
  secretsKey: string;
}

export function pathsFor(configFile: string): ConnectorPaths {
  const config = path.resolve(configFile);
  const dir = path.dirname(config);
  const certs = path.join(dir, 'certs');
  return {
    config,
    dir,
    certs,
    privateKey: path.join(certs, 'connector.key'),
    certificate: path.join(certs, 'connector.pem'),
    secretsKey: path.join(certs, 'secrets.key'),
  };
}

/** Reads config.json (missing: empty) and applies environment overrides. */
export function readConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { file: RawConfig; effective: RawConfig } {
  let fromFile: RawConfig = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as RawConfig;
    } catch (e) {
      throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile))
      throw new ConfigError(`${file} must hold a JSON object`);
    const unknown = Object.keys(fromFile).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
    if (unknown.length)
      throw new ConfigError(
        `${file}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${CONFIG_KEYS.join(', ')})`,
      );
  }
  const effective: RawConfig = { ...fromFile };
  for (const k of CONFIG_KEYS) if (env[k] !== undefined && env[k] !== '') effective[k] = env[k];
  return { file: fromFile, effective };
}

/** Writes config.json owner-only, sealing every secret that is still in clear. */
export function writeConfig(paths: ConnectorPaths, cfg: RawConfig): void {
  const key = loadOrCreateKey(paths.secretsKey);
  const out: RawConfig = {};
  for (const k of CONFIG_KEYS) {
    const v = cfg[k];
    if (v === undefined) continue;
    out[k] = SECRET_KEYS.includes(k) && typeof v === 'string' && !isSealed(v) ? seal(v, key) : v;
  }
  writeFileAtomic(paths.config, JSON.stringify(out, null, 2) + '\n', 0o600);
}

/** Seals clear secrets found in the file (not those from the environment). Returns true if it rewrote the file. */
export function sealInPlace(paths: ConnectorPaths, fileCfg: RawConfig): boolean {
  if (!SECRET_KEYS.some((k) => typeof fileCfg[k] === 'string' && !isSealed(fileCfg[k] as string))) return false;
  writeConfig(paths, fileCfg);
  return true;
}

export function secret(paths: ConnectorPaths, cfg: RawConfig, k: ConfigKey): string | undefined {
  const v = cfg[k];
  if (typeof v !== 'string' || v === '') return undefined;
  return isSealed(v) ? open(v, loadOrCreateKey(paths.secretsKey), k) : v;
}

function bool(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  return /^(1|true|yes|on)$/i.test(String(v));
}
function int(v: unknown, key: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${key} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}
function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  return typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : [];
}

/** The directory engine's settings from the config; throws ConfigError naming what is missing or wrong. */
export function directorySettings(paths: ConnectorPaths, cfg: RawConfig): DirectoryConfigInput {
  const urls = list(cfg.LDAP_URL);
  const missing = (['LDAP_URL', 'LDAP_BASE', 'LDAP_BIND_USER', 'LDAP_BIND_CREDENTIALS'] as ConfigKey[]).filter((k) =>
    k === 'LDAP_URL' ? urls.length === 0 : !cfg[k],
  );
  if (missing.length) throw new ConfigError(`missing setting${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  const kind = String(cfg.LDAP_KIND ?? 'ad');
  if (kind !== 'ad' && kind !== 'openldap')
    throw new ConfigError(`LDAP_KIND must be "ad" or "openldap", got ${JSON.stringify(kind)}`);
  const mode = cfg.GROUP_MODE ? String(cfg.GROUP_MODE) : undefined;
  if (mode && !['in-chain', 'token-groups', 'recursive', 'off'].includes(mode))
    throw new ConfigError(`GROUP_MODE must be in-chain, token-groups, recursive or off`);
  const resolveFile = (f: unknown) => (typeof f === 'string' && f ? path.resolve(paths.dir, f) : undefined);
  return {
    kind,
    urls,
    baseDn: String(cfg.LDAP_BASE),
    groupsBaseDn: cfg.LDAP_BASE_GROUPS ? String(cfg.LDAP_BASE_GROUPS) : undefined,
    bindDn: String(cfg.LDAP_BIND_USER),
    bindPassword: secret(paths, cfg, 'LDAP_BIND_CREDENTIALS')!,
    userFilter: cfg.LDAP_USER_BY_NAME ? String(cfg.LDAP_USER_BY_NAME) : undefined,
    searchFilter: cfg.LDAP_SEARCH_QUERY ? String(cfg.LDAP_SEARCH_QUERY) : undefined,
    searchAllFilter: cfg.LDAP_SEARCH_ALL_QUERY ? String(cfg.LDAP_SEARCH_ALL_QUERY) : undefined,
    groupsFilter: cfg.LDAP_SEARCH_GROUPS ? String(cfg.LDAP_SEARCH_GROUPS) : undefined,
    groupMode: bool(cfg.GROUPS, true) ? (mode as GroupMode | undefined) : 'off',
    groupProperty: cfg.GROUP_PROPERTY ? String(cfg.GROUP_PROPERTY) : undefined,
    groupsCacheSeconds: int(cfg.GROUPS_CACHE_SECONDS, 'GROUPS_CACHE_SECONDS'),
    tls: {
      caFile: resolveFile(cfg.LDAP_CA_FILE),
      startTls: bool(cfg.LDAP_STARTTLS, false),
      verify: bool(cfg.LDAP_VERIFY_TLS, true),
    },
    operationTimeoutMs: int(cfg.LDAP_TIMEOUT_MS, 'LDAP_TIMEOUT_MS'),
    bindPoolSize: int(cfg.LDAP_BIND_POOL_SIZE, 'LDAP_BIND_POOL_SIZE'),
    searchPoolSize: int(cfg.LDAP_SEARCH_POOL_SIZE, 'LDAP_SEARCH_POOL_SIZE'),
    allowPasswordExpired: bool(cfg.ALLOW_PASSWORD_EXPIRED, false),
    allowPasswordChangeRequired: bool(cfg.ALLOW_PASSWORD_CHANGE_REQUIRED, false),
    unlockOnPasswordChange: bool(cfg.UNLOCK_ON_PASSWORD_CHANGE, false),
    profileMapperFile: resolveFile(cfg.PROFILE_MAPPER_FILE),
  };
}

export interface HubSettings {
  adHub: string;
  connection: string;
  realm: string;
  signingKey: string;
  caPem?: string;
  ticket?: string;
}

export function hubSettings(paths: ConnectorPaths, cfg: RawConfig): HubSettings {
  const missing = (['AD_HUB', 'CONNECTION', 'REALM', 'TENANT_SIGNING_KEY'] as ConfigKey[]).filter((k) => !cfg[k]);
  if (missing.length)
    throw new ConfigError(
      `not provisioned (missing ${missing.join(', ')}): run "directory-bridge-connector setup --ticket <URL>" first`,
    );
  return {
    adHub: String(cfg.AD_HUB),
    connection: String(cfg.CONNECTION),
    realm: String(cfg.REALM),
    signingKey: secret(paths, cfg, 'TENANT_SIGNING_KEY')!,
    caPem: cfg.CA_CERT ? String(cfg.CA_CERT) : undefined,
    ticket: secret(paths, cfg, 'PROVISIONING_TICKET'),
  };
}

export function enabled(cfg: RawConfig, k: ConfigKey, fallback = false): boolean {
  return bool(cfg[k], fallback);
}
export function numberSetting(cfg: RawConfig, k: ConfigKey): number | undefined {
  return int(cfg[k], k);
}
