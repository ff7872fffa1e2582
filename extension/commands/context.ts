/** What every command needs, and how a command finds the connection it is about (tree node, name or a pick). */
import type { ReportDocuments } from '../common/reportDocuments';
import * as vscode from 'vscode';
import { CancelledError } from '../../shared/namedError';
import type { ConnectionStore } from '../connections/store';
import type { DirectoryRegistry } from '../directories';
import type { HubService } from '../hubService';
import type { ConnectorRunner } from '../runner/connectorRunner';
import type { ConnectionsProvider } from '../tree/connectionsProvider';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  store: ConnectionStore;
  hubs: HubService;
  runner: ConnectorRunner;
  registry: DirectoryRegistry;
  tree: ConnectionsProvider;
  view: vscode.TreeView<unknown>;
  reports: ReportDocuments;
}

/** A command's first argument: a tree node with a connection, a name, `{ connection }`, or nothing (ask). */
export async function connectionArg(ctx: CommandContext, arg: unknown): Promise<string | undefined> {
  const a = arg as
    { name?: unknown; def?: { name: string }; connection?: unknown; parent?: unknown } | string | undefined;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object') {
    if (a.def?.name) return a.def.name;
    if (typeof a.connection === 'string') return a.connection;
    let p = a.parent as { def?: { name: string }; parent?: unknown } | undefined;
    while (p) {
      if (p.def?.name) return p.def.name;
      p = p.parent as typeof p;
    }
  }
  const names = ctx.store.names();
  if (names.length === 0) {
    void vscode.window.showInformationMessage('No connection yet: create one first.');
    return undefined;
  }
  if (names.length === 1) return names[0];
  return vscode.window.showQuickPick(names, { title: 'Which connection?' });
}

/** Runs a command body and turns a thrown error into one clear message (and a rejected promise for callers). */
export function guarded<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      if (e instanceof CancelledError) return undefined;
      void vscode.window.showErrorMessage((e as Error).message);
      throw e;
    }
  };
}
