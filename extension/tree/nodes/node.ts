/** What every node of the connection explorer is: a TreeItem it can render, and children it can load. */
import type * as vscode from 'vscode';

export interface ExplorerNode {
  readonly id: string;
  treeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  children?(): Promise<ExplorerNode[]>;
  parent?: ExplorerNode;
}
