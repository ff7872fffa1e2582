import * as assert from 'node:assert/strict';
import { newPassphrase, openWithPassphrase, parseBundle, sealWithPassphrase } from '../../protocol/bundle';
import { deploymentFiles, systemdUnit, windowsScript } from '../../extension/deploy/deployment';

describe('deployment files', () => {
  const files = deploymentFiles(
    {
      connection: 'corp',
      config: { LDAP_URL: ['ldaps://dc1'], LDAP_BIND_CREDENTIALS: 'secret', TENANT_SIGNING_KEY: 'k' },
      ldapCaPem: '-----BEGIN CERTIFICATE-----\n',
    },
    Buffer.from('// connector'),
  );
  it('holds the connector, config, systemd unit, Windows script, README and the directory CA', () => {
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'README.md',
      'config.json',
      'connector.js',
      'directory-bridge-connector.service',
      'install-service.ps1',
      'ldap-ca.pem',
    ]);
  });
  it('the config drops secrets, points at the copied CA, and is owner-only', () => {
    const c = files.find((f) => f.path === 'config.json')!;
    const cfg = JSON.parse(String(c.content));
    assert.equal(cfg.LDAP_BIND_CREDENTIALS, undefined);
    assert.equal(cfg.TENANT_SIGNING_KEY, undefined);
    assert.equal(cfg.LDAP_CA_FILE, 'ldap-ca.pem');
    assert.equal(c.mode, 0o600);
  });
  it('the systemd unit runs the connector with the config, restarts it, and is hardened', () => {
    const u = systemdUnit('corp');
    assert.match(
      u,
      /^ExecStart=\/usr\/bin\/env node \/opt\/directory-bridge\/corp\/connector\.js start --config \/opt\/directory-bridge\/corp\/config\.json$/m,
    );
    assert.match(u, /^Restart=on-failure$/m);
    assert.match(u, /^NoNewPrivileges=yes$/m);
    assert.match(u, /^ReadWritePaths=\/opt\/directory-bridge\/corp$/m);
  });
  it('the Windows script registers a startup task as SYSTEM that restarts, with CRLF line ends', () => {
    assert.match(windowsScript('corp'), /New-ScheduledTaskTrigger -AtStartup/);
    assert.match(windowsScript('corp'), /-RestartCount 999/);
    assert.match(String(files.find((f) => f.path === 'install-service.ps1')!.content), /\r\n/);
  });
});

describe('instance bundles', () => {
  it('a passphrase is 6 groups of 5 unambiguous characters', () => {
    assert.match(newPassphrase(), /^([A-HJ-NP-Z2-9]{5}-){5}[A-HJ-NP-Z2-9]{5}$/);
    assert.notEqual(newPassphrase(), newPassphrase());
  });
  it('seals with the passphrase; a wrong one or a tampered bundle fails clearly', () => {
    const p = newPassphrase();
    const sealed = sealWithPassphrase('Pässwörd€1', p);
    assert.equal(openWithPassphrase(sealed, p.toLowerCase()), 'Pässwörd€1');
    assert.throws(() => openWithPassphrase(sealed, newPassphrase()), /Wrong passphrase/);
    const tampered = {
      ...sealed,
      data: Buffer.from('x' + Buffer.from(sealed.data, 'base64').toString('latin1'), 'latin1').toString('base64'),
    };
    assert.throws(() => openWithPassphrase(tampered, p), /Wrong passphrase/);
  });
  it('refuses a bundle that carries a secret or is not a bundle', () => {
    const ok = { kind: 'directory-bridge-instance-bundle', version: 1, connection: 'c', config: {}, createdAt: '' };
    assert.equal(parseBundle(JSON.stringify(ok)).connection, 'c');
    assert.throws(
      () => parseBundle(JSON.stringify({ ...ok, config: { LDAP_BIND_CREDENTIALS: 'x' } })),
      /must not carry/,
    );
    assert.throws(() => parseBundle('{}'), /Not a Directory Bridge instance bundle/);
    assert.throws(() => parseBundle('nope'), /Not a bundle/);
  });
});
