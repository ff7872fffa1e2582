/**
 * Closing the loop through the connector's write-back, in the real UI (Samba AD, then OpenLDAP): with password write-back
 * turned on, the embedded connector reports it, and a new password chosen after a refused test login goes through
 * it (change_password); the confirmation and the audit log say so, and offer "must change at next logon" only with
 * the service account, because change_password cannot carry it. Unlock has no protocol request: its confirmation
 * says it is written with the service account. The account quinn is flipped back.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import { putInState, QUINN } from '../../helpers/accountStates';
import { until } from './wait';
import { ui, webview } from './control';
import { exec } from './commands';
import { tryLogin as tryLoginIn } from './loginPanel';
import { sambaConnection, slapdConnection } from './directories';

const AD = sambaConnection('wb-ad', { emailDomains: 'wb.example', test: false });
const LDAP = slapdConnection('wb-ldap', { emailDomains: 'wb-ldap.example', test: false });

describe('a fix through the connector write-back, in the real UI', function () {
  this.timeout(180_000);
  let api: DirectoryBridgeApi;
  const shot = async (name: string) => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await ui.screenshot(name);
  };
  const auditFile = () => path.join(api.testing.globalStorageUri.fsPath, 'audit.log');
  const audit = () =>
    readFileSync(auditFile(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { connection: string; change: string; via?: string; by: string; outcome: string });

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    await until('the hub', () => api.testing.hubs.status === 'running', 15_000);
    if (!api.testing.store.get(AD.name)) await api.testing.createConnection(AD);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await api.testing.runner.stop(AD.name);
    await api.testing.runner.stop(LDAP.name);
    await putInState('ad', 'normal');
    await putInState('openldap', 'normal');
  });

  const tryLogin = (username: string, password: string) => tryLoginIn(api, username, password);

  it('write-back on: the embedded connector reports it, and the connection says so', async () => {
    assert.equal(await exec('enableWriteBack', AD.name), true);
    assert.equal(api.testing.store.get(AD.name)!.writeBack, true);
    await exec('startConnector', AD.name);
    const hub = api.testing.hubs.hub!;
    await until('the instance reports write-back on', () => hub.instances(AD.name)[0]?.writeBack === true, 15_000);
    const item = await api.testing.tree.connectionNode(AD.name)!.treeItem();
    assert.match(String(item.contextValue), /\bwriteback-on\b/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /Password write-back \| on/);
  });

  it('must change → a new password through the connector write-back; must-change only with the service account', async () => {
    await putInState('ad', 'mustChange');
    api.testing.panels.login()?.dispose();
    await exec('openTestLogin', AD.name);
    await webview.texts('h1', 'Test a login');
    await webview.click('#mode-direct');
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Password must be changed/);
    await shot('60-writeback-refused-with-fix');
    await webview.click('#fix-setPassword');
    await ui.texts('.quick-input-widget', 'New password for');
    const pw = 'Wb-e2e-AD!61';
    await ui.type(pw);
    await ui.press('Enter');
    const dialog = (await ui.texts('.quick-input-widget', 'for quinn?'))[0];
    const host = api.testing.hubs.hub!.instances(AD.name)[0].host;
    assert.match(dialog, /Quinn Fixable/i, 'the confirmation names the account');
    assert.match(dialog, new RegExp(`Set Password\\s+Through the connector write-back on ${host}`));
    assert.match(dialog, /write-back cannot ask for it/, 'why must-change goes the other way');
    assert.match(dialog, /Set, Must Change at Next Logon\s+With the service account Administrator@example\.test/);
    await ui.screenshot('61-writeback-confirm');
    await ui.click('.quick-input-widget .monaco-list-row', 'Through the connector write-back');
    const note = (await webview.texts('#fix-note', 'Done:', 30_000))[0];
    assert.match(
      note,
      new RegExp(
        `Done: set a new password for .*Quinn Fixable.*through the connector write-back \\(change_password\\) on ${host}`,
        'i',
      ),
    );
    await shot('62-writeback-done');
    assert.match(await tryLogin(QUINN.username, pw), /Login succeeded/, 'the new password works at once');
    const last = audit()
      .filter((r) => r.connection === AD.name)
      .at(-1)!;
    assert.deepEqual([last.change, last.via, last.outcome], ['set a new password', 'write-back', 'done']);
    assert.equal(last.by, `connector write-back (change_password) on ${host}`);
    const text = readFileSync(auditFile(), 'utf8');
    for (const p of [pw, QUINN.password]) assert.ok(!text.includes(p), 'no password in the audit log');
    await exec('openAuditLog');
    await until(
      'the audit log in an editor',
      () => vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === auditFile()),
      10_000,
    );
    await shot('67-audit-log-write-back');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('locked → unlock: no protocol request for it, so the confirmation says the service account writes it', async () => {
    await putInState('ad', 'locked');
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Account locked out/);
    await webview.click('#fix-unlock');
    const dialog = (await ui.texts('.quick-input-widget', 'of quinn?'))[0];
    assert.match(dialog, /With the service account Administrator@example\.test/);
    assert.match(dialog, /\(connectors have no unlock request\)/);
    await ui.screenshot('63-unlock-confirm-no-protocol-request');
    await ui.click('.quick-input-widget .monaco-list-row', 'Unlock');
    const note = (await webview.texts('#fix-note', 'Done:', 30_000))[0];
    assert.match(note, /written by the service account Administrator@example\.test/);
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Login succeeded/);
    const last = audit()
      .filter((r) => r.connection === AD.name)
      .at(-1)!;
    assert.deepEqual([last.change, last.via, last.outcome], ['unlock the account', 'service account', 'done']);
  });

  it('write-back off: the embedded connector restarts without it, and a new password goes by the service account, saying why', async () => {
    assert.equal(await exec('disableWriteBack', AD.name), false);
    const hub = api.testing.hubs.hub!;
    await until('the instance reports write-back off', () => hub.instances(AD.name)[0]?.writeBack === false, 20_000);
    await putInState('ad', 'mustChange');
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Password must be changed/);
    await webview.click('#fix-setPassword');
    await ui.texts('.quick-input-widget', 'New password for');
    await ui.type('Wb-e2e-AD!64');
    await ui.press('Enter');
    const dialog = (await ui.texts('.quick-input-widget', 'for quinn?'))[0];
    assert.match(dialog, /write-back is off on /);
    assert.doesNotMatch(dialog, /Through the connector write-back/);
    await ui.screenshot('64-writeback-off-confirm');
    await ui.click('.quick-input-widget .monaco-list-row', 'Cancel');
    await webview.texts('#fix-note', 'Cancelled', 10_000);
    await putInState('ad', 'normal');
  });

  it('OpenLDAP: a new password through the write-back lets a must-change account in; must-change stays with the service account', async () => {
    if (!api.testing.store.get(LDAP.name)) await api.testing.createConnection(LDAP);
    await exec('enableWriteBack', LDAP.name);
    await exec('startConnector', LDAP.name);
    const hub = api.testing.hubs.hub!;
    await until('write-back reported', () => hub.instances(LDAP.name)[0]?.writeBack === true, 15_000);
    await putInState('openldap', 'mustChange'); // a policy with pwdMustChange, and pwdReset set
    api.testing.panels.login()?.dispose();
    await exec('openTestLogin', LDAP.name);
    await webview.texts('h1', 'Test a login');
    await webview.click('#mode-direct');
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Password must be changed/);
    await webview.click('#fix-setPassword');
    await ui.texts('.quick-input-widget', 'New password for');
    const pw = 'Wb-e2e-LDAP!65';
    await ui.type(pw);
    await ui.press('Enter');
    const dialog = (await ui.texts('.quick-input-widget', 'for quinn?'))[0];
    const host = hub.instances(LDAP.name)[0].host;
    assert.match(
      dialog,
      new RegExp(`Set Password\\s+Through the connector write-back on ${host}: no change asked at next logon`),
    );
    assert.match(dialog, /Set, Must Change at Next Logon\s+With the service account cn=bridge/);
    await ui.click('.quick-input-widget .monaco-list-row', 'Through the connector write-back');
    assert.match((await webview.texts('#fix-note', 'Done:', 30_000))[0], /through the connector write-back/);
    assert.match(await tryLogin(QUINN.username, pw), /Login succeeded/, 'slapd dropped pwdReset with the reset');
    assert.ok(!readFileSync(auditFile(), 'utf8').includes(pw), 'no password in the audit log');
    await putInState('openldap', 'normal');
  });
});
