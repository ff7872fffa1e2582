/**
 * The sign-in page's routes: GET/POST /login (home-realm discovery by email domain, then Kerberos or the password
 * step), GET /login/kerberos/return (the instance's assertion), GET /login/style.css. Forms carry a token bound to
 * the browser's cookie (no cross-site posting); replies are never cached.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KERBEROS_FALLBACK, type KerberosFallback } from '../../protocol/kerberosFallback';
import { checkUsernameDomain, discoverConnection, DomainRefusedError } from './emailDomains';
import { HttpError } from './http';
import type { SignInTarget } from './types';
import { inRanges, normalizeAddress } from './kerberosRanges';
import { KerberosSignIns, SignInRefusedError } from './kerberosSignIn';
import { contentSecurityPolicy, renderSignIn, SIGN_IN_CSS, type SignInView } from './signInPage';
import type { ConnectionRecord } from './state';

const COOKIE = 'db_signin';
const FORM_KEY = randomBytes(32);

export const FALLBACK_SENTENCES: Record<KerberosFallback | 'off', string> = {
  'no-ticket':
    'Kerberos sign-in did not happen: your browser has no Kerberos ticket for this service (is this computer signed in to the domain?). Type your password instead.',
  ntlm: 'Your browser offered NTLM instead of Kerberos, which this service does not accept. Type your password instead.',
  skew: 'Kerberos sign-in failed: the clocks of your computer and the connector differ too much. Type your password instead.',
  'wrong-principal':
    'Kerberos sign-in failed: your ticket names another service than this connector. Type your password instead.',
  'keytab-version':
    "Kerberos sign-in failed: the connector's keytab holds an old key version of its service account. Type your password instead.",
  keytab: "Kerberos sign-in failed: the connector's keytab could not decrypt your ticket. Type your password instead.",
  ticket:
    'Kerberos sign-in failed: your ticket was refused (it may be expired or not meant for this service). Type your password instead.',
  'unknown-user':
    'Your Kerberos ticket is valid, but no user of this directory matches it. Type your password instead.',
  'other-realm': "Your Kerberos ticket is from another realm than this connection's. Type your password instead.",
  directory:
    'Kerberos sign-in failed: the connector could not look you up in the directory. Type your password instead.',
  unavailable: 'Kerberos sign-in is not available right now. Type your password instead.',
  off: 'Sign in with your password.',
};

const PLAIN: Record<string, string> = {
  WrongUsername: 'Wrong username or password.',
  WrongPassword: 'Wrong username or password.',
  PasswordExpired: 'Your password has expired: change it, then sign in again.',
  AccountDisabled: 'Your account is disabled: ask your administrator.',
  AccountExpired: 'Your account has expired: ask your administrator.',
  PasswordChangeRequired: 'You must change your password before you can sign in.',
  AccountLocked: 'Your account is locked after too many wrong passwords: wait, or ask your administrator.',
};

type Decision = { go: string; origin: string } | { reason?: string };

/** Origins of the Negotiate endpoints this browser may be sent to from the identify form (its CSP form-action must allow the redirect). */
function kerberosOrigins(hub: SignInTarget, address: string | undefined): string[] {
  const out = new Set<string>();
  for (const c of hub.connections()) {
    const d = kerberosDecision(hub, c, address);
    if ('go' in d) out.add(d.origin);
  }
  return [...out];
}

/** Whether this browser goes to Kerberos: inside the ranges and an instance with Kerberos on and healthy. */
export function kerberosDecision(hub: SignInTarget, c: ConnectionRecord, address: string | undefined): Decision {
  if (c.kerberosRanges.length === 0) return {};
  if (!inRanges(address, c.kerberosRanges)) {
    return {
      reason: `Kerberos sign-in is offered only inside this connection's intranet ranges; your address ${normalizeAddress(address) ?? 'unknown'} is outside them.`,
    };
  }
  const instances = hub.instances(c.name);
  const i = KerberosSignIns.pickInstance(instances);
  if (!i) {
    return {
      reason:
        instances.length === 0
          ? 'Kerberos sign-in is not available right now: no connector instance of this connection is online.'
          : 'Kerberos sign-in is not available right now: no online connector instance of this connection has Kerberos on.',
    };
  }
  return { go: i.kerberos!.url!, origin: new URL(i.kerberos!.url!).origin };
}

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v && /^[\w-]{32,64}$/.test(v)) return v;
  }
  return undefined;
}

