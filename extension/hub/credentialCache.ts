/**
 * Answers logins when no connector instance is online. On a successful login it keeps scrypt(password, salt) and
 * the profile for a while; it never keeps the password. Memory only: a hub restart empties it.
 * Hashing is slow on purpose, so it is bounded: when the hashers are busy the user's entry is dropped instead
 * (a stale hash could let an old password in while the directory is out of reach).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Profile } from '../../protocol/profile';

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

interface Entry {
  salt: Buffer;
  hash: Buffer;
  profile: Profile;
  storedAt: number;
}

function hash(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private hashing = 0;

  constructor(
    private readonly ttlMs = 3600_000,
    private readonly maxConcurrentHashes = 2,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async remember(connection: string, username: string, password: string, profile: Profile): Promise<boolean> {
    const key = this.key(connection, username);
    if (this.hashing >= this.maxConcurrentHashes) {
      this.entries.delete(key);
      return false;
    }
    this.hashing++;
    try {
      const salt = randomBytes(16);
      this.entries.set(key, { salt, hash: await hash(password, salt), profile, storedAt: Date.now() });
      return true;
    } finally {
      this.hashing--;
    }
  }

  /** The cached profile if the password matches a fresh entry; undefined otherwise. */
  async verify(connection: string, username: string, password: string): Promise<Profile | undefined> {
    const key = this.key(connection, username);
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.storedAt > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    const candidate = await hash(password, e.salt);
    return timingSafeEqual(candidate, e.hash) ? e.profile : undefined;
  }

  forgetUser(connection: string, username: string): void {
    this.entries.delete(this.key(connection, username));
  }

  forgetConnection(connection: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(`${connection}\u0000`)) this.entries.delete(k);
  }

  private key(connection: string, username: string): string {
    return `${connection}\u0000${username.normalize('NFC').toLowerCase()}`;
  }
}
