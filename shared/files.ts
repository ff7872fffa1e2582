/** Owner-only, atomic file writes for the hub's state: write a temporary file, fsync, rename over the old one. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync, chmodSync } from 'node:fs';
import * as path from 'node:path';

/** Creates the folder owner-only; a folder that already exists keeps the permissions its owner gave it. */
export function ensurePrivateDir(dir: string): void {
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) === undefined) return;
  try {
    chmodSync(dir, 0o700);
  } catch {
    /* Windows */
  }
}

export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  ensurePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    chmodSync(file, mode);
  } catch {
    /* Windows */
  }
}
