/**
 * The embedded connector: the bundled connector run as a child process with the editor's own Node, registered with
 * the hub in process (no ticket: the editor owns both ends), its log in a LogOutputChannel per connection. The
 * service password and the signing key reach it through the environment only; nothing secret is written for it
 * but the private key the connector makes itself (owner-only, in its certs/ folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../shared/files';
import { runNode } from '../../shared/runNode';
import type { RawConfig } from '../../protocol/connectorConfig';
import { EmbeddedCertificateRemovedError } from '../hub/errors';
import { Disposable } from '../common/disposable';
import { forwardLine } from '../common/outputLogger';
import { toConnectorConfig, type ConnectionDefinition } from '../connections/model';
import type { ConnectionStore } from '../connections/store';
import type { HubService } from '../hubService';
import { readSettings } from '../settings';
import type { AdoptReportJson } from '../../protocol/adoptReport';

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  startedAt: Date;
}

export class ConnectorRunner extends Disposable {
  private readonly running = new Map<string, Running>();
  private readonly channels = new Map<string, vscode.LogOutputChannel>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: ConnectionStore,
    private readonly hubs: HubService,
  ) {
    super();
  }

  /** The bundled connector, as shipped in the .vsix. */
  get connectorScript(): string {
    return this.context.asAbsolutePath(path.join('dist', 'connector.js'));
  }
  folderOf(name: string): string {
    return path.join(this.context.globalStorageUri.fsPath, 'connectors', name);
  }
  isRunning(name: string): boolean {
    return this.running.has(name);
  }
  pidOf(name: string): number | undefined {
    return this.running.get(name)?.child.pid;
  }

  channel(name: string): vscode.LogOutputChannel {
    let c = this.channels.get(name);
    if (!c) {
      c = this.register(vscode.window.createOutputChannel(`Directory Bridge: connector ${name}`, { log: true }));
      this.channels.set(name, c);
    }
    return c;
  }

  async start(name: string): Promise<void> {
    if (this.running.has(name)) return;
    const def = this.requireDefinition(name);
    const env = await this.environment(def);
    const configFile = await this.prepare(def, env);
    const log = this.channel(name);
    const child = spawn(process.execPath, [this.connectorScript, 'start', '--config', configFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        this.running.delete(name);
        log.info(`connector process ${child.pid} exited (${signal ?? `code ${code}`})`);
        this.changed.fire();
        resolve();
      }),
    );
    pipeLines(child, (line) => forwardLine(log, line));
    this.running.set(name, { child, exited, startedAt: new Date() });
    log.info(`connector process ${child.pid} started`);
    this.changed.fire();
  }

  async stop(name: string): Promise<void> {
    const r = this.running.get(name);
    if (!r) return;
    r.child.kill('SIGTERM');
    const timer = setTimeout(() => r.child.kill('SIGKILL'), 10_000);
    await r.exited;
    clearTimeout(timer);
  }

  async restart(name: string): Promise<void> {
    await this.stop(name);
    await this.start(name);
  }

  stopAll(): Promise<void> {
    return Promise.all([...this.running.keys()].map((n) => this.stop(n))).then(() => undefined);
  }

  /** Runs the connector's troubleshooter for a connection (provisioning it first if needed). */
  async troubleshoot(name: string): Promise<Array<{ step: string; status: string; detail: string; hint?: string }>> {
    const def = this.requireDefinition(name);
    const env = await this.environment(def);
    const configFile = await this.prepare(def, env);
    const { out } = await runNode([this.connectorScript, 'troubleshoot', '--json', '--config', configFile], { env });
    return out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  }

  /** `adopt DIR` of the bundled connector: takes over a folder of the deployed AD/LDAP connector in place. */
  async adopt(folder: string): Promise<{ report: AdoptReport; text: string }> {
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    const json = await runNode([this.connectorScript, 'adopt', folder, '--json'], { env });
    if (json.code !== 0) throw new Error(json.out.trim().replace(/^directory-bridge-connector: /, ''));
    const report = JSON.parse(json.out) as AdoptReport;
    return { report, text: report.text };
  }

  private requireDefinition(name: string): ConnectionDefinition {
    const def = this.store.get(name);
    if (!def) throw new Error(`No connection named "${name}"`);
    return def;
  }

  private async environment(def: ConnectionDefinition): Promise<NodeJS.ProcessEnv> {
    const password = await this.store.bindPassword(def.name);
    if (!password)
      throw new Error(`No service account password is stored for "${def.name}": edit the connection to set it.`);
    // ELECTRON_RUN_AS_NODE makes the desktop editor's binary behave as plain Node; code-server's is Node already
    // DIRECTORY_BRIDGE_PARENT_PID: the connector exits if the editor's process goes away without stopping it
    const config: RawConfig = { LDAP_BIND_CREDENTIALS: password, LOG_LEVEL: readSettings().logLevel };
    return {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      ...(config as Record<string, string>),
      DIRECTORY_BRIDGE_PARENT_PID: String(process.pid),
    };
  }

  /**
   * Writes the non-secret config and registers the connector with the hub in this process: the editor owns both
   * ends, so no ticket is made. The connector makes its key pair itself (`certificate`): the private key never
   * leaves its certs/ folder (owner-only), and only the public certificate comes back here. The signing key goes
   * to the connector through the environment at each start, never into a file, a command line or a log.
   */
  private async prepare(def: ConnectionDefinition, env: NodeJS.ProcessEnv): Promise<string> {
    const hub = this.hubs.requireHub();
    const dir = this.folderOf(def.name);
    const configFile = path.join(dir, 'config.json');
    // what an older version left here (a sealed ticket, a sealed signing key) is not carried over
    const config: RawConfig = {
      ...toConnectorConfig(def),
      AD_HUB: hub.adHubUrl,
      CONNECTION: def.name,
      REALM: hub.realm,
      CA_CERT: hub.caPem,
    };
    writeFileAtomic(configFile, JSON.stringify(config, null, 2), 0o600);
    let signingKey: string;
    try {
      signingKey = await hub.registerEmbeddedCertificate(def.name, await this.certificate(configFile, env));
    } catch (e) {
      if (!(e instanceof EmbeddedCertificateRemovedError)) throw e;
      // removed by the admin: pressing Start again is the admin's own decision, so a new key pair is made
      this.channel(def.name).warn(`${e.message}: making a new key pair for it`);
      for (const f of ['connector.key', 'connector.pem']) rmSync(path.join(dir, 'certs', f), { force: true });
      signingKey = await hub.registerEmbeddedCertificate(def.name, await this.certificate(configFile, env));
    }
    env.TENANT_SIGNING_KEY = signingKey;
    return configFile;
  }

  /** The connector's certificate (public), its key pair made by the connector itself when there is none yet. */
  private async certificate(configFile: string, env: NodeJS.ProcessEnv): Promise<string> {
    const pem = path.join(path.dirname(configFile), 'certs', 'connector.pem');
    const key = path.join(path.dirname(configFile), 'certs', 'connector.key');
    if (existsSync(pem) && existsSync(key)) return readFileSync(pem, 'utf8');
    const { code, out } = await runNode([this.connectorScript, 'certificate', '--json', '--config', configFile], {
      env,
    });
    if (code !== 0) throw new Error(`The embedded connector could not make its key pair: ${out.trim()}`);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    return (JSON.parse(line ?? '{}') as { certificatePem?: string }).certificatePem ?? '';
  }

  override dispose(): void {
    for (const r of this.running.values()) r.child.kill('SIGTERM');
    super.dispose();
  }
}

function pipeLines(child: ChildProcess, onLine: (l: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (d: Buffer) => {
      const parts = (rest + d.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) if (p) onLine(p);
    });
  }
}

/** What `adopt --json` prints. */
export type AdoptReport = AdoptReportJson;
