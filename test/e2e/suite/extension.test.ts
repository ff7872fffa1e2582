/**
 * The extension in real VS Code (code-server's extension host), against the real slapd and Samba AD: commands with
 * their input steps answered, the tree, the embedded connector, tickets, deployments, bundles, troubleshooting.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openBundle, parseBundle } from '../../../protocol/bundle';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { ConnectionNode } from '../../../extension/tree/nodes/connectionNode';
import type { ExplorerNode } from '../../../extension/tree/nodes/node';
import { PW } from '../../helpers/fixtures';
import { runNode } from '../../../shared/runNode';
import { until } from './wait';
import { ui } from './control';
import { exec } from './commands';
import { sambaConnection, slapdConnection } from './directories';

const LDAP = slapdConnection('sandbox-ldap', {
  userFilter: '(uid={0})',
  emailDomains: 'example.test',
  kerberosRanges: '10.0.0.0/8',
  cacheEnabled: true,
});
const AD = sambaConnection('corp-ad', { userFilter: '(sAMAccountName={0})', emailDomains: 'example.test' });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A script as the editor's Node runs it (ELECTRON_RUN_AS_NODE: the desktop editor's binary as plain Node). */
const runScript = (args: string[], cwd: string, input = '') =>
  runNode(args, { cwd, input, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });

