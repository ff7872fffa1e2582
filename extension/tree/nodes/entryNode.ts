/**
 * The directory, browsed lazily from the base DN: each container lists its children one page at a time ("Load
 * more"), optionally through a "find" filter. Leaves have no arrow: the server says which entries have children
 * (hasSubordinates, numSubordinates, AD's msDS-Approx-Immed-Subordinates) or, where it does not (Samba AD), a
 * one-entry probe asks. A container says how many entries it holds where that is known or cheap to bound.
 */
import * as vscode from 'vscode';
import type { Entry } from 'ldapts';
import type { DirectoryRegistry } from '../../directories';
import { ChildPager } from '../childPager';
import { MessageNode } from './messageNode';
import type { ExplorerNode } from './node';
import {
  boundedCount,
  countLabel,
  findFilter,
  isContainerClass,
  listedCount,
  normalizeDn,
  objectClasses,
  placeBelow,
  rdns,
  scopeWords,
  SUBORDINATE_ATTRIBUTES,
  subordinatesOf,
  type ChildCount,
  type FindScope,
  type Subordinates,
} from '../treeLogic';

export const PAGE_SIZE = 100;
/** A bounded count stops here ("1,000+ entries"): never a full count of a large container. */
export const COUNT_MAX = 1000;
/**
 * A find at all levels lists at most this many matches, read in one go (two or three pages): past it the tree says
 * "200+ matches: narrow the search" rather than paging through a large part of the directory.
 */
export const SUBTREE_MAX = 200;
/** Child containers counted in the background per page (the others when they are expanded). */
const COUNT_AHEAD = 10;
/** An open listing holds a pooled connection: it is let go after this long without "Load more". */
const IDLE_MS = 30_000;

/** What every entry node shares: the engine, the redraw, the kind of directory (AD does not honour size limits). */
export interface EntryEnv {
  connection: string;
  kind: 'ad' | 'openldap';
  registry: DirectoryRegistry;
  redraw(n: ExplorerNode): void;
}

function iconFor(e: Entry): string {
  const oc = objectClasses(e);
  if (
    oc.includes('group') ||
    oc.includes('groupofnames') ||
    oc.includes('groupofuniquenames') ||
    oc.includes('posixgroup')
  )
    return 'organization';
  if (oc.includes('computer')) return 'device-desktop';
  if (oc.includes('user') || oc.includes('person') || oc.includes('inetorgperson')) return 'person';
  if (isContainerClass(e) && !oc.includes('domain') && !oc.includes('dcobject')) return 'folder';
  if (oc.includes('domain') || oc.includes('dcobject')) return 'globe';
  return 'symbol-field';
}

export class EntryNode implements ExplorerNode {
  private pager = this.newPager();
  private started = false;
  private loaded: EntryNode[] = [];
  private firstPage?: Promise<void>;
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by "Find in This Container…": what the admin typed, the LDAP filter made of it, and how deep. */
  private find?: { text: string; filter: string; scope: FindScope };
  /** A find at all levels found more than SUBTREE_MAX: only the first ones are listed. */
  private truncated = false;
  subs: Subordinates;
  count?: ChildCount;
  /** Added by Go to DN before its page was read: said beside it, as it sits after the pages read so far. */
  pinned = false;
  /** How long the last page took (ms), for the figures in tests and the tooltip. */
  lastLoadMs?: number;

  constructor(
    readonly env: EntryEnv,
    readonly dn: string,
    readonly entry: Entry | undefined,
    readonly parent?: ExplorerNode,
    private readonly rootLabel?: string,
    /**
     * A match of a find at all levels: where it sits below the container searched ("in ou=people"), and an id
     * suffix, so that the same entry listed elsewhere in the tree (or below another match) keeps a distinct id.
     */
    readonly found?: { place: string; idScope: string },
  ) {
    this.subs = entry ? subordinatesOf(entry) : { has: true };
    this.count = this.subs.count;
  }

  get connection(): string {
    return this.env.connection;
  }
  get id(): string {
    return `entry:${this.connection}:${normalizeDn(this.dn)}${this.idScope}`;
  }
  /** Inherited by the children of a match, so that their ids stay distinct too. */
  get idScope(): string {
    return this.found?.idScope ?? (this.parent instanceof EntryNode ? this.parent.idScope : '');
  }
  get isLeaf(): boolean {
    return this.subs.has === false;
  }
  get filterText(): string | undefined {
    return this.find?.text;
  }
  get findScope(): FindScope | undefined {
    return this.find?.scope;
  }

