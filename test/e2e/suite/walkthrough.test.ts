/**
 * What a first-time admin met in the real VS Code UI (issue 14), driven as a person drives it: keys typed into the
 * webviews, Enter in every field, the modal confirmation clicked, against the real slapd and Samba AD. The fixes
 * offered after a refused login are applied to the dedicated account quinn and flipped back.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { LoginView } from '../../../extension/webview/messages';
import { putInState, QUINN, type AccountState, type Kind } from '../../helpers/accountStates';
import { until, sleep } from './wait';
import { ui, webview } from './control';
import { exec } from './commands';
import { tryLogin as tryLoginIn } from './loginPanel';
import { sambaConnection, slapdConnection } from './directories';

const LDAP = slapdConnection('walk-ldap', { emailDomains: 'example.test', test: false });
const UID_ONLY = { ...LDAP, name: 'walk-uid', userFilter: '(uid={0})', emailDomains: 'uid.example' };
const AD = sambaConnection('walk-ad', { emailDomains: 'corp.example', test: false });

describe('first-use walkthrough: the fixes, in the real UI', function () {
  this.timeout(240_000);
  let api: DirectoryBridgeApi;
  const shot = async (name: string) => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await ui.screenshot(name);
  };

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    for (const c of [LDAP, UID_ONLY, AD]) if (!api.testing.store.get(c.name)) await api.testing.createConnection(c);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await putInState('openldap', 'normal');
    await putInState('ad', 'normal');
  });

  async function openLogin(connection: string): Promise<void> {
    api.testing.panels.login()?.dispose();
    await exec('openTestLogin', connection);
    await webview.texts('h1', 'Test a login');
    await webview.click('#mode-direct');
  }
  /** Types the password and presses Enter in `field`; the verdict, once the panel is seen still there. */
  async function tryLogin(username: string, password: string, field = '#password input'): Promise<string> {
    const verdict = await tryLoginIn(api, username, password, field);
    assert.deepEqual(await webview.texts('h1'), ['Test a login'], `the panel is still there after Enter in ${field}`);
    return verdict;
  }

  it('1. Enter in every field of Test a Login runs the test, and the panel stays', async () => {
    await openLogin('walk-ldap');
    for (const field of ['#username input', '#password input']) {
      assert.match(await tryLogin('alice', 'Passw0rd!Alice', field), /Login succeeded/);
    }
    // a success shows its profile open, under its own name
    assert.deepEqual(await webview.texts('#profile-details[open] #profile-summary'), ['Mapped profile']);
    assert.equal(await webview.value('#password input'), '', 'the password is cleared after the try');
    await shot('30-test-login-after-enter');
  });

  it('1. Enter in every field of LDAP Query runs the query, and the panel stays', async () => {
    await exec('openQuery', 'walk-ldap', {
      base: 'ou=people,dc=example,dc=test',
      filter: '(uid=alice)',
      attributes: [],
    });
    await until(
      'the form',
      async () => (await webview.value('#filter input').catch(() => '')) === '(uid=alice)',
      15_000,
    );
    const panel = api.testing.panels.query()!;
    const dones = () => panel.posted.filter((m) => m.type === 'done').length;
    for (const field of ['#base input', '#filter input', '#attributes input', '#sizeLimit input', '#pageSize input']) {
      const n = dones();
      await webview.press(field, 'Enter');
      await until(`a query after Enter in ${field}`, () => dones() > n, 20_000);
      await sleep(300);
      assert.match((await webview.texts('#status', 'entry in'))[0], /^1 entry in/, `after Enter in ${field}`);
    }
  });

  it('3. Attributes left empty: every attribute in the table and in the CSV; a failed query clears the table', async () => {
    const panel = api.testing.panels.query()!;
    assert.equal(await webview.value('#attributes input'), '');
    const header = await webview.texts('.th');
    for (const a of ['dn', 'uid', 'mail', 'givenName', 'sn', 'cn', 'objectClass'])
      assert.ok(header.includes(a), `${a} in ${header.join(', ')}`);
    assert.ok(header.length >= 8, header.join(', '));
    const row = (await webview.texts('.tr'))[0];
    assert.match(row, /alice@example\.test/);
    await shot('31-query-all-attributes');
    const file = (await panel.export('csv', path.join(mkdtempSync(path.join(tmpdir(), 'all-')), 'r.csv')))!;
    const [head, line] = readFileSync(file, 'utf8').trim().split('\r\n');
    assert.deepEqual(head.split(','), header, 'the CSV has the same columns as the table');
    assert.match(line, /alice@example\.test/);
    await webview.fill('#filter input', '(uid=alice');
    await webview.press('#filter input', 'Enter');
    await webview.texts('#status', 'Failed');
    assert.equal(await webview.count('.tr'), 0, 'no stale rows beside a failure');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('2. the wizard says what each user filter matches; the default accepts every usual form', async () => {
    // the steps before the user filter pre-answered; that step and the rest are asked in the real quick input
    const done = api.testing
      .createConnection({
        name: 'walk-wiz',
        kind: 'ad',
        urls: AD.urls,
        baseDn: AD.baseDn,
        bindDn: AD.bindDn,
        bindPassword: AD.bindPassword,
      })
      .then(
        () => 'created',
        (e: Error) => e.name,
      );
    await until(
      'the user filter step',
      async () => (await ui.texts('.quick-input-widget')).some((t) => t.includes('7/12')),
      10_000,
    );
    const rows = await ui.texts('.quick-input-widget .monaco-list-row');
    assert.match(rows[0], /Logon name, UPN or DOMAIN\\user/);
    assert.match(rows[0], /Matches alice, alice@example\.com and EXAMPLE\\alice/);
    assert.ok(
      rows.some((r) => /uid|sAMAccountName/.test(r) && /not alice@example\.com/.test(r)),
      rows.join(' | '),
    );
    await ui.screenshot('32-wizard-user-filter');
    // ldaps://: no StartTLS question; step 8 asks how the certificate is checked, naming the TLS it is for.
    // A click on the pick's box gives it the keyboard first, as a person would (the last panel may still have it)
    await ui.click('.quick-input-widget .quick-input-box input');
    await ui.press('Enter');
    const caQuestion = `.quick-input-widget input[placeholder="How the directory's TLS certificate is checked (ldaps://)"]`;
    await until('the CA question', async () => (await ui.texts(caQuestion)).length === 1, 10_000);
    assert.ok((await ui.texts('.quick-input-widget')).some((t) => t.includes('8/12')));
    // Back passes over the StartTLS question that was not asked: to the user filter, not the CA question again
    await ui.click('.quick-input-widget .codicon-quick-input-back');
    await until(
      'the user filter step again',
      async () => (await ui.texts('.quick-input-widget')).some((t) => t.includes('7/12') && t.includes('Logon name')),
      10_000,
    );
    await ui.press('Escape');
    assert.equal(await done, 'CancelledError', 'Escape cancels the wizard');
    assert.equal(api.testing.store.get('walk-wiz'), undefined);
  });

  it('2. an email logs in; the hint never promises what the filter will not do; unknown user shows filter and base', async () => {
    await openLogin('walk-ldap');
    await webview.fill('#username input', '');
    await webview.type('#username input', 'alice@example.test');
    assert.match(
      (await webview.texts('#hint', 'picks'))[0],
      /The email domain picks "walk-ldap"\. User filter \(\|\(uid=\{0\}\)\(mail=\{0\}\)\): matches alice and alice@example\.com\./,
    );
    assert.match(await tryLogin('alice@example.test', 'Passw0rd!Alice'), /Login succeeded/);
    const verdict = await tryLogin('nobody@example.test', 'N0body-Pass!9');
    assert.equal(
      verdict.split('\n')[0].trim(),
      '✘ Unknown user — no entry matches (|(uid=nobody@example.test)(mail=nobody@example.test)) under dc=example,dc=test',
    );
    await shot('33-unknown-user-filter-and-base');
    await webview.fill('#username input', '');
    await webview.type('#username input', 'alice@uid.example');
    assert.match(
      (await webview.texts('#hint', 'does not look'))[0],
      /picks "walk-uid"\. Its user filter \(uid=\{0\}\) does not look at email addresses: type the login name\./,
    );
    await shot('34-hint-uid-only');
    // AD: the logon name, the UPN and DOMAIN\user all find alice with the default filter
    const panel = api.testing.panels.login()!;
    for (const username of ['alice', 'alice@example.test', 'EXAMPLE\\alice']) {
      const v = (await panel.handle({
        type: 'login',
        username,
        password: 'Passw0rd!Alice',
        connection: 'walk-ad',
        mode: 'direct',
      })) as LoginView;
      assert.equal(v.ok, true, `${username}: ${v.headline} ${v.source}`);
    }
    // 8: a refused login does not show "groups": [] as if the user had none
    const refused = (await panel.handle({
      type: 'login',
      username: 'carol',
      password: 'Passw0rd!Carol',
      connection: 'walk-ldap',
      mode: 'direct',
    })) as LoginView;
    assert.equal(refused.ok, false);
    assert.ok(refused.profile && !('groups' in (refused.profile as object)));
    // typed as a person does: the verdict first; what the directory holds for carol folded under words that say
    // the login failed, so that it does not read as a half success (it was shown open as "Mapped profile")
    assert.match(await tryLogin('carol', 'Passw0rd!Carol'), /^✘ Account disabled/);
    const summary = await webview.texts('#profile-summary', 'the login failed');
    assert.deepEqual(summary, ['What the directory holds for this user (the login failed)']);
    assert.match((await webview.texts('#result > *'))[0], /^✘ /, 'the verdict comes first');
    assert.equal(await webview.count('#profile-details[open]'), 0, 'folded after a refused login');
    await shot('34b-refused-login-profile-folded');
    await webview.click('#profile-summary');
    assert.equal(await webview.count('#profile-details[open]'), 1, 'a click unfolds it');
    assert.match((await webview.texts('#profile'))[0], /"dn": "cn=Carol Disabled,ou=people,/);
    assert.doesNotMatch((await webview.texts('#profile'))[0], /"groups"/);
  });

  it('7. "not encrypted" where it is so; Troubleshoot keeps its full report open, titled honestly, in the editor\'s words', async () => {
    const tip = ((await api.testing.tree.connectionNode('walk-ldap')!.treeItem()).tooltip as vscode.MarkdownString)
      .value;
    assert.match(tip, /\*\*not encrypted\*\* \(ldap:\/\/ without StartTLS\)/);
    assert.doesNotMatch(tip, /verify on/);
    const steps = await exec<Array<{ status: string }>>('troubleshoot', 'walk-ldap');
    assert.ok(steps.some((st) => st.status === 'warn'));
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.languageId, 'markdown');
    // read-only, and closing it asks nothing (an untitled document asked to be saved)
    assert.equal(doc.uri.scheme, 'directory-bridge-report');
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.isDirty, false);
    const text = doc.getText();
    assert.match(text, /^# Troubleshoot walk-ldap: \d+ warnings?/m);
    assert.doesNotMatch(text, /all checks passed|LDAP_STARTTLS/);
    assert.match(text, /NOT encrypted \(ldap:\/\/127\.0\.0\.1:3890\)/);
    assert.match(text, /turn StartTLS on with Edit Connection/);
    await shot('39-troubleshoot-report');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const FLOWS: Array<{ kind: Kind; connection: string }> = [
    { kind: 'openldap', connection: 'walk-ldap' },
    { kind: 'ad', connection: 'walk-ad' },
  ];
  const auditFile = () => path.join(api.testing.globalStorageUri.fsPath, 'audit.log');

  /** A refused login, the fix offered, confirmed in the modal dialog, and the login let through (or to the next step). */
  async function fix(o: {
    state?: AccountState;
    kind: Kind;
    password: string;
    refused: RegExp;
    fix: string;
    newPassword?: string;
    button: string;
    shots?: string;
  }): Promise<string> {
    if (o.state) await putInState(o.kind, o.state);
    assert.match(await tryLogin(QUINN.username, o.password), o.refused);
    if (o.shots) await shot(`${o.shots}-refused-with-fix`);
    await webview.click(`#fix-${o.fix}`);
    if (o.newPassword) {
      await ui.texts('.quick-input-widget', 'New password for');
      if (o.shots) await ui.screenshot(`${o.shots}-new-password`);
      await ui.type(o.newPassword);
      await ui.press('Enter');
    }
    const dialog = (
      await ui.texts('.quick-input-widget', 'of quinn?').catch(() => ui.texts('.quick-input-widget', 'for quinn?'))
    )[0];
    assert.match(dialog, /Quinn Fixable/i, 'the confirmation names the account');
    assert.match(dialog, /With the service account /);
    assert.match(dialog, /Cancel/);
    if (o.shots) await ui.screenshot(`${o.shots}-confirm`);
    await ui.click('.quick-input-widget .monaco-list-row', o.button);
    const note = (await webview.texts('#fix-note', 'Done:', 20_000))[0];
    if (o.shots) await shot(`${o.shots}-done`);
    return note;
  }

  for (const { kind, connection } of FLOWS) {
    it(`close the loop on ${kind}: locked → unlock, disabled → enable, expired → new password (must change) → new password`, async () => {
      await openLogin(connection);
      const p = kind === 'ad' ? 'ad' : 'ldap';
      assert.match(
        await fix({
          state: 'locked',
          kind,
          password: QUINN.password,
          refused: /Account locked out/,
          fix: 'unlock',
          button: 'Unlock',
          shots: `35-${p}-unlock`,
        }),
        /Done: unlock the account of .*Quinn Fixable/i,
      );
      assert.match(await tryLogin(QUINN.username, QUINN.password), /Login succeeded/);
      assert.match(
        await fix({
          state: 'disabled',
          kind,
          password: QUINN.password,
          refused: /Account disabled/,
          fix: 'enable',
          button: 'Enable',
          shots: kind === 'ad' ? `36-${p}-enable` : undefined,
        }),
        /Done: enable the account/,
      );
      assert.match(await tryLogin(QUINN.username, QUINN.password), /Login succeeded/);
      const first = `Fix3d-${kind}!A1`;
      const second = `Fix3d-${kind}!B2`;
      assert.match(
        await fix({
          state: 'expired',
          kind,
          password: QUINN.password,
          refused: /Password expired/,
          fix: 'setPassword',
          newPassword: first,
          button: 'Must Change',
          shots: `37-${p}-new-password`,
        }),
        /must change at next logon/,
      );
      assert.match(
        await fix({
          kind,
          password: first,
          refused: /Password must be changed/,
          fix: 'setPassword',
          newPassword: second,
          button: 'Set Password',
        }),
        /Done: set a new password for/,
      );
      assert.deepEqual(await webview.texts('#open-audit'), ['Open the audit log'], 'the panel links the audit log');
      assert.match(await tryLogin(QUINN.username, second), /Login succeeded/);
      const log = readFileSync(auditFile(), 'utf8');
      for (const pw of [first, second, QUINN.password]) assert.ok(!log.includes(pw), 'no password in the audit log');
      const mine = log
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((r) => r.connection === connection);
      assert.deepEqual(
        mine.slice(-4).map((r) => `${r.change}/${r.outcome}`),
        [
          'unlock the account/done',
          'enable the account/done',
          'set a new password (must change at next logon)/done',
          'set a new password/done',
        ],
      );
      assert.match(mine[0].account, /Quinn Fixable/i);
      assert.match(mine[0].by, /^service account /);
      await putInState(kind, 'normal');
    });
  }

  it('the audit log opens with its command (the panel links it)', async () => {
    await exec('openAuditLog');
    await until(
      'the audit log in an editor',
      () => vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === auditFile()),
      10_000,
    );
    await shot('38-audit-log');
  });
});
