import * as vscode from 'vscode';
import type { TicketInfo } from '../../hub/hub';
import type { ExplorerNode } from './node';

function until(iso: string): string {
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return s < 3600
    ? `${Math.max(1, Math.round(s / 60))} min`
    : s < 86400
      ? `${Math.round(s / 3600)} h`
      : `${Math.round(s / 86400)} d`;
}

export class TicketNode implements ExplorerNode {
  constructor(
    readonly ticket: TicketInfo,
    readonly parent: ExplorerNode,
  ) {}
  get id(): string {
    return `ticket:${this.ticket.id}`;
  }

  treeItem(): vscode.TreeItem {
    const t = this.ticket;
    const item = new vscode.TreeItem(`Ticket ${t.id.slice(0, 8)}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const uses =
      t.usesLeft === null
        ? ''
        : t.usesLeft === 0
          ? ' · used up'
          : ` · ${t.usesLeft} of ${t.maxUses} use${t.maxUses === 1 ? '' : 's'} left`;
    item.description =
      (t.revokedAt ? 'revoked' : t.expired ? 'expired · restarts only' : `expires in ${until(t.expiresAt)}`) +
      (t.revokedAt ? '' : uses) +
      // what it was made for, after what matters most (how long, how many)
      (t.purpose ? ` · ${t.purpose}` : '');
    item.iconPath = new vscode.ThemeIcon(t.revokedAt ? 'circle-slash' : t.expired ? 'history' : 'key');
    item.tooltip =
      (t.purpose ? `For: ${t.purpose}\n` : '') +
      `Created ${new Date(t.createdAt).toLocaleString()}\n` +
      (t.revokedAt
        ? `Revoked ${new Date(t.revokedAt).toLocaleString()}: answers 404, its instances are refused.`
        : t.expired
          ? `Expired ${new Date(t.expiresAt).toLocaleString()}: registers no new certificate; its connectors may still restart.`
          : `Registers ${t.usesLeft ?? 'any number of'} more new connector certificate${t.usesLeft === 1 ? '' : 's'} until ${new Date(t.expiresAt).toLocaleString()}.`) +
      (t.registered.length
        ? `\nRegistered:\n${t.registered.map((r) => `  ${r.subject.replace(/^CN=/, '')} (${r.thumbprint.slice(0, 16)}…, ${r.status})`).join('\n')}`
        : '\nRegistered nothing yet.');
    item.contextValue = t.revokedAt ? 'ticket-revoked' : 'ticket-active';
    return item;
  }
}
