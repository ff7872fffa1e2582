/**
 * A connector that authenticates and then never answers must not cost every login the request timeout. A separate
 * process speaking the protocol with jsonwebtoken (test/helpers/protocolPeer.ts) authenticates with a certificate
 * registered through a ticket and ignores every request; the hub (real process) must mark it unresponsive after
 * three timeouts, say why in `instances`, route to a real connector when there is one, fail at once (or answer
 * from the credential cache) when there is none, and probe the silent one until it answers again.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  connectorConfigFor,
  HUB_CLI,
  run,
  login,
  logsContaining,
  Proc,
  provisionConnector,
  startConnector,
  stopAll,
  tempDir,
  waitForInstances,
  type HubProc,
} from '../helpers/processes';
import { registerAsDeployed, startHubWithCa, ticketFor } from '../helpers/hubFixtures';
import { makeCertificate } from '../helpers/protocolPeer';
import { PW } from '../helpers/fixtures';

interface Instance {
  host: string;
  unresponsive?: { since: string; reason: string };
  consecutiveTimeouts: number;
}

const TIMEOUT_MS = 1000;

describe('an instance that authenticates and then never answers', function () {
  this.timeout(90_000);
  let hub: HubProc;
  let ca: string;
  let peer: Proc;
  let dir: string;
  const passwords = new Set<string>([SLAPD.bindPassword, PW.alice, PW.bob]);
  const instances = () => admin<Instance[]>(hub, 'GET', 'connections/slow/instances');
  const timed = async <T>(p: Promise<T>) => {
    const t0 = Date.now();
    const v = await p;
    return { v, ms: Date.now() - t0 };
  };

  before(async () => {
    const started = await startHubWithCa('hub-slow', [
      '--request-timeout',
      String(TIMEOUT_MS),
      '--unresponsive-after',
      '3',
    ]);
    ({ hub, ca } = started);
    const { realm } = started;
    // about unresponsive instances: no approval step here (attacks.test.ts covers it)
    await admin(hub, 'POST', 'connections', { name: 'slow', cacheEnabled: true, requireApproval: false });
    const t = await ticketFor(hub, 'slow', { uses: 10 });
    // a real connector logs alice in once, so that the credential cache holds her
    dir = await provisionConnector(t.pinnedUrl, connectorConfigFor(SLAPD));
    const real = await startConnector(dir, 'connector-slow-1');
    await waitForInstances(hub, 'slow', 1);
    assert.equal((await login(hub, 'slow', 'alice', PW.alice)).ok, true);
    await real.stop();
    await waitForInstances(hub, 'slow', 0);
    // the silent peer: its own process, its own certificate registered through the ticket
    const cert = makeCertificate(tempDir('silent-peer'));
    const reg = await registerAsDeployed(t.url, ca, cert.certPem);
    assert.equal(reg.status, 200);
    const options = {
      adHub: `wss://127.0.0.1:${hub.port}/ws`,
      caPem: ca,
      connection: 'slow',
      realm,
      keyPem: cert.keyPem,
      signingKey: reg.body.signingKey,
      mode: 'silent',
      host: 'silent-peer',
    };
    peer = new Proc(
      'silent-peer',
      spawn(process.execPath, [path.join(__dirname, '../helpers/protocolPeer.js'), JSON.stringify(options)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    await peer.waitFor(/peer\.authenticated/);
    await waitForInstances(hub, 'slow', 1);
  });
  after(async () => {
    await stopAll();
    assert.deepEqual(logsContaining(passwords), []);
  });

  it('three logins time out; then it is marked unresponsive with the reason, in `instances` and the hub log', async () => {
    for (let i = 0; i < 3; i++) {
      const { v: err, ms } = await timed(
        login(hub, 'slow', 'bob', PW.bob).then(
          () => undefined,
          (e: Error) => e,
        ),
      );
      assert.ok(err, 'the login was answered');
      assert.match(err!.message, /did not answer authenticate_user within 1000 ms/);
      assert.ok(ms >= TIMEOUT_MS - 50 && ms < TIMEOUT_MS + 1500, `timed out after ${ms} ms`);
    }
    const [i] = await instances();
    assert.equal(i.host, 'silent-peer');
    assert.match(
      i.unresponsive!.reason,
      /3 requests in a row got no answer within 1000 ms \(last: authenticate_user\)/,
    );
    assert.ok(Date.now() - Date.parse(i.unresponsive!.since) < 10_000);
    await hub.waitFor(/hub\.instance\.not_answering.*silent-peer/);
    // the CLI shows the same
    const cli = await run([HUB_CLI, 'instances', 'slow', '--state', hub.stateDir]);
    assert.match(cli.out, /"unresponsive"[\s\S]*"reason": "3 requests in a row/);
  });

  it('with no healthy instance a login fails at once with a clear error, or is answered by the credential cache', async () => {
    const bob = await timed(login(hub, 'slow', 'bob', PW.bob));
    console.log(
      `      measured: refused with no responsive instance in ${bob.ms} ms (request timeout ${TIMEOUT_MS} ms)`,
    );
    assert.ok(bob.ms < 500, `bob took ${bob.ms} ms`);
    assert.equal(bob.v.ok, false);
    assert.equal(bob.v.error!.code, 'NoInstanceError');
    assert.match(
      bob.v.error!.message,
      /No responsive connector instance of "slow": silent-peer is unresponsive \(3 requests in a row/,
    );
    const alice = await timed(login(hub, 'slow', 'alice', PW.alice));
    console.log(`      measured: answered from the credential cache in ${alice.ms} ms`);
    assert.ok(alice.ms < 1000, `alice took ${alice.ms} ms`);
    assert.equal(alice.v.ok, true);
    assert.equal(alice.v.fromCache, true);
  });

  it('with a responsive instance online, logins go to it at once; the silent one gets only probes', async () => {
    const real = await startConnector(dir, 'connector-slow-2');
    await waitForInstances(hub, 'slow', 2);
    let worst = 0;
    for (let k = 0; k < 5; k++) {
      const { v, ms } = await timed(login(hub, 'slow', 'bob', PW.bob));
      assert.equal(v.ok, true);
      assert.equal(v.fromCache, false);
      assert.notEqual(v.instance!.host, 'silent-peer');
      assert.ok(ms < TIMEOUT_MS, `login took ${ms} ms`);
      worst = Math.max(worst, ms);
    }
    console.log(`      measured: slowest of 5 logins routed around the silent instance: ${worst} ms`);
    const ignored = peer.lines.filter((l) => /peer\.frame (\S+) ignored/.test(l));
    assert.equal(
      ignored.filter((l) => l.includes('authenticate_user')).length,
      3,
      'the silent peer got exactly the three logins that timed out',
    );
    assert.ok(ignored.filter((l) => l.includes('list_groups')).length >= 1, 'it was probed');
    await real.stop();
    await waitForInstances(hub, 'slow', 1);
  });

  it('once it answers a probe it is responsive again and serves', async () => {
    peer.child.kill('SIGUSR2');
    await peer.waitFor(/peer\.mode answer/);
    const t0 = Date.now();
    while ((await instances())[0]?.unresponsive) {
      if (Date.now() - t0 > 10_000) assert.fail('still unresponsive 10 s after it started answering');
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`      measured: responsive again ${Date.now() - t0} ms after it started answering`);
    await hub.waitFor(/hub\.instance\.answering_again.*silent-peer/);
    const r = await login(hub, 'slow', 'carl', 'whatever');
    assert.equal(r.instance!.host, 'silent-peer');
    assert.equal(r.profile!.id, 'peer-carl');
    assert.equal((await instances())[0].consecutiveTimeouts, 0);
  });
});
