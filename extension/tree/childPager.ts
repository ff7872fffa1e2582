/**
 * A container's children, page by page, from one streaming paged search. The stream holds a pooled connection
 * (paged-results cookies are bound to it), so it is let go after `idleMs` without a request; the next page then
 * reads the listing again from the start, skipping entries already given. Entries given another way (Go to DN)
 * are skipped too. No VS Code here.
 */
import { normalizeDn } from './treeLogic';

export class ChildPager<E extends { dn: string }> {
  private stream?: AsyncGenerator<E[]>;
  private readonly given = new Set<string>();
  private idle?: NodeJS.Timeout;
  exhausted = false;

  constructor(
    private readonly open: () => Promise<AsyncGenerator<E[]>>,
    private readonly pageSize: number,
    private readonly idleMs: number,
  ) {}

  /** The next entries not given before: some, unless the listing ended (then `exhausted`). */
  async next(): Promise<E[]> {
    clearTimeout(this.idle);
    const stream = (this.stream ??= await this.open());
    for (;;) {
      const r = await stream.next();
      const fresh = r.done ? [] : r.value.filter((e) => !this.given.has(normalizeDn(e.dn)));
      for (const e of fresh) this.given.add(normalizeDn(e.dn));
      // the stream reads ahead, so a short page means the end
      if (r.done || r.value.length < this.pageSize) {
        this.exhausted = true;
        this.close();
        return fresh;
      }
      if (fresh.length) {
        this.idle = setTimeout(() => this.close(), this.idleMs);
        this.idle.unref?.();
        return fresh;
      }
    }
  }

  /** An entry shown without its page (Go to DN): not given again when its page comes. */
  remember(dn: string): void {
    this.given.add(normalizeDn(dn));
  }

  /** Whether the listing is open now (holding a connection). */
  get isOpen(): boolean {
    return !!this.stream;
  }

  close(): void {
    clearTimeout(this.idle);
    void this.stream?.return(undefined);
    this.stream = undefined;
  }
}
