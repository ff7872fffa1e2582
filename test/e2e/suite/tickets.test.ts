/**
 * Issue 14, points 4 and 5, in the real VS Code UI: the embedded connector starts with no ticket at all; every ticket
 * the editor makes is announced (for what, how long, how many uses); a new ticket's URL stays readable and copyable
 * in its panel until the admin closes it; Generate Connector Config asks about a loopback hub before writing anything.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import { until, sleep } from './wait';
import { ui, webview } from './control';
import { exec } from './commands';
import { slapdConnection } from './directories';

const NAME = 'tix-ldap';
const LDAP = slapdConnection(NAME, { emailDomains: 'tix.example', test: false });
const rows = () => ui.texts('.quick-input-widget .monaco-list-row');

describe('tickets in the real UI: announced, shown until closed, none for the embedded connector (issue 14: 4, 5)', function () {
  this.timeout(180_000);
  let api: DirectoryBridgeApi;
  const hub = () => api.testing.hubs.hub!;
  /** What `directory-bridge-hub ticket list` prints: the admin API's list, over HTTPS with the admin token. */
  const ticketList = () =>
    new Promise<Array<{ id: string; purpose?: string }>>((resolve, reject) => {
      const req = request(
        `${hub().url}/admin/connections/${NAME}/tickets`,
        { ca: hub().caPem, headers: { authorization: `Bearer ${hub().adminToken}` } },
        (res) => {
          let s = '';
          res.on('data', (d) => (s += d));
          res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(s)) : reject(new Error(s))));
        },
      );
      req.on('error', reject);
      req.end();
    });
  /** The notification center (the test host shows no toasts), where a notification stays until cleared. */
  const notification = (words: string) =>
    until(
      `a notification with "${words}"`,
      async () => {
        await vscode.commands.executeCommand('notifications.showList');
        return (await ui.texts('.notifications-center .notification-list-item')).find((t) => t.includes(words));
      },
      15_000,
    ).catch(async (e: Error) => {
      await ui.screenshot(`debug-notification-${words.replace(/\W+/g, '-')}`);
      throw new Error(`${e.message}; notifications: ${(await ui.texts('.notification-list-item')).join(' | ')}`);
    });

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    await until('the hub', () => api.testing.hubs.status === 'running', 15_000);
    if (!api.testing.store.get(NAME)) await api.testing.createConnection(LDAP);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
  after(async () => {
    // left open, the notification center takes the next suite's Escape away from its quick input
    await vscode.commands.executeCommand('notifications.hideList');
    await api.testing.runner.stop(NAME);
    for (const p of api.testing.panels.tickets()) p.dispose();
    // the listen address back to loopback, whatever a test left
    const c = vscode.workspace.getConfiguration('directoryBridge');
    if (c.get('hub.host') !== '127.0.0.1') {
      await c.update('hub.host', undefined, vscode.ConfigurationTarget.Global);
      await api.testing.hubs.stop();
      await api.testing.hubs.start();
    }
  });

  it("4. Start Embedded Connector makes no ticket: none in the tree or the ticket list; its instance is marked as this editor's", async () => {
    assert.deepEqual(await ticketList(), []);
    const t0 = Date.now();
    await exec('startConnector', NAME);
    await until('the instance online', () => hub().instances(NAME).length === 1, 10_000);
    const ms = Date.now() - t0;
    console.log(`      start → instance online, registered in process: ${ms} ms`);
    assert.deepEqual(await ticketList(), [], 'no ticket for the embedded connector');
    const certs = hub().certificates(NAME);
    assert.equal(certs.length, 1);
    assert.equal(certs[0].embedded, true);
    assert.equal(certs[0].status, 'approved', 'it serves at once, no approval asked');
    assert.equal(certs[0].ticketId, undefined);
    assert.equal(hub().instances(NAME)[0].embedded, true);
    // nothing secret in its config: no ticket, no signing key (it arrives through the environment)
    const config = readFileSync(path.join(api.testing.runner.folderOf(NAME), 'config.json'), 'utf8');
    assert.doesNotMatch(config, /PROVISIONING_TICKET|TENANT_SIGNING_KEY|PRIVATE KEY|\/p\/ad\//);
    const r = await hub().login(NAME, 'alice', 'Passw0rd!Alice');
    assert.equal(r.ok, true, JSON.stringify(r.error));
    // a restart registers nothing new
    await exec('restartConnector', NAME);
    await until('online again', () => hub().instances(NAME).length === 1, 10_000);
    assert.equal(hub().certificates(NAME).length, 1);
    assert.deepEqual(await ticketList(), []);

    const node = api.testing.tree.connectionNode(NAME)!;
    const view = api.testing.view as vscode.TreeView<unknown>;
    await vscode.commands.executeCommand('directoryBridge.connections.focus');
    await ui.texts('.part.sidebar .monaco-list-row', NAME);
    await view.reveal(node, { expand: true, focus: false, select: true });
    const folders = await api.testing.tree.getChildren(node);
    const instances = folders.find((f) => f.id.endsWith(':instances'))!;
    const tickets = folders.find((f) => f.id.endsWith(':tickets'))!;
    await view.reveal(instances, { expand: true });
    await view.reveal(tickets, { expand: true });
    await ui.widenSidebar();
    const sidebar = await ui.texts('.part.sidebar .monaco-list-row', 'this editor');
    assert.ok(
      sidebar.some((t) => /No ticket yet/.test(t)),
      sidebar.join(' | '),
    );
    await ui.screenshot('40-embedded-connector-no-ticket', '.part.sidebar');
  });

  it('4. Generate Ticket: a panel says what it is for, how long and how many; the URL in full, copied again and again until closed', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const made = exec<{ id: string; pinnedUrl: string }>('generateTicket', NAME);
    await ui.texts('.quick-input-widget', 'How many new connectors');
    await ui.type('2');
    await ui.press('Enter');
    const t = (await made)!;
    assert.equal((await webview.texts('h1', 'New ticket'))[0], `New ticket for "${NAME}"`);
    assert.equal((await webview.texts('#url'))[0], t.pinnedUrl, 'the whole URL, pin included');
    assert.match(t.pinnedUrl, /^https:\/\/127\.0\.0\.1:\d+\/p\/ad\/[\w-]{43}#ca=sha256:[0-9a-f]{64}$/);
    assert.equal((await webview.texts('#purpose'))[0], 'a connector you set up by hand on a server (Generate Ticket)');
    assert.match((await webview.texts('#uses'))[0], /^2 new connectors, each waiting for your approval/);
    assert.match((await webview.texts('#lifetime'))[0], /^until .+ \(7 days\)$/);
    assert.match((await webview.texts('#warning'))[0], /shown only here, and cannot be shown again once you close/);
    assert.notEqual(await vscode.env.clipboard.readText(), t.pinnedUrl, "nothing copied behind the admin's back");
    await ui.screenshot('41-new-ticket-panel');
    await webview.click('#copy');
    await webview.texts('#copied', 'Copied');
    assert.equal(await vscode.env.clipboard.readText(), t.pinnedUrl);
    await vscode.env.clipboard.writeText('something else');
    await sleep(500);
    await webview.click('#copy');
    await webview.texts('#copied', '2 times');
    assert.equal(await vscode.env.clipboard.readText(), t.pinnedUrl, 'copied again, the panel still open');
    await ui.screenshot('42-new-ticket-copied-again');
    const listed = (await ticketList()).find((x) => x.id === t.id)!;
    assert.equal(listed.purpose, 'set up by hand', '`ticket list` says what it is for');
    await webview.click('#close');
    await until('the panel closed', () => api.testing.panels.tickets().length === 0, 5000);
  });

  it('5. Generate Connector Config on a loopback hub asks before writing: Cancel writes nothing and makes no ticket', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'loopback-'));
    const before = (await ticketList()).length;
    const done = exec<unknown>('generateConnectorConfig', NAME, {
      folder,
      kind: 'node',
      kerberos: false,
      loopback: 'ask',
    });
    const title = (await ui.texts('.quick-input-widget .quick-input-title', 'cannot reach it'))[0];
    assert.match(title, /the hub listens on 127\.0\.0\.1, so a connector on another machine cannot reach it/);
    assert.deepEqual(readdirSync(folder), [], 'nothing written while the question is open');
    assert.equal((await ticketList()).length, before, 'no ticket made while the question is open');
    const options = await rows();
    assert.ok(
      options.some((o) => /Listen on another address/.test(o)),
      options.join(' | '),
    );
    assert.ok(options.some((o) => /Generate it for this machine only/.test(o)));
    assert.ok(options.some((o) => /Cancel/.test(o) && /Nothing is written and no ticket is made/.test(o)));
    await ui.screenshot('43-loopback-asked-before-writing');
    await ui.click('.quick-input-widget .monaco-list-row', 'Cancel');
    assert.equal(await done, undefined);
    assert.deepEqual(readdirSync(folder), []);
    assert.equal((await ticketList()).length, before);
  });

  it('5. "for this machine only": written, the README says so, and the ticket it holds is announced', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const folder = mkdtempSync(path.join(tmpdir(), 'this-machine-'));
    const done = exec<{ ticketId: string; forThisMachine: boolean }>('generateConnectorConfig', NAME, {
      folder,
      kind: 'node',
      kerberos: false,
      loopback: 'ask',
    });
    await ui.texts('.quick-input-widget .quick-input-title', 'cannot reach it');
    await ui.click('.quick-input-widget .monaco-list-row', 'for this machine only');
    const r = (await done)!;
    assert.equal(r.forThisMachine, true);
    assert.match(
      readFileSync(path.join(folder, 'README.md'), 'utf8'),
      /For this machine only\.\*\* The hub listens on https:\/\/127\.0\.0\.1/,
    );
    const note = await notification('holds a new ticket');
    assert.match(note, /for this machine only/);
    assert.match(
      note,
      new RegExp(
        `Its config\\.json holds a new ticket \\(${r.ticketId.slice(0, 8)}\\) for "${NAME}", sealed on the connector's machine at setup: it registers 1 new connector until .+ \\(7 days\\)\\. Revoke it under Tickets if you do not use this folder\\.`,
      ),
    );
    const listed = (await ticketList()).find((x) => x.id === r.ticketId)!;
    assert.match(listed.purpose ?? '', /^deployment for this machine: Node\.js folder$/);
    await ui.click('.notifications-center .codicon-notifications-expand').catch(() => undefined);
    await ui.screenshot('44-config-for-this-machine-announced');
  });

  it('4. Export Instance Bundle announces the single-use ticket sealed in it', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bundle-')), 'tix.bundle.json');
    const r = (await exec<{ ticketId: string }>('exportInstanceBundle', NAME, { file }))!;
    const note = await notification('The bundle holds a new ticket');
    assert.match(
      note,
      new RegExp(
        `The bundle holds a new ticket \\(${r.ticketId.slice(0, 8)}\\) for "${NAME}", sealed under its passphrase: it registers 1 new connector until .+ \\(7 days\\)`,
      ),
    );
    assert.match((await ticketList()).find((x) => x.id === r.ticketId)?.purpose ?? '', /^bundle tix\.bundle\.json$/);
    await ui.click('.notifications-center .codicon-notifications-expand').catch(() => undefined);
    await ui.screenshot('45-bundle-ticket-announced');
  });

  it('5. a typed listen address is checked as you type; one this machine does not have is refused, and the hub stays on loopback', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'typed-'));
    const before = (await ticketList()).length;
    const done = exec<unknown>('generateConnectorConfig', NAME, {
      folder,
      kind: 'node',
      kerberos: false,
      loopback: 'ask',
    }).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    await ui.texts('.quick-input-widget .quick-input-title', 'cannot reach it');
    await ui.click('.quick-input-widget .monaco-list-row', 'Listen on another address');
    await ui.texts('.quick-input-widget .quick-input-title', "The hub's listen address");
    await ui.type('0.0.0.0');
    assert.match((await ui.texts('.quick-input-widget', 'wildcard address'))[0], /A wildcard address cannot be dialed/);
    await ui.press('Control+a');
    await ui.type('192.0.2.99');
    await ui.press('Enter');
    assert.match(
      (await ui.texts('.quick-input-widget .quick-input-title', 'Security'))[0],
      /Listening on 192\.0\.2\.99/,
    );
    await ui.click('.quick-input-widget .monaco-list-row', 'Listen on 192.0.2.99');
    const message = await done;
    assert.match(
      message,
      /^The hub could not listen on 192\.0\.2\.99: this machine has no such address\. It listens on https:\/\/127\.0\.0\.1:\d+ again, and nothing was written\.$/,
    );
    assert.equal(vscode.workspace.getConfiguration('directoryBridge').get('hub.host'), '127.0.0.1');
    assert.equal(hub().host, '127.0.0.1');
    assert.deepEqual(readdirSync(folder), []);
    assert.equal((await ticketList()).length, before, 'no ticket made');
    await until('the embedded connector back online', () => hub().instances(NAME).length === 1, 15_000);
    await notification('could not listen on 192.0.2.99');
    await ui.click('.notifications-center .codicon-notifications-expand').catch(() => undefined);
    await ui.screenshot('49-listen-address-refused');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('5. "Listen on <address>": the machine setting changes, the hub restarts there, the embedded connector follows, the deployment dials it', async () => {
    // any interface's (eth0, ens5, ...), as the quick pick lists them
    const address = Object.values((await import('node:os')).networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    assert.ok(address, 'this machine has a non-loopback IPv4 address');
    await vscode.commands.executeCommand('notifications.clearAll');
    const folder = mkdtempSync(path.join(tmpdir(), 'listen-'));
    const done = exec<{ forThisMachine: boolean }>('generateConnectorConfig', NAME, {
      folder,
      kind: 'node',
      kerberos: false,
      loopback: 'ask',
    });
    await ui.texts('.quick-input-widget .quick-input-title', 'cannot reach it');
    await ui.click('.quick-input-widget .monaco-list-row', `Listen on ${address}`);
    // the security warning in full, before anything changes
    const warning = (await ui.texts('.quick-input-widget .quick-input-title', 'Security'))[0];
    assert.match(
      warning,
      new RegExp(
        `^Security: Listening on ${address.replace(/\./g, '\\.')} opens the hub to that network: .*admin API .*never a public one\\.$`,
      ),
    );
    assert.equal(vscode.workspace.getConfiguration('directoryBridge').get('hub.host'), '127.0.0.1', 'not yet');
    await ui.screenshot('46-listen-address-security-warning');
    await ui.click('.quick-input-widget .monaco-list-row', `Listen on ${address}`);
    const r = (await done)!;
    assert.equal(r.forThisMachine, false);
    assert.equal(vscode.workspace.getConfiguration('directoryBridge').get('hub.host'), address);
    assert.equal(hub().host, address);
    const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8'));
    assert.match(
      config.PROVISIONING_TICKET,
      new RegExp(`^https://${address.replace(/\./g, '\\.')}:${hub().port}/p/ad/`),
    );
    assert.doesNotMatch(readFileSync(path.join(folder, 'README.md'), 'utf8'), /For this machine only/);
    await notification(`The hub now listens on https://${address}`);
    await until('the embedded connector back online', () => hub().instances(NAME).length === 1, 15_000);
    assert.equal(
      hub()
        .certificates(NAME)
        .filter((c) => c.embedded).length,
      1,
      'the same certificate',
    );
    await ui.click('.notifications-center .codicon-notifications-expand').catch(() => undefined);
    await ui.screenshot('47-hub-listens-on-address');
    assert.ok(existsSync(path.join(folder, 'connector.js')));
  });

  it('the tree lists each ticket with what it is for', async () => {
    const node = api.testing.tree.connectionNode(NAME)!;
    const tickets = (await api.testing.tree.getChildren(node)).find((f) => f.id.endsWith(':tickets'))!;
    // the label says how many uses are left; the description how long, then what for (then the ticket's id)
    const rows = await Promise.all(
      (await api.testing.tree.getChildren(tickets)).map(async (c) => {
        const item = await c.treeItem();
        return `${String(item.label)} | ${String(item.description).replace(/ · ticket [0-9a-f]{8}$/, '')}`;
      }),
    );
    for (const row of [
      '2 of 2 uses left | expires in 7 d · set up by hand',
      '1 of 1 use left | expires in 7 d · deployment for this machine: Node.js folder',
      '1 of 1 use left | expires in 7 d · bundle tix.bundle.json',
      '1 of 1 use left | expires in 7 d · deployment: Node.js folder',
    ])
      assert.ok(rows.includes(row), `${row} in: ${rows.join(' / ')}`);
    const view = api.testing.view as vscode.TreeView<unknown>;
    await view.reveal(tickets, { expand: true, select: true });
    await ui.screenshot('48-tickets-with-purpose', '.part.sidebar');
  });
});
