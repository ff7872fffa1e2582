/**
 * The hub's own CA and server certificate, generated once and kept in the state folder. Connectors verify the hub
 * against this CA (it travels in their config as CA_CERT), so plain HTTP is never needed.
 */
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from '../../shared/files';
import { isIpAddress } from '../../shared/hostnames';

// Node's WebCrypto types, not the DOM's: this code is checked without the DOM library (tsconfig.node.json)
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface HubTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** Loads the hub's TLS material, creating it on first use. A server certificate lacking a needed name is re-issued. */
export async function ensureHubTls(dir: string, hostNames: string[]): Promise<HubTls> {
  const files = {
    caCert: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca.key'),
    cert: path.join(dir, 'server.pem'),
    key: path.join(dir, 'server.key'),
  };
  let caPem: string, caKeys: CryptoKeyPair;
  if (existsSync(files.caCert) && existsSync(files.caKey)) {
    caPem = readFileSync(files.caCert, 'utf8');
    caKeys = await importPair(readFileSync(files.caKey, 'utf8'), caPem);
  } else {
    caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: 'CN=Directory Bridge Hub CA',
      notBefore: daysFromNow(-1),
      notAfter: daysFromNow(3650),
      signingAlgorithm: ALG,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    caPem = ca.toString('pem');
    writeFileAtomic(files.caKey, await exportKeyPem(caKeys.privateKey), 0o600);
    writeFileAtomic(files.caCert, caPem, 0o644);
  }
  if (existsSync(files.cert) && existsSync(files.key) && covers(readFileSync(files.cert, 'utf8'), caPem, hostNames)) {
    return { caPem, certPem: readFileSync(files.cert, 'utf8'), keyPem: readFileSync(files.key, 'utf8') };
  }
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hostNames])];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=Directory Bridge Hub',
    issuer: new x509.X509Certificate(caPem).subject,
    notBefore: daysFromNow(-1),
    notAfter: daysFromNow(825),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((n): x509.JsonGeneralName => ({ type: isIpAddress(n) ? 'ip' : 'dns', value: n })),
      ),
    ],
  });
  const tls = { caPem, certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
  writeFileAtomic(files.key, tls.keyPem, 0o600);
  writeFileAtomic(files.cert, tls.certPem, 0o644);
  return tls;
}

function covers(certPem: string, caPem: string, hostNames: string[]): boolean {
  try {
    const c = new X509Certificate(certPem);
    if (!c.verify(new X509Certificate(caPem).publicKey) || new Date(c.validTo).getTime() < Date.now() + 7 * 864e5)
      return false;
    return hostNames.every((h) => (isIpAddress(h) ? c.checkIP(h) : c.checkHost(h)) !== undefined);
  } catch {
    return false;
  }
}

async function importPair(keyPem: string, certPem: string): Promise<CryptoKeyPair> {
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const privateKey = (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
  const publicKey = await new x509.X509Certificate(certPem).publicKey.export(ALG, ['verify']);
  return { privateKey, publicKey };
}

function randomSerial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}
function daysFromNow(d: number): Date {
  return new Date(Date.now() + d * 864e5);
}
