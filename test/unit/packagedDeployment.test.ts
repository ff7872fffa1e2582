import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DEPLOYMENT_KINDS,
  filesForKind,
  formatSize,
  MissingPackageError,
  type DeploymentKind,
} from '../../extension/deploy/packagedDeployment';
import { writeDeployment } from '../../extension/deploy/writeDeployment';
import { installServiceCmd } from '../../packaging/windows';

describe('Generate Connector Config: packaged kinds', () => {
  const packagesDir = mkdtempSync(path.join(tmpdir(), 'dbr-pkgs-'));
  mkdirSync(path.join(packagesDir, 'win-x64'));
  for (const f of [
    'directory-bridge-connector_0.1.0_amd64.deb',
    'directory-bridge-connector_0.1.0_arm64.deb',
    'directory-bridge-connector-linux-x64',
    'directory-bridge-connector-linux-arm64',
    'win-x64/directory-bridge-connector.exe',
    'win-x64/nssm.exe',
  ]) {
    writeFileSync(path.join(packagesDir, f), Buffer.alloc(2048, 1));
  }
  const input = {
    connection: 'corp',
    config: {
      LDAP_URL: ['ldaps://dc1'],
      LDAP_BIND_CREDENTIALS: 'secret',
      TENANT_SIGNING_KEY: 'k',
      PROVISIONING_TICKET: 'https://hub/p/ad/t#ca=sha256:x',
    },
    ldapCaPem: '-----BEGIN CERTIFICATE-----\n',
  };
  const make = (kind: DeploymentKind, dir = packagesDir) =>
    filesForKind(kind, input, { packagesDir: dir, version: '0.1.0', connectorJs: () => Buffer.from('// connector') });

  it('offers the four kinds the issue names (Linux package, Linux executable, Windows, plain Node), with both architectures', () => {
    assert.deepEqual(
      DEPLOYMENT_KINDS.map((k) => k.kind),
      [
        'linux-package-x64',
        'linux-package-arm64',
        'linux-executable-x64',
        'linux-executable-arm64',
        'windows-x64',
        'node',
      ],
    );
  });

  for (const k of DEPLOYMENT_KINDS) {
    it(`${k.label}: config without secrets, the CA, and a README naming the commands`, () => {
      const files = make(k.kind);
      const config = JSON.parse(String(files.find((f) => f.path === 'config.json')!.content));
      assert.equal(config.LDAP_BIND_CREDENTIALS, undefined);
      assert.equal(config.TENANT_SIGNING_KEY, undefined);
      assert.equal(config.LDAP_CA_FILE, 'ldap-ca.pem');
      assert.ok(files.some((f) => f.path === 'ldap-ca.pem'));
      const readme = String(files.find((f) => f.path === 'README.md')!.content);
      assert.match(readme, /corp/);
      assert.match(readme, /set-password|add corp config\.json/);
    });
  }

  it('the Linux package README gives three commands: install, add (password), register', () => {
    const readme = String(make('linux-package-x64').find((f) => f.path === 'README.md')!.content);
    assert.match(
      readme,
      /sudo apt install \.\/directory-bridge-connector_0\.1\.0_amd64\.deb\n\s+sudo directory-bridge-ctl add corp config\.json.*\n\s+sudo directory-bridge-ctl register corp/,
    );
  });

  it('the Windows kind ships the executable, NSSM and the batch scripts; the service is not a scheduled task', () => {
    const files = make('windows-x64');
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'README.md',
      'config.json',
      'directory-bridge-connector.exe',
      'install-service.cmd',
      'ldap-ca.pem',
      'nssm.exe',
      'uninstall-service.cmd',
    ]);
    const cmd = installServiceCmd();
    assert.match(cmd, /\r\n/);
    assert.match(cmd, /"%NSSM%" install "%SVC%"/);
    assert.match(cmd, /obj= "NT SERVICE\\%SVC%"/);
    assert.match(cmd, /AppRotateBytes 10485760/);
    assert.match(cmd, /AppExit Default Restart/);
    assert.doesNotMatch(cmd, /ScheduledTask|schtasks/i);
  });

  it('a package that is not built gives a clear error naming how to build it', () => {
    assert.throws(
      () => make('linux-package-x64', mkdtempSync(path.join(tmpdir(), 'dbr-none-'))),
      (e: Error) => e instanceof MissingPackageError && /npm run package:connector/.test(e.message),
    );
  });

  it('writes the files with their modes and reports the size', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dbr-deploy-'));
    const files = make('linux-executable-x64');
    const bytes = writeDeployment(folder, files);
    assert.equal(statSync(path.join(folder, 'directory-bridge-connector-linux-x64')).mode & 0o777, 0o755);
    assert.equal(statSync(path.join(folder, 'config.json')).mode & 0o777, 0o600);
    assert.match(
      readFileSync(path.join(folder, 'directory-bridge-connector.service'), 'utf8'),
      /^ExecStart=\/opt\/directory-bridge\/corp\/directory-bridge-connector-linux-x64 start --config \/opt\/directory-bridge\/corp\/config\.json$/m,
    );
    assert.ok(bytes > 2048);
    assert.equal(formatSize(99_683_456), '95.1 MB');
  });
});
