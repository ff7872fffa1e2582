import * as assert from 'node:assert/strict';
import { newPassphrase, openWithPassphrase, parseBundle, sealWithPassphrase } from '../../protocol/bundle';
import { deploymentFiles, systemdUnit } from '../../extension/deploy/deployment';

describe('deployment files', () => {
  const files = deploymentFiles(
    {
      connection: 'corp',
      config: { LDAP_URL: ['ldaps://dc1'], LDAP_BIND_CREDENTIALS: 'secret', TENANT_SIGNING_KEY: 'k' },
      ldapCaPem: '-----BEGIN CERTIFICATE-----\n',
    },
    Buffer.from('// connector'),
  );
  it('holds the connector, config, systemd unit, README and the directory CA (no scheduled task: Windows gets a service)', () => {
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'README.md',
      'config.json',
      'connector.js',
      'directory-bridge-connector.service',
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

describe('deployment files with Kerberos', () => {
  const k = { principal: 'HTTP/connector.example.com@EXAMPLE.COM', account: 'svc-connector', port: 8089 };
  const files = deploymentFiles(
    { connection: 'corp', config: { LDAP_URL: ['ldaps://dc1'] }, kerberos: k },
    Buffer.from('// connector'),
  );
  const readme = String(files.find((f) => f.path === 'README.md')!.content);
  it('the config turns Kerberos on with the keytab in the folder, the principal and the listen address', () => {
    const cfg = JSON.parse(String(files.find((f) => f.path === 'config.json')!.content));
    assert.deepEqual(
      [cfg.KERBEROS_AUTH, cfg.KERBEROS_KEYTAB, cfg.KERBEROS_PRINCIPAL, cfg.KERBEROS_LISTEN],
      [true, 'connector.keytab', k.principal, '0.0.0.0:8089'],
    );
  });
  it('a package.json installs the native kerberos module into the deployment folder', () => {
    const pkg = JSON.parse(String(files.find((f) => f.path === 'package.json')!.content));
    assert.deepEqual(pkg.dependencies, { kerberos: '^7.0.0' });
    assert.match(readme, /npm install --omit=dev/);
    assert.match(readme, /libkrb5-dev g\+\+ make python3/);
  });
  it('the README has the exact commands for Active Directory and Samba', () => {
    assert.match(readme, /setspn -S HTTP\/connector\.example\.com svc-connector/);
    assert.match(
      readme,
      /ktpass -princ HTTP\/connector\.example\.com@EXAMPLE\.COM -mapuser EXAMPLE\\svc-connector .* -out connector\.keytab/,
    );
    assert.match(readme, /samba-tool spn add HTTP\/connector\.example\.com svc-connector/);
    assert.match(readme, /samba-tool domain exportkeytab connector\.keytab --principal=HTTP\/connector\.example\.com/);
  });
  it('without Kerberos: no package.json, no Kerberos keys', () => {
    const plain = deploymentFiles({ connection: 'corp', config: {} }, Buffer.from(''));
    assert.ok(!plain.some((f) => f.path === 'package.json'));
    assert.ok(!String(plain.find((f) => f.path === 'config.json')!.content).includes('KERBEROS'));
  });
});
