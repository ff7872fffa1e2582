/**
 * Proof of possession for re-posting an already registered certificate to a ticket (our addition to the wire).
 * A certificate is public, so posting it again proves nothing; the `proof` field of the POST body is an RS256 JWT
 * signed with the certificate's private key: `iss` = connection, `aud` = realm, `cnf.x5t#S256` = the certificate's
 * thumbprint, `ticket` = sha256 of the ticket token (hex), a one-minute expiry and a `jti` the hub accepts once.
 */
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';

export const PROOF_SECONDS = 60;

export interface ProofClaims {
  connection: string;
  realm: string;
  thumbprint: string;
  ticketToken: string;
}

export function ticketHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function signProof(privateKey: KeyObject, c: ProofClaims): Promise<string> {
  return new SignJWT({ cnf: { 'x5t#S256': c.thumbprint }, ticket: ticketHash(c.ticketToken) })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(c.connection)
    .setAudience(c.realm)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(`${PROOF_SECONDS}s`)
    .sign(privateKey);
}

/** The thumbprint a proof claims, before verification (to find which posted certificate it is for). */
export function proofThumbprint(jwt: string): string | undefined {
  try {
    const cnf = decodeJwt(jwt).cnf as Record<string, unknown> | undefined;
    const t = cnf?.['x5t#S256'];
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies a proof against the certificate's public key; returns its jti and expiry (epoch s) or throws. */
export async function verifyProof(
  jwt: string,
  publicKey: KeyObject,
  expected: { connection: string; realm: string; thumbprint: string; ticketHash: string },
): Promise<{ jti: string; exp: number }> {
  const { payload } = await jwtVerify(jwt, publicKey, {
    algorithms: ['RS256'],
    issuer: expected.connection,
    audience: expected.realm,
    requiredClaims: ['exp', 'iat', 'jti'],
    maxTokenAge: `${PROOF_SECONDS * 2}s`,
    clockTolerance: 30,
  });
  const cnf = payload.cnf as Record<string, unknown> | undefined;
  if (cnf?.['x5t#S256'] !== expected.thumbprint) throw new Error('the proof is for another certificate');
  if (payload.ticket !== expected.ticketHash) throw new Error('the proof is for another ticket');
  return { jti: String(payload.jti), exp: Number(payload.exp) };
}
