/**
 * The Kerberos sign-in assertion: after a connector instance accepted a browser's SPNEGO token, it sends the browser
 * back to the hub with this JWT. RS256 with the instance's registered key (`kid` = its certificate thumbprint),
 * `aud` = `<realm>:kerberos` so that it can never pass as the connector's own WebSocket token (`aud` = realm), and
 * the hub's `nonce` so that it only completes the sign-in the hub started in that browser. One minute; the hub
 * accepts each `jti` once.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import type { Profile } from './profile';

export const ASSERTION_SECONDS = 60;
export const ASSERTION_TYPE = 'kerberos-assertion+jwt';

export function assertionAudience(realm: string): string {
  return `${realm}:kerberos`;
}

export interface KerberosAssertion {
  connection: string;
  /** the directory's login name of the user */
  username: string;
  /** the Kerberos client principal the ticket named */
  principal: string;
  nonce: string;
  jti: string;
  /** instance host name, for the result page */
  host: string;
  profile: Profile;
  exp: number;
}

export async function signAssertion(
  privateKey: KeyObject,
  thumbprint: string,
  realm: string,
  a: Omit<KerberosAssertion, 'jti' | 'exp'>,
): Promise<string> {
  return new SignJWT({ nonce: a.nonce, principal: a.principal, host: a.host, profile: a.profile })
    .setProtectedHeader({ alg: 'RS256', typ: ASSERTION_TYPE, kid: thumbprint })
    .setIssuer(a.connection)
    .setAudience(assertionAudience(realm))
    .setSubject(a.username)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(`${ASSERTION_SECONDS}s`)
    .sign(privateKey);
}

/** Connection and key id an assertion claims, before verification (to pick the key to verify it with). */
export function unverifiedAssertionKey(jwt: string): { connection: string; kid: string } | undefined {
  try {
    const h = decodeProtectedHeader(jwt);
    const iss = decodeJwt(jwt).iss;
    return typeof h.kid === 'string' && typeof iss === 'string' ? { connection: iss, kid: h.kid } : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyAssertion(
  jwt: string,
  key: KeyObject,
  connection: string,
  realm: string,
): Promise<KerberosAssertion> {
  const { payload } = await jwtVerify(jwt, key, {
    algorithms: ['RS256'],
    typ: ASSERTION_TYPE,
    issuer: connection,
    audience: assertionAudience(realm),
    requiredClaims: ['exp', 'iat', 'jti', 'sub', 'nonce'],
    maxTokenAge: `${ASSERTION_SECONDS + 5}s`,
    clockTolerance: 5,
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (!payload.profile || typeof payload.profile !== 'object') throw new Error('the assertion carries no profile');
  return {
    connection,
    username: payload.sub!,
    principal: str(payload.principal),
    nonce: str(payload.nonce),
    jti: payload.jti!,
    host: str(payload.host),
    profile: payload.profile as Profile,
    exp: payload.exp!,
  };
}
