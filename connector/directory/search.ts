/**
 * Paged searches that stream: one page in memory at a time, stopped at a limit, so 100,000 entries cost no
 * more memory than 500.
 */
import type { Client, Entry } from 'ldapts';

export type Scope = 'base' | 'one' | 'sub';

export interface StreamSearchOptions {
  base: string;
  filter: string;
  scope?: Scope;
  attributes?: string[];
  binaryAttributes?: string[];
  pageSize: number;
  /** Stop after this many entries (0 or undefined: no limit). */
  limit?: number;
  signal?: AbortSignal;
}

/** Yields pages of entries; stops at `limit` or when `signal` aborts. */
export async function* streamSearch(client: Client, o: StreamSearchOptions): AsyncGenerator<Entry[]> {
  let remaining = o.limit && o.limit > 0 ? o.limit : Infinity;
  const pageSize = Math.max(1, Math.min(o.pageSize, remaining === Infinity ? o.pageSize : remaining));
  const pages = client.searchPaginated(o.base, {
    scope: o.scope ?? 'sub',
    filter: o.filter,
    attributes: o.attributes,
    explicitBufferAttributes: o.binaryAttributes,
    paged: { pageSize },
  });
  for await (const page of pages) {
    if (o.signal?.aborted) return;
    let entries = page.searchEntries;
    if (entries.length > remaining) entries = entries.slice(0, remaining);
    remaining -= entries.length;
    if (entries.length) yield entries;
    if (remaining <= 0) return;
  }
}
