/**
 * `adopt DIR`: take over a folder of the deployed AD/LDAP connector without a new ticket and without re-typing
 * anything. It holds config.json (key names shared with ours, plus LDAP_BIND_PASSWORD in clear or
 * LDAP_BIND_CREDENTIALS as `$2$.<salt hex>.<iv hex>.<ciphertext hex>`: AES-256-CBC, key = scrypt(bytes of
 * certs/cert.key, salt, 32, N=16384, r=8, p=1)), certs/cert.pem and certs/cert.key (already registered with the
 * identity service) and optionally profileMapper.js. We keep that certificate (same thumbprint), use the mapper
 * as it is, re-seal the password our way, and list by name whatever we cannot carry over, with what to do.
 */
import { createDecipheriv, scryptSync, X509Certificate, createPrivateKey } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_KEYS, ConfigError, pathsFor, writeConfig, type ConfigKey, type RawConfig } from './config';
import { writeFileAtomic } from '../shared/files';
import { thumbprint } from '../protocol/tokens';
import type { AdoptReport } from '../protocol/adoptReport';

export type { AdoptReport };

/** What the deployed connector's own settings did, and what to do instead here. */
const NOT_CARRIED: Record<string, string> = {
  PORT: "the deployed connector's local web server (sign-in page for Kerberos and client certificates, admin UI); this connector serves none: nothing to do unless users signed in with Kerberos there",
  SITE_NAME: "the title of the deployed connector's sign-in page; this connector serves no page: nothing to do",
  WSFED_ISSUER: "the issuer of the deployed connector's WS-Federation sign-in page; not used here: nothing to do",
  // same key, different thing: there Windows integrated sign-in on the connector's own web server (PORT); here
  // Negotiate with a keytab, which needs settings the deployed connector never had
  KERBEROS_AUTH:
    'there it meant Windows integrated sign-in on its own web server; here the connector accepts Kerberos with a keytab: create the service principal and keytab (README, "Kerberos"), then set KERBEROS_KEYTAB, KERBEROS_PRINCIPAL, KERBEROS_LISTEN and KERBEROS_AUTH=true',
  CLIENT_CERT_AUTH:
    'client-certificate sign-in through the connector is not supported here: users sign in with their password',
  LDAP_HEARTBEAT_SECONDS:
    'this connector checks the directory every 30 s and replaces dead connections by itself: nothing to do',
  GROUPS_TIMEOUT_SECONDS:
    'group lookups use LDAP_TIMEOUT_MS (milliseconds, default 10000) like every directory operation: set that if you need longer',
  SERVER_URL: "the address of the deployed connector's own sign-in endpoint; not used here: nothing to do",
  LAST_SENT_THUMBPRINT:
    'bookkeeping of the deployed connector; this connector re-posts its certificate on every start: nothing to do',
  AGENT_MODE: 'bookkeeping of the deployed connector: nothing to do',
  AUTH_CERT:
    'a certificate given inline; this connector uses certs/cert.pem (carried over): nothing to do if they are the same',
  HTTP_PROXY: 'this connector dials the hub directly: open the route to the hub, or run it where it can reach the hub',
  LDAP_BIND_CREDENTIALS:
    'it is not in the `$2$` form or does not decrypt with certs/cert.key: set the password again with `directory-bridge-connector set-password`',
};

/** Opens `$2$.<salt hex>.<iv hex>.<ciphertext hex>` with the installation's certs/cert.key. */
export function openDeployedSecret(value: string, certKeyBytes: Buffer): string {
  const m = /^\$2\$\.([0-9a-f]+)\.([0-9a-f]{32})\.([0-9a-f]+)$/i.exec(value);
  if (!m) throw new Error('not in the $2$.<salt>.<iv>.<ciphertext> form');
  const key = scryptSync(certKeyBytes, Buffer.from(m[1], 'hex'), 32, { N: 16384, r: 8, p: 1 });
  const d = createDecipheriv('aes-256-cbc', key, Buffer.from(m[2], 'hex'));
  return Buffer.concat([d.update(Buffer.from(m[3], 'hex')), d.final()]).toString('utf8');
}

