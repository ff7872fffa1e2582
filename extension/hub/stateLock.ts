/**
 * One hub per state folder: `hub.lock` holds the running hub's PID, created exclusively. A second hub on the same
 * folder refuses to start and names the first; a lock left by a process that is gone is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir } from '../../shared/files';
import { HubError } from './errors';

export class StateLockedError extends HubError {
  constructor(
    readonly pid: number,
    dir: string,
  ) {
    super(
      `Another hub (pid ${pid}) is running with the state folder ${dir}: stop it first, or give this one another --state.`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks held by this process (a PID check cannot tell two hubs of one process apart). */
const held = new Set<string>();

export class StateLock {
  private constructor(private readonly file: string) {}

  static acquire(dir: string): StateLock {
    const file = path.join(dir, 'hub.lock');
    if (held.has(file)) throw new StateLockedError(process.pid, dir);
    ensurePrivateDir(dir);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        try {
          writeSync(fd, String(process.pid));
        } finally {
          closeSync(fd);
        }
        held.add(file);
        return new StateLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
      } catch {
        /* removed meanwhile */
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new StateLockedError(pid, dir);
      rmSync(file, { force: true }); // stale: its hub is gone
    }
    throw new HubError(`Cannot take the lock ${file}: another hub keeps starting with the same state folder.`);
  }

  release(): void {
    held.delete(this.file);
    try {
      if (Number(readFileSync(this.file, 'utf8').trim()) === process.pid) rmSync(this.file, { force: true });
    } catch {
      /* gone */
    }
  }
}
