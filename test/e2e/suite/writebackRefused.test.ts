/**
 * The write-back that is refused anyway, in the real UI against the real slapd: an instance reports write-back on
 * (so the confirmation offers it), then answers change_password with WriteBackDisabled. The editor says nothing was
 * changed and offers the service account with a confirmation of its own: Cancel writes nothing, accepting sets the
 * password. The instance is a protocol peer (test/helpers/protocolPeer.ts) over the hub's real socket, because a
 * real connector reports and enforces the same setting. The account quinn is flipped back.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import jwt from 'jsonwebtoken';
import * as vscode from 'vscode';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import { putInState, QUINN } from '../../helpers/accountStates';
import { ACCOUNTS } from '../../helpers/fixtures';
import { ProtocolPeer, type PeerFrame } from '../../helpers/protocolPeer';
import { exec } from './commands';
import { approvedPeer } from './peers';
import { tryLogin as tryLoginIn } from './loginPanel';
import { ui, webview } from './control';
import { until } from './wait';

const LDAP = {
  name: 'wbr-ldap',
  kind: 'openldap' as const,
  urls: 'ldap://127.0.0.1:3890',
  baseDn: ACCOUNTS.slapd.baseDn,
  bindDn: ACCOUNTS.slapd.bindDn,
  bindPassword: ACCOUNTS.slapd.bindPassword,
  userFilter: '(|(uid={0})(mail={0}))',
  caFile: null,
  startTls: false,
  emailDomains: 'wbr.example',
  kerberosRanges: '',
  cacheEnabled: false,
  test: false,
};
const HOST = 'says-on-peer';
const QI = '.quick-input-widget';

describe('a write-back refused anyway: nothing changed, the service account offered', function () {
  this.timeout(120_000);
  let api: DirectoryBridgeApi;
  let peer: ProtocolPeer;
  const changeRequests: Array<Record<string, unknown>> = [];
  const auditFile = () => path.join(api.testing.globalStorageUri.fsPath, 'audit.log');
  const audit = () =>
    readFileSync(auditFile(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { connection: string; change: string; via: string; outcome: string; error?: string })
      .filter((r) => r.connection === LDAP.name);

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    await until('the hub', () => api.testing.hubs.status === 'running', 15_000);
    const hub = api.testing.hubs.hub!;
    if (!api.testing.store.get(LDAP.name)) await api.testing.createConnection(LDAP);
    // the peer is the only instance of the connection
    await api.testing.runner.stop(LDAP.name);
    const registered = await approvedPeer(hub, LDAP.name, HOST);
    peer = registered.peer;
    assert.equal((await peer.start()).n, 'authenticated');
    // it says write-back is on...
    peer.ws!.send(
      JSON.stringify({
        n: 'connector_health',
        p: { directory: { ok: true, url: LDAP.urls, latencyMs: 1 }, writeBack: true, inFlight: 0, host: HOST },
      }),
    );
    // ...and refuses every change_password as a connector with write-back off does (connector/requestHandler.ts)
    peer.ws!.on('message', (d) => {
      const f = JSON.parse(d.toString()) as PeerFrame;
      if (f.n !== 'change_password') return;
      const claims = jwt.verify(f.p.jwt, registered.signingKey) as Record<string, unknown>;
      changeRequests.push(claims);
      peer.ws!.send(
        JSON.stringify({
          n: `${claims.pid}_change_password_result`,
          p: {
            err: { name: 'UnexpectedError', message: 'password write-back is disabled', code: 'WriteBackDisabled' },
          },
        }),
      );
    });
    await until('the instance reports write-back on', () => hub.instances(LDAP.name)[0]?.writeBack === true, 10_000);
    await putInState('openldap', 'mustChange');
    api.testing.panels.login()?.dispose();
    await exec('openTestLogin', LDAP.name);
    await webview.texts('h1', 'Test a login');
    await webview.click('#mode-direct');
  });
  after(async () => {
    peer?.close();
    await putInState('openldap', 'normal');
    await exec('deleteConnection', LDAP.name, { confirm: true });
  });

  const tryLogin = (username: string, password: string) => tryLoginIn(api, username, password);
  /** From the refused login to the write-back's refusal: returns the second confirmation's text. */
  async function setPasswordThroughWriteBack(pw: string): Promise<string> {
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Password must be changed/);
    await webview.click('#fix-setPassword');
    await ui.texts(QI, 'New password for');
    await ui.type(pw);
    await ui.press('Enter');
    const first = (await ui.texts(QI, 'for quinn?'))[0];
    assert.match(first, new RegExp(`Set Password\\s+Through the connector write-back on ${HOST}`));
    const asked = changeRequests.length;
    await ui.click(`${QI} .monaco-list-row`, 'Through the connector write-back');
    return (await ui.texts(QI, 'Nothing was changed', 20_000))[0].concat(
      asked + 1 === changeRequests.length ? '' : ' [the peer was not asked once]',
    );
  }

  it('Cancel on the second confirmation writes nothing, and says so', async () => {
    const dialog = await setPasswordThroughWriteBack('Wbr-e2e!Cancel1');
    assert.match(
      dialog,
      new RegExp(`Nothing was changed for quinn: connector ${HOST} refused it, though it reports write-back on`),
    );
    assert.match(
      dialog,
      new RegExp(`Set Password with the Service Account\\s+With the service account ${LDAP.bindDn} instead`),
    );
    assert.doesNotMatch(dialog, /not asked once/);
    await ui.screenshot('90-writeback-refused-anyway');
    // by the keyboard: the full detail the pointer hovers covers the rows below it
    await ui.click(`${QI} .quick-input-box input`);
    await ui.type('Cancel');
    await ui.press('Enter');
    const note = (await webview.texts('#fix-note', 'Not changed', 10_000))[0];
    assert.equal(
      note,
      `Not changed: connector ${HOST} refused it, though it reports write-back on. Nothing was written.`,
    );
    const last = audit().at(-1)!;
    assert.deepEqual([last.via, last.outcome], ['write-back', 'failed']);
    assert.match(last.error!, /WriteBackDisabled/);
    // the old password is still the one the directory holds, still to be changed
    assert.match(await tryLogin(QUINN.username, QUINN.password), /Password must be changed/);
  });

  it('accepted, the service account sets the password: the login works and the audit log holds both tries', async () => {
    const before = audit().length;
    const pw = 'Wbr-e2e!Set2';
    await setPasswordThroughWriteBack(pw);
    await ui.click(`${QI} .monaco-list-row`, 'Set Password with the Service Account');
    const note = (await webview.texts('#fix-note', 'Done:', 30_000))[0];
    assert.match(note, new RegExp(`written by the service account ${LDAP.bindDn}`));
    await ui.screenshot('91-writeback-refused-then-service-account');
    assert.match(await tryLogin(QUINN.username, pw), /Login succeeded/, 'the new password works at once');
    const tries = audit().slice(before);
    assert.deepEqual(
      tries.map((r) => [r.via, r.outcome]),
      [
        ['write-back', 'failed'],
        ['service account', 'done'],
      ],
    );
    const text = readFileSync(auditFile(), 'utf8');
    for (const p of [pw, 'Wbr-e2e!Cancel1', QUINN.password])
      assert.ok(!text.includes(p), 'no password in the audit log');
  });
});