/** Reads the deployed installation in `dir` and writes our config (default: `dir/config.json`, the original kept). */
export function adoptInstallation(dir: string, targetConfig = path.join(dir, 'config.json')): AdoptReport {
  const source = path.join(dir, 'config.json');
  const certFile = path.join(dir, 'certs', 'cert.pem');
  const keyFile = path.join(dir, 'certs', 'cert.key');
  if (!existsSync(source))
    throw new ConfigError(
      `${source} does not exist: point adopt at the deployed connector's folder (the one with config.json and certs/).`,
    );
  for (const f of [certFile, keyFile]) {
    if (!existsSync(f))
      throw new ConfigError(
        `${f} is missing: without the registered certificate and its key this installation cannot be taken over; provision with a new ticket instead (setup --ticket URL).`,
      );
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source} must hold a JSON object`);
  if (!raw.AD_HUB && !raw.TENANT_SIGNING_KEY) {
    throw new ConfigError(
      `${source} has no AD_HUB or TENANT_SIGNING_KEY: it is not a provisioned installation of the deployed connector (provision with setup --ticket URL instead).`,
    );
  }

  const certPem = readFileSync(certFile, 'utf8');
  const keyBytes = readFileSync(keyFile);
  let der: Buffer;
  try {
    der = Buffer.from(new X509Certificate(certPem).raw);
    createPrivateKey(keyBytes);
  } catch (e) {
    throw new ConfigError(`certs/cert.pem or certs/cert.key cannot be read: ${(e as Error).message}`);
  }

  const report: AdoptReport = {
    config: path.resolve(targetConfig),
    thumbprint: thumbprint(der),
    carried: [],
    notCarried: [],
  };
  const cfg: RawConfig = {};
  const known = new Set<string>(CONFIG_KEYS);
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'LDAP_BIND_PASSWORD' || k === 'LDAP_BIND_CREDENTIALS') continue;
    if (k === 'LDAP_SEARCH_GROUPS' && typeof v === 'string' && v.includes('{0}')) {
      report.notCarried.push({
        key: k,
        action: `there it finds a user's groups ({0} = the user's DN); here membership follows GROUP_MODE and LDAP_SEARCH_GROUPS lists all groups: the defaults usually fit, or set a filter without {0} (was ${v})`,
      });
      continue;
    }
    if (known.has(k) && !Object.hasOwn(NOT_CARRIED, k) && v !== null && v !== undefined) {
      cfg[k as ConfigKey] = v as RawConfig[ConfigKey];
      report.carried.push({ key: k });
    } else {
      report.notCarried.push({
        key: k,
        action:
          NOT_CARRIED[k] ??
          `not a setting of this connector (see README, "The connector"); check what it did in the deployed connector and whether you still need it`,
      });
    }
  }

  // the service account's password: clear, or sealed with the installation's key
  if (typeof raw.LDAP_BIND_PASSWORD === 'string' && raw.LDAP_BIND_PASSWORD) {
    cfg.LDAP_BIND_CREDENTIALS = raw.LDAP_BIND_PASSWORD;
    report.carried.push({
      key: 'LDAP_BIND_PASSWORD',
      note: 'sealed as LDAP_BIND_CREDENTIALS (enc:v1, AES-256-GCM with certs/secrets.key)',
    });
  } else if (typeof raw.LDAP_BIND_CREDENTIALS === 'string' && raw.LDAP_BIND_CREDENTIALS) {
    try {
      cfg.LDAP_BIND_CREDENTIALS = openDeployedSecret(raw.LDAP_BIND_CREDENTIALS, keyBytes);
      report.carried.push({
        key: 'LDAP_BIND_CREDENTIALS',
        note: 'opened with certs/cert.key and sealed again (enc:v1, AES-256-GCM with certs/secrets.key)',
      });
    } catch {
      report.notCarried.push({ key: 'LDAP_BIND_CREDENTIALS', action: NOT_CARRIED.LDAP_BIND_CREDENTIALS });
    }
  } else {
    report.notCarried.push({
      key: 'LDAP_BIND_CREDENTIALS',
      action: 'there is no service-account password: set it with `directory-bridge-connector set-password`',
    });
  }

  // the deployed connector speaks to AD by default; an OpenLDAP user filter tells otherwise
  if (cfg.LDAP_KIND === undefined) {
    const byName = String(cfg.LDAP_USER_BY_NAME ?? '');
    cfg.LDAP_KIND = /\buid=/i.test(byName) && !/sAMAccountName/i.test(byName) ? 'openldap' : 'ad';
    report.carried.push({
      key: 'LDAP_KIND',
      note: `set to "${cfg.LDAP_KIND}" (from LDAP_USER_BY_NAME${byName ? ` ${byName}` : ' (unset: the deployed default is Active Directory)'})`,
    });
  }

  const target = pathsFor(targetConfig);
  const mapper = path.join(dir, 'profileMapper.js');
  if (existsSync(mapper) && cfg.PROFILE_MAPPER_FILE === undefined) {
    cfg.PROFILE_MAPPER_FILE = path.relative(target.dir, mapper) || mapper;
    report.carried.push({
      key: 'profileMapper.js',
      note: `used as it is (PROFILE_MAPPER_FILE = ${cfg.PROFILE_MAPPER_FILE}); it gets the entry's attributes plus groups and dn`,
    });
  }

  // the registered certificate becomes this connector's identity: same key, same thumbprint
  writeFileAtomic(target.privateKey, keyBytes.toString('utf8'), 0o600);
  writeFileAtomic(target.certificate, certPem, 0o644);
  report.carried.push({
    key: 'certs/cert.pem, certs/cert.key',
    note: `this connector's identity (thumbprint ${report.thumbprint.slice(0, 16)}…), already registered: no new ticket`,
  });

  if (path.resolve(targetConfig) === path.resolve(source)) {
    const backup = path.join(dir, 'config.deployed.json');
    if (!existsSync(backup)) copyFileSync(source, backup);
    report.backup = backup;
  }
  writeConfig(target, cfg);
  report.connection = typeof cfg.CONNECTION === 'string' ? cfg.CONNECTION : undefined;
  for (const k of ['AD_HUB', 'CONNECTION', 'REALM', 'TENANT_SIGNING_KEY'] as const) {
    if (!cfg[k])
      report.notCarried.push({
        key: k,
        action: `missing from the deployed config: run \`directory-bridge-connector setup --ticket <the PROVISIONING_TICKET URL> --config ${report.config}\` (it re-posts the same certificate)`,
      });
  }
  return report;
}

/** The report as the CLI and the editor show it. */
export function formatAdoptReport(r: AdoptReport): string {
  const lines = [
    `Adopted${r.connection ? ` connection "${r.connection}"` : ''}: ${r.config}`,
    `Certificate thumbprint (SHA-256): ${r.thumbprint}`,
  ];
  if (r.backup) lines.push(`The deployed connector's config.json is kept as ${r.backup}.`);
  lines.push('', 'Carried over:', ...r.carried.map((c) => `  ${c.key}${c.note ? `: ${c.note}` : ''}`));
  lines.push(
    '',
    r.notCarried.length ? 'Not carried over:' : 'Nothing was left behind.',
    ...r.notCarried.map((c) => `  ${c.key}: ${c.action}`),
  );
  lines.push(
    '',
    `Stop the deployed connector, then start this one: directory-bridge-connector start --config ${r.config}`,
  );
  return lines.join('\n');
}
