/** A connection and its three folders: connector instances (live), tickets, and the directory itself. */
import * as vscode from 'vscode';
import { tlsWords, type ConnectionDefinition } from '../../connections/model';
import type { DirectoryRegistry } from '../../directories';
import type { HubService } from '../../hubService';
import type { ConnectorRunner } from '../../runner/connectorRunner';
import { EntryNode } from './entryNode';
import { InstanceNode } from './instanceNode';
import { MessageNode } from './messageNode';
import { PendingInstanceNode } from './pendingInstanceNode';
import type { ExplorerNode } from './node';
import { rangesLabel } from '../kerberosLabels';
import { TicketNode } from './ticketNode';

export interface ExplorerServices {
  hubs: HubService;
  runner: ConnectorRunner;
  registry: DirectoryRegistry;
  redraw(n?: ExplorerNode): void;
}

export class ConnectionNode implements ExplorerNode {
  readonly instances: InstancesFolder;
  readonly tickets: TicketsFolder;
  readonly directory: EntryNode;

  constructor(
    readonly def: ConnectionDefinition,
    private readonly s: ExplorerServices,
  ) {
    this.instances = new InstancesFolder(this, s);
    this.tickets = new TicketsFolder(this, s);
    this.directory = new EntryNode(
      { connection: def.name, kind: def.directory.kind, registry: s.registry, redraw: (n) => s.redraw(n) },
      def.directory.baseDn,
      undefined,
      this,
      'Directory',
    );
  }

  get id(): string {
    return `connection:${this.def.name}`;
  }
  get name(): string {
    return this.def.name;
  }

  treeItem(): vscode.TreeItem {
    const d = this.def;
    const online = this.s.hubs.hub?.instances(d.name).length ?? 0;
    const running = this.s.runner.isRunning(d.name);
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    // the sidebar cuts descriptions at its edge: the live state first, then what the directory is; the rest is in the tooltip
    const host = d.directory.urls[0] ? new URL(d.directory.urls[0]).host : '?';
    const more = d.directory.urls.length > 1 ? ` +${d.directory.urls.length - 1}` : '';
    item.description = `${online} online · ${d.directory.kind === 'ad' ? 'AD' : 'LDAP'} ${host}${more}`;
    item.iconPath = new vscode.ThemeIcon(
      online ? 'vm-active' : 'vm-outline',
      online ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${d.name}** — ${d.directory.kind === 'ad' ? 'Active Directory' : 'OpenLDAP'}\n\n`);
    md.appendMarkdown(`| | |\n|---|---|\n`);
    md.appendMarkdown(
      `| LDAP URLs | ${d.directory.urls.join('<br>')} |\n| Base DN | ${d.directory.baseDn} |\n| Service account | ${d.directory.bindDn} |\n`,
    );
    // a "|" in a filter would end the table cell: escaped, the whole filter shows
    md.appendMarkdown(
      `| User filter | \`${d.directory.userFilter.replace(/\|/g, '\\|')}\` |\n| TLS | ${tlsWords(d.directory)} |\n`,
    );
    md.appendMarkdown(
      `| Email domains | ${d.emailDomains.join(', ') || '—'} |\n| Kerberos ranges | ${d.kerberosRanges.join(', ') || '—'} |\n| Credential cache | ${d.cacheEnabled ? 'on' : 'off'} |\n| Password write-back | ${d.writeBack ? 'on' : 'off'} |\n`,
    );
    md.appendMarkdown(`| Embedded connector | ${running ? 'running' : 'stopped'} |\n| Instances online | ${online} |`);
    item.tooltip = md;
    item.contextValue = `connection runner-${running ? 'running' : 'stopped'} cache-${d.cacheEnabled ? 'on' : 'off'} writeback-${d.writeBack ? 'on' : 'off'}`;
    return item;
  }

  async children(): Promise<ExplorerNode[]> {
    const r = rangesLabel(this.def.kerberosRanges, this.def.emailDomains);
    return [
      new MessageNode(`${this.id}:kerberos`, r.label, 'shield', r.tooltip),
      this.instances,
      this.tickets,
      this.directory,
    ];
  }
}

class InstancesFolder implements ExplorerNode {
  constructor(
    readonly parent: ConnectionNode,
    private readonly s: ExplorerServices,
  ) {}
  get id(): string {
    return `${this.parent.id}:instances`;
  }
  treeItem(): vscode.TreeItem {
    const n = this.s.hubs.hub?.instances(this.parent.name).length ?? 0;
    const waiting = this.s.hubs.hub?.pendingInstances(this.parent.name).length ?? 0;
    const item = new vscode.TreeItem('Connector instances', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.s.hubs.hub ? `${n} online${waiting ? ` · ${waiting} to approve` : ''}` : 'hub stopped';
    item.tooltip = this.s.hubs.hub
      ? `${n} connector instance${n === 1 ? '' : 's'} online${waiting ? `; ${waiting} registered and waiting for your approval (Approve / Reject on each)` : ''}`
      : 'The hub is stopped: no connector can connect.';
    item.iconPath = new vscode.ThemeIcon(n ? 'plug' : 'debug-disconnect');
    item.contextValue = 'instances';
    return item;
  }
  async children(): Promise<ExplorerNode[]> {
    const hub = this.s.hubs.hub;
    if (!hub) return [new MessageNode(`${this.id}:nohub`, 'The hub is not running', 'debug-disconnect')];
    const list = hub.instances(this.parent.name);
    const pending = hub.pendingInstances(this.parent.name).map((p) => new PendingInstanceNode(p, this));
    if (!list.length && !pending.length)
      return [
        new MessageNode(
          `${this.id}:none`,
          'No instance online',
          'circle-slash',
          'No connector instance is online: click to start the embedded connector here, or deploy one on a server (Generate Connector Config).',
          {
            description: 'click to start',
            command: {
              title: 'Start Embedded Connector',
              command: 'directoryBridge.startConnector',
              arguments: [this.parent.name],
            },
          },
        ),
      ];
    return [...pending, ...list.map((i) => new InstanceNode(i, this))];
  }
}

class TicketsFolder implements ExplorerNode {
  constructor(
    readonly parent: ConnectionNode,
    private readonly s: ExplorerServices,
  ) {}
  get id(): string {
    return `${this.parent.id}:tickets`;
  }
  treeItem(): vscode.TreeItem {
    const list = this.s.hubs.hub?.tickets(this.parent.name) ?? [];
    const active = list.filter((t) => !t.revokedAt && !t.expired && t.usesLeft !== 0).length;
    const item = new vscode.TreeItem('Tickets', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const count = (f: (t: (typeof list)[number]) => boolean) => list.filter(f).length;
    const revoked = count((t) => !!t.revokedAt);
    const expired = count((t) => !t.revokedAt && t.expired);
    const usedUp = list.length - active - revoked - expired;
    item.description = `${active} active${list.length > active ? ` · ${list.length - active} inactive` : ''}`;
    item.tooltip =
      `${active} active: each can register new connectors` +
      (list.length > active ? `\nInactive: ${usedUp} used up, ${expired} expired, ${revoked} revoked` : '');
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'tickets';
    return item;
  }
  async children(): Promise<ExplorerNode[]> {
    const list = this.s.hubs.hub?.tickets(this.parent.name) ?? [];
    if (!list.length) return [new MessageNode(`${this.id}:none`, 'No ticket yet', 'circle-outline')];
    return list.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((t) => new TicketNode(t, this));
  }
}
