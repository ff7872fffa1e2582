/**
 * One LDAP connection: a URL tried after another until one answers, TLS set up the way the settings say, and
 * failures told apart (cannot connect, TLS refused, connection lost, timed out) so that callers can fail over,
 * reconnect or explain.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { DirectoryConfigError, DirectoryUnavailableError, OperationTimeoutError, TlsError } from './errors';
import { sniFor } from '../../shared/hostnames';
import type { Logger } from '../../shared/logger';
import { quietLdaptsDebugLog } from './ldaptsDebug';

quietLdaptsDebugLog();

export interface TlsSettings {
  /** PEM file with the CA(s) that signed the directory's certificate. */
  caFile?: string;
  /** PEM text, when the CA comes from somewhere other than a file. */
  caPem?: string;
  /** Upgrade ldap:// connections with StartTLS. */
  startTls?: boolean;
  /** Verify the server certificate. On unless explicitly false; turning it off is logged as a warning. */
  verify?: boolean;
}

export interface EndpointSettings {
  urls: string[];
  tls: TlsSettings;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

export type ServerKind = 'ad' | 'openldap' | 'ldap';

export class LdapConnection {
  destroyed = false;
  constructor(
    readonly client: Client,
    readonly url: string,
    readonly encrypted: boolean,
    readonly kind: ServerKind,
  ) {}

  get alive(): boolean {
    return !this.destroyed && this.client.isConnected;
  }

  /** Drops the socket without waiting: used after a timeout, when an operation may still be outstanding. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const socket = (this.client as unknown as { socket?: { destroy(): void } }).socket;
    if (socket) socket.destroy();
    else void this.client.unbind().catch(() => undefined);
  }
}

const TLS_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ECONNRESET_TLS',
]);
const CONNECT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

export type FailureKind = 'tls' | 'connect' | 'lost' | 'timeout';

/** Tells a transport failure from an LDAP result. `undefined` means the server answered (with an error). */
export function classifyFailure(e: unknown): FailureKind | undefined {
  const err = e as { code?: unknown; message?: string };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const msg = String(err?.message ?? '');
  if (
    (code && TLS_ERROR_CODES.has(code)) ||
    (/certificate|self[- ]signed|wrong version number|SSL routines|TLS/i.test(msg) && !/Operation timed out/.test(msg))
  )
    return 'tls';
  if (code && CONNECT_ERROR_CODES.has(code)) return 'connect';
  if (msg === 'Connection timeout') return 'connect';
  if (/Operation timed out/.test(msg)) return 'timeout';
  if (
    /Connection closed|Socket error|socket hang up|ECONNRESET|EPIPE|Socket connection not established|write after end/i.test(
      msg,
    ) ||
    code === 'ECONNRESET' ||
    code === 'EPIPE'
  )
    return 'lost';
  return undefined;
}

export function tlsDescription(e: unknown, url: string, settings: TlsSettings): string {
  const err = e as { code?: string; message?: string };
  const why =
    err.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? 'the certificate does not name this host'
      : /self[- ]signed|UNABLE_TO_VERIFY|ISSUER/i.test(`${err.code} ${err.message}`)
        ? settings.caFile || settings.caPem
          ? 'the certificate is not signed by the configured CA'
          : 'the certificate is not signed by a trusted CA (set a CA file)'
        : err.code === 'CERT_HAS_EXPIRED'
          ? 'the certificate has expired'
          : /wrong version number|EPROTO/i.test(`${err.code} ${err.message}`)
            ? 'the server did not answer with TLS (is this an ldap:// port?)'
            : (err.message ?? String(e));
  return `TLS with ${url} failed: ${why}${err.code ? ` [${err.code}]` : ''}.`;
}

export function tlsOptionsFor(url: string, settings: TlsSettings): ConnectionOptions {
  const opts: ConnectionOptions = { rejectUnauthorized: settings.verify !== false };
  let ca = settings.caPem;
  if (!ca && settings.caFile) {
    try {
      ca = readFileSync(settings.caFile, 'utf8');
    } catch (e) {
      throw new DirectoryConfigError(`Cannot read the CA file ${settings.caFile}: ${(e as Error).message}`);
    }
  }
  if (ca) opts.ca = [ca];
  const host = new URL(url).hostname;
  // SNI only for names, never for IP addresses (Node warns and servers ignore it)
  const sni = sniFor(host);
  if (sni) opts.servername = sni;
  return opts;
}

/**
 * Opens a connection to the first URL that answers. The first operation is an anonymous read of the root DSE:
 * it proves the connection (ldapts connects lazily) and tells Active Directory from OpenLDAP.
 */
export async function openConnection(settings: EndpointSettings, log: Logger): Promise<LdapConnection> {
  if (!settings.urls.length) throw new DirectoryConfigError('No LDAP URL is configured.');
  const failures: string[] = [];
  let tlsFailure: TlsError | undefined;
  for (const url of settings.urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DirectoryConfigError(`Not a valid LDAP URL: ${url}`);
    }
    const secure = parsed.protocol === 'ldaps:';
    if (!secure && parsed.protocol !== 'ldap:')
      throw new DirectoryConfigError(`Not an LDAP URL (ldap:// or ldaps://): ${url}`);
    if ((secure || settings.tls.startTls) && settings.tls.verify === false) {
      log.warn('directory.tls.unverified', {
        url,
        message: 'TLS certificate verification is OFF for this directory: anyone on the path can read passwords',
      });
    }
    // ldapts 8 turns any tlsOptions into implicit TLS, so they go to the constructor only for ldaps://
    const client = new Client({
      url,
      connectTimeout: settings.connectTimeoutMs,
      timeout: settings.operationTimeoutMs,
      ...(secure ? { tlsOptions: tlsOptionsFor(url, settings.tls) } : {}),
    });
    try {
      if (!secure && settings.tls.startTls) await client.startTLS(tlsOptionsFor(url, settings.tls));
      const kind = await detectKind(client);
      return new LdapConnection(client, url, secure || !!settings.tls.startTls, kind);
    } catch (e) {
      void client.unbind().catch(() => undefined);
      const kind = classifyFailure(e);
      if (kind === 'tls') {
        tlsFailure = new TlsError(tlsDescription(e, url, settings.tls), { cause: e });
        failures.push(tlsFailure.message);
      } else if (kind === 'timeout') {
        failures.push(`${url}: no answer within ${settings.operationTimeoutMs} ms`);
      } else {
        failures.push(`${url}: ${(e as Error).message}`);
      }
      log.warn('directory.connect.failed', { url, error: failures[failures.length - 1] });
    }
  }
  // a certificate problem is the more useful thing to tell, even if a later URL merely refused
  if (tlsFailure && settings.urls.length === 1) throw tlsFailure;
  throw new DirectoryUnavailableError(`Cannot reach the directory: ${failures.join('; ')}`);
}

async function detectKind(client: Client): Promise<ServerKind> {
  const { searchEntries } = await client.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['supportedCapabilities', 'objectClass', 'structuralObjectClass', 'vendorName'],
  });
  const root = searchEntries[0] ?? {};
  const caps = ([] as unknown[]).concat(root.supportedCapabilities ?? []).map(String);
  if (caps.includes('1.2.840.113556.1.4.800')) return 'ad';
  if (String(root.structuralObjectClass ?? '').includes('OpenLDAProotDSE')) return 'openldap';
  return 'ldap';
}

export function timeoutError(url: string, ms: number): OperationTimeoutError {
  return new OperationTimeoutError(`The directory at ${url} did not answer within ${ms} ms.`);
}
