/**
 * The connector's Kerberos settings, in the key style of the others: KERBEROS_AUTH (on/off), KERBEROS_KEYTAB (file),
 * KERBEROS_PRINCIPAL (HTTP/host@REALM, the service principal browsers ask a ticket for), KERBEROS_LISTEN
 * (HOST:PORT of the Negotiate endpoint) and KERBEROS_URL (how browsers reach it; by default from the principal's host).
 */
import * as path from 'node:path';
import { ConfigError, enabled, type ConnectorPaths, type RawConfig } from '../config';
import { DEFAULT_KERBEROS_PORT, parsePrincipal } from '../../protocol/kerberosStatus';

export { DEFAULT_KERBEROS_PORT };

export interface KerberosSettings {
  keytab: string;
  /** HTTP/host@REALM */
  principal: string;
  /** the GSS host-based name the `kerberos` package takes: HTTP@host */
  service: string;
  host: string;
  realm: string;
  listenHost: string;
  listenPort: number;
  /** the endpoint as browsers reach it */
  url: string;
}

function principalParts(p: string): { service: string; host: string; realm: string } {
  try {
    return parsePrincipal(p);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** undefined when Kerberos is off; ConfigError naming the key when it is on and something is missing or wrong. */
export function kerberosSettings(paths: ConnectorPaths, cfg: RawConfig): KerberosSettings | undefined {
  if (!enabled(cfg, 'KERBEROS_AUTH')) return undefined;
  const missing = (['KERBEROS_KEYTAB', 'KERBEROS_PRINCIPAL'] as const).filter((k) => !cfg[k]);
  if (missing.length)
    throw new ConfigError(
      `KERBEROS_AUTH is on but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
    );
  const principal = String(cfg.KERBEROS_PRINCIPAL).trim();
  const { service, host, realm } = principalParts(principal);
  const listen = String(cfg.KERBEROS_LISTEN ?? `0.0.0.0:${DEFAULT_KERBEROS_PORT}`);
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536))
    throw new ConfigError(
      `KERBEROS_LISTEN takes HOST:PORT (0.0.0.0:${DEFAULT_KERBEROS_PORT}), got ${JSON.stringify(listen)}`,
    );
  let url = cfg.KERBEROS_URL ? String(cfg.KERBEROS_URL) : `http://${host}:${port}/kerberos`;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    url = `${u.origin}/kerberos`;
  } catch {
    throw new ConfigError(`KERBEROS_URL must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  return {
    keytab: path.resolve(paths.dir, String(cfg.KERBEROS_KEYTAB)),
    principal,
    service: `${service}@${host}`,
    host,
    realm,
    listenHost: m[1] || '0.0.0.0',
    listenPort: port,
    url,
  };
}
