/**
 * An instance bundle: what a second (third...) connector instance needs to join a connection, for high
 * availability. It never carries a private key: each instance makes its own key pair at setup. Everything in it
 * (settings, the service-account password, its single-use ticket) is sealed as a whole with a passphrase that
 * travels separately (scrypt + AES-256-GCM, the header bound as associated data): an edited bundle is refused,
 * and without the passphrase the file tells nothing but the connection's name.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KIND = 'directory-bridge-instance-bundle' as const;
const KDF_NAME = 'scrypt-N16384-r8-p1' as const;
const KDF = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export interface InstanceBundle {
  kind: typeof KIND;
  version: 2;
  connection: string;
  createdAt: string;
  kdf: typeof KDF_NAME;
  salt: string;
  /** HMAC of a constant with a key from the passphrase: tells a wrong passphrase from an altered bundle. */
  check: string;
  iv: string;
  tag: string;
  /** The sealed BundleContents. */
  data: string;
}

export interface BundleContents {
  /** config.json keys without secrets (AD_HUB, CA_CERT, LDAP settings...) */
  config: Record<string, unknown>;
  bindPassword?: string;
  /** A single-use ticket URL (with its CA pin) made for this bundle. */
  ticket: string;
}

export class BundleError extends Error {
  override readonly name = 'BundleError'; // protocol/ imports nothing of ours, so not shared/namedError
}

/** A passphrase an admin can read out or type: 6 groups of 5 base32 characters (150 bits). */
export function newPassphrase(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(30);
  return Array.from({ length: 6 }, (_, g) =>
    Array.from({ length: 5 }, (_, i) => alphabet[bytes[g * 5 + i] % 32]).join(''),
  ).join('-');
}

function keys(passphrase: string, salt: Buffer): { enc: Buffer; check: string } {
  const k = scryptSync(passphrase.trim().toUpperCase(), salt, 64, KDF);
  return {
    enc: k.subarray(0, 32),
    check: createHmac('sha256', k.subarray(32)).update('directory-bridge bundle passphrase check').digest('base64'),
  };
}

function header(
  b: Pick<InstanceBundle, 'kind' | 'version' | 'connection' | 'createdAt' | 'kdf' | 'salt' | 'check'>,
): Buffer {
  return Buffer.from(JSON.stringify([b.kind, b.version, b.connection, b.createdAt, b.kdf, b.salt, b.check]), 'utf8');
}

function refuseSecrets(config: Record<string, unknown>): void {
  for (const k of Object.keys(config)) {
    if (/CREDENTIALS|SIGNING_KEY|PRIVATE|PROVISIONING_TICKET/i.test(k))
      throw new BundleError(`A bundle's settings must not carry ${k}.`);
  }
}

export function createBundle(connection: string, contents: BundleContents, passphrase: string): InstanceBundle {
  refuseSecrets(contents.config);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const k = keys(passphrase, salt);
  const head = {
    kind: KIND,
    version: 2 as const,
    connection,
    createdAt: new Date().toISOString(),
    kdf: KDF_NAME,
    salt: salt.toString('base64'),
    check: k.check,
  };
  const c = createCipheriv('aes-256-gcm', k.enc, iv);
  c.setAAD(header(head));
  const data = Buffer.concat([c.update(JSON.stringify(contents), 'utf8'), c.final()]);
  return { ...head, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function parseBundle(text: string): InstanceBundle {
  let b: InstanceBundle;
  try {
    b = JSON.parse(text) as InstanceBundle;
  } catch (e) {
    throw new BundleError(`Not a bundle: ${(e as Error).message}`);
  }
  if (b?.kind !== KIND) throw new BundleError('Not a Directory Bridge instance bundle.');
  if ((b.version as number) === 1)
    throw new BundleError(
      'This bundle is of version 1, whose settings were not protected: export a new bundle from the editor.',
    );
  const fields = ['connection', 'createdAt', 'kdf', 'salt', 'check', 'iv', 'tag', 'data'] as const;
  if (b.version !== 2 || fields.some((f) => typeof b[f] !== 'string') || b.kdf !== KDF_NAME) {
    throw new BundleError(
      'Not a Directory Bridge instance bundle of version 2 (a field is missing or of the wrong type).',
    );
  }
  return b;
}

/** Opens a bundle: a wrong passphrase and an altered bundle are told apart, and both refused. */
export function openBundle(b: InstanceBundle, passphrase: string): BundleContents {
  const k = keys(passphrase, Buffer.from(b.salt, 'base64'));
  const given = Buffer.from(b.check, 'base64');
  const expected = Buffer.from(k.check, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new BundleError('Wrong passphrase for this bundle.');
  let contents: BundleContents;
  try {
    const d = createDecipheriv('aes-256-gcm', k.enc, Buffer.from(b.iv, 'base64'));
    d.setAAD(header(b));
    d.setAuthTag(Buffer.from(b.tag, 'base64'));
    contents = JSON.parse(
      Buffer.concat([d.update(Buffer.from(b.data, 'base64')), d.final()]).toString('utf8'),
    ) as BundleContents;
  } catch {
    throw new BundleError(
      'This bundle was altered after it was exported: refused. Export a new bundle from the editor.',
    );
  }
  if (!contents || typeof contents.config !== 'object' || typeof contents.ticket !== 'string')
    throw new BundleError('The bundle holds no settings or no ticket.');
  refuseSecrets(contents.config);
  return contents;
}
