/**
 * The Debian package, built with dpkg-deb from a tree whose every mode and mtime is set here (gzip: xz takes minutes on a 100 MB binary; mtimes to
 * SOURCE_DATE_EPOCH, owner root via --root-owner-group; dpkg-deb sorts the entries and takes the ar timestamps from
 * SOURCE_DATE_EPOCH), so the same inputs give the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  changelog,
  controlFile,
  copyright,
  CTL,
  ctlScript,
  lintianOverrides,
  postinst,
  postrm,
  prerm,
  systemdUnit,
  UNIT_NAME,
} from './linux';
import { linuxPackageReadme } from './readmes';
import { PACKAGE_NAME } from './targets';

export interface DebInput {
  executable: string;
  version: string;
  arch: string;
  epoch: number;
  workDir: string;
  outFile: string;
}

function put(root: string, rel: string, content: string | Buffer, mode: number): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

function walk(dir: string, visit: (p: string, isDir: boolean) => void): void {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const isDir = statSync(p).isDirectory();
    if (isDir) walk(p, visit);
    visit(p, isDir);
  }
}

export function buildDeb(o: DebInput): void {
  const root = path.join(o.workDir, `deb-${o.arch}`);
  rmSync(root, { recursive: true, force: true });
  const doc = `usr/share/doc/${PACKAGE_NAME}`;
  mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
  copyFileSync(o.executable, path.join(root, 'usr/bin', PACKAGE_NAME));
  chmodSync(path.join(root, 'usr/bin', PACKAGE_NAME), 0o755);
  put(root, `usr/sbin/${CTL}`, ctlScript(), 0o755);
  put(root, `lib/systemd/system/${UNIT_NAME}`, systemdUnit(), 0o644);
  put(root, `${doc}/copyright`, copyright(), 0o644);
  const date = new Date(o.epoch * 1000).toUTCString().replace(/GMT$/, '+0000');
  put(root, `${doc}/changelog.gz`, gzipSync(changelog(o.version, date), { level: 9 }), 0o644);
  put(
    root,
    `${doc}/README.md`,
    linuxPackageReadme('<connection>', `${PACKAGE_NAME}_${o.version}_${o.arch}.deb`, false),
    0o644,
  );
  put(root, `usr/share/lintian/overrides/${PACKAGE_NAME}`, lintianOverrides(), 0o644);
  let bytes = 0;
  walk(root, (p, isDir) => {
    if (!isDir) bytes += statSync(p).size;
  });
  put(
    root,
    'DEBIAN/control',
    controlFile({ version: o.version, arch: o.arch, installedKb: Math.ceil(bytes / 1024) }),
    0o644,
  );
  put(root, 'DEBIAN/postinst', postinst(), 0o755);
  put(root, 'DEBIAN/prerm', prerm(), 0o755);
  put(root, 'DEBIAN/postrm', postrm(), 0o755);
  const t = new Date(o.epoch * 1000);
  walk(root, (p, isDir) => {
    if (isDir) chmodSync(p, 0o755);
    utimesSync(p, t, t);
  });
  chmodSync(root, 0o755);
  utimesSync(root, t, t);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z6', '--build', root, o.outFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SOURCE_DATE_EPOCH: String(o.epoch) },
  });
  rmSync(root, { recursive: true, force: true });
}
