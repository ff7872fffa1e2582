/**
 * High availability with real processes: an instance killed mid-stream, the hub restarted, the directory
 * restarted, a graceful stop, and the credential cache when no instance is online.
 */
import * as assert from 'node:assert/strict';
import { SLAPD } from '../helpers/servers';
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
  waitForInstances,
  type HubProc,
  type LoginOutcome,
  type Proc,
} from '../helpers/processes';
import { ticketFor } from '../helpers/hubFixtures';
import { ACCOUNTS, PW } from '../helpers/fixtures';

/** Runs `total` logins of bulk users at `concurrency`, calling `at(n)` after the n-th completes. */
async function stream(
  hub: HubProc,
  connection: string,
  total: number,
  concurrency: number,
  at?: (done: number) => void,
): Promise<{ failed: LoginOutcome[]; byInstance: Map<string, number> }> {
  let next = 0,
    done = 0;
  const failed: LoginOutcome[] = [];
  const byInstance = new Map<string, number>();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const r = await login(hub, connection, `user${1 + (i % 10000)}`, ACCOUNTS.bulkUserPassword).catch(
          (e) => ({ ok: false, error: { name: 'AdminApi', message: (e as Error).message } }) as LoginOutcome,
        );
        if (!r.ok) failed.push(r);
        else byInstance.set(r.instance!.id, (byInstance.get(r.instance!.id) ?? 0) + 1);
        at?.(++done);
      }
    }),
  );
  return { failed, byInstance };
}

describe('high availability', function () {
  this.timeout(120_000);
  let hub: HubProc;
  let port: number;
  let stateDir: string;
  const dirs: string[] = [];
  let instances: Proc[] = [];

  before(async () => {
    port = await freePort();
    stateDir = tempDir('hub-ha');
    hub = await startHub(stateDir, port);
    await admin(hub, 'POST', 'connections', { name: 'ha' });
    const { pinnedUrl } = await ticketFor(hub, 'ha', { uses: 3 });
    for (let i = 0; i < 3; i++) dirs.push(await provisionConnector(pinnedUrl, connectorConfigFor(SLAPD)));
    instances = await Promise.all(dirs.map((d, i) => startConnector(d, `ha-${i}`)));
    await waitForInstances(hub, 'ha', 3);
  });
  after(async () => {
    await stopAll();
    assert.deepEqual(logsContaining([ACCOUNTS.bulkUserPassword, PW.alice, SLAPD.bindPassword]), []);
  });

  it('three instances, one killed (SIGKILL) during 500 logins: zero failed logins', async () => {
    let killed = false;
    const victim = instances[1];
    const { failed, byInstance } = await stream(hub, 'ha', 500, 16, (done) => {
      if (done === 150 && !killed) {
        killed = true;
        void victim.kill();
      }
    });
    console.log(`      logins per instance: ${[...byInstance.values()].join(', ')}; failed: ${failed.length}`);
    assert.equal(killed, true);
    assert.deepEqual(
      failed.map((f) => f.error),
      [],
    );
    assert.equal(byInstance.size, 3, 'all three served before the kill');
    await waitForInstances(hub, 'ha', 2);
    instances[1] = await startConnector(dirs[1], 'ha-1-restarted');
    await waitForInstances(hub, 'ha', 3);
  });

  it('the hub restarted: every instance is back and serving, and no connector exited', async () => {
    await hub.stop();
    const t0 = Date.now();
    hub = await startHub(stateDir, port);
    await waitForInstances(hub, 'ha', 3, 15_000);
    const r = await login(hub, 'ha', 'alice', PW.alice);
    const ms = Date.now() - t0;
    console.log(`      hub restart → 3 instances online and a login served: ${ms} ms`);
    assert.equal(r.ok, true);
    assert.ok(instances.every((p) => p.running));
    assert.ok(ms < 10_000, `${ms} ms`);
  });

  it('the directory restarted: no connector exits, logins recover', async () => {
    SLAPD.restart();
    const t0 = Date.now();
    let r: LoginOutcome | undefined;
    while (Date.now() - t0 < 15_000) {
      r = await login(hub, 'ha', 'bob', PW.bob);
      if (r.ok) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    console.log(`      directory restart → first successful login after ${Date.now() - t0} ms`);
    assert.equal(r?.ok, true, JSON.stringify(r?.error));
    assert.ok(instances.every((p) => p.running));
    const { failed } = await stream(hub, 'ha', 100, 8);
    assert.equal(failed.length, 0);
  });

  it('SIGTERM: in-flight requests finish, then the connector closes cleanly (exit 0)', async () => {
    const victim = instances[0];
    let signalled = false;
    const { failed } = await stream(hub, 'ha', 300, 24, (done) => {
      if (done === 60 && !signalled) {
        signalled = true;
        void victim.stop('SIGTERM');
      }
    });
    await victim.exit();
    assert.equal(victim.exitCode, 0);
    assert.match(victim.log, /connector\.stopped/);
    assert.equal(failed.length, 0, JSON.stringify(failed[0]?.error));
    instances[0] = await startConnector(dirs[0], 'ha-0-restarted');
    await waitForInstances(hub, 'ha', 3);
  });

  it('no instance online: the credential cache answers when on, and says so; not when off', async () => {
    const first = await login(hub, 'ha', 'alice', PW.alice);
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.equal(first.fromCache, false, JSON.stringify(first));
    await new Promise((r) => setTimeout(r, 500)); // the scrypt hash is computed after the reply
    await Promise.all(instances.map((p) => p.stop()));
    await waitForInstances(hub, 'ha', 0);
    const cached = await login(hub, 'ha', 'alice', PW.alice);
    assert.equal(cached.ok, true, JSON.stringify(cached.error));
    assert.equal(cached.fromCache, true);
    assert.equal(cached.profile?.nickname, 'alice');
    const wrong = await login(hub, 'ha', 'alice', 'Wr0ng-Guess!7');
    assert.equal(wrong.ok, false);
    assert.equal(wrong.error?.code, 'NoInstanceError');
    const unknown = await login(hub, 'ha', 'zoë', 'Pässwörd€1'); // never logged in: nothing cached
    assert.equal(unknown.ok, false);
    await admin(hub, 'PATCH', 'connections/ha', { cacheEnabled: false });
    await assert.rejects(login(hub, 'ha', 'alice', PW.alice), /No connector instance of "ha" is online/);
  });
});
