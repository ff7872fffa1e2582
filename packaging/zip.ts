/** A zip with fixed timestamps and sorted entries (yazl), so the same files give the same bytes. */
import { createWriteStream } from 'node:fs';
import * as yazl from 'yazl';

export interface ZipEntry {
  name: string;
  file?: string;
  content?: Buffer;
  mode: number;
}

export function writeZip(outFile: string, entries: ZipEntry[], epoch: number): Promise<void> {
  const zip = new yazl.ZipFile();
  // DOS timestamps are local time: the caller runs with TZ=UTC so every machine writes the same bytes
  const mtime = new Date(epoch * 1000);
  for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    const options = { mtime, mode: e.mode, forceDosTimestamp: true };
    if (e.file) zip.addFile(e.file, e.name, options);
    else zip.addBuffer(e.content!, e.name, options);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream
      .pipe(createWriteStream(outFile))
      .on('close', () => resolve())
      .on('error', reject);
  });
}
