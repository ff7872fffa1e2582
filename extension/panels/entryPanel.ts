/**
 * The tree's entry view: one panel, reused, showing the entry clicked in the tree (or found by "Go to DN…") with
 * every attribute decoded as the query panel decodes them. Read-only; its buttons lead to the query panel and to
 * Go to DN. After a window reload it comes back (the webview keeps the connection and DN in its state) and reads
 * the entry afresh, or says why it cannot.
 */
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections/store';
import type { DirectoryRegistry } from '../directories';
import type { EntryRef, EntryShown, EntryToHost, EntryToWebview, EntryView } from '../webview/messages';
import { NamedError } from '../../shared/namedError';
import { decodeForDisplay } from './entryDecoder';
import { checkEntryMessage, entryRefOf } from './messageChecks';
import { PanelHost } from './panelHost';
import { panelOptions } from './webviewHtml';

export const ENTRY_VIEW_TYPE = 'directoryBridge.entry';

export interface EntryDeps {
  extension: vscode.ExtensionContext;
  store: Pick<ConnectionStore, 'get'>;
  registry: DirectoryRegistry;
}

/** The entry is not (or no longer) in the directory. */
export class EntryGoneError extends NamedError {}

/** Reads one entry and decodes it for display; says clearly when there is no such entry. */
export async function readDecodedEntry(
  registry: DirectoryRegistry,
  connection: string,
  dn: string,
): Promise<EntryView> {
  const t0 = performance.now();
  const dir = await registry.get(connection);
  const e = await dir.readEntry(dn);
  if (!e)
    throw new EntryGoneError(`No entry ${dn} in "${connection}": it was deleted or renamed since it was last read.`);
  const attributes = decodeForDisplay(e);
  const ms = Math.round(performance.now() - t0);
  return {
    connection,
    dn: e.dn,
    attributes,
    note:
      `${attributes.length} attributes, read from "${connection}" in ${ms} ms. Read-only.` +
      (attributes.some((a) => a.values.some((v) => v.kind !== 'text'))
        ? ' Values with a badge were decoded from their raw form (SID, GUID, date, flags, base64).'
        : ''),
  };
}

/** The tab's title: the entry's first RDN. */
const titleOf = (dn: string) => `Entry: ${dn.split(/(?<!\\),/)[0]}`;

export class EntryPanel extends PanelHost<EntryToHost, EntryToWebview> {
  static current?: EntryPanel;
  private now?: EntryShown;

  /** Shows `dn` in the entry view, opening it beside the editor the first time, without taking the focus. */
  static async show(deps: EntryDeps, connection: string, dn: string): Promise<EntryView> {
    const view = await readDecodedEntry(deps.registry, connection, dn);
    let p = EntryPanel.current;
    if (!p) p = new EntryPanel(EntryPanel.newPanel(deps), deps);
    else p.panel.reveal(undefined, true);
    p.set({ type: 'entry', view });
    return view;
  }

  /** A new tab for the view, beside the editor, without taking the focus. */
  static newPanel(deps: EntryDeps): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      ENTRY_VIEW_TYPE,
      'Entry',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: true },
      panelOptions(deps.extension.extensionUri),
    );
  }

  /**
   * The view as it was before a reload: `state` is what its webview saved (connection and DN). The entry is read
   * afresh; a deleted connection, a vanished entry or an unreachable directory is said in the panel.
   */
  static restore(deps: EntryDeps, panel: vscode.WebviewPanel, state: unknown): EntryPanel {
    const p = new EntryPanel(panel, deps);
    const ref = entryRefOf(state);
    if (ref) void p.read(ref);
    else
      p.set({
        type: 'problem',
        message:
          'This entry view was open before the window reloaded, but it did not keep which entry it showed. ' +
          'Click an entry in the directory tree, or use Go to DN…, to show one here.',
      });
    return p;
  }

  constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: EntryDeps,
  ) {
    super(panel, deps.extension, 'entry', 'Entry');
    EntryPanel.current = this;
  }

  /** Reads `ref` again and shows it, or the reason it cannot be read. */
  async read(ref: EntryRef): Promise<void> {
    this.set({ type: 'reading', ref });
    if (!this.deps.store.get(ref.connection)) {
      this.set({
        type: 'problem',
        ref,
        message: `The connection "${ref.connection}" no longer exists: it was deleted since this entry was shown. Open an entry of another connection from the directory tree.`,
      });
      return;
    }
    try {
      this.set({ type: 'entry', view: await readDecodedEntry(this.deps.registry, ref.connection, ref.dn) });
    } catch (e) {
      const msg = (e as Error).message;
      this.set({
        type: 'problem',
        ref,
        message:
          e instanceof EntryGoneError
            ? msg
            : `Could not read the entry from "${ref.connection}": ${msg}. Read Again tries once more.`,
      });
    }
  }

  private set(shown: EntryShown): void {
    this.now = shown;
    const dn = shown.type === 'entry' ? shown.view.dn : shown.ref?.dn;
    this.panel.title = dn ? titleOf(dn) : 'Entry';
    this.post(shown);
  }

  protected check(m: unknown) {
    return checkEntryMessage(m);
  }

  protected init(): EntryToWebview {
    return { type: 'init', shown: this.now };
  }

  get shown(): EntryView | undefined {
    return this.now?.type === 'entry' ? this.now.view : undefined;
  }

  /** What the panel says now: the entry, "reading", or the problem (for tests). */
  get state(): EntryShown | undefined {
    return this.now;
  }

  async handle(m: Exclude<EntryToHost, { type: 'ready' }>): Promise<void> {
    const ref = this.now?.type === 'entry' ? this.now.view : this.now?.ref;
    if (m.type === 'reread') {
      if (ref) await this.read({ connection: ref.connection, dn: ref.dn });
      return;
    }
    if (m.type === 'goToDn') {
      // a deleted connection is not offered: Go to DN asks which one
      const connection = ref && this.deps.store.get(ref.connection) ? ref.connection : undefined;
      await vscode.commands.executeCommand('directoryBridge.goToDn', connection);
      return;
    }
    const view = this.shown;
    if (view)
      await vscode.commands.executeCommand('directoryBridge.queryFromHere', {
        connection: view.connection,
        dn: view.dn,
      });
  }

  override dispose(): void {
    if (EntryPanel.current === this) EntryPanel.current = undefined;
    super.dispose();
  }
}
