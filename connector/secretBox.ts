/**
 * Secrets at rest in config.json (LDAP_BIND_CREDENTIALS, TENANT_SIGNING_KEY): AES-256-GCM with a key kept in a
 * separate owner-only file (certs/secrets.key). A value on disk is either `enc:v1:...` or, before the first
 * start, clear text that the connector encrypts in place.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../shared/files';
import { NamedError } from '../shared/namedError';

const PREFIX = 'enc:v1:';

export class SecretBoxError extends NamedError {}

export function isSealed(v: string | undefined): boolean {
  return !!v && v.startsWith(PREFIX);
}

export function loadOrCreateKey(file: string): Buffer {
  if (existsSync(file)) {
    const k = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (k.length !== 32)
      throw new SecretBoxError(`The secrets key ${file} is not a 32-byte key; secrets cannot be decrypted.`);
    return k;
  }
  const k = randomBytes(32);
  writeFileAtomic(file, k.toString('base64') + '\n', 0o600);
  return k;
}

export function seal(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return PREFIX + Buffer.concat([iv, c.getAuthTag(), data]).toString('base64url');
}

export function open(sealed: string, key: Buffer, what: string): string {
  if (!isSealed(sealed)) return sealed;
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError(
      `${what} cannot be decrypted with this connector's secrets key: it was encrypted by another installation. Set it again in clear text; the connector encrypts it on start.`,
    );
  }
}