function csrfOf(browser: string): string {
  return createHmac('sha256', FORM_KEY).update(browser).digest('base64url');
}

async function readForm(req: IncomingMessage, max = 16 * 1024): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded'))
    throw new HttpError(415, 'the sign-in form posts application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new HttpError(413, 'form too large');
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function handleSignInRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  hub: SignInTarget,
): Promise<boolean> {
  if (pathname === '/login/style.css' && req.method === 'GET') {
    res.writeHead(200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    res.end(SIGN_IN_CSS);
    return true;
  }
  if (pathname !== '/login' && pathname !== '/login/kerberos/return') return false;
  let browser = cookieOf(req);
  const headers: Record<string, string> = {};
  if (!browser) {
    browser = randomBytes(32).toString('base64url');
    headers['set-cookie'] = `${COOKIE}=${browser}; Path=/login; Secure; HttpOnly; SameSite=Lax`;
  }
  const address = req.socket.remoteAddress;
  const send = (status: number, v: SignInView, formAction: string[] = []) => {
    const html = renderSignIn(v, { csrf: csrfOf(browser!), formAction });
    res.writeHead(status, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy(formAction),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(html);
    return true;
  };
  const redirect = (status: number, location: string) => {
    res.writeHead(status, { ...headers, location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
    return true;
  };
  /** After the connection is known: to Kerberos when it applies, else the password step with the reason. */
  const proceed = (c: ConnectionRecord, username?: string) => {
    const d = kerberosDecision(hub, c, address);
    if ('go' in d) {
      const state = hub.signIns.begin(c.name, browser!);
      hub.log.info('hub.signin.kerberos', { connection: c.name, address: normalizeAddress(address) });
      return redirect(302, `${d.go}?${new URLSearchParams({ state })}`);
    }
    return send(200, { step: 'password', connection: c.name, username, reason: d.reason });
  };
  const url = new URL(req.url ?? '/', 'https://x');

  if (pathname === '/login/kerberos/return') {
    if (req.method !== 'GET') throw new HttpError(405, 'use GET');
    const jwt = url.searchParams.get('assertion') ?? '';
    try {
      const a = await hub.signIns.accept(jwt, browser);
      hub.log.info('hub.signin.ok', {
        connection: a.connection,
        method: 'kerberos',
        user: a.username,
        instance: a.host,
      });
      return send(200, {
        step: 'result',
        ok: true,
        method: 'Kerberos',
        connection: a.connection,
        instance: a.host,
        profile: a.profile,
        note: `Kerberos principal ${a.principal}`,
      });
    } catch (e) {
      if (!(e instanceof SignInRefusedError)) throw e;
      hub.log.warn('hub.signin.kerberos_refused', { reason: e.message });
      return send(403, { step: 'result', ok: false, connection: '', headline: e.message, retry: '/login' });
    }
  }

  if (req.method === 'GET') {
    const name = url.searchParams.get('connection');
    const c = name ? hub.state.connection(name) : undefined;
    if (name && !c)
      return send(404, {
        step: 'identify',
        error: `There is no connection named "${name}" here: check your sign-in link.`,
      });
    if (!c)
      return send(
        200,
        { step: 'identify', identifier: url.searchParams.get('login_hint') ?? undefined },
        kerberosOrigins(hub, address),
      );
    const code = url.searchParams.get('kerberos');
    if (code) {
      hub.signIns.cancel(url.searchParams.get('state'));
      const known = (KERBEROS_FALLBACK as readonly string[]).includes(code) || code === 'off';
      return send(200, {
        step: 'password',
        connection: c.name,
        reason: known ? FALLBACK_SENTENCES[code as KerberosFallback] : FALLBACK_SENTENCES.unavailable,
      });
    }
    return proceed(c, url.searchParams.get('login_hint') ?? undefined);
  }
  if (req.method !== 'POST') throw new HttpError(405, 'use GET or POST');
  const form = await readForm(req);
  const token = Buffer.from(form.get('csrf') ?? '');
  const expected = Buffer.from(csrfOf(browser));
  if (token.length !== expected.length || !timingSafeEqual(token, expected)) {
    return send(403, {
      step: 'identify',
      error: 'This form has expired or did not come from this page. Please start again.',
    });
  }
  const step = form.get('step');
  const named = form.get('connection') || undefined;
  if (step === 'identify') {
    const identifier = (form.get('identifier') ?? '').trim();
    try {
      const c = named ? hub.state.connection(named) : discoverConnection(hub.connections(), identifier);
      if (!c)
        return send(404, { step: 'identify', identifier, error: `There is no connection named "${named}" here.` });
      if (identifier) checkUsernameDomain(c, identifier);
      if (!identifier)
        return send(400, { step: 'identify', connection: named, error: 'Type your email address or username.' });
      return proceed(c, identifier);
    } catch (e) {
      if (!(e instanceof DomainRefusedError)) throw e;
      return send(
        403,
        { step: 'identify', identifier, connection: named, error: e.message },
        kerberosOrigins(hub, address),
      );
    }
  }
  if (step === 'password') {
    const c = named ? hub.state.connection(named) : undefined;
    if (!c)
      return send(404, { step: 'identify', error: 'Start again: the connection of this form is not known here.' });
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    if (!username || !password)
      return send(400, {
        step: 'password',
        connection: c.name,
        username,
        error: 'Type both your username and your password.',
      });
    let r;
    try {
      r = await hub.login(c.name, username, password);
    } catch (e) {
      if (e instanceof DomainRefusedError)
        return send(403, { step: 'password', connection: c.name, username, error: e.message });
      hub.log.warn('hub.signin.unavailable', { connection: c.name, error: (e as Error).message });
      return send(503, {
        step: 'result',
        ok: false,
        connection: c.name,
        headline: 'The sign-in service of this connection cannot check passwords right now. Try again in a moment.',
      });
    }
    hub.log.info(r.ok ? 'hub.signin.ok' : 'hub.signin.refused', {
      connection: c.name,
      method: 'password',
      user: username,
      ...(r.ok ? {} : { error: r.error?.name }),
    });
    if (r.ok && r.profile) {
      return send(200, {
        step: 'result',
        ok: true,
        method: 'password',
        connection: c.name,
        instance: r.instance?.host,
        profile: r.profile,
        ms: r.timings.totalMs,
        note: r.fromCache ? "Checked by the hub's credential cache: no connector instance was online." : undefined,
      });
    }
    const name = r.error?.name ?? 'UnexpectedError';
    if (PLAIN[name]) return send(401, { step: 'result', ok: false, connection: c.name, headline: PLAIN[name] });
    // what went wrong is the administrator's to read, not whoever is at the page: a connector's message names
    // directory servers, ports and DNs. The hub's log keeps it under a reference the person can pass on.
    const reference = randomBytes(4).toString('hex');
    hub.log.warn('hub.signin.failed', {
      connection: c.name,
      reference,
      user: username,
      error: name,
      code: r.error?.code,
      message: r.error?.message,
    });
    return send(401, {
      step: 'result',
      ok: false,
      connection: c.name,
      headline: 'Sign-in failed: the service could not check your password right now.',
      detail: `Reference ${reference}: your administrator can find what happened in the hub's log.`,
    });
  }
  return send(400, { step: 'identify', error: 'Please start again.' });
}
