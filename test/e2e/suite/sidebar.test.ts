/**
 * What an admin can read in the sidebar at code-server's default width (issue 14, point 8): each description is cut
 * by the view's edge, so the words that matter come first, and the rest is in the tooltip. Reads the text a person
 * sees (left of the ellipsis) in the real workbench, not the TreeItem's string.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { ExplorerNode } from '../../../extension/tree/nodes/node';
import type { ConnectionNode } from '../../../extension/tree/nodes/connectionNode';
import { until } from './wait';
import { ui } from './control';
import { exec } from './commands';
import { slapdConnection } from './directories';

const LDAP = slapdConnection('side-ldap', { emailDomains: 'example.test', test: false });

describe('the sidebar at its default width: the useful words first', function () {
  this.timeout(120_000);
  let api: DirectoryBridgeApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    await until('the hub', () => api.testing.hubs.status === 'running', 15_000);
    if (!api.testing.store.get(LDAP.name)) await api.testing.createConnection(LDAP);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await api.testing.runner.stop(LDAP.name);
  });

  /** Each visible row of the Connections view: its label and what can be read of its description. */
  async function rows(): Promise<Map<string, { full: string; visible: string; clipped: boolean }>> {
    const labels = await ui.texts('.part.sidebar .monaco-list-row .label-name');
    const descs = await ui.visible('.part.sidebar .monaco-list-row .label-description', '.monaco-icon-label-container');
    const names = await ui.texts('.part.sidebar .monaco-list-row');
    const out = new Map<string, { full: string; visible: string; clipped: boolean }>();
    // a row without a description has no .label-description: pair them by the row's own text
    let d = 0;
    for (let i = 0; i < names.length; i++) {
      const desc = descs[d];
      if (desc && names[i].includes(desc.full)) {
        out.set(labels[i], desc);
        d++;
      }
    }
    return out;
  }

  it('connection, instances, tickets and their folders show their state in what the default width leaves', async () => {
    const hub = api.testing.hubs.hub!;
    await exec('startConnector', LDAP.name);
    await until('the instance online', () => hub.instances(LDAP.name).length === 1, 10_000);
    await until('its health', () => hub.instances(LDAP.name)[0]?.health !== undefined, 10_000);
    hub.createTicket(LDAP.name, 7 * 86400_000, 2);
    await vscode.commands.executeCommand('workbench.view.extension.directoryBridge');
    const conn = api.testing.tree.connectionNode(LDAP.name) as ConnectionNode;
    const view = api.testing.view as vscode.TreeView<ExplorerNode>;
    await view.reveal(conn, { expand: true });
    await view.reveal(conn.instances, { expand: true });
    await view.reveal(conn.tickets, { expand: true });
    // another suite may have widened the sidebar: put its edge back where code-server starts it (300 px wide)
    const DEFAULT_WIDTH = 300;
    const side = await ui.box('.part.sidebar');
    if (Math.abs(side.width - DEFAULT_WIDTH) > 2) {
      const edge = side.x + side.width;
      await ui.drag([edge + 1, 430], [edge + 1 + DEFAULT_WIDTH - side.width, 430]);
    }
    const width = (await ui.box('.part.sidebar')).width;
    assert.ok(Math.abs(width - DEFAULT_WIDTH) <= 2, `the sidebar is ${width} px wide, not code-server's default`);
    await until('the instance row', async () => (await ui.texts('.part.sidebar .monaco-list-row')).length >= 6, 10_000);
    const inst = hub.instances(LDAP.name)[0];
    const host = inst.embedded ? 'this editor' : inst.host;
    const r = await rows();
    for (const [label, d] of r)
      console.log(`      ${label}: "${d.visible}"${d.clipped ? ` (cut; full: "${d.full}")` : ''}`);
    await ui.screenshot('65-sidebar-default-width', '.part.sidebar');
    await ui.screenshot('66-workbench-status-bar');

    const sees = (label: string, re: RegExp, what: string) => {
      const d = r.get(label);
      assert.ok(d, `a row "${label}" with a description (rows: ${[...r.keys()].join(', ')})`);
      assert.match(d.visible, re, `${label}: ${what} must be readable at the default width; one reads "${d.visible}"`);
    };
    sees(LDAP.name, /^1 online\b/, 'how many instances are online');
    sees(LDAP.name, /\bLDAP\b/, 'the kind of directory');
    sees('Connector instances', /^1 online/, 'how many are online');
    sees(host, /^healthy\b/, "the instance's directory health");
    sees(host, /\b\d+ ms\b/, 'its latency');
    sees('Tickets', /^\d+ active/, 'how many tickets are active');
    // a ticket's state is its label; its expiry leads the description
    sees('2 of 2 uses left', /^expires in 7 d\b/, 'its expiry');
    // the detail moved out of the description is in the tooltip, in full
    for (const [row, re, name] of [
      [host, /connected since[\s\S]*Kerberos: off[\s\S]*password write-back: off/, '68-instance-tooltip'],
      [
        LDAP.name,
        /User filter\s*\(\|\(uid=\{0\}\)\(mail=\{0\}\)\)[\s\S]*Password write-back\s*off/,
        '69-connection-tooltip',
      ],
    ] as const) {
      await ui.hover('.part.sidebar .monaco-list-row', row);
      const tip = (await ui.texts('.workbench-hover, .monaco-hover', undefined, 10_000).catch(() => [])).join('\n');
      await until(
        'the tooltip',
        async () => re.test((await ui.texts('.workbench-hover, .monaco-hover')).join('\n')),
        10_000,
      ).catch(() => assert.fail(`the tooltip of ${row} shows ${re}; it reads: ${tip}`));
      await ui.screenshot(name);
      await ui.press('Escape');
    }
    const bar = (await ui.texts('.statusbar-item')).filter((t) => /Hub/.test(t));
    assert.ok(
      bar.some((t) => /^Hub · 1 online$/.test(t.trim())),
      JSON.stringify(bar),
    );
  });
});
