/**
 * Query results on disk instead of in memory: one JSON line per entry (bytes as base64) in an owner-only temporary
 * file, read back as a stream. The host's memory stays flat whatever the result size; the file goes with the query.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Entry } from 'ldapts';

type Stored = Record<string, string | string[] | { b64: string } | Array<{ b64: string }>>;

function store(e: Entry): Stored {
  const out: Stored = {};
  for (const [k, v] of Object.entries(e)) {
    if (Array.isArray(v))
      out[k] = (v as Array<string | Buffer>).map((x) =>
        Buffer.isBuffer(x) ? { b64: x.toString('base64') } : x,
      ) as string[];
    else out[k] = Buffer.isBuffer(v) ? { b64: v.toString('base64') } : v;
  }
  return out;
}

function restore(s: Stored): Entry {
  const back = (x: unknown) =>
    x && typeof x === 'object' && 'b64' in (x as object) ? Buffer.from((x as { b64: string }).b64, 'base64') : x;
  const e: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) e[k] = Array.isArray(v) ? v.map(back) : back(v);
  return e as Entry;
}

export class ResultSpool {
  readonly file: string;
  private readonly dir: string;
  private out?: WriteStream;
  count = 0;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'dbr-query-'));
    this.file = path.join(this.dir, 'results.ndjson');
    this.out = createWriteStream(this.file, { mode: 0o600 });
  }

  /** Appends a page; resolves when the disk has taken it (back-pressure for the search). */
  write(entries: Entry[]): Promise<void> {
    this.count += entries.length;
    const chunk = entries.map((e) => JSON.stringify(store(e))).join('\n') + '\n';
    return new Promise((resolve, reject) => this.out!.write(chunk, (e) => (e ? reject(e) : resolve())));
  }

  finish(): Promise<void> {
    const out = this.out;
    this.out = undefined;
    return out ? new Promise((resolve) => out.end(resolve)) : Promise.resolve();
  }

  async *entries(): AsyncGenerator<Entry> {
    const lines = createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield restore(JSON.parse(line) as Stored);
  }

  dispose(): void {
    this.out?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
