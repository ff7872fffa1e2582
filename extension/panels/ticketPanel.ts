/**
 * A new ticket's panel: what the ticket is for, its lifetime and uses, and its URL in full, which the admin can read
 * and copy as often as needed until the tab is closed. The hub keeps only a hash of the token, so this is the one
 * place the URL is ever shown; the panel is not restored after a reload (no serializer), so it is not kept either.
 */
import * as vscode from 'vscode';
import type { TicketToHost, TicketToWebview, TicketView } from '../webview/messages';
import { checkTicketMessage } from './messageChecks';
import { PanelHost } from './panelHost';
import { panelOptions } from './webviewHtml';

export { lifetimeWords, usesWords } from './ticketWords';

export const TICKET_VIEW_TYPE = 'directoryBridge.newTicket';

export class TicketPanel extends PanelHost<TicketToHost, TicketToWebview> {
  /** The panels open now, newest last (tests read them). */
  static readonly open: TicketPanel[] = [];
  private copies = 0;

  static show(extension: vscode.ExtensionContext, ticket: TicketView): TicketPanel {
    const panel = vscode.window.createWebviewPanel(
      TICKET_VIEW_TYPE,
      `New ticket: ${ticket.connection}`,
      vscode.ViewColumn.Active,
      { ...panelOptions(extension.extensionUri), retainContextWhenHidden: true },
    );
    return new TicketPanel(panel, extension, ticket);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extension: vscode.ExtensionContext,
    readonly ticket: TicketView,
  ) {
    super(panel, extension, 'ticket', 'New ticket');
    TicketPanel.open.push(this);
  }

  protected check(m: unknown) {
    return checkTicketMessage(m);
  }

  protected init(): TicketToWebview {
    return { type: 'init', ticket: this.ticket };
  }

  async handle(m: Exclude<TicketToHost, { type: 'ready' }>): Promise<unknown> {
    if (m.type === 'close') {
      this.dispose();
      return undefined;
    }
    // the host writes the clipboard: a webview's navigator.clipboard is refused on a plain-http code-server
    await vscode.env.clipboard.writeText(this.ticket.url);
    this.post({ type: 'copied', count: ++this.copies });
    return undefined;
  }

  override dispose(): void {
    const i = TicketPanel.open.indexOf(this);
    if (i >= 0) TicketPanel.open.splice(i, 1);
    super.dispose();
  }
}
