/**
 * The LDAP query panel, host side: runs paged searches through the connection's directory engine and streams
 * pages to the webview, cancels, decodes entries, exports, keeps recent queries per connection. Results go to a
 * spool file as they arrive, so the host's memory stays flat whatever their number; export streams from it.
 */
import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { BINARY_ATTRIBUTES, findFilterProblem } from '../../connector/directory';
import type { ConnectionStore } from '../connections/store';
import type { DirectoryRegistry } from '../directories';
import type { ExportFormat, QueryRequest, QueryToHost, QueryToWebview } from '../webview/messages';
import { checkQueryMessage } from './messageChecks';
import { cellText, decodeForDisplay } from './entryDecoder';
import { columnsOf } from './columns';
import { exportWriter } from './exporters';
import { ResultSpool } from './spool';
import { PanelHost } from './panelHost';
import { panelOptions } from './webviewHtml';

export const QUERY_VIEW_TYPE = 'directoryBridge.query';
const RECENT_MAX = 15;

export interface QueryDeps {
  extension: vscode.ExtensionContext;
  store: ConnectionStore;
  registry: DirectoryRegistry;
}

export class QueryPanel extends PanelHost<QueryToHost, QueryToWebview> {
  static current?: QueryPanel;
  private spool?: ResultSpool;
  private request?: QueryRequest;
  private columns: string[] = [];
  private running?: { id: number; abort: AbortController };

  static show(deps: QueryDeps, initial: Partial<QueryRequest> = {}): QueryPanel {
    if (QueryPanel.current) {
      QueryPanel.current.panel.reveal();
      if (Object.keys(initial).length)
        QueryPanel.current.post({
          type: 'init',
          connections: deps.store.names(),
          request: initial,
          recent: QueryPanel.current.recent(initial.connection),
        });
      return QueryPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      QUERY_VIEW_TYPE,
      'LDAP Query',
      vscode.ViewColumn.Active,
      panelOptions(deps.extension.extensionUri),
    );
    return new QueryPanel(panel, deps, initial);
  }

  constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: QueryDeps,
    private initial: Partial<QueryRequest> = {},
  ) {
    super(panel, deps.extension, 'query', 'LDAP Query');
    QueryPanel.current = this;
  }

  /** Hidden and shown again, the webview reloads and says `ready`: `init` gives it its state back. */
  protected check(m: unknown) {
    return checkQueryMessage(m);
  }

  protected init(): QueryToWebview {
    const connection = this.initial.connection ?? this.deps.store.names()[0];
    const saved = this.deps.extension.globalState.get<Partial<QueryRequest>>('directoryBridge.query.last') ?? {};
    const request = { ...saved, ...this.initial, connection };
    if (!this.initial.base && connection)
      request.base =
        saved.connection === connection && saved.base ? saved.base : this.deps.store.get(connection)?.directory.baseDn;
    return { type: 'init', connections: this.deps.store.names(), request, recent: this.recent(connection) };
  }

  async handle(m: Exclude<QueryToHost, { type: 'ready' }>): Promise<void> {
    switch (m.type) {
      case 'checkFilter': {
        const p = m.filter.trim() ? findFilterProblem(m.filter) : undefined;
        this.post({ type: 'filterProblem', filter: m.filter, message: p?.message, position: p?.position });
        return;
      }
      case 'run':
        return this.run(m.requestId, m.request);
      case 'cancel':
        if (this.running?.id === m.requestId) this.running.abort.abort();
        return;
      case 'entry':
        return this.showEntry(m.dn);
      case 'export':
        await this.export(m.format);
        return;
    }
  }

  async run(requestId: number, r: QueryRequest): Promise<void> {
    this.running?.abort.abort();
    const abort = new AbortController();
    this.running = { id: requestId, abort };
    this.spool?.dispose();
    const spool = (this.spool = new ResultSpool());
    this.request = r;
    // empty means every user attribute: the columns are the attributes the results hold, in order of appearance
    const allAttributes = !r.attributes.length;
    this.columns = allAttributes ? [] : r.attributes;
    const t0 = performance.now();
    let firstPageMs: number | undefined;
    try {
      const problem = findFilterProblem(r.filter);
      if (problem) {
        this.post({ type: 'error', requestId, message: problem.message, position: problem.position });
        return;
      }
      const dir = await this.deps.registry.get(r.connection);
      await this.remember(r);
      for await (const page of dir.search({
        base: r.base,
        scope: r.scope,
        filter: r.filter,
        attributes: r.attributes.length ? r.attributes : undefined,
        binaryAttributes: BINARY_ATTRIBUTES,
        pageSize: r.pageSize || 500,
        limit: r.sizeLimit || 0,
        signal: abort.signal,
      })) {
        if (abort.signal.aborted) break;
        firstPageMs ??= performance.now() - t0;
        await spool.write(page);
        if (allAttributes) this.columns = columnsOf(page, this.columns);
        this.post({
          type: 'page',
          requestId,
          total: spool.count,
          columns: this.columns,
          rows: page.map((e) => ({
            dn: e.dn,
            values: Object.fromEntries(this.columns.map((c) => [c, cellText(c, e[c])])),
          })),
        });
      }
      await spool.finish();
      this.post({
        type: 'done',
        requestId,
        total: spool.count,
        ms: performance.now() - t0,
        firstPageMs,
        cancelled: abort.signal.aborted,
      });
    } catch (e) {
      const err = e as Error & { position?: number };
      this.post({ type: 'error', requestId, message: err.message, position: err.position });
    } finally {
      if (this.running?.id === requestId) this.running = undefined;
    }
  }

  /** Every attribute of one entry, read again from the directory (the table holds only a few columns). */
  private async showEntry(dn: string): Promise<void> {
    if (!this.request) return;
    try {
      const dir = await this.deps.registry.get(this.request.connection);
      for await (const page of dir.search({
        base: dn,
        scope: 'base',
        filter: '(objectClass=*)',
        binaryAttributes: BINARY_ATTRIBUTES,
        pageSize: 1,
      })) {
        if (page[0]) this.post({ type: 'entry', dn, attributes: decodeForDisplay(page[0]) });
      }
    } catch (e) {
      this.post({
        type: 'entry',
        dn,
        attributes: [{ name: 'error', values: [{ text: (e as Error).message, kind: 'text' }] }],
      });
    }
  }

  /** Writes the results to a file the admin picks (or `file`, for scripts and tests), streaming from the spool. */
  async export(format: ExportFormat, file?: string): Promise<string | undefined> {
    const spool = this.spool;
    if (!spool?.count) {
      void vscode.window.showInformationMessage('Nothing to export: run a query first.');
      return undefined;
    }
    if (!file) {
      // start in the workspace folder (else the home folder), never at the file system's root
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
      const picked = await vscode.window.showSaveDialog({
        title: `Export ${spool.count} entries as ${format.toUpperCase()}`,
        defaultUri: vscode.Uri.joinPath(folder, `query-results.${format}`),
        filters: { [format.toUpperCase()]: [format] },
      });
      if (!picked) return undefined;
      file = picked.fsPath;
    }
    const w = exportWriter(format, this.columns);
    const out = createWriteStream(file);
    const write = (chunk: string) =>
      new Promise<void>((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())));
    await write(w.head);
    let i = 0;
    for await (const e of spool.entries()) await write(w.entry(e, i++));
    await write(w.tail);
    await new Promise<void>((resolve) => out.end(resolve));
    this.post({ type: 'exported', file, count: i, format });
    return file;
  }

  private recent(connection?: string): string[] {
    return connection
      ? (this.deps.extension.globalState.get<string[]>(`directoryBridge.query.recent.${connection}`) ?? [])
      : [];
  }

  private async remember(r: QueryRequest): Promise<void> {
    const key = `directoryBridge.query.recent.${r.connection}`;
    const list = [
      r.filter,
      ...(this.deps.extension.globalState.get<string[]>(key) ?? []).filter((f) => f !== r.filter),
    ].slice(0, RECENT_MAX);
    await this.deps.extension.globalState.update(key, list);
    await this.deps.extension.globalState.update('directoryBridge.query.last', r);
  }

  override dispose(): void {
    if (QueryPanel.current === this) QueryPanel.current = undefined;
    this.running?.abort.abort();
    this.spool?.dispose();
    super.dispose();
  }
}
