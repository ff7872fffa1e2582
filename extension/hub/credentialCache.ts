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

/** `approvedBy`: thumbprint of the instance whose answer made the entry, so removing it drops what it vouched for. */
interface Entry {
  salt: Buffer;
  hash: Buffer;
  profile: Profile;
  storedAt: number;
  approvedBy?: string;
}

function hash(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private hashing = 0;
  /** The hashes being made (at most maxConcurrentHashes): a forget that matches one marks it not to be stored. */
  private readonly inFlight = new Set<{ key: string; approvedBy?: string; dropped: boolean }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs = 3600_000,
    private readonly maxConcurrentHashes = 2,
    private readonly maxEntries = 50_000,
  ) {
    // expired entries are dropped even when nobody asks for them again
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  sweep(now = Date.now()): void {
    for (const [k, e] of this.entries) if (now - e.storedAt > this.ttlMs) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  async remember(
    connection: string,
    username: string,
    password: string,
    profile: Profile,
    approvedBy?: string,
  ): Promise<boolean> {
    const key = this.key(connection, username);
    if (this.hashing >= this.maxConcurrentHashes) {
      this.entries.delete(key);
      return false;
    }
    this.hashing++;
    const pending = { key, approvedBy, dropped: false };
    this.inFlight.add(pending);
    try {
      const salt = randomBytes(16);
      const h = await hash(password, salt);
      this.entries.delete(key);
      // forgotten while its hash was being made (a refused or changed password, a removed instance or connection):
      // storing it now would bring back what was just dropped
      if (pending.dropped) return false;
      // oldest first out when full (a Map iterates in insertion order)
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { salt, hash: h, profile, storedAt: Date.now(), approvedBy });
      return true;
    } finally {
      this.hashing--;
      this.inFlight.delete(pending);
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
    const key = this.key(connection, username);
    this.drop((p) => p.key === key);
    this.entries.delete(key);
  }

  forgetConnection(connection: string): void {
    this.drop((p) => p.key.startsWith(`${connection}\u0000`));
    for (const k of this.entries.keys()) if (k.startsWith(`${connection}\u0000`)) this.entries.delete(k);
  }

  /** Drops every entry that the instance with this certificate approved. Returns how many. */
  forgetApprovedBy(thumbprint: string): number {
    this.drop((p) => p.approvedBy === thumbprint);
    let n = 0;
    for (const [k, e] of this.entries)
      if (e.approvedBy === thumbprint) {
        this.entries.delete(k);
        n++;
      }
    return n;
  }

  private drop(matches: (p: { key: string; approvedBy?: string }) => boolean): void {
    for (const p of this.inFlight) if (matches(p)) p.dropped = true;
  }

  private key(connection: string, username: string): string {
    return `${connection}\u0000${username.normalize('NFC').toLowerCase()}`;
  }
}
