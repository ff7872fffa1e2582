/** The hub's state and the instances online, at a glance; a click shows the hub log. */
import * as vscode from 'vscode';
import { plural } from './connections/troubleshootReport';
import { Disposable } from './common/disposable';
import type { HubService } from './hubService';

export class HubStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('directoryBridge.hub', vscode.StatusBarAlignment.Left, 50),
  );

  constructor(private readonly hubs: HubService) {
    super();
    this.item.name = 'Directory Bridge hub';
    this.item.command = 'directoryBridge.showHubLog';
    this.register(hubs.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const hub = this.hubs.hub;
    if (!hub) {
      this.item.text =
        this.hubs.status === 'failed'
          ? '$(error) Hub failed'
          : this.hubs.status === 'starting'
            ? '$(sync~spin) Hub starting'
            : '$(debug-disconnect) Hub stopped';
      this.item.tooltip = this.hubs.lastError ?? 'The Directory Bridge hub is not running.';
      this.item.backgroundColor =
        this.hubs.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      return;
    }
    const all = hub.instances();
    const silent = all.filter((i) => i.unresponsive);
    const n = all.length - silent.length;
    this.item.text = `$(plug) Hub · ${n} online${silent.length ? ` · $(warning) ${silent.length} unresponsive` : ''}`;
    this.item.tooltip =
      `Directory Bridge hub on ${hub.url}\n${plural(hub.connections().length, 'connection')}, ${plural(n, 'connector instance')} online` +
      silent.map((i) => `\n${i.connection} on ${i.host} is unresponsive: ${i.unresponsive!.reason}`).join('');
    this.item.backgroundColor = silent.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}
