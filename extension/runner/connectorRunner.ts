/**
 * The embedded connector: the bundled connector run as a child process with the editor's own Node, provisioned
 * through a ticket automatically, its log in a LogOutputChannel per connection. The service password reaches it
 * through the environment only; nothing secret is written for it but what the connector seals itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../shared/files';
import { runNode } from '../../shared/runNode';
import { PROVISIONED_KEYS, type RawConfig } from '../../protocol/connectorConfig';
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

  /** Writes the non-secret config and provisions against the running hub when not yet registered there. */
  private async prepare(def: ConnectionDefinition, env: NodeJS.ProcessEnv): Promise<string> {
    const hub = this.hubs.requireHub();
    const dir = this.folderOf(def.name);
    const configFile = path.join(dir, 'config.json');
    const existing = existsSync(configFile)
      ? (JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>)
      : {};
    const provisioned =
      existing.CONNECTION === def.name &&
      existing.AD_HUB === hub.adHubUrl &&
      existing.REALM === hub.realm &&
      hub.state.activeCertificates(def.name).length > 0 &&
      existsSync(path.join(dir, 'certs', 'connector.pem'));
    const keep = provisioned
      ? Object.fromEntries(PROVISIONED_KEYS.filter((k) => k in existing).map((k) => [k, existing[k]]))
      : {};
    writeFileAtomic(configFile, JSON.stringify({ ...toConnectorConfig(def), ...keep }, null, 2), 0o600);
    if (!provisioned) {
      // the editor starts this connector itself, with a key pair made just now: what it registers is approved
      const ticket = hub.createTicket(def.name, 3600_000, 1, { preApproved: true });
      // the ticket goes through the environment, not argv: a command line is visible to every user in `ps`
      const { code, out } = await runNode([this.connectorScript, 'setup', '--config', configFile], {
        env: { ...env, PROVISIONING_TICKET: ticket.pinnedUrl },
      });
      this.channel(def.name).info(out.trim());
      if (code !== 0) throw new Error(`Provisioning the embedded connector failed: ${out.trim()}`);
    }
    return configFile;
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
