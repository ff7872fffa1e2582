/**
 * The admin's own Kerberos test: gets a service ticket with the admin's ticket cache for the principal an online
 * instance announces, presents it to that instance's Negotiate endpoint exactly as a browser would, and completes
 * the sign-in at the hub. Says in plain words what failed: no ticket, unknown principal, keytab version, skew...
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Profile } from '../../protocol/profile';
import type { KerberosModule } from '../../shared/kerberosModule';
import { classifyGssError, KERBEROS_FALLBACK, type KerberosFallback } from '../../protocol/kerberosFallback';
import type { SignInTarget } from './types';
import { KerberosSignIns, SignInRefusedError } from './kerberosSignIn';

export interface KerberosTestResult {
  ok: boolean;
  headline: string;
  detail?: string;
  principal?: string;
  instance?: string;
  profile?: Profile;
  totalMs: number;
}

const PLAIN: Record<KerberosFallback, string> = {
  'no-ticket': 'The instance received no Kerberos token.',
  ntlm: 'NTLM was offered instead of Kerberos.',
  skew: 'Clock skew: the clocks of this computer, the KDC and the connector differ by more than 5 minutes.',
  'wrong-principal': "Wrong principal: the ticket names another service than the one in the connector's keytab.",
  'keytab-version':
    "Keytab version: the connector's keytab holds an older key of the service account; export it again.",
  keytab: "The connector's keytab could not decrypt the ticket; export it again.",
  ticket: 'The connector refused the ticket.',
  'unknown-user': 'The ticket is valid, but no user of the directory matches your principal.',
  'other-realm': "Your principal is from another realm than the connector's.",
  directory: 'The connector could not look you up in the directory.',
  unavailable: 'Kerberos is not available on that instance.',
};

/** What getting a ticket for the service said, in plain words. */
export function clientFailure(message: string, service: string): string {
  if (
    /no credentials|credentials cache|ccache|no kerberos credentials|not found.*cache|cache.*not found|No such file/i.test(
      message,
    )
  ) {
    return 'No ticket: you have no Kerberos ticket on this computer (sign in to the domain, or run kinit).';
  }
  if (/server not found in kerberos database|unknown server|S_PRINCIPAL_UNKNOWN/i.test(message)) {
    return `Wrong principal: the KDC does not know ${service.replace('@', '/')} (register it with setspn -S or samba-tool spn add).`;
  }
  if (/expired/i.test(message)) return 'Your Kerberos ticket has expired: sign in again, or run kinit.';
  const code = classifyGssError(message);
  return code === 'ticket' ? 'Getting a ticket for the service failed.' : PLAIN[code];
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { headers, timeout: 10_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('timeout', () => req.destroy(new Error('the Kerberos endpoint did not answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

let running: Promise<unknown> = Promise.resolve();

export function testKerberosSignIn(
  hub: SignInTarget,
  connection: string,
  k: KerberosModule,
  ccache?: string,
): Promise<KerberosTestResult> {
  // the ticket cache is process-wide state of GSS-API: one test at a time
  const next = running.then(() => run(hub, connection, k, ccache));
  running = next.catch(() => undefined);
  return next;
}

async function run(
  hub: SignInTarget,
  connection: string,
  k: KerberosModule,
  ccache?: string,
): Promise<KerberosTestResult> {
  const t0 = performance.now();
  const done = (r: Omit<KerberosTestResult, 'totalMs'>): KerberosTestResult => ({
    ...r,
    totalMs: performance.now() - t0,
  });
  const instance = KerberosSignIns.pickInstance(hub.instances(connection));
  if (!instance) return done({ ok: false, headline: `No online instance of ${connection} has Kerberos on.` });
  const principal = instance.kerberos!.principal ?? '';
  const m = /^([^/]+)\/([^@]+)@/.exec(principal);
  if (!m) return done({ ok: false, headline: 'The instance announced no service principal.', instance: instance.host });
  const service = `${m[1]}@${m[2]}`;
  const saved = process.env.KRB5CCNAME;
  let token: string;
  try {
    if (ccache) process.env.KRB5CCNAME = ccache;
    const client = await k.initializeClient(service);
    token = await client.step('');
  } catch (e) {
    return done({
      ok: false,
      headline: clientFailure((e as Error).message, service),
      detail: (e as Error).message,
      principal,
      instance: instance.host,
    });
  } finally {
    if (ccache) {
      if (saved === undefined) delete process.env.KRB5CCNAME;
      else process.env.KRB5CCNAME = saved;
    }
  }
  const browser = randomBytes(32).toString('base64url');
  const state = hub.signIns.begin(connection, browser);
  const r = await get(`${instance.kerberos!.url}?${new URLSearchParams({ state })}`, {
    authorization: `Negotiate ${token}`,
  });
  const location = r.location ? new URL(r.location, instance.kerberos!.url) : undefined;
  const assertion = location?.searchParams.get('assertion');
  if (!assertion) {
    hub.signIns.cancel(state);
    const code = location?.searchParams.get('kerberos') ?? '';
    const known = (KERBEROS_FALLBACK as readonly string[]).includes(code);
    return done({
      ok: false,
      headline: known ? PLAIN[code as KerberosFallback] : `The instance answered HTTP ${r.status}.`,
      principal,
      instance: instance.host,
    });
  }
  try {
    const a = await hub.signIns.accept(assertion, browser);
    return done({
      ok: true,
      headline: `Kerberos sign-in works: signed in as ${a.principal} through ${a.host}.`,
      principal: a.principal,
      instance: a.host,
      profile: a.profile,
    });
  } catch (e) {
    if (!(e instanceof SignInRefusedError)) throw e;
    return done({ ok: false, headline: e.message, principal, instance: instance.host });
  }
}
