/**
 * The hub embedded in the extension host: started and stopped from the UI, state in the extension's global
 * storage, signing keys in SecretStorage. Keeps the hub's connections in step with the connection store.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Hub, type PendingInstance } from './hub/hub';
import type { SecretStore } from './hub/secretStore';
import { Disposable } from './common/disposable';
import { outputLogger } from './common/outputLogger';
import type { ConnectionStore } from './connections/store';
import { readSettings } from './settings';

export type HubStatus = 'stopped' | 'starting' | 'running' | 'failed';

class SecretStorageAdapter implements SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  get(key: string) {
    return Promise.resolve(this.secrets.get(`directoryBridge.hub.${key}`));
  }
  set(key: string, value: string) {
    return Promise.resolve(this.secrets.store(`directoryBridge.hub.${key}`, value));
  }
  delete(key: string) {
    return Promise.resolve(this.secrets.delete(`directoryBridge.hub.${key}`));
  }
}

export class HubService extends Disposable {
  status: HubStatus = 'stopped';
  lastError?: string;
  private current?: Hub;
  private readonly notified = new Set<string>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires on any change the UI shows: hub status, connections, tickets, instances and their health. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: ConnectionStore,
    readonly channel: vscode.LogOutputChannel,
  ) {
    super();
    this.register(
      store.onDidChange(
        () => void this.reconcile().catch((e) => channel.error(`sync of connections failed: ${(e as Error).message}`)),
      ),
    );
  }

  get hub(): Hub | undefined {
    return this.current;
  }
  get stateDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'hub');
  }

  requireHub(): Hub {
    if (!this.current)
      throw new Error(
        `The hub is not running${this.lastError ? ` (${this.lastError})` : ''}: run "Directory Bridge: Start Hub".`,
      );
    return this.current;
  }

  async start(): Promise<Hub> {
    if (this.current) return this.current;
    const s = readSettings();
    this.setStatus('starting');
    try {
      const hub = await Hub.start({
        stateDir: this.stateDir,
        host: s.hubHost,
        port: s.hubPort,
        ticketLifetimeMs: s.ticketLifetimeMs,
        secrets: new SecretStorageAdapter(this.context.secrets),
        log: outputLogger(this.channel),
      });
      this.current = hub;
      for (const e of ['changed', 'instance-online', 'instance-offline', 'instance-health', 'instance-pending'])
        hub.on(e, () => this.changed.fire());
      hub.on('instance-pending', (p: PendingInstance) => this.notifyPending(p));
      this.lastError = undefined;
      await this.reconcile();
      this.setStatus('running');
      return hub;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      this.lastError =
        err.code === 'EADDRINUSE'
          ? `port ${s.hubPort} on ${s.hubHost} is in use: another hub runs there; stop it or change directoryBridge.hub.port`
          : err.message;
      this.channel.error(`the hub did not start: ${this.lastError}`);
      this.setStatus('failed');
      throw new Error(`The hub did not start: ${this.lastError}`);
    }
  }

  async stop(): Promise<void> {
    const hub = this.current;
    if (!hub) return;
    this.current = undefined;
    hub.removeAllListeners();
    await hub.stop();
    this.setStatus('stopped');
  }

  /** One notification per certificate waiting for approval, with the decision on its buttons. */
  private notifyPending(p: PendingInstance): void {
    if (this.notified.has(p.thumbprint)) return;
    this.notified.add(p.thumbprint);
    void vscode.window
      .showWarningMessage(
        `A new connector instance for "${p.connection}" waits for approval: ${p.host} from ${p.address}, certificate ${p.thumbprint.slice(0, 16)}…, ticket ${p.ticketId?.slice(0, 8) ?? 'none'}. Approve it only if you installed it.`,
        'Approve',
        'Reject',
      )
      .then(
        async (choice) => {
          if (choice === 'Approve')
            await vscode.commands.executeCommand('directoryBridge.approveInstance', p.thumbprint);
          if (choice === 'Reject') await vscode.commands.executeCommand('directoryBridge.rejectInstance', p.thumbprint);
        },
        () => undefined,
      );
  }

  /** Every stored connection exists in the hub with the same domains, ranges and cache switch. */
  private async reconcile(): Promise<void> {
    const hub = this.current;
    if (!hub) return;
    for (const def of this.store.all()) {
      const existing = hub.state.connection(def.name);
      if (!existing) {
        await hub.createConnection({
          name: def.name,
          emailDomains: def.emailDomains,
          kerberosRanges: def.kerberosRanges,
          cacheEnabled: def.cacheEnabled,
        });
      } else if (
        existing.cacheEnabled !== def.cacheEnabled ||
        existing.emailDomains.join() !== def.emailDomains.join() ||
        existing.kerberosRanges.join() !== def.kerberosRanges.join()
      ) {
        hub.updateConnection(def.name, {
          cacheEnabled: def.cacheEnabled,
          emailDomains: def.emailDomains,
          kerberosRanges: def.kerberosRanges,
        });
      }
    }
    this.changed.fire();
  }

  private setStatus(s: HubStatus): void {
    this.status = s;
    void vscode.commands.executeCommand('setContext', 'directoryBridge.hubRunning', s === 'running');
    this.changed.fire();
  }

  override dispose(): void {
    void this.stop();
    super.dispose();
  }
}
