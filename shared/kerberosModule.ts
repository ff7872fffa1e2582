/**
 * Loads the native `kerberos` package from disk, lazily: it cannot be inside the single-file bundle. It is looked
 * for next to config.json (a deployment folder installs it there), next to the running script, then from the
 * working folder. Nothing else in the connector depends on it being there.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface GssServer {
  username: string;
  targetName: string;
  response: string;
  step(token: string): Promise<string>;
}
export interface GssClient {
  response: string;
  step(token: string): Promise<string>;
}
export interface KerberosModule {
  initializeServer(service: string): Promise<GssServer>;
  initializeClient(service: string, options?: { principal?: string; mechOID?: unknown }): Promise<GssClient>;
  GSS_MECH_OID_SPNEGO?: unknown;
  GSS_MECH_OID_KRB5?: unknown;
}

export type LoadResult =
  { ok: true; module: KerberosModule; from: string } | { ok: false; error: string; tried: string[] };

export function loadKerberos(dirs: string[]): LoadResult {
  const tried: string[] = [];
  let last = '';
  for (const dir of [...new Set(dirs.map((d) => path.resolve(d)))]) {
    tried.push(dir);
    try {
      const req = createRequire(path.join(dir, 'noop.js'));
      const from = req.resolve('kerberos');
      return { ok: true, module: req('kerberos') as KerberosModule, from };
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      // "cannot find" is the ordinary case for all but one folder; a module that is there but fails to load says more
      if (!last || !/Cannot find module/.test(msg)) last = msg;
    }
  }
  return { ok: false, error: last, tried };
}

/** Where a connector (or the hub) looks: its config folder, the bundle's folder, the script's folder, the working folder. */
export function kerberosSearchDirs(configDir: string): string[] {
  return [configDir, __dirname, path.dirname(process.argv[1] ?? '.'), process.cwd()];
}