  treeItem(): vscode.TreeItem {
    const rdn = this.rootLabel ?? rdns(this.dn)[0] ?? this.dn;
    const item = new vscode.TreeItem(
      rdn,
      this.isLeaf ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const parts: string[] = [];
    // the most useful words first: a narrow sidebar cuts the end
    if (this.found) parts.push(this.found.place);
    if (this.find)
      parts.push(
        `find "${this.find.text}": ${this.count ? countLabel(this.count).replace('entries', 'matches').replace('entry', 'match') : '…'}, ${scopeWords(this.find.scope)}`,
      );
    else if (this.count) parts.push(countLabel(this.count));
    if (this.pinned) parts.push('found by Go to DN');
    if (this.rootLabel) parts.push(this.dn);
    item.description = parts.join(' · ') || undefined;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendText(this.dn);
    if (this.found && this.parent instanceof EntryNode)
      tip.appendMarkdown('\n\n').appendText(`Found ${this.found.place} of ${this.parent.dn} (find at all levels).`);
    tip.appendMarkdown(
      this.isLeaf
        ? '\n\nNo entries below. Click to see its attributes.'
        : `\n\n${this.count && !this.find ? `Holds ${countLabel(this.count)}. ` : ''}Right-click: Show Entry, Find in This Container…, Query from Here.`,
    );
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(this.entry ? iconFor(this.entry) : 'database');
    item.contextValue = `entry ${this.isLeaf ? 'leaf' : 'container'}${this.find ? ' filtered' : ''}`;
    // a leaf opens on click; a container's click expands it (its entry opens from the inline eye)
    if (this.isLeaf) item.command = { command: 'directoryBridge.showEntry', title: 'Show Entry', arguments: [this] };
    return item;
  }

  async children(): Promise<ExplorerNode[]> {
    // VS Code may ask twice at once (a redraw and a reveal): both wait for the same first page
    if (!this.started) {
      this.started = true;
      this.firstPage = this.serial(() => this.nextPage());
    }
    try {
      await this.firstPage;
    } catch (e) {
      this.started = false;
      this.pager = this.newPager();
      return [new MessageNode(`${this.id}:error`, `Cannot read the directory: ${(e as Error).message}`, 'error')];
    }
    const out: ExplorerNode[] = [...this.loaded];
    // said first: a narrow search is the way on, not scrolling 200 rows
    if (this.truncated)
      out.unshift(
        new MessageNode(
          `${this.id}:truncated`,
          `${SUBTREE_MAX}+ matches: the first ${SUBTREE_MAX} are listed; narrow the search`,
          'warning',
        ),
      );
    if (!this.pager.exhausted) out.push(new LoadMoreNode(this));
    if (!out.length)
      out.push(
        this.find
          ? new MessageNode(
              `${this.id}:nomatch`,
              this.find.scope === 'sub'
                ? `Nothing at any level below matches "${this.find.text}"`
                : `Nothing right below matches "${this.find.text}"`,
              'search-stop',
            )
          : new MessageNode(`${this.id}:empty`, 'Empty: this container holds no entries', 'circle-outline'),
      );
    return out;
  }

  /** Fetches the next page and redraws this node. */
  async loadMore(): Promise<void> {
    await this.serial(() => this.nextPage());
    this.env.redraw(this);
  }

  /** Lists only the entries matching `text`, right below or at all levels (undefined: all children again). */
  setFind(text: string | undefined, scope: FindScope = 'sub'): void {
    this.find = text?.trim() ? { text: text.trim(), filter: findFilter(text, this.env.kind), scope } : undefined;
    this.reset();
    this.env.redraw(this);
  }

  /** Forgets loaded children (refresh). */
  reset(): void {
    this.pager.close();
    this.pager = this.newPager();
    this.generation++;
    this.started = false;
    this.firstPage = undefined;
    this.loaded = [];
    this.truncated = false;
    this.count = this.subs.count;
  }

  /**
   * The listing of this container's children, through the find filter if one is set; a find at all levels is a
   * subtree search cut after SUBTREE_MAX + 2 entries (the container itself may match, and one more says "200+"). The
   * cut is the paged stream's own, not a size limit: Samba ignores those.
   */
  private newPager(): ChildPager<Entry> {
    const sub = this.find?.scope === 'sub';
    return new ChildPager(
      async () =>
        (await this.env.registry.get(this.connection)).search({
          base: this.dn,
          scope: sub ? 'sub' : 'one',
          filter: this.find?.filter ?? '(objectClass=*)',
          attributes: ['objectClass', ...SUBORDINATE_ATTRIBUTES],
          pageSize: PAGE_SIZE,
          limit: sub ? SUBTREE_MAX + 2 : undefined,
        }),
      PAGE_SIZE,
      IDLE_MS,
    );
  }

  /** The child node for `dn`, added to the loaded ones if its page was not read yet (Go to DN). */
  async childFor(dn: string, entry: Entry): Promise<EntryNode> {
    await this.children();
    const key = normalizeDn(dn);
    const loaded = () => this.loaded.find((n) => normalizeDn(n.dn) === key);
    const found = loaded();
    if (found) return found;
    const [node] = await this.adopt([entry]);
    // a page may have brought it meanwhile
    const again = loaded();
    if (again) return again;
    node.pinned = true;
    this.add([node]);
    this.env.redraw(this);
    return node;
  }

  private async nextPage(): Promise<void> {
    const t0 = performance.now();
    // a reset (refresh, find) while a page is on its way: that page belongs to the old listing and is dropped
    const generation = this.generation;
    const stale = () => generation !== this.generation;
    let fresh = await this.pager.next();
    if (stale()) return;
    if (this.find?.scope === 'sub') {
      // all of a bounded find at once: no "Load more", the bound says itself
      while (!this.pager.exhausted) fresh = fresh.concat(await this.pager.next());
      if (stale()) return;
      const self = normalizeDn(this.dn);
      fresh = fresh.filter((e) => normalizeDn(e.dn) !== self);
      this.truncated = fresh.length > SUBTREE_MAX;
      fresh = fresh.slice(0, SUBTREE_MAX);
    }
    const nodes = await this.adopt(fresh);
    if (stale()) return;
    this.add(nodes);
    this.lastLoadMs = performance.now() - t0;
    const before = this.count && countLabel(this.count);
    this.countAfterListing();
    // the row was drawn before its children were read: its count changed with them (redrawn once VS Code has
    // the children it asked for, not while it waits for them)
    if ((this.count && countLabel(this.count)) !== before) setTimeout(() => this.redrawOpenRow(), 0);
  }

  /**
   * Redraws this row's own words (its count) just after its children were listed, through its parent. Redrawn
   * itself, VS Code's extension host forgets the children's handles while the workbench, still busy with the
   * expansion that asked for them, keeps showing them without asking again: a click on a child then expands to
   * nothing ("No tree item with id … found") and the children's counts never show. A redraw of the parent makes the
   * workbench ask for both levels again, and the loaded children come back at once.
   */
  private redrawOpenRow(): void {
    this.env.redraw(this.parent ?? this);
  }

  /** Makes nodes of listed entries; asks the server about children where it did not say (Samba AD). */
  private async adopt(entries: Entry[]): Promise<EntryNode[]> {
    const sub = this.find?.scope === 'sub';
    const nodes = entries.map(
      (e) =>
        new EntryNode(
          this.env,
          e.dn,
          e,
          this,
          undefined,
          sub ? { place: placeBelow(e.dn, this.dn), idScope: `${this.idScope}~${normalizeDn(e.dn)}` } : undefined,
        ),
    );
    // containers by class are shown expandable without a probe: on Samba a probe of a 10,000-entry container
    // costs as much as listing it (it ignores size limits)
    const unsure = nodes.filter((n) => n.subs.has === undefined && !isContainerClass(n.entry!));
    if (unsure.length) {
      const dir = await this.env.registry.get(this.connection);
      const has = await dir.probeChildren(unsure.map((n) => n.dn));
      unsure.forEach((n, i) => (n.subs = { ...n.subs, has: has[i] }));
    }
    return nodes;
  }

  private add(nodes: EntryNode[]): void {
    for (const n of nodes) {
      this.loaded.push(n);
      this.pager.remember(n.dn);
    }
    this.countAhead(nodes);
  }

  /** This container's own count, from what the listing showed, or a bounded count where the server honours it. */
  private countAfterListing(): void {
    // found by "find": the count is of matches, from the listing itself
    if (this.pager.exhausted || this.find) {
      this.count = this.truncated
        ? { n: SUBTREE_MAX, kind: 'atLeast' }
        : listedCount(this.loaded.length, this.pager.exhausted);
      return;
    }
    if (this.count && this.count.kind !== 'atLeast') return;
    if (this.env.kind === 'ad') {
      this.count = listedCount(this.loaded.length, false);
      return;
    }
    if (this.count) return;
    void this.env.registry
      .get(this.connection)
      .then((dir) => dir.countChildren(this.dn, COUNT_MAX))
      .then((n) => {
        if (this.find) return;
        this.count = boundedCount(n, COUNT_MAX);
        this.redrawOpenRow();
      })
      .catch(() => undefined);
  }

  /** Child containers the server gave no count for: counted one after another in the background (not on AD). */
  private countAhead(nodes: EntryNode[]): void {
    if (this.env.kind === 'ad') return;
    const todo = nodes.filter((n) => n.subs.has && !n.count).slice(0, COUNT_AHEAD);
    if (!todo.length) return;
    void (async () => {
      const dir = await this.env.registry.get(this.connection);
      for (const n of todo) {
        const c = await dir.countChildren(n.dn, COUNT_MAX).catch(() => undefined);
        if (c === undefined || n.count) continue;
        n.count = boundedCount(c, COUNT_MAX);
        this.env.redraw(n);
      }
    })().catch(() => undefined);
  }

  /** One page read at a time: two clicks on "Load more" read two pages, in turn, from one stream. */
  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
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
