import * as vscode from 'vscode';
import { connectionArg, guarded, type CommandContext } from './context';
import { readSettings } from '../settings';

export function registerHubCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  return [
    r(
      'directoryBridge.startHub',
      guarded(async () => {
        const h = await ctx.hubs.start();
        return h.url;
      }),
    ),
    r(
      'directoryBridge.stopHub',
      guarded(async () => {
        await ctx.runner.stopAll();
        await ctx.hubs.stop();
      }),
    ),
    r('directoryBridge.showHubLog', () => ctx.hubs.channel.show(true)),
    r(
      'directoryBridge.copyHubCa',
      guarded(async () => {
        const pem = ctx.hubs.requireHub().caPem;
        await vscode.env.clipboard.writeText(pem);
        void vscode.window.showInformationMessage("The hub's CA certificate (PEM) is on the clipboard.");
        return pem;
      }),
    ),
    r(
      'directoryBridge.generateTicket',
      guarded(async (arg?: unknown) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return undefined;
        const hub = ctx.hubs.hub ?? (await ctx.hubs.start());
        const t = hub.createTicket(name, readSettings().ticketLifetimeMs);
        await vscode.env.clipboard.writeText(t.pinnedUrl);
        void vscode.window.showInformationMessage(
          `Ticket for "${name}" copied to the clipboard. It registers new connectors until ${new Date(t.expiresAt).toLocaleString()}.`,
        );
        return t;
      }),
    ),
    r(
      'directoryBridge.revokeTicket',
      guarded(async (node?: { ticket?: { id: string } }, options?: { confirm?: boolean }) => {
        const id = node?.ticket?.id;
        if (!id) return false;
        if (options?.confirm !== true) {
          const ok = await vscode.window.showWarningMessage(
            'Revoke this ticket? It answers 404 from now on, and the connectors it registered are disconnected and refused.',
            { modal: true },
            'Revoke',
          );
          if (ok !== 'Revoke') return false;
        }
        ctx.hubs.requireHub().revokeTicket(id);
        return true;
      }),
    ),
    r(
      'directoryBridge.removeInstance',
      guarded(async (node?: { info?: { thumbprint: string; host: string } }, options?: { confirm?: boolean }) => {
        if (!node?.info) return false;
        if (options?.confirm !== true) {
          const ok = await vscode.window.showWarningMessage(
            `Remove the certificate of the instance on ${node.info.host}? It is disconnected and refused until provisioned with a new key.`,
            { modal: true },
            'Remove',
          );
          if (ok !== 'Remove') return false;
        }
        ctx.hubs.requireHub().removeCertificate(node.info.thumbprint);
        return true;
      }),
    ),
    r('directoryBridge.refresh', () => ctx.tree.refresh()),
    r(
      'directoryBridge.loadMore',
      guarded((node: { parent: import('../tree/nodes/entryNode').EntryNode }) => ctx.tree.loadMore(node)),
    ),
  ];
}
