/**
 * The certificate of the connector the editor runs itself, registered by the hub's own process: approved, marked
 * embedded, no ticket. Nothing on the network reaches this (the ticket routes always register pending).
 */
import { X509Certificate } from 'node:crypto';
import { thumbprint } from '../../protocol/tokens';
import { EmbeddedCertificateRemovedError } from './errors';
import { StateError, type CertificateRecord, type HubState } from './state';

/** The new record, or undefined when this certificate is registered already (a restart). */
export function registerEmbedded(
  state: HubState,
  connection: string,
  certificatePem: string,
): CertificateRecord | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    throw new StateError("the embedded connector's certificate is not a PEM X.509 certificate");
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa')
    throw new StateError("the embedded connector's certificate must carry an RSA key (the protocol signs with RS256)");
  const tp = thumbprint(cert.raw);
  const existing = state.certificates.find((c) => c.thumbprint === tp && c.connection === connection);
  if (existing?.removedAt)
    throw new EmbeddedCertificateRemovedError(
      `the certificate ${tp.slice(0, 16)}… of the embedded connector was removed (or rejected) by an administrator`,
    );
  if (existing) return undefined;
  const rec: CertificateRecord = {
    thumbprint: tp,
    connection,
    embedded: true,
    der: cert.raw.toString('base64'),
    subject: cert.subject,
    registeredAt: new Date().toISOString(),
    status: 'approved',
    registeredFrom: 'this editor (in process)',
  };
  state.addCertificate(rec);
  return rec;
}
