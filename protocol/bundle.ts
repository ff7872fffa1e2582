/**
 * An instance bundle: what a second (third...) connector instance needs to join a connection, for high
 * availability. It never carries a private key: each instance makes its own key pair at setup. The one secret it
 * carries, the service-account password, is sealed with a passphrase (scrypt + AES-256-GCM) that travels
 * separately; on import it is re-sealed with the new server's own key.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

export interface InstanceBundle {
  kind: 'directory-bridge-instance-bundle';
  version: 1;
  connection: string;
  /** config.json keys without secrets (the ticket URL, AD_HUB, CA_CERT, LDAP settings...) */
  config: Record<string, unknown>;
  /** LDAP_BIND_CREDENTIALS sealed with the passphrase */
  sealedBindPassword?: { salt: string; iv: string; tag: string; data: string; kdf: 'scrypt-N16384-r8-p1' };
  createdAt: string;
}

export class BundleError extends Error {}

const KDF = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A passphrase an admin can read out or type: 6 groups of 5 base32 characters (150 bits). */
export function newPassphrase(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(30);
  return Array.from({ length: 6 }, (_, g) =>
    Array.from({ length: 5 }, (_, i) => alphabet[bytes[g * 5 + i] % 32]).join(''),
  ).join('-');
}

export function sealWithPassphrase(
  secret: string,
  passphrase: string,
): NonNullable<InstanceBundle['sealedBindPassword']> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(passphrase, salt, 32, KDF);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return {
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    data: data.toString('base64'),
    kdf: 'scrypt-N16384-r8-p1',
  };
}

export function openWithPassphrase(
  sealed: NonNullable<InstanceBundle['sealedBindPassword']>,
  passphrase: string,
): string {
  const key = scryptSync(passphrase.trim().toUpperCase(), Buffer.from(sealed.salt, 'base64'), 32, KDF);
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(sealed.data, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new BundleError('Wrong passphrase for this bundle (or the bundle was altered).');
  }
}

export function parseBundle(text: string): InstanceBundle {
  let b: InstanceBundle;
  try {
    b = JSON.parse(text) as InstanceBundle;
  } catch (e) {
    throw new BundleError(`Not a bundle: ${(e as Error).message}`);
  }
  if (
    b?.kind !== 'directory-bridge-instance-bundle' ||
    b.version !== 1 ||
    typeof b.connection !== 'string' ||
    !b.config ||
    typeof b.config !== 'object'
  ) {
    throw new BundleError('Not a Directory Bridge instance bundle (version 1).');
  }
  for (const k of Object.keys(b.config)) {
    if (/CREDENTIALS|SIGNING_KEY|PRIVATE/i.test(k)) throw new BundleError(`A bundle must not carry ${k}.`);
  }
  return b;
}
