/**
 * Remembers single-use tokens (a JWT's jti or hash) until they expire, so each is accepted once. Bounded: expired
 * keys are swept as new ones come, and past `max` live keys new tokens are refused rather than memory growing.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  get size(): number {
    return this.seen.size;
  }

  /** True the first time `key` is offered before `expiresAtMs`; false for a replay (or when full). */
  use(key: string, expiresAtMs: number, now = Date.now()): boolean {
    if (this.seen.size >= this.max / 2) this.sweep(now);
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= this.max) return false;
    this.seen.set(key, expiresAtMs);
    return true;
  }

  private sweep(now: number): void {
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
  }
}
