/** The connector's key pair and self-signed certificate: what a ticket registers and what signs its RS256 JWTs. */
import 'reflect-metadata';
import { createPrivateKey, webcrypto, type KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from '../shared/files';
import type { ConnectorPaths } from './config';

// Node's WebCrypto types, not the DOM's: this code is checked without the DOM library (tsconfig.node.json)
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
const ALG = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export interface Identity {
  privateKey: KeyObject;
  certificateDer: Buffer;
  certificatePem: string;
}

export async function loadOrCreateIdentity(paths: ConnectorPaths): Promise<Identity> {
  if (existsSync(paths.privateKey) && existsSync(paths.certificate)) {
    const pem = readFileSync(paths.certificate, 'utf8');
    return {
      privateKey: createPrivateKey(readFileSync(paths.privateKey, 'utf8')),
      certificatePem: pem,
      certificateDer: Buffer.from(new X509Certificate(pem).raw),
    };
  }
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=Directory Bridge connector on ${os.hostname().replace(/[,=+<>#;"\\]/g, '_')}`,
    notBefore: new Date(Date.now() - 864e5),
    notAfter: new Date(Date.now() + 10 * 365 * 864e5),
    signingAlgorithm: ALG,
    keys,
  });
  const pkcs8 = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey),
  );
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`;
  writeFileAtomic(paths.privateKey, keyPem, 0o600);
  const pem = cert.toString('pem');
  writeFileAtomic(paths.certificate, pem, 0o644);
  return { privateKey: createPrivateKey(keyPem), certificatePem: pem, certificateDer: Buffer.from(cert.rawData) };
}
