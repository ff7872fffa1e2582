/**
 * The directory tree as an admin meets it (issue 14, point 6), in the real VS Code UI against the real slapd and
 * Samba AD with 10,000 users each: leaves without an arrow, counts on containers, a click on an entry showing its
 * decoded attributes, "Find in This Container…" and "Go to DN…" typed into the real quick input. Timings per tree
 * level and for Go to DN are printed and written to test-results/timings/tree.json.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { ConnectionNode } from '../../../extension/tree/nodes/connectionNode';
import type { EntryNode } from '../../../extension/tree/nodes/entryNode';
import type { ExplorerNode } from '../../../extension/tree/nodes/node';
import { until, sleep } from './wait';
import { ui, webview } from './control';
import { exec } from './commands';
import { sambaConnection, slapdConnection } from './directories';

const LDAP = slapdConnection('tree-ldap', { emailDomains: 'tree.example', test: false });
const AD = sambaConnection('tree-ad', { emailDomains: 'tree-ad.example', test: false });
const ROWS = '.part.sidebar .monaco-list-row';
/** A row by its exact label (a substring would take uid=user10 for uid=user1). */
const row = (label: string) => `${ROWS}:has(.monaco-highlighted-label:text-is("${label}"))`;
/** Clicks the empty middle of the status bar, so that no hover hides rows in the screenshot that follows. */
/** The find box's scope button, by the words of its tooltip. */
const SCOPE_BUTTON = (words: string) =>
  `.quick-input-widget .action-label[aria-label*="${words}"], .quick-input-widget .action-label[title*="${words}"]`;
const unhover = () => ui.drag([760, 850], [760, 850]);

