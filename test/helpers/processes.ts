/**
 * Real hub and connector processes for the integration suites: the bundled CLIs (dist/hub.js, dist/connector.js)
 * spawned with their own state, logs kept in memory for assertions (and scanned for passwords), stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { adminRequest } from '../../extension/hub/adminClient';
import { runNode, type NodeRun } from '../../shared/runNode';
import type { LoginOutcome } from '../../extension/hub/hub';
import type { TestServer } from './servers';

const ROOT = path.resolve(__dirname, '../../..');
/** DBR_DIST_DIR: run the suites against another build (e.g. main's, to see an attack test fail without its fix). */
const DIST = process.env.DBR_DIST_DIR ?? path.join(ROOT, 'dist');
export const HUB_CLI = path.join(DIST, 'hub.js');
export const CONNECTOR_CLI = path.join(DIST, 'connector.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `dbr-${prefix}-`));
}

/** Every process started here, so a suite can stop what it started even when a test fails. */
const started = new Set<Proc>();
/** Every process ever started, for scanning all logs at the end of a suite. */
export const everyProc: Proc[] = [];
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((p) => p.stop()));
}

/** Every ticket token handed out by `ticketFor` / seen by `provisionConnector`: secrets the log scan looks for. */
export const ticketTokens = new Set<string>();

/** Names the processes whose logs contain any of the passwords, or any ticket token used in the suite. */
export function logsContaining(passwords: Iterable<string>): string[] {
  const found: string[] = [];
  for (const p of everyProc) {
    for (const pw of passwords) if (p.log.includes(pw)) found.push(`${p.name} (pid ${p.pid}) logged a password`);
    for (const t of ticketTokens) if (p.log.includes(t)) found.push(`${p.name} (pid ${p.pid}) logged a ticket`);
  }
  return found;
}

/** Hubs started here, by port, so that provisioning can approve what it registered. */
const hubsByPort = new Map<number, HubProc>();

export class Proc {
  readonly lines: string[] = [];
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;
  private waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    started.add(this);
    everyProc.push(this);
    const onData = (d: Buffer) => {
      for (const line of d.toString('utf8').split('\n')) {
        if (!line) continue;
        this.lines.push(line);
        if (process.env.SHOW_PROCESS_LOGS) console.log(`      [${name}] ${line}`);
        this.waiters = this.waiters.filter((w) => (w.re.test(line) ? (w.resolve(line), false) : true));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.signal = signal;
        started.delete(this);
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }
  get running(): boolean {
    return this.exitCode === null && this.signal === null;
  }
  get log(): string {
    return this.lines.join('\n');
  }

  /** Resolves with the first line (from now or already seen after `since`) matching `re`. */
  waitFor(re: RegExp, timeoutMs = 15_000, since = 0): Promise<string> {
    const seen = this.lines.slice(since).find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${this.name}: no line matching ${re} within ${timeoutMs} ms. Last lines:\n${this.lines.slice(-15).join('\n')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  exit(): Promise<void> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }

  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }
}

export interface HubProc extends Proc {
  stateDir: string;
  port: number;
  url: string;
}

export async function startHub(stateDir: string, port: number, extraArgs: string[] = []): Promise<HubProc> {
  const child = spawn(
    process.execPath,
    [HUB_CLI, 'serve', '--state', stateDir, '--listen', `127.0.0.1:${port}`, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const p = new Proc('hub', child) as HubProc;
  p.stateDir = stateDir;
  p.port = port;
  p.url = `https://127.0.0.1:${port}`;
  await p.waitFor(/hub listening on/);
  hubsByPort.set(port, p);
  return p;
}

export function admin<T = unknown>(
  hub: { stateDir: string },
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<T> {
  return adminRequest<T>(hub.stateDir, method, apiPath, body);
}

/** What the hub's admin API answers for a login: the hub's own type, as JSON. */
export type { LoginOutcome };

export function login(
  hub: { stateDir: string },
  connection: string,
  username: string,
  password: string,
): Promise<LoginOutcome> {
  return admin<LoginOutcome>(hub, 'POST', `connections/${connection}/login`, { username, password });
}

/** The connector's config.json for one of the test directories (service password in clear: setup seals it). */
export function connectorConfigFor(server: TestServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    LDAP_KIND: server.kind,
    LDAP_URL: server.url,
    LDAP_BASE: server.baseDn,
    LDAP_BIND_USER: server.bindDn,
    LDAP_BIND_CREDENTIALS: server.bindPassword,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export function run(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<NodeRun> {
  return runNode(args, { ...options, env: { ...process.env, ...options.env } });
}

/** The SHA-256 thumbprint of the certificate a connector folder holds. */
export function connectorThumbprint(dir: string): string {
  return createHash('sha256')
    .update(new X509Certificate(readFileSync(path.join(dir, 'certs', 'connector.pem'))).raw)
    .digest('hex');
}

/**
 * Writes a config and runs `setup --ticket`; returns the connector's folder. The new instance waits for approval
 * on its hub: unless `approve: false`, the admin (this helper, through the admin API) approves it, as the suites
 * about other things need a working instance.
 */
export async function provisionConnector(
  ticket: string,
  config: Record<string, unknown>,
  dir = tempDir('connector'),
  options: { approve?: boolean } = {},
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  // the ticket in config.json, as a generated deployment has it (setup seals it); never on the command line
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, PROVISIONING_TICKET: ticket }, null, 2));
  ticketTokens.add(/\/p\/ad\/([\w-]+)/.exec(ticket)?.[1] ?? ticket);
  const r = await run([CONNECTOR_CLI, 'setup', '--config', path.join(dir, 'config.json')]);
  if (r.code !== 0) throw new Error(`setup failed (${r.code}): ${r.out}`);
  const hub = hubsByPort.get(Number(new URL(ticket).port));
  if (options.approve !== false && hub) {
    const tp = connectorThumbprint(dir);
    // a build without approval (DBR_DIST_DIR) has no such route: nothing to approve there
    const pending = await admin<Array<{ thumbprint: string }>>(
      hub,
      'GET',
      `connections/${String(readConnection(dir))}/pending`,
    ).catch(() => []);
    if (pending.some((p) => p.thumbprint === tp)) await admin(hub, 'POST', `certificates/${tp}/approve`);
  }
  return dir;
}

/** Approves every instance waiting on the connection (what an admin does after installing them). */
export async function approvePending(hub: { stateDir: string }, connection: string): Promise<number> {
  const pending = await admin<Array<{ thumbprint: string }>>(hub, 'GET', `connections/${connection}/pending`);
  for (const p of pending) await admin(hub, 'POST', `certificates/${p.thumbprint}/approve`);
  return pending.length;
}

function readConnection(dir: string): string {
  return encodeURIComponent(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).CONNECTION);
}

export async function startConnector(dir: string, name = 'connector', env: NodeJS.ProcessEnv = {}): Promise<Proc> {
  const child = spawn(process.execPath, [CONNECTOR_CLI, 'start', '--config', path.join(dir, 'config.json')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const p = new Proc(name, child);
  await p.waitFor(/connector\.hub\.online/);
  return p;
}

/** Waits until the hub lists `n` instances for the connection. */
export async function waitForInstances(
  hub: { stateDir: string },
  connection: string,
  n: number,
  timeoutMs = 10_000,
): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const list = await admin<unknown[]>(hub, 'GET', `connections/${connection}/instances`).catch(() => []);
    if (list.length === n) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`expected ${n} instances of ${connection}, have ${list.length} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
