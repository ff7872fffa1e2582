/** The Connections view: connections from the store, live parts from the hub and the runner. */
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { ConnectionStore } from '../connections/store';
import { ConnectionNode, type ExplorerServices } from './nodes/connectionNode';
import { EntryNode } from './nodes/entryNode';
import type { ExplorerNode } from './nodes/node';

export class ConnectionsProvider extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, ConnectionNode>();
  private pending?: NodeJS.Timeout;
  readonly services: ExplorerServices;

  constructor(
    private readonly store: ConnectionStore,
    services: Omit<ExplorerServices, 'redraw'>,
  ) {
    super();
    this.services = { ...services, redraw: (n) => this.changed.fire(n) };
    this.register(
      store.onDidChange(() => {
        this.nodes.clear();
        this.redrawSoon();
      }),
    );
    this.register(services.hubs.onDidChange(() => this.redrawSoon()));
    this.register(services.runner.onDidChange(() => this.redrawSoon()));
  }

  /** Live changes come in bursts (an instance and its health): one redraw per burst. */
  private redrawSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
    }, 50);
  }

  refresh(): void {
    for (const n of this.nodes.values()) n.directory.reset();
    this.nodes.clear();
    this.changed.fire(undefined);
  }

  connectionNode(name: string): ConnectionNode | undefined {
    if (!this.nodes.size) void this.getChildren();
    return this.nodes.get(name);
  }

  getTreeItem(n: ExplorerNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return n.treeItem();
  }
  getParent(n: ExplorerNode): ExplorerNode | undefined {
    return n.parent;
  }

  async getChildren(n?: ExplorerNode): Promise<ExplorerNode[]> {
    if (n) return n.children ? n.children() : [];
    const next = new Map<string, ConnectionNode>();
    for (const def of this.store.all()) {
      const old = this.nodes.get(def.name);
      next.set(def.name, old && old.def === def ? old : new ConnectionNode(def, this.services));
    }
    this.nodes = next;
    return [...next.values()];
  }

  async loadMore(node: { parent: EntryNode }): Promise<void> {
    await node.parent.loadMore();
  }
}