describe('the directory tree: leaves, counts, entries, find and Go to DN, in the real UI', function () {
  this.timeout(300_000);
  let api: DirectoryBridgeApi;
  const timings: Record<string, number> = {};
  const view = () => api.testing.view as vscode.TreeView<ExplorerNode>;
  const conn = (name: string) => api.testing.tree.connectionNode(name) as ConnectionNode;
  const label = async (n: ExplorerNode) => String((await n.treeItem()).label);
  const description = async (n: ExplorerNode) => String((await n.treeItem()).description ?? '');
  async function child(parent: ExplorerNode, name: string): Promise<EntryNode> {
    for (const c of await api.testing.tree.getChildren(parent)) if ((await label(c)) === name) return c as EntryNode;
    throw new Error(`no child ${name} under ${await label(parent)}`);
  }
  /** Lists a level afresh and says how long the provider took (the server's answers and the probes included). */
  async function timedLevel(key: string, node: EntryNode): Promise<EntryNode[]> {
    node.reset();
    const t0 = performance.now();
    const kids = await api.testing.tree.getChildren(node);
    timings[key] = Math.round(performance.now() - t0);
    return kids as EntryNode[];
  }
  /** The visible rows that have an expand arrow (VS Code sets aria-expanded on those only). */
  const expandableRows = () => ui.texts(`${ROWS}[aria-expanded]`);
  const leafRows = () => ui.texts(`${ROWS}:not([aria-expanded])`);

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    for (const c of [LDAP, AD]) if (!api.testing.store.get(c.name)) await api.testing.createConnection(c);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // an open notification center would take Escape from the Go to DN box (an earlier suite may leave it open)
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('workbench.view.extension.directoryBridge');
    await ui.widenSidebar();
  });
  after(() => {
    // not in the results folder itself: npm test's summary reads every .json there as a stage's result
    const dir = path.join(process.env.TEST_RESULTS_DIR ?? 'test-results', 'timings');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'tree.json');
    writeFileSync(file, JSON.stringify(timings, null, 2));
    console.log('tree timings (ms):', JSON.stringify(timings));
  });

  it('OpenLDAP: users are leaves (no arrow), containers say how many entries they hold, a click shows the entry', async () => {
    const dir = conn('tree-ldap').directory;
    const top = await timedLevel('ldap: base level (4 OUs, counts in the background)', dir);
    assert.deepEqual((await Promise.all(top.map(label))).sort(), [
      'ou=groups',
      'ou=people',
      'ou=policies',
      'ou=services',
    ]);
    const people = await child(dir, 'ou=people');
    // hasSubordinates, asked for explicitly; a bounded count, never a full one, labelled as such
    await until('the count of ou=people', async () => /^1,000\+ entries$/.test(await description(people)), 10_000);
    const services = await child(dir, 'ou=services');
    await until('the count of ou=services', async () => /^\d+ entr(y|ies)$/.test(await description(services)), 10_000);
    const users = await timedLevel('ldap: ou=people first page (100 of 10,000)', people);
    assert.equal(users.length, 101, 'a page of 100 and "Load 100 more…"');
    assert.equal(await label(users[100]), 'Load 100 more…');
    for (const u of users.slice(0, 100)) {
      const item = await u.treeItem();
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None, `${item.label} has no arrow`);
      assert.equal(item.command?.command, 'directoryBridge.showEntry', `${item.label} opens on click`);
    }
    // the real UI: expand ou=people, look at the rows' arrows
    await view().reveal(conn('tree-ldap'), { expand: true });
    await view().reveal(dir, { expand: true });
    const t0 = performance.now();
    await view().reveal(people, { expand: true, select: true, focus: true });
    const first = await label(users[0]);
    await ui.texts(row(first), first, 15_000);
    timings['ldap: ou=people expanded until its rows show in the UI'] = Math.round(performance.now() - t0);
    const expandable = await expandableRows();
    assert.ok(
      expandable.some((t) => /^ou=people/.test(t)),
      expandable.join(' | '),
    );
    assert.ok(!expandable.some((t) => /^uid=user/.test(t)), `no user row has an arrow: ${expandable.join(' | ')}`);
    assert.ok((await leafRows()).some((t) => t.startsWith(first)));
    assert.ok(
      expandable.some((t) => /^ou=people\s*1,000\+ entries/.test(t)),
      `the count beside ou=people: ${expandable.join(' | ')}`,
    );
    await unhover();
    await ui.screenshot('50-tree-ldap-leaves-and-counts', '.part.sidebar');
    // a click on a user's row opens its attributes, decoded
    await ui.click(row(first));
    await until('the entry view', () => api.testing.panels.entry()?.shown?.dn === users[0].dn, 10_000);
    await webview.texts('#detail dt', 'uid', 10_000);
    const names = await webview.texts('#detail dt');
    for (const a of ['cn', 'mail', 'objectClass', 'uid']) assert.ok(names.includes(a), names.join(', '));
    assert.ok(!names.some((n) => /userPassword/i.test(n)), 'no password attribute is shown');
    assert.deepEqual(await webview.texts('h2.dn'), [users[0].dn]);
    assert.match((await webview.texts('#note'))[0], /^\d+ attributes, read from "tree-ldap" in \d+ ms\. Read-only/);
    await ui.screenshot('51-tree-ldap-entry-view');
  });

  it("OpenLDAP: Find in This Container…, switched to one level by the box's button, lists the matches from the server; Clear Find brings all back", async () => {
    const people = await child(conn('tree-ldap').directory, 'ou=people');
    const done = exec<EntryNode>('findInContainer', people);
    await ui.texts('.quick-input-widget', 'Find in ou=people,dc=example,dc=test: all levels below', 10_000);
    await ui.click(SCOPE_BUTTON('one level only'));
    await ui.texts('.quick-input-widget', 'Find in ou=people,dc=example,dc=test: one level below', 10_000);
    await ui.type('user123');
    await ui.screenshot('52-tree-find-input');
    const t0 = performance.now();
    await ui.press('Enter');
    await done;
    const matches = await api.testing.tree.getChildren(people);
    timings['ldap: find "user123" in ou=people'] = Math.round(performance.now() - t0);
    const names = await Promise.all(matches.map(label));
    assert.deepEqual(names.sort(), ['uid=user123', ...Array.from({ length: 10 }, (_, i) => `uid=user123${i}`)].sort());
    assert.equal(await description(people), 'find "user123": 11 matches, one level');
    // the sidebar draws only the rows in view: with the other suites' connections above, the last match may be below
    const last = (
      await Promise.all(matches.map(async (m) => ((await label(m)) === 'uid=user1239' ? m : undefined)))
    ).find(Boolean)!;
    await view().reveal(last, { select: false, focus: false });
    await ui.texts(row('uid=user1239'), 'user1239', 10_000);
    const rows = await ui.texts(ROWS, 'find "user123": 11 matches', 10_000);
    assert.ok(
      rows.some((t) => /ou=people\s*find "user123": 11 matches, one level/.test(t)),
      rows.join(' | '),
    );
    await unhover();
    await ui.screenshot('53-tree-find-results', '.part.sidebar');
    // what is typed is a value, not filter syntax: "*" matches a literal star (none), not everything
    await exec('findInContainer', people, '*)(uid=*', 'one');
    const none = await api.testing.tree.getChildren(people);
    assert.deepEqual(await Promise.all(none.map(label)), ['Nothing right below matches "*)(uid=*"']);
    await exec('clearFind', people);
    assert.equal((await api.testing.tree.getChildren(people)).length, 101);
    await until('the count again', async () => (await description(people)) === '1,000+ entries', 10_000);
  });

  it("OpenLDAP: Find at all levels (the box's default) from the base finds users two levels down, says where each sits, is bounded, and escapes what is typed", async () => {
    const base = conn('tree-ldap').directory;
    await view().reveal(base, { expand: true, select: true });
    const done = exec<EntryNode>('findInContainer', base);
    const box = await ui.texts('.quick-input-widget', 'all levels below', 10_000);
    assert.match(box.join(' '), /Find in dc=example,dc=test: all levels below/);
    assert.match(box.join(' '), /Entries at any depth below \(up to 200\)/);
    await ui.type('user123');
    await ui.screenshot('92-tree-find-all-levels-input');
    const t0 = performance.now();
    await ui.press('Enter');
    await done;
    const matches = (await api.testing.tree.getChildren(base)) as EntryNode[];
    timings['ldap: find "user123" at all levels from the base'] = Math.round(performance.now() - t0);
    assert.deepEqual(
      (await Promise.all(matches.map(label))).sort(),
      ['uid=user123', ...Array.from({ length: 10 }, (_, i) => `uid=user123${i}`)].sort(),
    );
    for (const m of matches) {
      assert.equal(await description(m), 'in ou=people', m.dn);
      assert.match(((await m.treeItem()).tooltip as vscode.MarkdownString).value, /ou=people,dc=example,dc=test/);
    }
    assert.equal(await description(base), 'find "user123": 11 matches, all levels · dc=example,dc=test');
    // the real rows: the scope beside the base, the place beside each match; a click shows the entry as before
    await ui.texts(ROWS, 'find "user123": 11 matches, all levels', 10_000);
    const target = matches.find((m) => m.dn === 'uid=user1234,ou=people,dc=example,dc=test')!;
    await view().reveal(target, { select: false, focus: false });
    const shown = await ui.texts(row('uid=user1234'), 'in ou=people', 10_000);
    assert.match(shown[0], /uid=user1234\s*in ou=people/);
    await unhover();
    await ui.screenshot('93-tree-find-all-levels-results', '.part.sidebar');
    await ui.click(row('uid=user1234'));
    await until('the entry view of user1234', () => api.testing.panels.entry()?.shown?.dn === target.dn, 10_000);
    await webview.texts('h2.dn', 'user1234', 10_000);
    // the injection at all levels: a value, not filter syntax
    await exec('findInContainer', base, '*)(uid=*', 'sub');
    assert.deepEqual(await Promise.all((await api.testing.tree.getChildren(base)).map(label)), [
      'Nothing at any level below matches "*)(uid=*"',
    ]);
    // bounded: 1,111 users match "user1"; 200 are listed, the first row says to narrow the search
    await exec('findInContainer', base, 'user1', 'sub');
    const many = await api.testing.tree.getChildren(base);
    assert.equal(many.length, 201);
    assert.equal(await label(many[0]), '200+ matches: the first 200 are listed; narrow the search');
    assert.ok(!(await Promise.all(many.map(label))).some((l) => /^Load/.test(l)), 'no "Load more" on a bounded find');
    assert.equal(await description(base), 'find "user1": 200+ matches, all levels · dc=example,dc=test');
    await view().reveal(base, { select: true, focus: false });
    await ui.texts(ROWS, 'narrow the search', 10_000);
    await unhover();
    await ui.screenshot('94-tree-find-all-levels-bounded', '.part.sidebar');
    await exec('clearFind', base);
    assert.deepEqual((await Promise.all((await api.testing.tree.getChildren(base)).map(label))).sort(), [
      'ou=groups',
      'ou=people',
      'ou=policies',
      'ou=services',
    ]);
  });

  it("OpenLDAP: by keys only, Find in This Container… from the row's context menu, Alt+L (named in the box) switches one level / all levels, and the results follow", async () => {
    const base = conn('tree-ldap').directory;
    const title = async () => (await ui.texts('.quick-input-widget .quick-input-title')).join(' ');
    /** The tree row has the keyboard; Shift+F10 opens its context menu, the arrows walk to the command, Enter. */
    async function openFindByKeys(shot?: string) {
      await view().reveal(base, { select: true, focus: true });
      await until('the tree row to have the keyboard', async () =>
        (await ui.focused())?.className.includes('monaco-list'),
      );
      await ui.press('Shift+F10');
      await ui.texts('.context-view .monaco-menu', 'Find in This Container', 10_000);
      let on = false;
      for (let i = 0; i < 15 && !on; i++) {
        await ui.press('ArrowDown');
        const focused = await ui.texts('.context-view .monaco-menu .action-item.focused');
        on = focused.some((t) => t.includes('Find in This Container'));
      }
      assert.ok(on, 'the arrows reach "Find in This Container…" in the context menu');
      if (shot) await ui.screenshot(shot);
      await ui.press('Enter');
      await ui.texts('.quick-input-widget', 'Find in dc=example,dc=test', 10_000);
      await until('the find box to have the keyboard', async () => (await ui.focused())?.tag === 'input');
    }
    await exec('clearFind', base);
    await openFindByKeys('96-tree-find-keys-context-menu');
    assert.equal(await title(), 'Find in dc=example,dc=test: all levels below');
    const box = (await ui.texts('.quick-input-widget')).join(' ');
    assert.match(box, /Alt\+L \(or the button at the top right\) switches to one level only/, 'the box names its key');
    await ui.press('Alt+L');
    await until(
      'the title to say one level',
      async () => (await title()) === 'Find in dc=example,dc=test: one level below',
    );
    assert.match(
      (await ui.texts('.quick-input-widget')).join(' '),
      /Alt\+L \(or the button at the top right\) switches to all levels/,
    );
    // the keyboard stays in the text: typing goes on where it was
    assert.equal((await ui.focused())?.tag, 'input');
    await ui.type('user123');
    assert.equal(await ui.value('.quick-input-widget input'), 'user123');
    await ui.screenshot('97-tree-find-keys-one-level');
    await ui.press('Enter');
    await until('the find at one level', async () => (await description(base)).startsWith('find "user123"'), 10_000);
    assert.deepEqual(await Promise.all((await api.testing.tree.getChildren(base)).map(label)), [
      'Nothing right below matches "user123"',
    ]);
    assert.equal(await description(base), 'find "user123": 0 matches, one level · dc=example,dc=test');
    // again by keys: the box remembers the text and the scope; Alt+L back to all levels, Enter
    await openFindByKeys();
    assert.equal(await title(), 'Find in dc=example,dc=test: one level below');
    assert.equal(await ui.value('.quick-input-widget input'), 'user123');
    await ui.press('Alt+L');
    await until(
      'the title to say all levels',
      async () => (await title()) === 'Find in dc=example,dc=test: all levels below',
    );
    await ui.screenshot('98-tree-find-keys-all-levels');
    await ui.press('Enter');
    await until('the find at all levels', async () => / all levels/.test(await description(base)), 10_000);
    const matches = await api.testing.tree.getChildren(base);
    assert.deepEqual(
      (await Promise.all(matches.map(label))).sort(),
      ['uid=user123', ...Array.from({ length: 10 }, (_, i) => `uid=user123${i}`)].sort(),
    );
    assert.equal(await description(base), 'find "user123": 11 matches, all levels · dc=example,dc=test');
    await ui.texts(ROWS, 'find "user123": 11 matches, all levels', 10_000);
    await unhover();
    await ui.screenshot('99-tree-find-keys-results', '.part.sidebar');
    await exec('clearFind', base);
  });

  it('OpenLDAP: Go to DN… typed in the quick input reveals an entry 9,999 rows down and shows it; a wrong DN says what exists', async () => {
    const dn = 'uid=user9999,ou=people,dc=example,dc=test';
    const done = exec<{ dn: string; ms: number }>('goToDn', 'tree-ldap');
    await ui.texts('.quick-input-widget', 'Go to DN in "tree-ldap"', 10_000);
    await ui.type(dn);
    await ui.screenshot('54-tree-go-to-dn-input');
    await ui.press('Enter');
    const r = await done;
    timings['ldap: Go to DN (uid=user9999, not in the first page)'] = Math.round(r.ms);
    assert.equal(r.dn, dn);
    const selected = await ui.texts(`${ROWS}.selected`, 'uid=user9999', 10_000);
    assert.equal(selected.length, 1);
    assert.match(selected[0], /uid=user9999\s*found by Go to DN/);
    await until('the entry view of user9999', () => api.testing.panels.entry()?.shown?.dn === dn, 10_000);
    await webview.texts('h2.dn', 'user9999', 10_000);
    await ui.screenshot('55-tree-go-to-dn-revealed');
    // a login name works too: the connection's user filter finds the entry
    const byName = await exec<{ dn: string }>('goToDn', 'tree-ldap', 'alice');
    assert.equal(byName.dn, 'cn=Alice Smith,ou=people,dc=example,dc=test');
    // a typo, typed in the box: it stays open with the error under the text, naming the nearest entry that exists
    const typo = exec<unknown>('goToDn', 'tree-ldap');
    await ui.texts('.quick-input-widget', 'Go to DN in "tree-ldap"', 10_000);
    await ui.type('uid=nobody,ou=people,dc=example,dc=test');
    await ui.press('Enter');
    const said = await ui.texts('.quick-input-widget', 'holds no such entry', 10_000);
    assert.match(
      said.join(' '),
      /No entry uid=nobody,ou=people,dc=example,dc=test in "tree-ldap": ou=people,dc=example,dc=test exists, but holds no such entry\./,
    );
    await ui.screenshot('56-tree-go-to-dn-not-found');
    await ui.press('Escape');
    const closed = await Promise.race([typo, new Promise((r) => setTimeout(() => r('still open'), 10_000))]);
    assert.equal(closed, undefined, 'Escape closes the Go to DN box, and the command ends with nothing chosen');
    await assert.rejects(
      async () => await exec('goToDn', 'tree-ldap', 'cn=Subschema'),
      /cn=Subschema is outside the base DN dc=example,dc=test of "tree-ldap": the tree shows only entries under the base\./,
    );
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('OpenLDAP, by clicks on a directory never listed: the base level shows each OU’s count, and a click on an OU lists its entries', async () => {
    // a fresh connection: its base is listed for the first time by the click, as after `npm start`
    const fresh = slapdConnection('tree-clicks', { emailDomains: 'tree-clicks.example', test: false });
    await api.testing.createConnection(fresh);
    try {
      await vscode.commands.executeCommand('workbench.actions.treeView.directoryBridge.connections.collapseAll');
      await ui.click(row('tree-clicks'));
      await ui.click(row('Directory'));
      // before the fix the counts never came, and the OU rows were stale: the click below expanded to nothing
      for (const [ou, count] of [
        ['ou=people', /1,000\+ entries/],
        ['ou=services', /2 entries/],
      ] as const)
        await until(`${ou} shows ${count}`, async () => (await ui.texts(row(ou))).some((t) => count.test(t)), 10_000);
      await ui.click(row('ou=services'));
      await ui.texts(row('cn=bridge'), 'cn=bridge', 10_000);
      await unhover();
      await ui.screenshot('100-tree-clicks-fresh');
    } finally {
      await exec('deleteConnection', fresh.name, { confirm: true });
    }
  });

  it('Samba AD: no hasSubordinates, so leaves are found by a one-entry probe; CN=Users counts what it listed; objectSid and GUID decoded', async () => {
    // the tooltip's table keeps the whole user filter (its "|" escaped, not read as a column)
    const tip = ((await conn('tree-ad').treeItem()).tooltip as vscode.MarkdownString).value;
    assert.ok(tip.includes('`(\\|(sAMAccountName={0})(userPrincipalName={0}))`'), tip);
    const dir = conn('tree-ad').directory;
    const top = await timedLevel('ad: base level (11 entries, 1 probe)', dir);
    const names = await Promise.all(top.map(label));
    for (const n of ['CN=Users', 'CN=Builtin', 'CN=Infrastructure', 'OU=Domain Controllers'])
      assert.ok(names.includes(n), names.join());
    const infra = await child(dir, 'CN=Infrastructure');
    assert.equal(
      (await infra.treeItem()).collapsibleState,
      vscode.TreeItemCollapsibleState.None,
      'probed: no children',
    );
    const users = await child(dir, 'CN=Users');
    assert.equal((await users.treeItem()).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const page = await timedLevel('ad: CN=Users first page (100 of 10,000+, 100 probes)', users);
    assert.equal(page.length, 101);
    // Samba ignores size limits, so no bounded count: the listing's own "at least"
    assert.equal(await description(users), '100+ entries');
    const leaves = [];
    for (const u of page.slice(0, 100))
      if ((await u.treeItem()).collapsibleState === vscode.TreeItemCollapsibleState.None) leaves.push(u);
    assert.ok(leaves.length >= 95, `${leaves.length} of 100 users are leaves`);
    await view().reveal(conn('tree-ad'), { expand: true });
    await view().reveal(dir, { expand: true });
    await view().reveal(users, { expand: true, select: true });
    const user = page.find((n) => /^CN=user\d+,/.test(n.dn))!;
    const userLabel = await label(user);
    await ui.texts(row(userLabel), userLabel, 30_000);
    const expandable = await expandableRows();
    assert.ok(!expandable.some((t) => /^CN=user\d/.test(t)), `no user row has an arrow: ${expandable.join(' | ')}`);
    assert.ok(
      expandable.some((t) => /^CN=Users\s*100\+ entries/.test(t)),
      expandable.join(' | '),
    );
    await unhover();
    await ui.screenshot('57-tree-ad-leaves', '.part.sidebar');
    await ui.click(row(userLabel));
    await until('the entry view', () => api.testing.panels.entry()?.shown?.dn === user.dn, 10_000);
    await webview.texts('#detail dd[data-kind="sid"]', 'S-1-5-21-', 10_000);
    assert.match(
      (await webview.texts('#detail dd[data-kind="guid"]'))[0],
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/,
    );
    assert.match((await webview.texts('#detail dd[data-kind="flags"]'))[0], /NORMAL_ACCOUNT/);
    assert.ok((await webview.texts('#detail dd[data-kind="date"]')).some((t) => /^\d{4}-\d\d-\d\dT/.test(t)));
    await ui.screenshot('58-tree-ad-entry-decoded');
  });

  it('Samba AD: Find at all levels from the base finds a user under CN=Users (no hasSubordinates; bounded though Samba ignores size limits)', async () => {
    const base = conn('tree-ad').directory;
    const t0 = performance.now();
    await exec('findInContainer', base, 'user1234', 'sub');
    const found = (await api.testing.tree.getChildren(base)) as EntryNode[];
    timings['ad: find "user1234" at all levels from the base'] = Math.round(performance.now() - t0);
    assert.deepEqual(await Promise.all(found.map(label)), ['CN=user1234']);
    assert.equal(await description(found[0]), 'in CN=Users');
    assert.equal((await found[0].treeItem()).collapsibleState, vscode.TreeItemCollapsibleState.None, 'probed: a leaf');
    assert.match(await description(base), /^find "user1234": 1 match, all levels/);
    await view().reveal(found[0], { select: true, focus: false });
    await ui.texts(row('CN=user1234'), 'in CN=Users', 10_000);
    await unhover();
    await ui.screenshot('95-tree-ad-find-all-levels', '.part.sidebar');
    await exec('findInContainer', base, '*)(sAMAccountName=*', 'sub');
    assert.deepEqual(await Promise.all((await api.testing.tree.getChildren(base)).map(label)), [
      'Nothing at any level below matches "*)(sAMAccountName=*"',
    ]);
    const t1 = performance.now();
    await exec('findInContainer', base, 'user1', 'sub');
    const many = await api.testing.tree.getChildren(base);
    timings['ad: find "user1" at all levels, cut at 200'] = Math.round(performance.now() - t1);
    assert.equal(many.length, 201);
    assert.equal(await label(many[0]), '200+ matches: the first 200 are listed; narrow the search');
    await exec('clearFind', base);
  });

  it('Samba AD: Go to DN by logon name reveals the user under CN=Users; a container shows its entry from the inline eye', async () => {
    const r = await exec<{ dn: string; ms: number }>('goToDn', 'tree-ad', 'alice');
    timings['ad: Go to DN by logon name (alice)'] = Math.round(r.ms);
    assert.equal(r.dn, 'CN=Alice Smith,CN=Users,DC=example,DC=test');
    await ui.texts(`${ROWS}.selected`, 'CN=Alice Smith', 10_000);
    await until('the entry view of alice', () => api.testing.panels.entry()?.shown?.dn === r.dn, 10_000);
    await webview.texts('#detail dd', 'alice', 10_000);
    const r2 = await exec<{ dn: string; ms: number }>('goToDn', 'tree-ad', 'CN=user9999,CN=Users,DC=example,DC=test');
    timings['ad: Go to DN (CN=user9999)'] = Math.round(r2.ms);
    await ui.texts(`${ROWS}.selected`, 'CN=user9999', 10_000);
    await unhover();
    await ui.screenshot('59-tree-ad-go-to-dn', '.part.sidebar');
    // a container's click expands it; its own attributes come from the eye on its row
    const builtin = await child(conn('tree-ad').directory, 'CN=Builtin');
    assert.equal((await builtin.treeItem()).command, undefined);
    // the row's inline actions show on the selected row
    await view().reveal(builtin, { select: true, focus: true });
    await ui.click(`${row('CN=Builtin')} .action-label[aria-label="Show Entry"]`);
    await until('the entry of CN=Builtin', () => api.testing.panels.entry()?.shown?.dn === builtin.dn, 10_000);
    await sleep(100);
    await webview.texts('#detail dd', 'builtinDomain', 10_000);
  });
});
