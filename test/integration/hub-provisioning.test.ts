/**
 * Hub and connector as real processes: provisioning from tickets, logins through the hub on both directories
 * with every typed error, ticket lifetime and revocation, the CLIs and the troubleshooter.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { https } from '../helpers/httpsJson';
import * as path from 'node:path';
import { SAMBA, SERVERS, SLAPD } from '../helpers/servers';
import {
  admin,
  connectorConfigFor,
  CONNECTOR_CLI,
  freePort,
  HUB_CLI,
  login,
  logsContaining,
  provisionConnector,
  run,
  startConnector,
  stopAll,
  tempDir,
  waitForInstances,
  type HubProc,
} from '../helpers/processes';
import { connectorOnline, startHubWithCa, ticketFor } from '../helpers/hubFixtures';
import { PW } from '../helpers/fixtures';

describe('hub and connector: provisioning and logins', function () {
  this.timeout(60_000);
  let hub: HubProc;
  let ca: string;
  const passwords = new Set<string>();

  before(async () => {
    ({ hub, ca } = await startHubWithCa('hub'));
  });
  after(async () => {
    await stopAll();
    // no password used in this suite may appear in any process's log
    passwords.add(SLAPD.bindPassword).add(SAMBA.bindPassword);
    assert.deepEqual(logsContaining(passwords), []);
  });

  it('the hub state folder and its secrets are owner-only', async () => {
    await admin(hub, 'POST', 'connections', { name: 'perms' });
    assert.equal(statSync(hub.stateDir).mode & 0o777, 0o700);
    for (const f of ['state.json', 'secrets.json', 'ca.key', 'server.key', 'admin-token']) {
      assert.equal(statSync(path.join(hub.stateDir, f)).mode & 0o777, 0o600, f);
    }
    assert.ok(
      !readFileSync(path.join(hub.stateDir, 'state.json'), 'utf8').includes('signingKey"'),
      'no signing key in state.json',
    );
  });

  it('GET /test gives the clock', async () => {
    const r = await https(`${hub.url}/test`, ca);
    assert.equal(r.status, 200);
    assert.ok(Math.abs(r.body.clock - Date.now()) < 5000);
  });

  for (const server of SERVERS) {
    describe(`through the hub to ${server.name}`, () => {
      const name = server.kind === 'ad' ? 'corp-ad' : 'corp-ldap';
      let dir: string;
      before(async () => {
        await admin(hub, 'POST', 'connections', { name, emailDomains: ['example.test'] });
        ({ dir } = await connectorOnline(hub, name, `connector-${name}`, {
          config: connectorConfigFor(server, server.kind === 'ad' ? { ENABLE_WRITE_BACK: true } : {}),
        }));
      });

      it('setup wrote config.json owner-only with every secret encrypted', () => {
        const text = readFileSync(path.join(dir, 'config.json'), 'utf8');
        assert.equal(statSync(path.join(dir, 'config.json')).mode & 0o777, 0o600);
        assert.ok(!text.includes(server.bindPassword), 'the bind password is not in clear');
        const cfg = JSON.parse(text);
        assert.match(cfg.LDAP_BIND_CREDENTIALS, /^enc:v1:/);
        assert.match(cfg.TENANT_SIGNING_KEY, /^enc:v1:/);
        assert.equal(cfg.CONNECTION, name);
        assert.match(cfg.AD_HUB, /^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
        assert.equal(statSync(path.join(dir, 'certs', 'connector.key')).mode & 0o777, 0o600);
      });

      it('a login returns the profile with nested groups, the instance and the stage timings', async () => {
        const r = await login(hub, name, 'alice', PW.alice);
        passwords.add(PW.alice);
        assert.equal(r.ok, true, JSON.stringify(r.error));
        for (const g of server.aliceGroups) assert.ok(r.profile!.groups.includes(g), `${g} in ${r.profile!.groups}`);
        assert.equal(r.fromCache, false);
        assert.ok(r.instance?.host);
        assert.ok(r.timings.totalMs > 0 && (r.timings.hubToConnectorMs ?? -1) >= 0);
      });

      for (const c of server.accounts.filter((a) => a.error)) {
        it(`${c.username}: ${c.error} arrives through the hub`, async () => {
          passwords.add(c.password);
          const r = await login(hub, name, c.username, c.password);
          assert.equal(r.ok, false);
          assert.equal(r.error?.name, c.error);
          if (c.source) assert.match(String(r.error?.source), c.source);
        });
      }

      it('searches users and lists groups through the hub', async () => {
        const s = await admin<{ users: Array<{ nickname: string }> }>(hub, 'POST', `connections/${name}/search`, {
          query: 'ali',
          limit: 10,
        });
        assert.ok(s.users.some((u) => u.nickname === 'alice'));
        const g = await admin<Array<{ name: string }>>(hub, 'GET', `connections/${name}/groups`);
        assert.ok(g.some((x) => x.name === 'engineers'));
      });

      if (server.kind === 'openldap') {
        it('a password change is refused while write-back is off', async () => {
          const r = await admin<{ ok: boolean; error: { code: string } }>(hub, 'POST', `connections/${name}/password`, {
            username: 'ivan',
            password: 'Whatever-123',
          });
          assert.equal(r.ok, false);
          assert.equal(r.error.code, 'WriteBackDisabled');
        });
      } else {
        it('a password change over an unencrypted AD connection says why it failed', async () => {
          const r = await admin<{ ok: boolean; error: { code: string; message: string } }>(
            hub,
            'POST',
            `connections/${name}/password`,
            { username: 'ivan', password: 'Whatever-123' },
          );
          assert.equal(r.ok, false);
          assert.equal(r.error.code, 'EncryptionRequiredError');
        });
      }

      it('troubleshoot passes every step (warning about the unencrypted directory link)', async () => {
        const r = await run([CONNECTOR_CLI, 'troubleshoot', '--json', '--config', path.join(dir, 'config.json')]);
        const steps = r.out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { step: string; status: string; detail: string });
        assert.deepEqual(
          steps.map((s) => s.step),
          [
            'Config valid',
            'DNS',
            'TCP',
            'TLS and certificate chain',
            'Service account bind',
            'Test search',
            'Hub /test reachable',
            'Clock skew',
            'Ticket valid',
            'Certificate registered',
          ],
        );
        assert.ok(
          steps.every((s) => s.status === 'pass' || (s.step === 'TLS and certificate chain' && s.status === 'warn')),
          JSON.stringify(steps, null, 1),
        );
        assert.equal(r.code, 0);
      });
    });
  }

  describe('tickets', () => {
    before(() => admin(hub, 'POST', 'connections', { name: 'tickets' }));

    it('an unknown ticket is 404 ("Wrong ticket") and setup says so in one sentence', async () => {
      const r = await https(`${hub.url}/p/ad/${'x'.repeat(43)}/info`, ca);
      assert.equal(r.status, 404);
      const dir = tempDir('wrong');
      const s = await run([
        CONNECTOR_CLI,
        'setup',
        '--ticket',
        `${hub.url}/p/ad/${'x'.repeat(43)}`,
        '--hub-ca',
        path.join(hub.stateDir, 'ca.pem'),
        '--config',
        path.join(dir, 'config.json'),
      ]);
      assert.equal(s.code, 1);
      assert.match(s.out, /^directory-bridge-connector: Wrong ticket/);
    });

    it('setup against an unreachable hub or without trusting it: one clear sentence, exit non-zero', async () => {
      const port = await freePort();
      const dir = tempDir('unreach');
      const a = await run([
        CONNECTOR_CLI,
        'setup',
        '--ticket',
        `https://127.0.0.1:${port}/p/ad/${'y'.repeat(43)}`,
        '--config',
        path.join(dir, 'config.json'),
      ]);
      assert.equal(a.code, 1);
      assert.match(a.out, /refused the connection: is it running/);
      const { url } = await ticketFor(hub, 'tickets');
      const b = await run([CONNECTOR_CLI, 'setup', '--ticket', url, '--config', path.join(dir, 'config.json')]);
      assert.equal(b.code, 1);
      assert.match(b.out, /certificate at 127\.0\.0\.1:\d+ is not trusted/);
    });

    it('a ticket is stored only as a hash', async () => {
      const { url } = await ticketFor(hub, 'tickets');
      const token = url.split('/').pop()!;
      assert.ok(!readFileSync(path.join(hub.stateDir, 'state.json'), 'utf8').includes(token));
    });

    it('a revoked ticket answers 404 to everything, and its instances are refused', async () => {
      const {
        proc: c,
        ticket: { url, id },
      } = await connectorOnline(hub, 'tickets', 'connector-revoked');
      await admin(hub, 'POST', `tickets/${id}/revoke`);
      assert.equal((await https(`${url}/info`, ca)).status, 404);
      assert.equal((await https(url, ca, 'POST', { certs: ['AAAA'] })).status, 404);
      await waitForInstances(hub, 'tickets', 0);
      await c.waitFor(/authentication_failure|disconnected/);
      assert.ok(c.running, 'the connector keeps running and retrying');
      await c.stop();
    });

    it('an expired ticket refuses a new certificate but lets a registered instance restart', async () => {
      // long enough for a setup on a loaded machine (4-5 s seen), then wait for the expiry the hub stated
      const { pinnedUrl, expiresAt } = await ticketFor(hub, 'tickets', { lifetimeSeconds: 12, uses: 2 });
      const dir = await provisionConnector(pinnedUrl, connectorConfigFor(SLAPD));
      const left = Date.parse(expiresAt) - Date.now();
      assert.ok(left > 0, 'the ticket expired during setup: the machine is far slower than this test allows');
      await new Promise((r) => setTimeout(r, left + 200));
      const other = tempDir('late');
      const late = await run([
        CONNECTOR_CLI,
        'setup',
        '--ticket',
        pinnedUrl,
        '--config',
        path.join(other, 'config.json'),
      ]);
      assert.equal(late.code, 1);
      assert.match(late.out, /expired: it can no longer register a new certificate/);
      const c = await startConnector(dir, 'connector-expired-ticket');
      assert.ok(!c.log.includes('reprovision.failed'), c.log);
      await waitForInstances(hub, 'tickets', 1);
      assert.equal((await login(hub, 'tickets', 'bob', PW.bob)).ok, true);
      await c.stop();
      assert.equal(c.exitCode, 0);
    });

    it('a removed certificate is refused from then on, even through a valid ticket', async () => {
      const {
        dir,
        proc: c,
        ticket: { pinnedUrl },
      } = await connectorOnline(hub, 'tickets', 'connector-removed');
      const [inst] = await admin<Array<{ thumbprint: string }>>(hub, 'GET', 'connections/tickets/instances');
      await admin(hub, 'DELETE', `certificates/${inst.thumbprint}`);
      await waitForInstances(hub, 'tickets', 0);
      const again = await run([
        CONNECTOR_CLI,
        'setup',
        '--ticket',
        pinnedUrl,
        '--config',
        path.join(dir, 'config.json'),
      ]);
      assert.match(again.out, /removed by an administrator/);
      await c.stop();
    });
  });

  describe('the hub CLI', () => {
    it('creates a connection and a ticket, lists instances, logs in with the password on standard input', async () => {
      const cli = (args: string[], input?: string) => run([HUB_CLI, ...args, '--state', hub.stateDir], { input });
      assert.equal((await cli(['connection', 'create', 'cli-conn', '--email-domain', 'example.test'])).code, 0);
      const t = await cli(['ticket', 'create', 'cli-conn']);
      assert.match(t.out.trim(), /^https:\/\/127\.0\.0\.1:\d+\/p\/ad\/[\w-]{43}#ca=sha256:[0-9a-f]{64}$/);
      const dir = await provisionConnector(t.out.trim(), connectorConfigFor(SAMBA));
      await startConnector(dir, 'connector-cli');
      const inst = await cli(['instances', 'cli-conn']);
      assert.equal(JSON.parse(inst.out).length, 1);
      const ok = await cli(['login', 'cli-conn', 'zoë'], 'Pässwörd€1\n');
      passwords.add('Pässwörd€1');
      assert.equal(ok.code, 0, ok.out);
      assert.equal(JSON.parse(ok.out).profile.nickname, 'zoë');
      const bad = await cli(['login', 'cli-conn', 'alice'], 'N0pe-N0t-It!');
      passwords.add('N0pe-N0t-It!');
      assert.equal(bad.code, 1);
      assert.equal(JSON.parse(bad.out).error.name, 'WrongPassword');
      const none = await run([HUB_CLI, 'instances', 'x', '--state', tempDir('nohub')]);
      assert.equal(none.code, 3);
      assert.match(none.out, /No hub is running for/);
    });
  });
});
