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
    // under "Tickets", the state is the label and the expiry leads the description: the sidebar cuts the rest
    const label = t.revokedAt
      ? 'revoked'
      : t.expired
        ? 'expired'
        : t.usesLeft === null
          ? 'any number of uses'
          : t.usesLeft === 0
            ? 'used up'
            : `${t.usesLeft} of ${t.maxUses} use${t.maxUses === 1 ? '' : 's'} left`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const id = `ticket ${t.id.slice(0, 8)}`;
    // used up, expired or revoked: the label says it all, the tooltip what it still allows; then what it was made for
    const live = !(t.revokedAt || t.expired || t.usesLeft === 0);
    item.description = [live ? `expires in ${until(t.expiresAt)}` : undefined, t.purpose, id]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon(t.revokedAt ? 'circle-slash' : t.expired ? 'history' : 'key');
    item.tooltip =
      (t.purpose ? `For: ${t.purpose}\n` : '') +
      `Ticket ${t.id}, created ${new Date(t.createdAt).toLocaleString()}\n` +
      (t.revokedAt
        ? `Revoked ${new Date(t.revokedAt).toLocaleString()}: answers 404, its instances are refused.`
        : t.expired
          ? `Expired ${new Date(t.expiresAt).toLocaleString()}: registers no new certificate; its connectors may still restart.`
          : t.usesLeft === 0
            ? 'Used up: registers no new certificate; its connectors may still restart.'
            : `Registers ${t.usesLeft ?? 'any number of'} more new connector certificate${t.usesLeft === 1 ? '' : 's'} until ${new Date(t.expiresAt).toLocaleString()}.`) +
      (t.registered.length
        ? `\nRegistered:\n${t.registered.map((r) => `  ${r.subject.replace(/^CN=/, '')} (${r.thumbprint.slice(0, 16)}…, ${r.status})`).join('\n')}`
        : '\nRegistered nothing yet.');
    item.contextValue = t.revokedAt ? 'ticket-revoked' : 'ticket-active';
    return item;
  }
}
