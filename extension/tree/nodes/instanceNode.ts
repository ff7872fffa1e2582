import * as vscode from 'vscode';
import type { InstanceInfo } from '../../hub/session';
import type { ExplorerNode } from './node';
import { instanceKerberosLabel } from '../kerberosLabels';

export function since(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.round(s / 60)}m`
      : s < 86400
        ? `${Math.round(s / 3600)}h`
        : `${Math.round(s / 86400)}d`;
}

/** One live connector instance: host, version, since when, latency, requests in flight, its directory's health. */
export class InstanceNode implements ExplorerNode {
  constructor(
    readonly info: InstanceInfo,
    readonly parent: ExplorerNode,
  ) {}
  get id(): string {
    return `instance:${this.info.id}`;
  }

  treeItem(): vscode.TreeItem {
    const i = this.info;
    const healthy = i.health ? i.health.ok : true;
    // the embedded instance is named for what it is, not its host: a long host name would push its health and
    // latency past the sidebar's edge (the host is in the tooltip)
    const item = new vscode.TreeItem(i.embedded ? 'this editor' : i.host, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    // cut at the sidebar's edge: what needs action first (unresponsive, directory down), then load; the rest trails
    item.description = [
      i.unresponsive
        ? `unresponsive ${since(i.unresponsive.since)}`
        : !i.health
          ? 'health not reported yet'
          : i.health.ok
            ? 'healthy'
            : 'directory unreachable',
      i.latencyMs !== undefined ? `${i.latencyMs} ms` : undefined,
      `${i.inFlight} in flight`,
      instanceKerberosLabel(i.kerberos).short,
      `v${i.version}`,
      `up ${since(i.connectedAt)}`,
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = i.unresponsive
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
      : new vscode.ThemeIcon(
          healthy ? 'pass-filled' : 'warning',
          new vscode.ThemeColor(healthy ? 'testing.iconPassed' : 'list.warningForeground'),
        );
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${i.host}** — connector ${i.version}\n\n`);
    if (i.embedded)
      md.appendMarkdown(
        `The embedded connector, run by this editor: registered by the editor itself, without a ticket.\n\n`,
      );
    if (i.unresponsive)
      md.appendMarkdown(
        `- **unresponsive** since ${new Date(i.unresponsive.since).toLocaleString()}: ${i.unresponsive.reason}; it gets no requests, only probes, until it answers\n`,
      );
    md.appendMarkdown(`- connected since ${new Date(i.connectedAt).toLocaleString()} from ${i.remoteAddress}\n`);
    md.appendMarkdown(`- latency ${i.latencyMs ?? '—'} ms, ${i.inFlight} in flight, ${i.served} served\n`);
    md.appendMarkdown(
      `- directory: ${i.health ? (i.health.ok ? `healthy (${i.health.url}, ${i.health.latencyMs?.toFixed(0)} ms)` : `**unreachable**: ${i.health.error}`) : 'not reported yet'}\n`,
    );
    md.appendMarkdown(`- ${instanceKerberosLabel(i.kerberos).long}\n`);
    md.appendMarkdown(
      `- password write-back: ${i.writeBack === undefined ? 'not reported by this connector' : i.writeBack ? 'on (fixes set new passwords through it)' : 'off (ENABLE_WRITE_BACK)'}\n`,
    );
    md.appendMarkdown(`- certificate \`${i.thumbprint.slice(0, 16)}…\``);
    item.tooltip = md;
    item.contextValue = 'instance';
    return item;
  }
}
