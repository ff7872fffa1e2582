/**
 * The two kinds of JWT of the protocol. Connector → hub: RS256 signed with the connector's private key (jose),
 * `iss` = connection name, `aud` = realm name, one minute. Hub → connector: HS256 with the connection's
 * signing key, carrying the request's claims (fast-jwt: synchronous, several times faster on the login path). Only the expected algorithm is accepted either way, which rules
 * out `alg: none` and RS/HS confusion.
 */
import { createHash, createHmac, randomUUID, type KeyObject } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import { decodeJwt, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export const CONNECTOR_TOKEN_SECONDS = 60;
export const REQUEST_TOKEN_SECONDS = 60;
/** Clock difference allowed between hub and connector when checking a request token's `exp`. */
export const REQUEST_TOKEN_TOLERANCE_SECONDS = 30;

export interface ConnectorTokenClaims {
  connection: string;
  realm: string;
  host?: string;
  version?: string;
}

export async function signConnectorToken(privateKey: KeyObject, c: ConnectorTokenClaims): Promise<string> {
  return new SignJWT({ ...(c.host ? { host: c.host } : {}), ...(c.version ? { version: c.version } : {}) })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(c.connection)
    .setAudience(c.realm)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(`${CONNECTOR_TOKEN_SECONDS}s`)
    .sign(privateKey);
}

/** The connection a connector token claims to be for, before verification (to pick the certificates to try). */
export function unverifiedIssuer(jwt: string): string | undefined {
  try {
    const iss = decodeJwt(jwt).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a connector token against the public keys registered for its connection; returns the claims and the
 * index of the key that verified it.
 */
export async function verifyConnectorToken(
  jwt: string,
  keys: KeyObject[],
  connection: string,
  realm: string,
): Promise<{ claims: JWTPayload; keyIndex: number }> {
  let last: unknown = new Error('no certificate is registered for this connection');
  for (let i = 0; i < keys.length; i++) {
    try {
      const { payload } = await jwtVerify(jwt, keys[i], {
        algorithms: ['RS256'],
        issuer: connection,
        audience: realm,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: `${CONNECTOR_TOKEN_SECONDS * 5}s`,
        clockTolerance: 30,
      });
      return { claims: payload, keyIndex: i };
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/**
 * Request tokens (HS256) are checked synchronously with fast-jwt: jose's WebCrypto path is asynchronous and, one
 * request at a time, cost 0.26 ms to sign and 0.15 ms to verify (thread-pool round trips). Only HS256 is accepted;
 * `exp` and `pid` are required. Signing (on the hub, once per request) is the compact JWS written out: the header
 * never changes, so it is encoded once, and base64url comes from Buffer. fast-jwt's signer re-encoded the header
 * and ran a regular-expression replace for base64url on every token: 18% of the hub's CPU under load, a third
 * more than this. The tokens are the same bytes fast-jwt makes (same header, claims, iat and exp).
 */
export interface RequestTokens {
  sign(claims: Record<string, unknown>): string;
  verify(jwt: string): JWTPayload;
}

const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function requestTokens(signingKey: Uint8Array): RequestTokens {
  const key = Buffer.from(signingKey);
  if (key.length === 0) throw new Error('The signing key is empty');
  const sign = (claims: Record<string, unknown>): string => {
    const iat = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ ...claims, iat, exp: iat + REQUEST_TOKEN_SECONDS })).toString(
      'base64url',
    );
    const input = `${HS256_HEADER}.${payload}`;
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  };
  const verifier = createVerifier({
    key,
    algorithms: ['HS256'],
    requiredClaims: ['exp', 'pid'],
    clockTolerance: REQUEST_TOKEN_TOLERANCE_SECONDS * 1000,
    cache: false,
  });
  return { sign, verify: (jwt) => verifier(jwt) as JWTPayload };
}

/** A certificate's SHA-256 thumbprint (hex) from its DER bytes. */
export function thumbprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The HS256 key is the UTF-8 bytes of the `signingKey` string exactly as the ticket POST returned it: the deployed
 * connector keeps that string as TENANT_SIGNING_KEY and checks with `jwt.verify(token, TENANT_SIGNING_KEY)`.
 */
export function signingKeyBytes(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, 'utf8'));
}
