/** Wires the parts together; each lives in its own file. */
import { mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { registerConnectionCommands } from './commands/connectionCommands';
import type { CommandContext } from './commands/context';
import { registerDeployCommands } from './commands/deployCommands';
import { registerHubCommands } from './commands/hubCommands';
import { registerPanelCommands } from './commands/panelCommands';
import { registerRunnerCommands } from './commands/runnerCommands';
import { registerSignInCommands } from './commands/signInCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { ReportDocuments } from './common/reportDocuments';
import { ConnectionStore } from './connections/store';
import { DirectoryRegistry } from './directories';
import { HubService } from './hubService';
import { ConnectorRunner } from './runner/connectorRunner';
import { seedSampleConnection } from './playground';
import { readSettings } from './settings';
import { HubStatusBar } from './statusBar';
import { testApi, type DirectoryBridgeTestApi } from './testApi';
import { ConnectionsProvider } from './tree/connectionsProvider';

let runner: ConnectorRunner | undefined;
let hubs: HubService | undefined;

export interface DirectoryBridgeApi {
  activationMs: number;
  statusText(): string;
  /** For the e2e suite (testApi.ts). */
  testing: DirectoryBridgeTestApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<DirectoryBridgeApi> {
  const t0 = performance.now();
  mkdirSync(context.globalStorageUri.fsPath, { recursive: true });
  const hubLog = vscode.window.createOutputChannel('Directory Bridge: hub', { log: true });
  const store = new ConnectionStore(context.globalStorageUri.fsPath, context.secrets);
  hubs = new HubService(context, store, hubLog);
  runner = new ConnectorRunner(context, store, hubs);
  const registry = new DirectoryRegistry(store, hubLog);
  const tree = new ConnectionsProvider(store, { hubs, runner, registry });
  const view = vscode.window.createTreeView('directoryBridge.connections', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const status = new HubStatusBar(hubs);
  const reports = new ReportDocuments();
  context.subscriptions.push(hubLog, store, hubs, runner, registry, tree, view, status, reports);

  const ctx: CommandContext = {
    extension: context,
    store,
    hubs,
    runner,
    registry,
    tree,
    view: view as vscode.TreeView<unknown>,
    reports,
  };
  context.subscriptions.push(
    ...registerConnectionCommands(ctx),
    ...registerHubCommands(ctx),
    ...registerRunnerCommands(ctx),
    ...registerDeployCommands(ctx),
    ...registerPanelCommands(ctx),
    ...registerSignInCommands(ctx),
    ...registerTreeCommands(ctx),
  );

  const setCount = () =>
    void vscode.commands.executeCommand('setContext', 'directoryBridge.connectionCount', store.all().length);
  context.subscriptions.push(store.onDidChange(setCount));
  setCount();
  void vscode.commands.executeCommand('setContext', 'directoryBridge.ready', true);
  if (store.readOnlyReason) void vscode.window.showErrorMessage(`Directory Bridge: ${store.readOnlyReason}`);
  await seedSampleConnection(store).catch((e) => hubLog.warn(`sample connection not added: ${(e as Error).message}`));
  if (readSettings().hubAutoStart) void hubs.start().catch(() => undefined);

  const activationMs = performance.now() - t0;
  hubLog.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, statusText: () => status.text, testing: testApi(ctx) };
}

/** Stops the embedded connectors (no process is left behind) and the hub. */
export async function deactivate(): Promise<void> {
  await runner?.stopAll();
  await hubs?.stop();
}
