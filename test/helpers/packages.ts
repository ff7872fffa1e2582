/**
 * The built connector packages for the package suites: built once by `npm test` (test/run-all.sh) or here when
 * missing, plus a runner for executables with a clean environment and one for Windows executables under Wine
 * (whose console output reaches a file but not a pipe, hence files).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { debFileName, linuxExecutableName, windowsZipName } from '../../packaging/targets';

const ROOT = path.resolve(__dirname, '../../..');
export const PACKAGES_DIR = process.env.DIRECTORY_BRIDGE_PACKAGES ?? path.join(ROOT, 'dist-packages');
export const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
export const DEB_X64 = path.join(PACKAGES_DIR, debFileName(VERSION, 'amd64'));
export const EXE_X64 = path.join(PACKAGES_DIR, linuxExecutableName('linux-x64'));
export const WIN_DIR = path.join(PACKAGES_DIR, 'win-x64');
export const WIN_ZIP = path.join(PACKAGES_DIR, windowsZipName(VERSION));

/** Builds linux-x64 and win-x64 when they are not there (the tests use those two; arm64 only in package:connector). */
export function ensurePackages(): void {
  if (existsSync(DEB_X64) && existsSync(path.join(WIN_DIR, 'directory-bridge-connector.exe'))) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'out/packaging/main.js'), '--targets', 'linux-x64,win-x64', '--out', PACKAGES_DIR],
    { stdio: 'inherit' },
  );
}

export interface Ran {
  code: number | null;
  out: string;
}

/** Runs an executable with only the environment given (an empty PATH unless given one). */
export function runClean(
  exe: string,
  args: string[],
  o: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(exe, args, { cwd: o.cwd, env: { PATH: '', ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.stdin.end(o.input ?? '');
    child.on('exit', (code) => resolve({ code, out }));
  });
}

export function wineEnv(prefix: string): NodeJS.ProcessEnv {
  // no Mono or Gecko prompts: the connector needs neither
  return {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    NODE_SKIP_PLATFORM_CHECK: '1',
  };
}

/** Starts `wine exe args` with stdout and stderr in `logFile` and stdin from `inputFile` (or nothing). */
export function startWine(
  prefix: string,
  exe: string,
  args: string[],
  o: { cwd: string; logFile: string; inputFile?: string },
): ChildProcess {
  const out = openSync(o.logFile, 'w');
  const input = o.inputFile ? openSync(o.inputFile, 'r') : 'ignore';
  const child = spawn('wine', [exe, ...args], { cwd: o.cwd, env: wineEnv(prefix), stdio: [input, out, out] });
  closeSync(out);
  if (typeof input === 'number') closeSync(input);
  return child;
}

export function runWine(
  prefix: string,
  exe: string,
  args: string[],
  o: { cwd: string; logFile: string; inputFile?: string; timeoutMs?: number },
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = startWine(prefix, exe, args, o);
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out: readFileSync(o.logFile, 'utf8') });
    });
  });
}

/** Waits until `file` holds a line matching `re`. */
export async function waitInFile(file: string, re: RegExp, timeoutMs: number): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const line = text.split(/\r?\n/).find((l) => re.test(l));
    if (line) return line;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`no line matching ${re} in ${file} within ${timeoutMs} ms. It holds:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
