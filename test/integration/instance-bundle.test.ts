/** High availability by bundle: a second server joins with `import-bundle`, a key pair of its own and no private key shipped. */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { newPassphrase } from '../../protocol/bundle';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  approvePending,
  CONNECTOR_CLI,
  freePort,
  login,
  logsContaining,
  run,
  startConnector,
  startHub,
  stopAll,
  tempDir,
  waitForInstances,
} from '../helpers/processes';
import { PW } from '../helpers/fixtures';
import { slapdBundle, ticketFor } from '../helpers/hubFixtures';

describe('instance bundle: import on a second server', function () {
  this.timeout(60_000);
  after(() => stopAll());

  it('imports with the passphrase, seals the password locally, registers its own certificate and serves', async () => {
    const hub = await startHub(tempDir('hub-bundle'), await freePort());
    await admin(hub, 'POST', 'connections', { name: 'ha-bundle' });
    const { pinnedUrl } = await ticketFor(hub, 'ha-bundle');
    const passphrase = newPassphrase();
    const bundleFile = path.join(tempDir('bundle'), 'ha.bundle.json');
    writeFileSync(bundleFile, JSON.stringify(slapdBundle('ha-bundle', pinnedUrl, passphrase)));
    const server = tempDir('server2');
    const config = path.join(server, 'config.json');
    const wrong = await run([CONNECTOR_CLI, 'import-bundle', bundleFile, '--config', config], {
      env: { BUNDLE_PASSPHRASE: newPassphrase() },
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /Wrong passphrase/);
    assert.equal(existsSync(config), false, 'nothing written on a wrong passphrase');
    const ok = await run([CONNECTOR_CLI, 'import-bundle', bundleFile, '--config', config], {
      env: { BUNDLE_PASSPHRASE: passphrase },
    });
    assert.equal(ok.code, 0, ok.out);
    const text = readFileSync(config, 'utf8');
    assert.ok(!text.includes(SLAPD.bindPassword));
    assert.match(JSON.parse(text).LDAP_BIND_CREDENTIALS, /^enc:v1:/);
    assert.ok(existsSync(path.join(server, 'certs', 'connector.key')), 'a key pair of its own');
    await startConnector(server, 'connector-from-bundle');
    assert.equal(await approvePending(hub, 'ha-bundle'), 1, 'the new instance waited for approval');
    await waitForInstances(hub, 'ha-bundle', 1);
    assert.equal((await login(hub, 'ha-bundle', 'alice', PW.alice)).ok, true);
    assert.deepEqual(logsContaining([SLAPD.bindPassword, passphrase, PW.alice]), []);
  });
});
