import * as assert from 'node:assert/strict';
import { createBundle, newPassphrase, openBundle, parseBundle } from '../../protocol/bundle';
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
  const contents = {
    config: { LDAP_URL: ['ldaps://dc1'] },
    bindPassword: 'Pässwörd€1',
    ticket: 'https://hub:8843/p/ad/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  };
  it('a passphrase is 6 groups of 5 unambiguous characters', () => {
    assert.match(newPassphrase(), /^([A-HJ-NP-Z2-9]{5}-){5}[A-HJ-NP-Z2-9]{5}$/);
    assert.notEqual(newPassphrase(), newPassphrase());
  });
  it('seals everything with the passphrase: nothing of the settings, password or ticket shows', () => {
    const p = newPassphrase();
    const text = JSON.stringify(createBundle('c', contents, p));
    for (const clear of ['ldaps://dc1', 'Pässwörd€1', '/p/ad/']) assert.ok(!text.includes(clear), clear);
    assert.deepEqual(openBundle(parseBundle(text), p.toLowerCase()), contents);
  });
  it('a wrong passphrase and an edited bundle fail, each with its own sentence', () => {
    const p = newPassphrase();
    const b = createBundle('c', contents, p);
    assert.throws(() => openBundle(b, newPassphrase()), /Wrong passphrase/);
    const data = Buffer.from(b.data, 'base64');
    data[3] ^= 1;
    assert.throws(() => openBundle({ ...b, data: data.toString('base64') }, p), /altered after it was exported/);
    assert.throws(() => openBundle({ ...b, connection: 'other' }, p), /altered after it was exported/);
  });
  it('refuses a bundle that carries a secret in its settings, a version 1 bundle, or what is not a bundle', () => {
    assert.throws(
      () => createBundle('c', { ...contents, config: { LDAP_BIND_CREDENTIALS: 'x' } }, newPassphrase()),
      /must not carry/,
    );
    assert.throws(
      () =>
        parseBundle(
          JSON.stringify({ kind: 'directory-bridge-instance-bundle', version: 1, connection: 'c', config: {} }),
        ),
      /version 1/,
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
