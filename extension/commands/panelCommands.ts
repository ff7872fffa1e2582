import * as vscode from 'vscode';
import { AuditLog } from '../audit/auditLog';
import { AccountFixer } from '../panels/accountFixes';
import { LOGIN_VIEW_TYPE, LoginPanel, type LoginDeps } from '../panels/loginPanel';
import { QUERY_VIEW_TYPE, QueryPanel, type QueryDeps } from '../panels/queryPanel';
import type { QueryRequest } from '../webview/messages';
import { connectionArg, guarded, type CommandContext } from './context';

export function registerPanelCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  const queryDeps: QueryDeps = { extension: ctx.extension, store: ctx.store, registry: ctx.registry };
  const audit = new AuditLog(ctx.extension.globalStorageUri.fsPath);
  const loginDeps: LoginDeps = {
    extension: ctx.extension,
    store: ctx.store,
    registry: ctx.registry,
    hubs: ctx.hubs,
    fixer: new AccountFixer(ctx.store, ctx.registry, audit, ctx.hubs),
  };
  return [
    r(
      'directoryBridge.openQuery',
      guarded(async (arg?: unknown, request?: Partial<QueryRequest>) => {
        const connection = await connectionArg(ctx, arg);
        return QueryPanel.show(queryDeps, { ...request, ...(connection ? { connection } : {}) });
      }),
    ),
    r(
      'directoryBridge.queryFromHere',
      guarded(async (node?: { connection?: string; dn?: string }) => {
        if (!node?.dn || !node.connection) return undefined;
        return QueryPanel.show(queryDeps, { connection: node.connection, base: node.dn, scope: 'sub' });
      }),
    ),
    r(
      'directoryBridge.openTestLogin',
      guarded(async (arg?: unknown) => {
        const a = arg as { def?: unknown } | string | undefined;
        const connection =
          typeof a === 'string' || (a && typeof a === 'object' && a.def) ? await connectionArg(ctx, arg) : undefined;
        return LoginPanel.show(loginDeps, connection);
      }),
    ),
    r(
      'directoryBridge.openAuditLog',
      guarded(async () => {
        if (!(await audit.entries()).length) {
          void vscode.window.showInformationMessage(
            'The audit log is empty: no change has been written to a directory from this editor yet.',
          );
          return undefined;
        }
        return vscode.window.showTextDocument(vscode.Uri.file(audit.file), { preview: false });
      }),
    ),
    // panels open before a reload come back with their state
    vscode.window.registerWebviewPanelSerializer(QUERY_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: { request?: Partial<QueryRequest> } | undefined) {
        new QueryPanel(panel, queryDeps, state?.request ?? {});
      },
    }),
    vscode.window.registerWebviewPanelSerializer(LOGIN_VIEW_TYPE, {
      async deserializeWebviewPanel(panel) {
        new LoginPanel(panel, loginDeps);
      },
    }),
  ];
}
