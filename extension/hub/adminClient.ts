/** How the CLI (and tests) find a running hub through its state folder and call its admin API. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../shared/files';
import { NamedError } from '../../shared/namedError';

export interface RunningHub {
  url: string;
  pid: number;
}

export function defaultStateDir(): string {
  const base =
    process.env.XDG_STATE_HOME ||
    (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) ||
    path.join(os.homedir(), '.local', 'state');
  return path.join(base ?? os.homedir(), 'directory-bridge', 'hub');
}

export function announce(stateDir: string, hub: RunningHub, adminToken: string): void {
  writeFileAtomic(path.join(stateDir, 'admin-token'), adminToken, 0o600);
  writeFileAtomic(path.join(stateDir, 'hub.json'), JSON.stringify(hub), 0o600);
}

export function withdraw(stateDir: string): void {
  rmSync(path.join(stateDir, 'hub.json'), { force: true });
}

export class AdminApiError extends NamedError {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function adminRequest<T = unknown>(
  stateDir: string,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<T> {
  const hubFile = path.join(stateDir, 'hub.json');
  if (!existsSync(hubFile))
    throw new AdminApiError(
      0,
      `No hub is running for ${stateDir} (start one with: directory-bridge-hub serve --state ${stateDir})`,
    );
  const hub = JSON.parse(readFileSync(hubFile, 'utf8')) as RunningHub;
  const token = readFileSync(path.join(stateDir, 'admin-token'), 'utf8').trim();
  const ca = readFileSync(path.join(stateDir, 'ca.pem'), 'utf8');
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      `${hub.url}/admin/${apiPath}`,
      {
        method,
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = {};
          }
          if ((res.statusCode ?? 500) >= 400) {
            const p = parsed as { error?: string; code?: string };
            reject(new AdminApiError(res.statusCode ?? 500, p.error ?? `HTTP ${res.statusCode}`, p.code));
          } else resolve(parsed as T);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('the hub did not answer within 60 s')));
    req.on('error', (e) =>
      reject(new AdminApiError(0, `Cannot reach the hub at ${hub.url} (pid ${hub.pid}): ${e.message}`)),
    );
    if (data) req.write(data);
    req.end();
  });
}