describe('Directory Bridge in VS Code', function () {
  this.timeout(120_000);
  let api: DirectoryBridgeApi;
  const node = (name: string) => api.testing.tree.connectionNode(name) as ConnectionNode;
  const kids = (n: ExplorerNode) => api.testing.tree.getChildren(n);
  const labels = async (n: ExplorerNode) =>
    Promise.all((await kids(n)).map(async (c) => String((await c.treeItem()).label)));

  before(async () => {
    const ext = vscode.extensions.getExtension('directory-bridge.directory-bridge');
    assert.ok(ext, 'the extension is installed in development mode');
    api = (await ext.activate()) as DirectoryBridgeApi;
    console.log(`      activation: ${api.activationMs.toFixed(1)} ms`);
    if (process.env.TEST_RESULTS_DIR)
      writeFileSync(
        path.join(process.env.TEST_RESULTS_DIR, 'activation.txt'),
        JSON.stringify({ activationMs: Math.round(api.activationMs * 10) / 10 }),
      );
    await until('the hub', () => api.testing.hubs.status === 'running', 15_000);
  });

  after(async () => {
    for (const n of api.testing.store.names()) await api.testing.runner.stop(n);
  });

  it('activates fast, starts the hub on loopback, and shows it in the status bar', async () => {
    assert.ok(api.activationMs < 2000, `${api.activationMs} ms`);
    assert.equal(api.testing.hubs.hub!.host, '127.0.0.1');
    assert.match(api.statusText(), /Hub · 0 online/);
    const bar = await ui.texts('.statusbar-item', 'Hub');
    assert.ok(
      bar.some((t) => /Hub · 0 online/.test(t)),
      JSON.stringify(bar),
    );
  });

  it('with no connection the view shows its welcome', async () => {
    await vscode.commands.executeCommand('directoryBridge.connections.focus');
    const welcome = await ui.texts('.part.sidebar .welcome-view-content', 'No connections yet');
    assert.ok(welcome.join(' ').includes('Create Connection'));
    await ui.screenshot('01-welcome', '.part.sidebar');
  });

  it('Create Connection with every step answered, tested against the directory', async () => {
    const r = await api.testing.createConnection(LDAP);
    assert.equal(r.name, 'sandbox-ldap');
    assert.match(r.testReport ?? '', /^OK: ldap:\/\/127\.0\.0\.1:3890 \(openldap\)/);
    const def = api.testing.store.get('sandbox-ldap')!;
    assert.deepEqual(def.emailDomains, ['example.test']);
    assert.deepEqual(def.kerberosRanges, ['10.0.0.0/8']);
    assert.equal(await api.testing.store.bindPassword('sandbox-ldap'), LDAP.bindPassword);
    const storeText = readFileSync(api.testing.store.path, 'utf8');
    assert.ok(!storeText.includes(LDAP.bindPassword), 'no password in the store file');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('directoryBridge'));
    assert.ok(!settings.includes(LDAP.bindPassword), 'no password in settings');
    assert.ok(api.testing.hubs.hub!.state.connection('sandbox-ldap'), 'the hub knows the connection');
  });

  it('an invalid step is refused with the message the input box would show', async () => {
    await assert.rejects(
      Promise.resolve(api.testing.createConnection({ ...LDAP, name: 'Bad Name' })),
      /lowercase letters/,
    );
    await assert.rejects(
      Promise.resolve(api.testing.createConnection({ ...LDAP, name: 'x2', kerberosRanges: '10.0.0.0/33' })),
      /at most \/32/,
    );
    await assert.rejects(
      Promise.resolve(api.testing.createConnection({ ...LDAP, name: 'x3', userFilter: '(uid=alice)' })),
      /must contain \{0\}/,
    );
    assert.deepEqual(api.testing.store.names(), ['sandbox-ldap']);
  });

  it('Create Connection through the real quick input: validation as you type, Back keeps what was typed', async () => {
    const done = exec<{ name: string; testReport: string }>('createConnection');
    const box = '.quick-input-widget input.input';
    const step = async (n: number) => {
      try {
        await until(
          `step ${n}`,
          async () => (await ui.texts('.quick-input-widget')).some((t) => t.includes(`${n}/12`)),
          8000,
        );
      } catch (e) {
        await ui.screenshot(`debug-wizard-step-${n}`);
        console.log('      quick input:', JSON.stringify(await ui.texts('.quick-input-widget')));
        throw e;
      }
    };
    await step(1);
    await ui.type('Bad Name');
    assert.match(
      (await ui.texts('.quick-input-widget .quick-input-message', 'lowercase'))[0],
      /Use lowercase letters, digits and "-"/,
    );
    await ui.press('Control+A');
    await ui.type('ui-made');
    await ui.press('Enter');
    await step(2);
    await ui.type('OpenLDAP');
    await ui.press('Enter');
    await step(3);
    await ui.press('Control+A');
    await ui.type('ldap://127.0.0.1:3890');
    await ui.press('Enter');
    await step(4);
    await ui.type('dc=example,dc=test');
    await ui.press('Enter');
    await step(5);
    await ui.click('.quick-input-widget .codicon-quick-input-back');
    await step(4);
    assert.equal(await ui.value(box), 'dc=example,dc=test', 'Back re-opens the base DN step with its value');
    await ui.press('Enter');
    await step(5);
    await ui.type('cn=bridge,ou=services,dc=example,dc=test');
    await ui.press('Enter');
    await step(6);
    await ui.type(LDAP.bindPassword);
    await ui.press('Enter');
    await step(7);
    await ui.type('uid or mail');
    await ui.press('Enter');
    // ldap://: StartTLS first; with none, no CA question (nothing to check) and no gap in the count
    await step(8);
    await ui.texts('.quick-input-widget', 'StartTLS');
    await ui.type('No StartTLS');
    await ui.press('Enter');
    await step(9);
    assert.doesNotMatch((await ui.texts('.quick-input-widget')).join(' '), /TLS certificate/);
    await ui.press('Enter');
    await step(10);
    await ui.press('Enter');
    await step(11);
    await ui.press('Enter');
    await step(12);
    await ui.texts('.quick-input-widget', 'Test this directory');
    await ui.press('Enter');
    const r = await done;
    assert.equal(r.name, 'ui-made');
    assert.match(r.testReport, /^OK:/);
    assert.equal(api.testing.store.get('ui-made')!.directory.userFilter, '(|(uid={0})(mail={0}))');
    assert.equal(await exec('deleteConnection', 'ui-made', { confirm: true }), true);
  });

  it('an AD connection over LDAPS with its CA file', async () => {
    const r = await api.testing.createConnection(AD);
    assert.match(r.testReport ?? '', /^OK: ldaps:\/\/127\.0\.0\.1:636 \(ad\)/);
  });

  it('the tree shows each connection with its settings, and instances, tickets and directory under it', async () => {
    const roots = await api.testing.tree.getChildren();
    assert.deepEqual(await Promise.all(roots.map(async (r) => String((await r.treeItem()).label))), [
      'corp-ad',
      'sandbox-ldap',
    ]);
    const item = await node('sandbox-ldap').treeItem();
    assert.match(String(item.description), /^0 online · LDAP 127\.0\.0\.1:3890$/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /dc=example,dc=test/);
    assert.match(String(item.contextValue), /^connection runner-stopped cache-on writeback-off$/);
    assert.deepEqual(await labels(node('sandbox-ldap')), [
      'Kerberos from 10.0.0.0/8',
      'Connector instances',
      'Tickets',
      'Directory',
    ]);
    assert.deepEqual(await labels(node('corp-ad')), [
      'Kerberos off: passwords only',
      'Connector instances',
      'Tickets',
      'Directory',
    ]);
  });

  it('starts the embedded connector: its instance is online within a second', async () => {
    const t0 = Date.now();
    const pid = await exec<number>('startConnector', 'sandbox-ldap');
    assert.ok(pid && alive(pid));
    await until('the instance online', () => api.testing.hubs.hub!.instances('sandbox-ldap').length === 1, 5000);
    const ms = Date.now() - t0;
    console.log(`      start → instance online: ${ms} ms (includes provisioning)`);
    const inst = await kids(node('sandbox-ldap').instances);
    const item = await inst[0].treeItem();
    assert.match(
      String(item.description),
      /^(healthy|health not reported yet) · .*in flight · .* · v0\.1\.0 · up \d+s$/,
    );
    // the embedded connector has no keytab: the instance says Kerberos is off (once its first health frame is in)
    await until(
      'the Kerberos state reported',
      () => api.testing.hubs.hub!.instances('sandbox-ldap')[0]?.kerberos !== undefined,
      5000,
    );
    assert.match(
      String((await (await kids(node('sandbox-ldap').instances))[0].treeItem()).description),
      /in flight · Kerberos off · v0\.1\.0/,
    );
    assert.match(String((await node('sandbox-ldap').treeItem()).contextValue), /runner-running/);
    const r = await api.testing.hubs.hub!.login('sandbox-ldap', 'alice', PW.alice);
    assert.equal(r.ok, true);
    assert.deepEqual(r.profile!.groups, ['engineers', 'staff']);
  });

  it('screenshot: the sidebar with the connection expanded and its instance online', async () => {
    const view = api.testing.view as vscode.TreeView<ExplorerNode>;
    const n = node('sandbox-ldap');
    await view.reveal(n, { expand: true, focus: false, select: true });
    await view.reveal(n.instances, { expand: true });
    await view.reveal(n.tickets, { expand: true });
    await ui.widenSidebar();
    await until('a latency', () => api.testing.hubs.hub!.instances('sandbox-ldap')[0]?.latencyMs !== undefined);
    const rows = await ui.texts('.part.sidebar .monaco-list-row', ' ms · ');
    assert.ok(rows.some((t) => /sandbox-ldap/.test(t)));
    assert.ok(
      rows.some((t) => /healthy · \d+ ms · .*v0\.1\.0/.test(t)),
      rows.join(' | '),
    );
    await ui.screenshot('02-instance-online');
    await ui.screenshot('03-sidebar-instance-online', '.part.sidebar');
    const bar = await ui.texts('.statusbar-item', 'Hub · 1 online');
    assert.ok(bar.length);
  });

  it('Generate Ticket shows the URL in its panel; the ticket appears in the tree; Revoke Ticket revokes it', async () => {
    const t = await exec<{ id: string; pinnedUrl: string }>('generateTicket', 'sandbox-ldap', { uses: 2 });
    assert.match(t.pinnedUrl, /^https:\/\/127\.0\.0\.1:\d+\/p\/ad\/[\w-]{43}#ca=sha256:[0-9a-f]{64}$/);
    assert.equal(api.testing.panels.tickets().at(-1)?.ticket.url, t.pinnedUrl);
    api.testing.panels.tickets().at(-1)?.dispose();
    const tickets = await kids(node('sandbox-ldap').tickets);
    const mine = tickets.find((x) => x.id === `ticket:${t.id}`)!;
    assert.equal(String((await mine.treeItem()).label), '2 of 2 uses left');
    assert.match(String((await mine.treeItem()).description), /^expires in 7 d · set up by hand · ticket [0-9a-f]{8}$/);
    assert.equal(await exec('revokeTicket', mine, { confirm: true }), true);
    const after = (await kids(node('sandbox-ldap').tickets)).find((x) => x.id === `ticket:${t.id}`)!;
    assert.equal(String((await after.treeItem()).label), 'revoked');
    assert.match(String((await after.treeItem()).description), /^set up by hand · ticket [0-9a-f]{8}$/);
    assert.equal(
      api.testing.hubs.hub!.instances('sandbox-ldap').length,
      1,
      'the embedded instance came from no ticket',
    );
  });

  it('Generate Connector Config writes a deployment that really runs: set-password, setup, start', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'deploy-'));
    const r = await exec<{ files: string[] }>('generateConnectorConfig', 'sandbox-ldap', { folder, kerberos: false });
    assert.deepEqual(r.files.sort(), [
      'README.md',
      'config.json',
      'connector.js',
      'directory-bridge-connector.service',
    ]);
    const config = readFileSync(path.join(folder, 'config.json'), 'utf8');
    assert.ok(!config.includes(LDAP.bindPassword) && !/CREDENTIALS/.test(config), 'no secret in the generated config');
    assert.equal(statSync(path.join(folder, 'config.json')).mode & 0o777, 0o600);
    assert.match(
      readFileSync(path.join(folder, 'directory-bridge-connector.service'), 'utf8'),
      /ExecStart=\/usr\/bin\/env node \/opt\/directory-bridge\/sandbox-ldap\/connector\.js start/,
    );
    assert.equal(statSync(path.join(folder, 'connector.js')).size, statSync(api.testing.runner.connectorScript).size);
    const pw = await runScript(['connector.js', 'set-password', '--config', 'config.json'], folder, LDAP.bindPassword);
    assert.equal(pw.code, 0, pw.out);
    assert.ok(!readFileSync(path.join(folder, 'config.json'), 'utf8').includes(LDAP.bindPassword));
    const setup = await runScript(['connector.js', 'setup', '--config', 'config.json'], folder);
    assert.equal(setup.code, 0, setup.out);
    assert.ok(
      !readFileSync(path.join(folder, 'config.json'), 'utf8').includes('/p/ad/'),
      'after setup the ticket is sealed',
    );
    const child = spawn(process.execPath, ['connector.js', 'start', '--config', 'config.json'], {
      cwd: folder,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: 'ignore',
    });
    try {
      // a deployed instance waits for approval: in the tree, with Approve on it; no traffic until then
      const pendingNode = async () =>
        (await kids(node('sandbox-ldap').instances)).find((x) => x.id.startsWith('pending:'));
      await until('a pending instance in the tree', async () => !!(await pendingNode()), 10_000);
      await ui.screenshot('04-instance-waiting-for-approval', '.part.sidebar');
      assert.equal(api.testing.hubs.hub!.instances('sandbox-ldap').length, 1, 'no traffic before approval');
      assert.equal(String((await (await pendingNode())!.treeItem()).contextValue), 'instance-pending');
      await exec('approveInstance', await pendingNode());
      await until('a second instance', () => api.testing.hubs.hub!.instances('sandbox-ldap').length === 2, 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    await until('back to one instance', () => api.testing.hubs.hub!.instances('sandbox-ldap').length === 1, 10_000);
  });

  it('Export Instance Bundle: no private key and no clear password; the passphrase opens it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bundle-')), 'sandbox.bundle.json');
    const r = await exec<{ passphrase: string }>('exportInstanceBundle', 'sandbox-ldap', { file });
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('PRIVATE KEY') && !text.includes(LDAP.bindPassword));
    assert.ok(!/\/p\/ad\//.test(text), 'the ticket is only under the passphrase');
    const b = parseBundle(text);
    const opened = openBundle(b, r.passphrase);
    assert.equal(opened.bindPassword, LDAP.bindPassword);
    assert.match(opened.ticket, /\/p\/ad\/[\w-]{43}#ca=sha256:/);
    assert.throws(() => openBundle(b, 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA'), /Wrong passphrase/);
  });

  it('Troubleshoot Connection runs every step', async () => {
    const steps = await exec<Array<{ step: string; status: string }>>('troubleshoot', 'sandbox-ldap', { quiet: true });
    assert.equal(steps.length, 10);
    // the embedded connector holds no ticket (the editor registers it in process): that one check is skipped
    assert.ok(
      steps.every(
        (s) => s.status === 'pass' || s.status === 'warn' || (s.step === 'Ticket valid' && s.status === 'skip'),
      ),
      JSON.stringify(steps),
    );
    assert.equal(steps.find((s) => s.step === 'Certificate registered')?.status, 'pass');
  });

  it('the credential cache switch flips from the context menu command', async () => {
    await exec('disableCache', node('sandbox-ldap'));
    assert.equal(api.testing.store.get('sandbox-ldap')!.cacheEnabled, false);
    await until('hub in step', () => api.testing.hubs.hub!.state.connection('sandbox-ldap')!.cacheEnabled === false);
    await until('tree in step', async () =>
      /cache-off/.test(String((await node('sandbox-ldap').treeItem()).contextValue)),
    );
    await exec('enableCache', 'sandbox-ldap');
    assert.equal(api.testing.store.get('sandbox-ldap')!.cacheEnabled, true);
  });

  it('browses the directory lazily, one page at a time, with "load more"', async () => {
    const dir = node('sandbox-ldap').directory;
    const top = await labels(dir);
    for (const ou of ['ou=people', 'ou=groups', 'ou=services', 'ou=policies']) assert.ok(top.includes(ou), top.join());
    const peopleNode = (
      await Promise.all((await kids(dir)).map(async (c) => [c, String((await c.treeItem()).label)] as const))
    ).find(([, l]) => l === 'ou=people')![0];
    let page = await labels(peopleNode);
    assert.equal(page.length, 101);
    assert.equal(page[100], 'Load 100 more…');
    const more = (await kids(peopleNode))[100];
    await exec('loadMore', more);
    page = await labels(peopleNode);
    assert.equal(page.length, 201);
  });

  it('Edit Connection changes settings and keeps the stored password', async () => {
    await api.testing.editConnection('corp-ad', {
      ...AD,
      bindPassword: '',
      emailDomains: 'example.test corp.example',
      cacheEnabled: true,
      test: false,
    });
    const def = api.testing.store.get('corp-ad')!;
    assert.deepEqual(def.emailDomains, ['example.test', 'corp.example']);
    assert.equal(await api.testing.store.bindPassword('corp-ad'), AD.bindPassword);
    const test = await exec<{ ok: boolean; text: string }>('testDirectory', 'corp-ad');
    assert.equal(test.ok, true, test.text);
    assert.match(test.text, /^OK: ldaps:\/\/127\.0\.0\.1:636 \(ad\)/);
  });

  it('stopping the embedded connector leaves no process behind', async () => {
    const pid = api.testing.runner.pidOf('sandbox-ldap')!;
    await exec('stopConnector', 'sandbox-ldap');
    assert.equal(alive(pid), false);
    await until('offline', () => api.testing.hubs.hub!.instances('sandbox-ldap').length === 0);
    const inst = await labels(node('sandbox-ldap').instances);
    assert.match(inst[0], /No instance online/);
  });

  it('a corrupted connections file gives a clear message and loses nothing', async () => {
    const { ConnectionStore } = await import('../../../extension/connections/store');
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    const file = path.join(dir, 'connections.json');
    writeFileSync(file, '{"version":1,"connections":[{"name":"ok-one"');
    const broken = new ConnectionStore(dir, api.testing.secrets);
    assert.match(String(broken.readOnlyReason), /is not valid JSON .* left as it is/);
    await assert.rejects(broken.save({ ...api.testing.store.get('sandbox-ldap')!, name: 'other' }), /read-only/);
    assert.equal(readFileSync(file, 'utf8'), '{"version":1,"connections":[{"name":"ok-one"');
    const good = { ...api.testing.store.get('sandbox-ldap')! };
    writeFileSync(file, JSON.stringify({ version: 1, connections: [good, { name: 'BAD', directory: {} }] }));
    const partial = new ConnectionStore(dir, api.testing.secrets);
    assert.deepEqual(partial.names(), ['sandbox-ldap']);
    assert.match(String(partial.readOnlyReason), /1 entry .* could not be read \(BAD:/);
    broken.dispose();
    partial.dispose();
  });

  it('Delete Connection removes it from the store, the hub and the tree', async () => {
    assert.equal(await exec('deleteConnection', 'corp-ad', { confirm: true }), true);
    assert.deepEqual(api.testing.store.names(), ['sandbox-ldap']);
    assert.equal(api.testing.hubs.hub!.state.connection('corp-ad'), undefined);
    assert.equal(existsSync(api.testing.store.path), true);
  });
});
