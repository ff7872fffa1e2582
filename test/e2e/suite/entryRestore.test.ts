/**
 * The entry view after a window reload, for the cases an admin meets (the reload itself is driven from outside, by
 * test/e2e/host/restore-check.js): the serializer's work with a kept state, in a real tab of the real workbench,
 * against the real slapd. The entry read afresh; a deleted connection, a vanished entry, an unreachable directory
 * and a state that says nothing each get a message in the panel, never a blank tab.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { EntryPanel } from '../../../extension/panels/entryPanel';
import { SLAPD } from '../../helpers/servers';
import { ui, webview } from './control';
import { slapdConnection } from './directories';
import { until } from './wait';

const LIVE = slapdConnection('restore-ldap', { emailDomains: 'restore.example', test: false });
// a port nothing listens on: the connection is refused, as when the directory is down
const DOWN = slapdConnection('restore-down', {
  emailDomains: 'restore-down.example',
  test: false,
  urls: 'ldap://127.0.0.1:9',
});
const GONE = slapdConnection('restore-gone', { emailDomains: 'restore-gone.example', test: false });
const ALICE = `cn=Alice Smith,ou=people,${SLAPD.baseDn}`;

describe('the entry view after a window reload: read afresh, or a clear message', function () {
  this.timeout(120_000);
  let api: DirectoryBridgeApi;
  let panel: EntryPanel | undefined;
  /** Revives the view as the serializer does, and waits until it no longer says "reading". */
  async function revive(state: unknown): Promise<EntryPanel> {
    panel?.dispose();
    panel = api.testing.reviveEntry(state);
    const p = panel;
    await until('the revived view to settle', () => p.state && p.state.type !== 'reading', 20_000);
    return p;
  }
  const problemText = () => webview.texts('#problem', 'a', 10_000).then((t) => t[0]);

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    for (const c of [LIVE, DOWN, GONE]) if (!api.testing.store.get(c.name)) await api.testing.createConnection(c);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    panel?.dispose();
    for (const c of [LIVE, DOWN]) if (api.testing.store.get(c.name)) await api.testing.store.delete(c.name);
  });

  it('reads the kept entry afresh from the directory: DN, attributes, title', async () => {
    const p = await revive({ connection: LIVE.name, dn: ALICE });
    assert.equal(p.state?.type, 'entry', JSON.stringify(p.state));
    assert.equal(p.panel.title, 'Entry: cn=Alice Smith');
    assert.deepEqual(await webview.texts('h2.dn', ALICE, 10_000), [ALICE]);
    const names = await webview.texts('#detail dt');
    for (const a of ['uid', 'mail', 'cn']) assert.ok(names.includes(a), names.join(', '));
    assert.match((await webview.texts('#note'))[0], /^\d+ attributes, read from "restore-ldap" in \d+ ms/);
    assert.equal(await webview.count('#problem:not(.hidden)'), 0);
  });

  it('the connection was deleted meanwhile: says so, keeps the DN in sight', async () => {
    await api.testing.store.delete(GONE.name);
    const p = await revive({ connection: GONE.name, dn: ALICE });
    assert.equal(p.state?.type, 'problem');
    assert.match(await problemText(), /The connection "restore-gone" no longer exists: it was deleted/);
    assert.deepEqual(await webview.texts('h2.dn'), [ALICE]);
    assert.equal(p.panel.title, 'Entry: cn=Alice Smith');
    await ui.screenshot('105-restored-entry-connection-deleted');
  });

  it('the entry no longer exists: says so, with the DN and the connection', async () => {
    const dn = `uid=restore-nobody,ou=people,${SLAPD.baseDn}`;
    await revive({ connection: LIVE.name, dn });
    assert.match(await problemText(), new RegExp(`^No entry ${dn} in "restore-ldap": it was deleted or renamed`));
  });

  it('the directory is unreachable: says why, and Read Again tries once more', async () => {
    const p = await revive({ connection: DOWN.name, dn: ALICE });
    const first = await problemText();
    assert.match(first, /^Could not read the entry from "restore-down": .+\. Read Again tries once more\.$/);
    assert.match(first, /ECONNREFUSED|refused|connect/i);
    await ui.screenshot('106-restored-entry-unreachable');
    const before = p.posted.length;
    await webview.click('#reread');
    await until('a second read', () => p.posted.length >= before + 2 && p.state?.type === 'problem', 20_000);
    assert.ok(
      p.posted.slice(before).some((m) => m.type === 'reading'),
      'Read Again read the directory again',
    );
  });

  it('a state that says nothing (from an older version): a message, not a blank tab', async () => {
    for (const state of [undefined, {}, { connection: 'x'.repeat(64), dn: ALICE }, { connection: LIVE.name, dn: 7 }]) {
      const p = await revive(state);
      assert.equal(p.state?.type, 'problem', JSON.stringify(state));
      assert.match(await problemText(), /did not keep which entry it showed/);
    }
  });
});
