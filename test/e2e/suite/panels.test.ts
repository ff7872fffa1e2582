/**
 * The LDAP query and test-login panels in real VS Code, against the real slapd and Samba AD: the webview's DOM is
 * read and driven through the runner; the host side is called where a test needs figures.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { LoginView, MapperView, QueryToWebview } from '../../../extension/webview/messages';
import { ACCOUNTS, PW } from '../../helpers/fixtures';
import { until } from './wait';
import { ui, webview } from './control';
import { exec } from './commands';
import { sambaConnection } from './directories';

const AD = sambaConnection('corp-ad', {
  userFilter: '(sAMAccountName={0})',
  emailDomains: 'corp.example',
  cacheEnabled: true,
});
const STATES: Array<{
  user: string;
  password: string;
  ldap: string | undefined;
  ad: string | undefined;
  words: string;
}> = [
  { user: 'alice', password: PW.alice, ldap: undefined, ad: undefined, words: 'Login succeeded' },
  {
    user: 'alice',
    password: ACCOUNTS.wrongPassword,
    ldap: 'WrongPassword',
    ad: 'WrongPassword',
    words: 'Wrong password',
  },
  {
    user: 'carol',
    password: PW.carol,
    ldap: 'AccountDisabled',
    ad: 'AccountDisabled',
    words: 'Account disabled',
  },
  { user: 'dave', password: PW.dave, ldap: 'AccountLocked', ad: 'AccountLocked', words: 'Account locked out' },
  {
    user: 'henry',
    password: PW.henry,
    ldap: 'PasswordExpired',
    ad: 'PasswordExpired',
    words: 'Password expired',
  },
  {
    user: 'frank',
    password: PW.frank,
    ldap: 'PasswordChangeRequired',
    ad: 'PasswordChangeRequired',
    words: 'Password must be changed',
  },
  { user: 'gina', password: PW.gina, ldap: 'AccountExpired', ad: 'AccountExpired', words: 'Account expired' },
];

describe('LDAP query and test-login panels', function () {
  this.timeout(180_000);
  let api: DirectoryBridgeApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    if (!api.testing.store.get('corp-ad')) await api.testing.createConnection({ ...AD, test: false });
    for (const n of ['sandbox-ldap', 'corp-ad']) await exec('startConnector', n);
    await until(
      'both instances',
      () =>
        api.testing.hubs.hub!.instances('sandbox-ldap').length === 1 &&
        api.testing.hubs.hub!.instances('corp-ad').length === 1,
      15_000,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    for (const n of api.testing.store.names()) await api.testing.runner.stop(n);
  });

  describe('query panel', () => {
    it('runs a query typed into the panel and shows its rows', async () => {
      await exec('openQuery', 'sandbox-ldap');
      await webview.texts('#status', 'Ready');
      await webview.fill('#filter input', '(uid=user1*)');
      await webview.fill('#attributes input', 'uid, cn, mail');
      await webview.click('#run');
      const status = await webview.texts('#status', 'entries in');
      assert.match(status[0], /^1,112 entries in/); // user1, user10-19, user100-199, user1000-1999, user10000
      const rows = await webview.texts('.tr');
      assert.ok(
        rows.some((r) => r.includes('uid=user1,ou=people,dc=example,dc=test')),
        rows.slice(0, 3).join(' | '),
      );
      const header = await webview.texts('.th');
      assert.deepEqual(header, ['dn', 'uid', 'cn', 'mail']);
      const recent = api.testing.globalState.get<string[]>('directoryBridge.query.recent.sandbox-ldap');
      assert.equal(recent?.[0], '(uid=user1*)');
    });

    it('a malformed filter shows a readable error with its position, before any search', async () => {
      await webview.fill('#filter input', '(&(uid=a)(cn=b)');
      const err = await webview.texts('#filter-error', 'Missing');
      assert.match(err[0], /Missing "\)": 1 parenthesis is left open\./);
      assert.match(err[0], /\^$/m);
      await webview.fill('#filter input', '(uid=a))');
      assert.match((await webview.texts('#filter-error', 'Unexpected'))[0], /Unexpected "\)" at position 8/);
    });

    it('10,000 entries stream page by page; the DOM holds only the rows in view; a header click sorts', async () => {
      const panel = api.testing.panels.query()!;
      const before = panel.posted.length;
      await webview.fill('#base input', 'ou=people,dc=example,dc=test');
      await webview.fill('#filter input', '(uid=user*)');
      await webview.fill('#attributes input', 'uid, cn, mail');
      await webview.click('#run');
      await webview.texts('#status', '10,000 entries in', 60_000);
      const msgs = panel.posted.slice(before);
      const done = msgs.find((m) => m.type === 'done') as Extract<QueryToWebview, { type: 'done' }>;
      const pages = msgs.filter((m) => m.type === 'page').length;
      console.log(
        `      10,000 entries: first page after ${done.firstPageMs?.toFixed(0)} ms, last after ${done.ms.toFixed(0)} ms, ${pages} pages`,
      );
      assert.equal(done.total, 10000);
      assert.equal(pages, 20);
      const inDom = (await webview.texts('.tr')).length;
      assert.ok(inDom > 10 && inDom < 100, `${inDom} rows in the DOM`);
      await webview.click('.th', 'uid');
      await webview.click('.th', 'uid');
      const first = (await webview.texts('.tr'))[0];
      assert.match(first, /^uid=user10000,/, 'descending by uid, numeric-aware (10000 > 9999)');
    });

    it('exports CSV, LDIF and JSON that parse back to the same entries', async () => {
      const panel = api.testing.panels.query()!;
      await panel.run(1001, {
        connection: 'sandbox-ldap',
        base: 'ou=people,dc=example,dc=test',
        scope: 'one',
        filter: '(uid=user*)',
        attributes: ['uid', 'cn', 'mail'],
        sizeLimit: 0,
        pageSize: 500,
      });
      const dir = mkdtempSync(path.join(tmpdir(), 'export-'));
      const csv = readFileSync((await panel.export('csv', path.join(dir, 'r.csv')))!, 'utf8')
        .trim()
        .split('\r\n');
      assert.equal(csv[0], 'dn,uid,cn,mail');
      assert.equal(csv.length, 10001);
      assert.ok(csv.includes('"uid=user42,ou=people,dc=example,dc=test",user42,User 42,user42@example.test'));
      const ldif = readFileSync((await panel.export('ldif', path.join(dir, 'r.ldif')))!, 'utf8');
      assert.equal((ldif.match(/^dn: /gm) ?? []).length, 10000);
      assert.match(
        ldif,
        /^dn: uid=user42,ou=people,dc=example,dc=test\nuid: user42\ncn: User 42\nmail: user42@example\.test$/m,
      );
      const json = JSON.parse(readFileSync((await panel.export('json', path.join(dir, 'r.json')))!, 'utf8')) as Array<{
        dn: string;
        attributes: Record<string, string[]>;
      }>;
      assert.equal(json.length, 10000);
      assert.deepEqual(json.find((e) => e.dn.startsWith('uid=user42,'))!.attributes.mail, ['user42@example.test']);
      assert.match((await webview.texts('#status', 'Exported'))[0], /Exported 10,000 entries as JSON/);
    });

    it('entry detail decodes objectGUID, objectSid, dates, userAccountControl, and shows thumbnailPhoto as the image (AD)', async () => {
      // a real photo on a real AD user, written by the domain admin over LDAPS
      const png = Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000180000001808020000006f15aaaf000000404944415478da6378f6e62b5510c3083748236f1f450601f56322920dc26a0a1eb3868a41784cc165d6880b236aa6236aa66cf2f31ac158c7e3d3518346b44100596c05913b8208a40000000049454e44ae426082',
        'hex',
      ); // a 24×24 PNG silhouette
      const { Client, Change, Attribute } = await import('ldapts');
      const admin = new Client({ url: 'ldaps://127.0.0.1:636', tlsOptions: { ca: [readFileSync(AD.caFile, 'utf8')] } });
      await admin.bind(AD.bindDn, AD.bindPassword);
      await admin.modify(
        'CN=Alice Smith,CN=Users,DC=example,DC=test',
        new Change({ operation: 'replace', modification: new Attribute({ type: 'thumbnailPhoto', values: [png] }) }),
      );
      await admin.unbind();
      await exec('openQuery', 'corp-ad', {
        base: 'DC=example,DC=test',
        filter: '(sAMAccountName=alice)',
        attributes: [],
      });
      await until(
        'the form for corp-ad',
        async () => (await webview.value('#filter input')) === '(sAMAccountName=alice)',
        15_000,
      );
      await webview.click('#run');
      await webview.texts('#status', '1 entry in');
      await webview.click('.tr');
      const dts = await webview.texts('#detail dt', 'objectGUID');
      assert.ok(dts.includes('objectSid') && dts.includes('userAccountControl') && dts.includes('thumbnailPhoto'));
      const dd = await webview.texts('#detail dd');
      assert.ok(
        dd.some((t) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*guid$/.test(t.trim())),
        dd.join(' | '),
      );
      assert.ok(dd.some((t) => /^S-1-5-21-\d+-\d+-\d+-\d+\s*sid$/.test(t.trim())));
      assert.ok(dd.some((t) => /^512: NORMAL_ACCOUNT\s*flags$/.test(t.trim())));
      assert.ok(dd.some((t) => /^20\d\d-\d\d-\d\dT.*Z\s*date$/.test(t.trim())));
      assert.ok(
        dd.some((t) => /^image$/.test(t.trim())),
        'the photo row shows the image with its "image" badge',
      );
      await webview.texts('#detail img[alt^="thumbnailPhoto of"]');
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await ui.screenshot('10-query-panel');
      await vscode.commands.executeCommand('workbench.view.extension.directoryBridge');
    });

    it('Query from Here opens the panel at an entry of the tree', async () => {
      const dirNode = api.testing.tree.connectionNode('sandbox-ldap')!.directory;
      const kids = await dirNode.children!();
      const people = (await Promise.all(kids.map(async (k) => [k, String((await k.treeItem()).label)] as const))).find(
        ([, l]) => l === 'ou=people',
      )![0] as unknown as { dn: string; connection: string };
      await exec('queryFromHere', people);
      await until(
        'the base filled in',
        () =>
          api.testing.panels
            .query()!
            .posted.some((m) => m.type === 'init' && m.request.base === 'ou=people,dc=example,dc=test'),
        15_000,
      );
    });
  });

  describe('test-login panel', () => {
    it('every account state, through the hub and direct, on both directories, in plain words with its source', async () => {
      await exec('openTestLogin');
      const panel = api.testing.panels.login()!;
      await webview.texts('h1', 'Test a login');
      const seen: string[] = [];
      for (const connection of ['sandbox-ldap', 'corp-ad']) {
        for (const mode of ['hub', 'direct'] as const) {
          for (const s of STATES) {
            const v = (await panel.handle({
              type: 'login',
              username: s.user,
              password: s.password,
              connection,
              mode,
            })) as LoginView;
            const expected = connection === 'corp-ad' ? s.ad : s.ldap;
            assert.equal(v.errorName, expected, `${connection}/${mode}/${s.user}: ${v.headline} ${v.source}`);
            assert.equal(v.headline, s.words);
            if (expected) assert.ok(v.source, 'a source is given');
            if (mode === 'hub' && v.ok) assert.match(String(v.answeredBy), /connector instance on /);
            seen.push(`${connection}/${mode}/${s.user}`);
          }
        }
      }
      assert.equal(seen.length, 28);
    });

    it('shows the verdict, DN, groups, profile and stage times; AD words name the data code', async () => {
      const panel = api.testing.panels.login()!;
      await panel.handle({
        type: 'login',
        username: 'carol',
        password: PW.carol,
        connection: 'corp-ad',
        mode: 'hub',
      });
      const verdict = await webview.texts('#verdict', 'Account disabled');
      assert.match(verdict[0], /Account disabled — Active Directory data 533/);
      const v = (await panel.handle({
        type: 'login',
        username: 'alice',
        password: PW.alice,
        connection: 'corp-ad',
        mode: 'hub',
      })) as LoginView;
      assert.deepEqual(
        v.stages.map((s) => s.name),
        ['hub → connector → hub', 'user search', 'bind', 'groups'],
      );
      await webview.texts('#verdict', 'Login succeeded');
      const facts = (await webview.texts('.facts'))[0];
      assert.match(facts, /CN=Alice Smith,CN=Users,DC=example,DC=test/);
      assert.match(facts, /Domain Users, engineers, staff/);
      assert.match((await webview.texts('#profile'))[0], /"objectSid": "S-1-5-21-/);
      assert.equal((await webview.texts('.stage')).length, 4);
    });

    it('typed into the real form: an email picks the connection by its domain, the password is cleared after the try', async () => {
      await webview.fill('#username input', 'alice@corp.example');
      await webview.texts('#hint', 'picks "corp-ad"');
      await webview.fill('#username input', 'alice');
      await webview.fill('#password input', PW.alice);
      await webview.click('#test');
      await webview.texts('#verdict', 'Login succeeded');
      assert.equal(await webview.value('#password input'), '');
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await ui.screenshot('11-test-login-panel');
      await vscode.commands.executeCommand('workbench.view.extension.directoryBridge');
    });

    it('the credential cache answers when no instance is online, and the panel says so', async () => {
      const panel = api.testing.panels.login()!;
      await panel.handle({
        type: 'login',
        username: 'bob',
        password: PW.bob,
        connection: 'sandbox-ldap',
        mode: 'hub',
      });
      await new Promise((r) => setTimeout(r, 500));
      await api.testing.runner.stop('sandbox-ldap');
      await until('offline', () => api.testing.hubs.hub!.instances('sandbox-ldap').length === 0, 15_000);
      const v = (await panel.handle({
        type: 'login',
        username: 'bob',
        password: PW.bob,
        connection: 'sandbox-ldap',
        mode: 'hub',
      })) as LoginView;
      assert.equal(v.ok, true);
      assert.match(String(v.answeredBy), /credential cache/);
      await webview.texts('.facts', 'credential cache');
    });

    it('profile mapper preview: re-mapped on save; an error shows its line', async () => {
      const panel = api.testing.panels.login()!;
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'mapper-')), 'mapper.js');
      writeFileSync(
        file,
        'module.exports = function (user, defaults) {\n  return { ...defaults, id: "corp|" + defaults.nickname };\n};\n',
      );
      const first = (await panel.openMapper('corp-ad', 'alice', file)) as MapperView;
      assert.equal((first.profile as { id: string }).id, 'corp|alice');
      const doc = await vscode.workspace.openTextDocument(file);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(
        doc.uri,
        new vscode.Range(0, 0, doc.lineCount, 0),
        'module.exports = function (user) {\n  const x = 1;\n  return user.missing.field;\n};\n',
      );
      await vscode.workspace.applyEdit(edit);
      await doc.save();
      const err = await webview.texts('#mapper-error', 'Line 3');
      assert.match(err[0], /^Line 3: The profile mapper .*mapper\.js:3 threw/);
    });

    it('the panel keeps its state when hidden and shown again', async () => {
      await webview.fill('#username input', 'zoë');
      await webview.click('#test').catch(() => undefined);
      await webview.texts('#verdict', '');
      await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
      await exec('openTestLogin');
      await until(
        'the form back',
        async () => (await webview.value('#username input').catch(() => '')) === 'zoë',
        15_000,
      );
    });
  });
});
