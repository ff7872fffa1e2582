/**
 * The tree's entry view: one panel, reused, showing the entry clicked in the tree (or found by "Go to DN…") with
 * every attribute decoded as the query panel decodes them. Read-only; its buttons lead to the query panel and to
 * Go to DN.
 */
import * as vscode from 'vscode';
import type { DirectoryRegistry } from '../directories';
import type { EntryToHost, EntryToWebview, EntryView } from '../webview/messages';
import { decodeForDisplay } from './entryDecoder';
import { checkEntryMessage } from './messageChecks';
import { PanelHost } from './panelHost';
import { panelOptions } from './webviewHtml';

export const ENTRY_VIEW_TYPE = 'directoryBridge.entry';

export interface EntryDeps {
  extension: vscode.ExtensionContext;
  registry: DirectoryRegistry;
}

/** Reads one entry and decodes it for display; says clearly when there is no such entry. */
export async function readDecodedEntry(
  registry: DirectoryRegistry,
  connection: string,
  dn: string,
): Promise<EntryView> {
  const t0 = performance.now();
  const dir = await registry.get(connection);
  const e = await dir.readEntry(dn);
  if (!e) throw new Error(`No entry ${dn} in "${connection}": it was deleted or renamed since the tree was read.`);
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

export class EntryPanel extends PanelHost<EntryToHost, EntryToWebview> {
  static current?: EntryPanel;
  private view?: EntryView;

  /** Shows `dn` in the entry view, opening it beside the editor the first time, without taking the focus. */
  static async show(deps: EntryDeps, connection: string, dn: string): Promise<EntryView> {
    const view = await readDecodedEntry(deps.registry, connection, dn);
    let p = EntryPanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        ENTRY_VIEW_TYPE,
        'Entry',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: true },
        panelOptions(deps.extension.extensionUri),
      );
      p = new EntryPanel(panel, deps);
    } else p.panel.reveal(undefined, true);
    p.view = view;
    p.panel.title = `Entry: ${view.dn.split(/(?<!\\),/)[0]}`;
    p.post({ type: 'entry', view });
    return view;
  }

  constructor(panel: vscode.WebviewPanel, deps: EntryDeps) {
    super(panel, deps.extension, 'entry', 'Entry');
    EntryPanel.current = this;
  }

  protected check(m: unknown) {
    return checkEntryMessage(m);
  }

  protected init(): EntryToWebview {
    return { type: 'init', view: this.view };
  }

  get shown(): EntryView | undefined {
    return this.view;
  }

  async handle(m: Exclude<EntryToHost, { type: 'ready' }>): Promise<void> {
    if (m.type === 'goToDn') {
      await vscode.commands.executeCommand('directoryBridge.goToDn', this.view?.connection);
      return;
    }
    if (this.view)
      await vscode.commands.executeCommand('directoryBridge.queryFromHere', {
        connection: this.view.connection,
        dn: this.view.dn,
      });
  }

  override dispose(): void {
    if (EntryPanel.current === this) EntryPanel.current = undefined;
    super.dispose();
  }
}
