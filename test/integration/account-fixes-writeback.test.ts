/**
 * A new password after a refused login, through a connector's write-back (the protocol's change_password), with real
 * hub and connector processes against the real slapd and Samba AD: an instance started with ENABLE_WRITE_BACK says
 * so in its health report, the hub sends a write-back-only reset to it alone, and the refused login then passes with
 * the new password (the directory clears "must change at next logon": change_password carries only the password).
 * A connection whose connectors have write-back off is refused without a change. The dedicated account quinn is
 * flipped back after each test; no password appears in any process's log.
 */
import * as assert from 'node:assert/strict';
import { putInState, QUINN, type AccountState } from '../helpers/accountStates';
import { SAMBA, SLAPD, type TestServer } from '../helpers/servers';
import {
  admin,
  connectorConfigFor,
  freePort,
  login,
  logsContaining,
  provisionConnector,
  startConnector,
  startHub,
  stopAll,
  tempDir,
  type HubProc,
} from '../helpers/processes';
import { ticketFor } from '../helpers/hubFixtures';

interface InstanceJson {
  host: string;
  writeBack?: boolean;
}
interface ChangeJson {
  ok: boolean;
  error?: { name: string; code?: string; message: string };
  instance?: { host: string };
}

const used = new Set<string>([QUINN.password, SLAPD.bindPassword, SAMBA.bindPassword]);

/** Waits until every instance of the connection has sent its health report (it carries writeBack). */
async function reported(hub: HubProc, connection: string): Promise<InstanceJson[]> {
  for (const t0 = Date.now(); Date.now() - t0 < 15_000; await new Promise((r) => setTimeout(r, 50))) {
    const list = await admin<InstanceJson[]>(hub, 'GET', `connections/${connection}/instances`);
    if (list.length && list.every((i) => typeof i.writeBack === 'boolean')) return list;
  }
  throw new Error(`the instances of ${connection} did not report write-back within 15 s`);
}

function changePassword(hub: HubProc, connection: string, password: string, writeBackOnly: boolean) {
  used.add(password);
  return admin<ChangeJson>(hub, 'POST', `connections/${connection}/password`, {
    username: QUINN.username,
    password,
    writeBackOnly,
  });
}

describe('a new password through the connector write-back (hub and connector processes)', function () {
  this.timeout(120_000);
  let hub: HubProc;

  before(async () => {
    hub = await startHub(tempDir('hub-wb'), await freePort());
  });
  after(async () => {
    await stopAll();
    await putInState('openldap', 'normal');
    await putInState('ad', 'normal');
    assert.deepEqual(logsContaining(used), [], 'no password in the hub or connector logs');
  });

  for (const server of [SLAPD, SAMBA] as TestServer[]) {
    const on = `wb-on-${server.kind}`;
    const off = `wb-off-${server.kind}`;
    // AD takes a new password only over an encrypted connection
    const ldap =
      server.kind === 'ad' ? { LDAP_URL: server.ldapsUrl, LDAP_CA_FILE: server.caFile } : { LDAP_URL: server.url };

    describe(server.name, () => {
      before(async () => {
        for (const [name, writeBack] of [
          [on, true],
          [off, false],
        ] as const) {
          await admin(hub, 'POST', 'connections', { name, cacheEnabled: false });
          const { pinnedUrl } = await ticketFor(hub, name);
          const dir = await provisionConnector(
            pinnedUrl,
            connectorConfigFor(server, { ...ldap, ...(writeBack ? { ENABLE_WRITE_BACK: true } : {}) }),
          );
          await startConnector(dir, `${name}-connector`);
        }
      });
      after(() => putInState(server.kind, 'normal'));

      it('each instance reports whether it has write-back, and the hub lists it', async () => {
        assert.deepEqual(
          (await reported(hub, on)).map((i) => i.writeBack),
          [true],
        );
        assert.deepEqual(
          (await reported(hub, off)).map((i) => i.writeBack),
          [false],
        );
      });

      for (const [state, refused] of [
        ['mustChange', 'PasswordChangeRequired'],
        ['expired', 'PasswordExpired'],
      ] as Array<[AccountState, string]>) {
        it(`${state}: refused as ${refused}; a write-back reset lets the new password in at once`, async () => {
          await putInState(server.kind, state);
          const before = await login(hub, on, QUINN.username, QUINN.password);
          assert.equal(before.error?.name, refused);
          const pw = `Wb-${server.kind}-${state}!7`;
          const r = await changePassword(hub, on, pw, true);
          assert.equal(r.ok, true, JSON.stringify(r.error));
          assert.ok(r.instance?.host, 'the reply names the instance that wrote it');
          const after = await login(hub, on, QUINN.username, pw);
          assert.equal(after.ok, true, `login with the new password: ${JSON.stringify(after.error)}`);
          const old = await login(hub, on, QUINN.username, QUINN.password);
          assert.equal(old.error?.name, 'WrongPassword', 'the old password no longer works');
          await putInState(server.kind, 'normal');
        });
      }

      it('write-back off: a write-back-only reset finds no instance, a plain one is refused, nothing changes', async () => {
        await putInState(server.kind, 'normal');
        await assert.rejects(
          changePassword(hub, off, 'Wb-Never!1', true),
          /No connector instance of "wb-off-\w+" online reports write-back on/,
        );
        const r = await changePassword(hub, off, 'Wb-Never!2', false);
        assert.equal(r.ok, false);
        assert.equal(r.error?.code, 'WriteBackDisabled');
        assert.match(r.error!.message, /ENABLE_WRITE_BACK/);
        const still = await login(hub, off, QUINN.username, QUINN.password);
        assert.equal(still.ok, true, 'the password is unchanged');
      });
    });
  }
});
