/**
 * The provisioning endpoints of the protocol: `GET <ticket>/info`, `POST <ticket>`, `GET /test`.
 * A ticket registers new certificates only within its lifetime; after that it still answers /info and accepts
 * the re-post of a certificate it registered (connectors re-provision on every start). Revoked: 404 to everything.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TICKET_PATH } from '../../protocol/ticketUrl';
import { thumbprint } from '../../protocol/tokens';
import { asObject, HttpError, readJson, sendJson } from './http';
import type { HubState, TicketRecord } from './state';

export interface TicketRouteDeps {
  state: HubState;
  realm: string;
  adHubUrl: string;
  signingKeyOf(connection: string): Promise<string>;
  onCertificateRegistered(connection: string): void;
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
  for (const b64 of certs as string[]) register(deps, ticket, b64);
  sendJson(res, 200, { signingKey: await deps.signingKeyOf(connection.name) });
  return true;
}

function register(deps: TicketRouteDeps, ticket: TicketRecord, b64: string): void {
  const der = Buffer.from(b64, 'base64');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new HttpError(400, 'a certificate is not valid base64 DER X.509');
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa')
    throw new HttpError(400, 'the certificate must carry an RSA public key (the protocol signs with RS256)');
  const tp = thumbprint(der);
  const existing = deps.state.certificates.find((c) => c.thumbprint === tp && c.connection === ticket.connection);
  if (existing?.removedAt)
    throw new HttpError(403, 'this certificate was removed by an administrator; provision with a new key');
  if (existing) return; // a re-post: connectors re-provision on every start
  if (Date.parse(ticket.expiresAt) < Date.now()) {
    throw new HttpError(
      403,
      'this ticket has expired: it can no longer register a new certificate (generate a new ticket)',
    );
  }
  deps.state.addCertificate({
    thumbprint: tp,
    connection: ticket.connection,
    ticketId: ticket.id,
    der: der.toString('base64'),
    subject: cert.subject,
    registeredAt: new Date().toISOString(),
  });
  deps.onCertificateRegistered(ticket.connection);
}
