/**
 * The host side every panel shares, in the manner of vscode-pull-request-github's WebviewBase: typed messages both
 * ways, the `ready` handshake (the webview says `ready` each time its script starts; the host answers `init`, and
 * anything posted before the first `ready` waits in a queue), a capped log of what was posted, and disposal with
 * the panel. A panel holds only what differs: its `init` and its messages.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { panelHtml, panelOptions } from './webviewHtml';

/** How many posted messages a panel keeps for tests to read; a long query posts one per page. */
const POSTED_MAX = 2000;
/** Messages waiting for a webview that never said `ready` are capped too. */
const QUEUE_MAX = 200;

export type Ready = { type: 'ready' };

export abstract class PanelHost<
  ToHost extends { type: string },
  ToWebview extends { type: string },
> extends Disposable {
  private ready = false;
  private readonly queue: ToWebview[] = [];
  /** The last messages posted to the webview (at most POSTED_MAX), for tests that check what the panel was told. */
  readonly posted: ToWebview[] = [];

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extension: vscode.ExtensionContext,
    script: string,
    title: string,
  ) {
    super();
    // a panel revived after a reload comes with default options: set ours in every case
    panel.webview.options = panelOptions(extension.extensionUri);
    panel.webview.html = panelHtml(panel.webview, extension.extensionUri, script, title);
    // a webview's messages are typed only at compile time: checked here, a malformed one logged and ignored
    this.register(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const c = this.check(m);
        if (!c.ok) return console.warn(`Directory Bridge: ${title} ignored a malformed message: ${c.reason}`);
        this.receive(c.message).catch((e) => console.warn(`Directory Bridge: ${title}: ${(e as Error).message}`));
      }),
    );
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** What the webview needs to draw itself, on every `ready` (first load, or reload after being hidden). */
  protected abstract init(): ToWebview;

  /** The run-time check of a message from the webview (messageChecks.ts). */
  protected abstract check(m: unknown): { ok: true; message: ToHost } | { ok: false; reason: string };

  /** Every message of the webview but `ready`. */
  abstract handle(m: Exclude<ToHost, Ready>): Promise<unknown>;

  private async receive(m: ToHost): Promise<void> {
    if (m.type !== 'ready') {
      await this.handle(m as Exclude<ToHost, Ready>);
      return;
    }
    this.ready = true;
    this.post(this.init());
    for (const q of this.queue.splice(0)) this.post(q);
  }

  post(m: ToWebview): void {
    this.posted.push(m);
    if (this.posted.length > POSTED_MAX) this.posted.splice(0, this.posted.length - POSTED_MAX / 2);
    if (!this.ready && m.type !== 'init') {
      this.queue.push(m);
      if (this.queue.length > QUEUE_MAX) this.queue.splice(0, this.queue.length - QUEUE_MAX);
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  override dispose(): void {
    this.panel.dispose();
    super.dispose();
  }
}
