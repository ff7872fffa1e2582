/**
 * The connector's Negotiate endpoint. The hub's sign-in page sends a browser here (GET /kerberos?state=...); we
 * answer `401 WWW-Authenticate: Negotiate`, accept the SPNEGO token with our keytab through the `kerberos` package,
 * find the user in the directory from the client principal, and send the browser back to the hub with a signed,
 * single-use assertion. Any failure sends it back to the hub's password step with a reason code instead.
 * The hub's address comes from our config (AD_HUB), never from the request: no open redirect.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../shared/logger';
import type { Profile } from '../../protocol/profile';
import { signAssertion } from '../../protocol/kerberosAssertion';
import { classifyGssError, isNtlmToken, type KerberosFallback } from '../../protocol/kerberosFallback';
import type { KerberosModule } from '../../shared/kerberosModule';
import type { KerberosSettings } from './settings';

/** Who the endpoint speaks for: the connector's connection, realm and certificate, and its directory lookup. */
export interface KerberosIdentity {
  connection: string;
  realm: string;
  privateKey: KeyObject;
  thumbprint: string;
  host: string;
  /** the directory's login name for a principal's user part, as LDAP_USER_BY_NAME expects it */
  profileOf(loginName: string): Promise<Profile>;
  log: Logger;
}

export interface NegotiateEndpointOptions extends KerberosIdentity {
  settings: KerberosSettings;
  kerberos: KerberosModule;
  /** https://hub:port, from AD_HUB */
  hubOrigin: string;
}

const STATE = /^[A-Za-z0-9_-]{16,128}$/;

export class NegotiateEndpoint {
  private server?: Server;
  accepted = 0;
  refused = 0;

  constructor(private readonly o: NegotiateEndpointOptions) {}

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async listen(): Promise<void> {
    process.env.KRB5_KTNAME = `FILE:${this.o.settings.keytab}`;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        this.o.log.error('connector.kerberos.error', { error: (e as Error).message });
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error\n');
        }
      });
    });
    this.server.on('clientError', (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.o.settings.listenPort, this.o.settings.listenHost, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }

  private fallbackUrl(state: string, reason: KerberosFallback): string {
    const q = new URLSearchParams({ connection: this.o.connection, kerberos: reason, state });
    return `${this.o.hubOrigin}/login?${q}`;
  }

  private back(res: ServerResponse, state: string, reason: KerberosFallback, detail: string): void {
    this.refused++;
    this.o.log.info('connector.kerberos.refused', { reason, detail: detail.slice(0, 300) });
    res.writeHead(302, { location: this.fallbackUrl(state, reason), 'cache-control': 'no-store' });
    res.end();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kerberos: true,
          principal: this.o.settings.principal,
          accepted: this.accepted,
          refused: this.refused,
        }),
      );
      return;
    }
    if (url.pathname !== '/kerberos' || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const state = url.searchParams.get('state') ?? '';
    if (!STATE.test(state)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('start the sign-in at the sign-in page\n');
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!/^Negotiate /i.test(auth)) {
      // the browser had no ticket for us (or does not do Negotiate): it shows this page, which sends it to the password step
      const to = this.fallbackUrl(state, 'no-ticket');
      const body =
        `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escapeHtml(to)}"><title>Sign in</title>` +
        `<p>No Kerberos ticket: <a href="${escapeHtml(to)}">continue with your password</a>.</p>\n`;
      res.writeHead(401, {
        'www-authenticate': 'Negotiate',
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'",
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const token = auth.slice(10).trim();
    if (isNtlmToken(token)) return this.back(res, state, 'ntlm', 'the browser offered NTLM, not Kerberos');
    let principal: string;
    try {
      const server = await this.o.kerberos.initializeServer(this.o.settings.service);
      await server.step(token);
      principal = server.username;
    } catch (e) {
      return this.back(res, state, classifyGssError((e as Error).message), (e as Error).message);
    }
    const at = principal.lastIndexOf('@');
    const user = at > 0 ? principal.slice(0, at) : principal;
    const realm = at > 0 ? principal.slice(at + 1) : '';
    if (realm.toUpperCase() !== this.o.settings.realm.toUpperCase() || user.includes('/')) {
      return this.back(res, state, 'other-realm', `principal ${principal} is not a user of ${this.o.settings.realm}`);
    }
    let profile: Profile;
    try {
      profile = await this.o.profileOf(user);
    } catch (e) {
      const name = (e as Error).name;
      return this.back(
        res,
        state,
        name === 'WrongUsernameError' ? 'unknown-user' : 'directory',
        `${principal}: ${(e as Error).message}`,
      );
    }
    const username =
      typeof profile.sAMAccountName === 'string' && profile.sAMAccountName ? profile.sAMAccountName : user;
    const jwt = await signAssertion(this.o.privateKey, this.o.thumbprint, this.o.realm, {
      connection: this.o.connection,
      username,
      principal,
      nonce: state,
      host: this.o.host,
      profile,
    });
    this.accepted++;
    this.o.log.info('connector.kerberos.accepted', { principal, user: username });
    res.writeHead(302, {
      location: `${this.o.hubOrigin}/login/kerberos/return?${new URLSearchParams({ assertion: jwt })}`,
      'cache-control': 'no-store',
    });
    res.end();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** https://host:port of the hub, from the AD_HUB WebSocket URL. */
export function hubOriginOf(adHub: string): string {
  const u = new URL(adHub);
  return `${u.protocol === 'ws:' ? 'http:' : 'https:'}//${u.host}`;
}
