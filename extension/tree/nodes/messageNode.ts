import * as vscode from 'vscode';
import type { ExplorerNode } from './node';

/** A leaf that only says something: "No instance online", an error, an empty folder. */
export class MessageNode implements ExplorerNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon = 'info',
    private readonly tooltip?: string,
    /** what a click does, said in the description so that it is never a surprise */
    private readonly action?: { description: string; command: vscode.Command },
  ) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip ?? this.label;
    item.contextValue = 'message';
    if (this.action) {
      item.description = this.action.description;
      item.command = this.action.command;
    }
    return item;
  }
}
