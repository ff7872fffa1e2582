/** A connector instance whose certificate waits for the admin's approval: who it is, and Approve / Reject. */
import * as vscode from 'vscode';
import type { PendingInstance } from '../../hub/hub';
import type { ExplorerNode } from './node';

export class PendingInstanceNode implements ExplorerNode {
  constructor(
    readonly pending: PendingInstance,
    readonly parent: ExplorerNode,
  ) {}
  get id(): string {
    return `pending:${this.pending.thumbprint}`;
  }

  treeItem(): vscode.TreeItem {
    const p = this.pending;
    const item = new vscode.TreeItem(p.host, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `waits for approval · ${p.address}${p.online ? ' · connected' : ''}`;
    item.iconPath = new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.warningForeground'));
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${p.host}** waits for approval: it gets no requests until approved.\n\n`);
    md.appendMarkdown(
      `- from ${p.address}${p.online ? ' (connected now)' : ''}, registered ${new Date(p.registeredAt).toLocaleString()}\n`,
    );
    md.appendMarkdown(`- certificate \`${p.thumbprint}\`\n- ticket \`${p.ticketId ?? 'none'}\`\n\n`);
    md.appendMarkdown('Approve it only if you installed this connector; reject it otherwise.');
    item.tooltip = md;
    item.contextValue = 'instance-pending';
    return item;
  }
}
