import * as vscode from 'vscode';
import { connectionArg, guarded, type CommandContext } from './context';
import { readSettings } from '../settings';
import { lifetimeWords, TicketPanel, usesWords } from '../panels/ticketPanel';
import { ticketReachWarning } from '../deploy/hubReach';

/** A pending-instance node, `{ thumbprint }` or the thumbprint itself. */
function thumbprintArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const a = arg as { pending?: { thumbprint?: unknown }; thumbprint?: unknown } | undefined;
  const t = a?.pending?.thumbprint ?? a?.thumbprint;
  return typeof t === 'string' ? t : undefined;
}

async function askUses(): Promise<number | undefined> {
  const v = await vscode.window.showInputBox({
    title: 'Generate Ticket',
    prompt: 'How many new connectors may this ticket register? Each one waits for your approval.',
    value: '1',
    validateInput: (s) =>
      /^\d+$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= 1000 ? undefined : 'A whole number from 1 to 1000.',
  });
  return v === undefined ? undefined : Number(v.trim());
}

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
      guarded(async (arg?: unknown, options?: { uses?: number; purpose?: string }) => {
        const name = await connectionArg(ctx, arg);
        if (!name) return undefined;
        const hub = ctx.hubs.hub ?? (await ctx.hubs.start());
        const uses = options?.uses ?? (await askUses());
        if (uses === undefined) return undefined;
        const purpose = options?.purpose ?? 'set up by hand';
        const t = hub.createTicket(name, readSettings().ticketLifetimeMs, uses, { purpose });
        // the one place its URL is ever shown: read and copied there, as often as needed, until the tab is closed
        TicketPanel.show(ctx.extension, {
          id: t.id,
          connection: name,
          purpose: options?.purpose ?? 'a connector you set up by hand on a server (Generate Ticket)',
          url: t.pinnedUrl,
          lifetime: lifetimeWords(t.expiresAt),
          uses: usesWords(uses),
          approval: hub.state.connection(name)?.requireApproval !== false,
          reach: ticketReachWarning(hub.host, hub.url),
        });
        return t;
      }),
    ),
    r(
      'directoryBridge.approveInstance',
      guarded(async (arg?: unknown) => {
        const tp = thumbprintArg(arg);
        if (!tp) return undefined;
        return ctx.hubs.requireHub().approveInstance(tp);
      }),
    ),
    r(
      'directoryBridge.rejectInstance',
      guarded(async (arg?: unknown, options?: { confirm?: boolean }) => {
        const tp = thumbprintArg(arg);
        if (!tp) return undefined;
        if (options?.confirm !== true) {
          const ok = await vscode.window.showWarningMessage(
            'Reject this connector instance? Its certificate is refused from now on and it is disconnected.',
            { modal: true },
            'Reject',
          );
          if (ok !== 'Reject') return undefined;
        }
        return ctx.hubs.requireHub().rejectInstance(tp);
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
