/**
 * The request ids a connector has answered, kept exactly as long as their JWT could still verify (its `exp` plus
 * the verifier's clock tolerance) and no longer: after that the token itself is refused as expired, so a replay
 * needs no memory. Ids are filed by the second they expire in and whole seconds are dropped at once, at most once
 * a second: O(1) per request, and at most rate × (token lifetime + tolerance) ids held (90 s of requests with
 * this project's hub). A token that lives longer holds only its own id longer. A UUID id (this project's hub
 * sends those) is held as its 16 bytes in a 16-character string: about 70 bytes an id with the set, not 125.
 */
export class ReplayWindow {
  private readonly ids = new Set<string>();
  /** expiry second → the ids that expire then */
  private readonly byExpiry = new Map<number, string[]>();
  private prunedAt = 0;

  constructor(
    private readonly toleranceSeconds: number,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  get size(): number {
    return this.ids.size;
  }

  /** True if `id` was seen before within the window; otherwise remembers it until `exp` + tolerance. */
  seen(pid: string, exp: number): boolean {
    const now = this.now();
    if (now !== this.prunedAt) this.prune(now);
    const id = compact(pid);
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    const until = Math.floor(exp) + this.toleranceSeconds;
    const bucket = this.byExpiry.get(until);
    if (bucket) bucket.push(id);
    else this.byExpiry.set(until, [id]);
    return false;
  }

  private prune(now: number): void {
    this.prunedAt = now;
    for (const [until, ids] of this.byExpiry) {
      if (until >= now) continue;
      for (const id of ids) this.ids.delete(id);
      this.byExpiry.delete(until);
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/; // lower case only: exact ids, no folding

/**
 * A UUID as its 16 bytes, one per character (a one-byte string); any other id as itself plus U+0100, which no packed
 * UUID contains, so the two forms never meet.
 */
export function compact(pid: string): string {
  if (pid.length !== 36 || !UUID.test(pid)) return pid + '\u0100';
  return Buffer.from(pid.replace(/-/g, ''), 'hex').toString('latin1');
}
