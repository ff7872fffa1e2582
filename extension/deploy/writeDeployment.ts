/** Writes a deployment into its folder: small files atomically with their modes, built packages copied. */
import { chmodSync, copyFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../shared/files';
import type { DeploymentFile } from './deployment';
import { sizeOf } from './packagedDeployment';

/** Returns the total size written, in bytes. */
export function writeDeployment(folder: string, files: DeploymentFile[]): number {
  ensurePrivateDir(folder);
  let bytes = 0;
  for (const f of files) {
    const target = path.join(folder, f.path);
    if (f.source) {
      const tmp = `${target}.${process.pid}.tmp`;
      copyFileSync(f.source, tmp);
      chmodSync(tmp, f.mode);
      renameSync(tmp, target);
    } else {
      writeFileAtomic(target, f.content as string, f.mode);
    }
    bytes += sizeOf(f);
  }
  return bytes;
}
