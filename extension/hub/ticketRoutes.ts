/**
 * The provisioning endpoints of the protocol: `GET <ticket>/info`, `POST <ticket>`, `GET /test`.
 * A ticket registers at most `maxUses` new certificates, only within its lifetime. Re-posting a certificate that is
 * already registered (connectors re-provision on every start) needs proof of its private key (proof.ts); the
 * certificate alone is public and gets nothing. Revoked: 404 to everything.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { proofThumbprint, verifyProof } from '../../protocol/proof';
import { TICKET_PATH } from '../../protocol/ticketUrl';
import { thumbprint } from '../../protocol/tokens';
import { asObject, HttpError, readJson, sendJson } from './http';
import type { ReplayGuard } from './replayGuard';
import type { CertificateRecord, HubState, TicketRecord } from './state';

export interface TicketRouteDeps {
  state: HubState;
  realm: string;
  adHubUrl: string;
  proofs: ReplayGuard;
  signingKeyOf(connection: string): Promise<string>;
  onCertificateRegistered(cert: CertificateRecord): void;
}

export async function handleTicketRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: TicketRouteDeps,
): Promise<boolean> {
  if (pathname === '/test' && req.method === 'GET') {
    sendJson(res, 200, { clock: Date.now() });
    return true;
  }
  const m = TICKET_PATH.exec(pathname);
  if (!m) return false;
  const ticket = deps.state.findTicketByToken(m[1]);
  const connection = ticket && !ticket.revokedAt ? deps.state.connection(ticket.connection) : undefined;
  if (!ticket || !connection) throw new HttpError(404, 'Wrong ticket');
  if (m[2] === '/info') {
    if (req.method !== 'GET') throw new HttpError(405, 'use GET');
    sendJson(res, 200, {
      adHub: deps.adHubUrl,
      connectionDomain: connection.emailDomains[0] ?? '',
      connectionName: connection.name,
      certAuth: false,
      kerberos: connection.kerberosRanges.length > 0,
      realm: { name: deps.realm, postTokenUrl: '' },
      thumbprints: [],
    });
    return true;
  }
  if (req.method !== 'POST') throw new HttpError(405, 'use POST');
  const body = asObject(await readJson(req, 64 * 1024), 'the body');
  const certs = body.certs;
  if (
    !Array.isArray(certs) ||
    certs.length === 0 ||
    certs.length > 4 ||
    !certs.every((c) => typeof c === 'string' && c.length < 16384)
  ) {
    throw new HttpError(400, 'certs must be an array of one to four base64 DER certificates');
  }
  const proofs = (Array.isArray(body.proof) ? body.proof : body.proof === undefined ? [] : [body.proof]).filter(
    (p): p is string => typeof p === 'string' && p.length < 8192,
  );
  const parsed = (certs as string[]).map(parseCert);
  const fresh: typeof parsed = [];
  for (const c of parsed) {
    const existing = deps.state.certificates.find(
      (x) => x.thumbprint === c.thumbprint && x.connection === ticket.connection,
    );
    if (existing?.removedAt)
      throw new HttpError(
        403,
        'this certificate was removed by an administrator (or its instance rejected); provision with a new key',
      );
    if (existing) await requireProof(deps, ticket, c, proofs);
    else fresh.push(c);
  }
  if (fresh.length) {
    if (Date.parse(ticket.expiresAt) < Date.now()) {
      throw new HttpError(
        403,
        'this ticket has expired: it can no longer register a new certificate (generate a new ticket)',
      );
    }
    const { usesLeft } = deps.state.ticketUses(ticket);
    if (usesLeft !== null && fresh.length > usesLeft) {
      throw new HttpError(
        403,
        `this ticket is used up: it registers ${ticket.maxUses} new certificate${ticket.maxUses === 1 ? '' : 's'} and has ${usesLeft} left (generate a new ticket)`,
      );
    }
    // no ticket registers an approved certificate on its own: the editor's connector does not come this way (hub.ts)
    const pending = connection.requireApproval !== false;
    for (const c of fresh) {
      const rec: CertificateRecord = {
        thumbprint: c.thumbprint,
        connection: ticket.connection,
        ticketId: ticket.id,
        der: c.der.toString('base64'),
        subject: c.cert.subject,
        registeredAt: new Date().toISOString(),
        status: pending ? 'pending' : 'approved',
        registeredFrom: req.socket.remoteAddress,
      };
      deps.state.addCertificate(rec);
      deps.onCertificateRegistered(rec);
    }
  }
  sendJson(res, 200, { signingKey: await deps.signingKeyOf(connection.name) });
  return true;
}

function parseCert(b64: string): { der: Buffer; cert: X509Certificate; thumbprint: string } {
  const der = Buffer.from(b64, 'base64');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new HttpError(400, 'a certificate is not valid base64 DER X.509');
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa')
    throw new HttpError(400, 'the certificate must carry an RSA public key (the protocol signs with RS256)');
  return { der, cert, thumbprint: thumbprint(der) };
}

/** A re-post of a registered certificate: only its key holder may make it (and so receive the signing key). */
async function requireProof(
  deps: TicketRouteDeps,
  ticket: TicketRecord,
  c: { cert: X509Certificate; thumbprint: string },
  proofs: string[],
): Promise<void> {
  const proof = proofs.find((p) => proofThumbprint(p) === c.thumbprint);
  if (!proof)
    throw new HttpError(
      403,
      'this certificate is already registered: re-posting it needs a proof signed with its private key (update the connector)',
    );
  let ok: { jti: string; exp: number };
  try {
    ok = await verifyProof(proof, createPublicKey(c.cert.publicKey.export({ type: 'spki', format: 'pem' })), {
      connection: ticket.connection,
      realm: deps.realm,
      thumbprint: c.thumbprint,
      ticketHash: ticket.hash,
    });
  } catch (e) {
    throw new HttpError(403, `the proof of the private key was refused: ${(e as Error).message}`);
  }
  if (!deps.proofs.use(`proof:${ok.jti}`, ok.exp * 1000 + 60_000))
    throw new HttpError(403, 'this proof was used already (replay)');
}
