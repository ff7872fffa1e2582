/**
 * What the e2e suite may reach inside the running extension, named and typed in one place, instead of the whole
 * command context; and the only way to run the connection wizard scripted (commands always ask).
 */
import type * as vscode from 'vscode';
import { createConnection, editConnection } from './commands/connectionCommands';
import type { WizardAnswers } from './commands/connectionWizard';
import type { CommandContext } from './commands/context';
import type { ConnectionStore } from './connections/store';
import type { HubService } from './hubService';
import { EntryPanel } from './panels/entryPanel';
import { LoginPanel } from './panels/loginPanel';
import { QueryPanel } from './panels/queryPanel';
import { TicketPanel } from './panels/ticketPanel';
import type { ConnectorRunner } from './runner/connectorRunner';
import type { ConnectionsProvider } from './tree/connectionsProvider';

export interface DirectoryBridgeTestApi {
  readonly store: ConnectionStore;
  readonly hubs: HubService;
  readonly runner: ConnectorRunner;
  readonly tree: ConnectionsProvider;
  readonly view: vscode.TreeView<unknown>;
  readonly globalState: vscode.Memento;
  /** Where the extension keeps its files (the audit log among them). */
  readonly globalStorageUri: vscode.Uri;
  readonly secrets: vscode.SecretStorage;
  readonly panels: {
    query(): QueryPanel | undefined;
    login(): LoginPanel | undefined;
    tickets(): TicketPanel[];
    entry(): EntryPanel | undefined;
  };
  /** What the entry view's serializer does after a reload, in a new tab, with the state its webview had kept. */
  reviveEntry(state: unknown): EntryPanel;
  createConnection(answers: WizardAnswers): Promise<{ name: string; testReport?: string }>;
  editConnection(name: string, answers: WizardAnswers): Promise<{ name: string; testReport?: string } | undefined>;
}

export function testApi(ctx: CommandContext): DirectoryBridgeTestApi {
  return {
    store: ctx.store,
    hubs: ctx.hubs,
    runner: ctx.runner,
    tree: ctx.tree,
    view: ctx.view,
    globalState: ctx.extension.globalState,
    globalStorageUri: ctx.extension.globalStorageUri,
    secrets: ctx.extension.secrets,
    panels: {
      query: () => QueryPanel.current,
      login: () => LoginPanel.current,
      tickets: () => [...TicketPanel.open],
      entry: () => EntryPanel.current,
    },
    reviveEntry: (state) => {
      const deps = { extension: ctx.extension, store: ctx.store, registry: ctx.registry };
      return EntryPanel.restore(deps, EntryPanel.newPanel(deps), state);
    },
    createConnection: (answers) => createConnection(ctx, answers),
    editConnection: (name, answers) => editConnection(ctx, name, answers),
  };
}
