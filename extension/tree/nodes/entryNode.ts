/**
 * The directory, browsed lazily from the base DN: each entry lists its children one page at a time, and a
 * "Load more" node fetches the next page from the same streaming search.
 */
import * as vscode from 'vscode';
import type { Entry } from 'ldapts';
import type { DirectoryRegistry } from '../../directories';
import { MessageNode } from './messageNode';
import type { ExplorerNode } from './node';

export const PAGE_SIZE = 100;

function iconFor(e: Entry): string {
  const oc = ([] as unknown[]).concat(e.objectClass ?? []).map((x) => String(x).toLowerCase());
  if (
    oc.includes('group') ||
    oc.includes('groupofnames') ||
    oc.includes('groupofuniquenames') ||
    oc.includes('posixgroup')
  )
    return 'organization';
  if (oc.includes('user') || oc.includes('person') || oc.includes('inetorgperson')) return 'person';
  if (oc.includes('organizationalunit') || oc.includes('container') || oc.includes('builtindomain')) return 'folder';
  if (oc.includes('domain') || oc.includes('dcobject')) return 'globe';
  return 'symbol-field';
}

export class EntryNode implements ExplorerNode {
  private pages?: AsyncGenerator<Entry[]>;
  private loaded: ExplorerNode[] = [];
  private exhausted = false;

  constructor(
    readonly connection: string,
    readonly dn: string,
    private readonly entry: Entry | undefined,
    private readonly registry: DirectoryRegistry,
    private readonly onChanged: (n: ExplorerNode) => void,
    readonly parent?: ExplorerNode,
    private readonly rootLabel?: string,
  ) {}

  get id(): string {
    return `entry:${this.connection}:${this.dn.toLowerCase()}`;
  }

  treeItem(): vscode.TreeItem {
    const rdn = this.rootLabel ?? this.dn.split(/(?<!\\),/)[0];
    const item = new vscode.TreeItem(rdn, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.rootLabel ? this.dn : undefined;
    item.tooltip = this.dn;
    item.iconPath = new vscode.ThemeIcon(this.entry ? iconFor(this.entry) : 'database');
    item.contextValue = 'entry';
    return item;
  }

  async children(): Promise<ExplorerNode[]> {
    if (!this.pages) {
      try {
        const dir = await this.registry.get(this.connection);
        this.pages = dir.search({
          base: this.dn,
          scope: 'one',
          filter: '(objectClass=*)',
          attributes: ['objectClass'],
          pageSize: PAGE_SIZE,
        });
        this.loaded = [];
        this.exhausted = false;
        await this.nextPage();
      } catch (e) {
        this.pages = undefined;
        return [new MessageNode(`${this.id}:error`, `Cannot read the directory: ${(e as Error).message}`, 'error')];
      }
    }
    const out = [...this.loaded];
    if (!this.exhausted) out.push(new LoadMoreNode(this));
    if (!out.length) out.push(new MessageNode(`${this.id}:empty`, 'No entries below', 'circle-outline'));
    return out;
  }

  /** Fetches the next page and redraws this node. */
  async loadMore(): Promise<void> {
    await this.nextPage();
    this.onChanged(this);
  }

  /** Forgets loaded children (refresh). */
  reset(): void {
    void this.pages?.return(undefined);
    this.pages = undefined;
  }

  private async nextPage(): Promise<void> {
    const r = await this.pages!.next();
    if (r.done) {
      this.exhausted = true;
      return;
    }
    for (const e of r.value)
      this.loaded.push(new EntryNode(this.connection, e.dn, e, this.registry, this.onChanged, this));
    // the stream reads ahead, so a short page means the end
    if (r.value.length < PAGE_SIZE) {
      this.exhausted = true;
      void this.pages!.return(undefined);
    }
  }
}

export class LoadMoreNode implements ExplorerNode {
  constructor(readonly parent: EntryNode) {}
  get id(): string {
    return `${this.parent.id}:more`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Load ${PAGE_SIZE} more…`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'directoryBridge.loadMore', title: 'Load More', arguments: [this] };
    item.contextValue = 'loadMore';
    return item;
  }
}
