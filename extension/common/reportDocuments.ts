/**
 * Read-only documents for the reports the editor writes (Troubleshoot, Adopt): they stay open to be read in full,
 * cannot be edited by mistake, and closing one asks nothing (an untitled document asked to be saved). Running a
 * report again for the same connection updates its document in place.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';

export const REPORT_SCHEME = 'directory-bridge-report';

export class ReportDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  /** `title` names the tab; its extension (.md, .txt) picks the language. */
  async show(title: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${title.replace(/[/\\]/g, '-')}` });
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }
}
