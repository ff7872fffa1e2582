/**
 * The hub's half of Kerberos sign-in. `begin` remembers a sign-in started in one browser (a random state, bound to
 * that browser's cookie) and picks the instance whose Negotiate endpoint the browser is sent to; `accept` takes the
 * assertion the instance sent back and accepts it only if a registered, active certificate of that connection
 * signed it, it is fresh, its nonce is a state this same browser started, and its id was never seen before.
 */
import { createHash, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import {
  unverifiedAssertionKey,
  verifyAssertion,
  ASSERTION_SECONDS,
  type KerberosAssertion,
} from '../../protocol/kerberosAssertion';
import type { InstanceInfo } from './session';
import type { CertificateRecord } from './state';

export class SignInRefusedError extends Error {
  override name = 'SignInRefusedError';
}

interface Pending {
  connection: string;
  browser: string;
  expires: number;
}

const PENDING_MS = 5 * 60_000;
const MAX_PENDING = 10_000;

export interface KerberosSignInDeps {
  realm: string;
  activeCertificates(connection: string): CertificateRecord[];
}

export class KerberosSignIns {
  private readonly pending = new Map<string, Pending>();
  private readonly used = new Map<string, number>();

  constructor(private readonly deps: KerberosSignInDeps) {}

  /** An online instance of the connection with Kerberos on and healthy, if any. */
  static pickInstance(instances: InstanceInfo[]): InstanceInfo | undefined {
    return instances
      .filter((i) => i.kerberos?.on && i.kerberos.ok && i.kerberos.url)
      .sort((a, b) => a.inFlight - b.inFlight)[0];
  }

  begin(connection: string, browser: string): string {
    this.sweep();
    if (this.pending.size >= MAX_PENDING)
      throw new SignInRefusedError('Too many sign-ins are in progress: try again in a minute.');
    const state = randomBytes(24).toString('base64url');
    this.pending.set(state, { connection, browser: hash(browser), expires: Date.now() + PENDING_MS });
    return state;
  }

  cancel(state: string | null | undefined): void {
    if (state) this.pending.delete(state);
  }

  async accept(jwt: string, browser: string): Promise<KerberosAssertion & { thumbprint: string }> {
    const claimed = unverifiedAssertionKey(jwt);
    if (!claimed)
      throw new SignInRefusedError(
        'The Kerberos sign-in was refused: the answer from the connector is not a sign-in assertion.',
      );
    const cert = this.deps.activeCertificates(claimed.connection).find((c) => c.thumbprint === claimed.kid);
    if (!cert)
      throw new SignInRefusedError(
        'The Kerberos sign-in was refused: it was not signed by a registered connector instance of this connection.',
      );
    let a: KerberosAssertion;
    try {
      a = await verifyAssertion(jwt, keyOf(cert), claimed.connection, this.deps.realm);
    } catch (e) {
      const expired = /exp|timestamp|too old/i.test((e as Error).message);
      throw new SignInRefusedError(
        expired
          ? 'The Kerberos sign-in was refused: its assertion has expired. Start again.'
          : 'The Kerberos sign-in was refused: its assertion does not carry a valid signature of the connector instance.',
      );
    }
    this.sweep();
    if (this.used.has(a.jti))
      throw new SignInRefusedError('The Kerberos sign-in was refused: this assertion was already used. Start again.');
    const p = this.pending.get(a.nonce);
    if (!p || p.expires < Date.now() || p.connection !== a.connection || p.browser !== hash(browser)) {
      throw new SignInRefusedError(
        'The Kerberos sign-in was refused: it was not started in this browser (or it took too long). Start again.',
      );
    }
    this.used.set(a.jti, a.exp * 1000 + 10_000);
    this.pending.delete(a.nonce);
    return { ...a, thumbprint: cert.thumbprint };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, p] of this.pending) if (p.expires < now) this.pending.delete(k);
    for (const [k, t] of this.used) if (t < now - ASSERTION_SECONDS * 1000) this.used.delete(k);
  }
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

const keys = new Map<string, KeyObject>();
function keyOf(c: CertificateRecord): KeyObject {
  let k = keys.get(c.thumbprint);
  if (!k) {
    k = new X509Certificate(Buffer.from(c.der, 'base64')).publicKey;
    keys.set(c.thumbprint, k);
  }
  return k;
}
