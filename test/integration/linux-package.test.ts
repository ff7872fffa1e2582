/**
 * The Linux package end to end without installing it on this machine: the .deb's contents, modes and maintainer
 * scripts, lintian, reproducibility, and the executable taken out of it (dpkg-deb -x) run with an empty PATH:
 * password, setup with a ticket, troubleshoot, and logins from slapd through a real hub. Then the package's own
 * `directory-bridge-ctl` drives the same executable into a config folder with the right owner and modes.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  freePort,
  login,
  logsContaining,
  Proc,
  startHub,
  stopAll,
  tempDir,
  waitForInstances,
  approvePending,
  type HubProc,
} from '../helpers/processes';
import { DEB_X64, ensurePackages, EXE_X64, runClean } from '../helpers/packages';

const PKG = 'directory-bridge-connector';

function configFor(): Record<string, unknown> {
  return {
    LDAP_KIND: 'openldap',
    LDAP_URL: [SLAPD.url],
    LDAP_BASE: SLAPD.baseDn,
    LDAP_BIND_USER: SLAPD.bindDn,
    LOG_LEVEL: 'info',
  };
}

describe('Linux package (.deb) and its executable', function () {
  this.timeout(180_000);
  let root: string;
  let control: string;
  let exe: string;
  let hub: HubProc;

  before(async function () {
    this.timeout(1_800_000);
    ensurePackages();
    root = tempDir('deb-root');
    execFileSync('dpkg-deb', ['-x', DEB_X64, root]);
    exe = path.join(root, 'usr/bin', PKG);
    control = tempDir('deb-control');
    execFileSync('dpkg-deb', ['-e', DEB_X64, control]);
    hub = await startHub(tempDir('hub-deb'), await freePort());
  });
  after(async () => {
    await stopAll();
    assert.deepEqual(logsContaining([SLAPD.bindPassword, 'Passw0rd!Alice']), []);
  });

  it('holds exactly the executable, the ctl script, a systemd template unit and the docs, owned by root', () => {
    const listing = execFileSync('dpkg-deb', ['-c', DEB_X64], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/));
    const files = listing
      .filter((f) => !f[0].startsWith('d'))
      .map((f) => `${f[0]} ${f[5].replace(/^\./, '')}`)
      .sort();
    assert.deepEqual(files, [
      '-rw-r--r-- /lib/systemd/system/directory-bridge-connector@.service',
      '-rw-r--r-- /usr/share/doc/directory-bridge-connector/README.md',
      '-rw-r--r-- /usr/share/doc/directory-bridge-connector/changelog.gz',
      '-rw-r--r-- /usr/share/doc/directory-bridge-connector/copyright',
      '-rw-r--r-- /usr/share/lintian/overrides/directory-bridge-connector',
      '-rwxr-xr-x /usr/bin/directory-bridge-connector',
      '-rwxr-xr-x /usr/sbin/directory-bridge-ctl',
    ]);
    assert.ok(
      listing.every((f) => f[1] === 'root/root'),
      'every entry owned by root',
    );
    // nothing in /etc: a connection (config, ticket, keys) is added on the server, never shipped
    assert.ok(!listing.some((f) => f[5].startsWith('./etc')));
  });

  it('control and maintainer scripts: dependencies, a system user, systemd handled, purge removes config and user', () => {
    const ctl = readFileSync(path.join(control, 'control'), 'utf8');
    assert.match(ctl, /^Package: directory-bridge-connector$/m);
    assert.match(ctl, /^Architecture: amd64$/m);
    assert.match(ctl, /^Depends: adduser, libc6/m);
    for (const s of ['postinst', 'prerm', 'postrm']) {
      assert.equal(statSync(path.join(control, s)).mode & 0o777, 0o755, s);
      execFileSync('sh', ['-n', path.join(control, s)]);
    }
    const postinst = readFileSync(path.join(control, 'postinst'), 'utf8');
    assert.match(
      postinst,
      /adduser --system --group --no-create-home --home \/nonexistent --shell \/usr\/sbin\/nologin --quiet directory-bridge/,
    );
    assert.match(postinst, /chmod 0750 \/etc\/directory-bridge/);
    assert.match(readFileSync(path.join(control, 'prerm'), 'utf8'), /deb-systemd-invoke stop "\$unit"/);
    const postrm = readFileSync(path.join(control, 'postrm'), 'utf8');
    assert.match(
      postrm,
      /if \[ "\$1" = purge \]; then[\s\S]*rm -rf \/etc\/directory-bridge[\s\S]*deluser --system --quiet directory-bridge/,
    );
    execFileSync('sh', ['-n', path.join(root, 'usr/sbin/directory-bridge-ctl')]);
  });

  it('the systemd unit runs the executable per connection as the system user, restarts it, and is hardened', () => {
    const unit = readFileSync(path.join(root, 'lib/systemd/system/directory-bridge-connector@.service'), 'utf8');
    assert.match(
      unit,
      /^ExecStart=\/usr\/bin\/directory-bridge-connector start --config \/etc\/directory-bridge\/%i\/config\.json$/m,
    );
    for (const line of [
      'User=directory-bridge',
      'Restart=on-failure',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ReadWritePaths=/etc/directory-bridge/%i',
      'CapabilityBoundingSet=',
      'PrivateTmp=yes',
      'ProtectHome=yes',
      'UMask=0077',
    ]) {
      assert.ok(unit.split('\n').includes(line), line);
    }
    // systemd's own check of the unit's syntax (an instance of the template, pointing at the extracted executable)
    const dir = tempDir('unit');
    const instance = path.join(dir, 'directory-bridge-connector@corp.service');
    writeFileSync(instance, unit.replace(/\/usr\/bin\/directory-bridge-connector/, exe));
    const r = (() => {
      try {
        return execFileSync('systemd-analyze', ['verify', instance], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
    })();
    assert.ok(!/Unknown (key|section)|Invalid|Failed to parse/i.test(r), r);
  });

  it('lintian finds no error', function () {
    this.timeout(600_000);
    let out: string;
    try {
      out = execFileSync('lintian', ['--no-tag-display-limit', DEB_X64], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout);
    }
    const errors = out.split('\n').filter((l) => l.startsWith('E:'));
    assert.deepEqual(errors, [], out);
  });

  it('its executable with an empty PATH: version, set-password, setup with a ticket, troubleshoot, logins from slapd', async () => {
    const v = await runClean(exe, ['version'], { env: {} });
    assert.equal(v.code, 0, v.out);
    assert.match(v.out, /^\d+\.\d+\.\d+ \(node v20\.\d+\.\d+, single executable\)\n$/, 'no warning either');
    await admin(hub, 'POST', 'connections', { name: 'deb-x64' });
    const { pinnedUrl } = await admin<{ pinnedUrl: string }>(hub, 'POST', 'connections/deb-x64/tickets', {});
    const dir = tempDir('deb-conn');
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ ...configFor(), PROVISIONING_TICKET: pinnedUrl }, null, 2));
    const pw = await runClean(exe, ['set-password', '--config', config], { input: SLAPD.bindPassword + '\n' });
    assert.equal(pw.code, 0, pw.out);
    const setup = await runClean(exe, ['setup', '--config', config]);
    assert.equal(setup.code, 0, setup.out);
    await approvePending(hub, 'deb-x64'); // the admin approves the new instance
    assert.equal(statSync(path.join(dir, 'certs', 'connector.key')).mode & 0o777, 0o600);
    assert.ok(!readFileSync(config, 'utf8').includes(SLAPD.bindPassword), 'password sealed');
    const ts = await runClean(exe, ['troubleshoot', '--json', '--config', config]);
    const steps = ts.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string; status: string });
    assert.equal(steps.length, 10, ts.out);
    assert.ok(
      steps.every((s) => s.status === 'pass' || (s.step === 'TLS and certificate chain' && s.status === 'warn')),
      ts.out,
    );
    assert.equal(ts.code, 0);
    const proc = new Proc(
      'deb-connector',
      spawn(exe, ['start', '--config', config], { env: { PATH: '' }, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    await proc.waitFor(/connector\.hub\.online/, 30_000);
    await waitForInstances(hub, 'deb-x64', 1);
    const ok = await login(hub, 'deb-x64', 'alice', 'Passw0rd!Alice');
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.ok(ok.profile?.groups.length, 'groups from slapd');
    const bad = await login(hub, 'deb-x64', 'alice', 'wrong-password');
    assert.equal(bad.error?.name, 'WrongPassword');
    await proc.stop();
    assert.equal(proc.exitCode, 0, 'stops cleanly on SIGTERM');
    assert.match(proc.log, /connector\.stopped/);
  });

  it('directory-bridge-ctl from the package: add makes a 0700 folder and a 0600 config, seals the password, register runs setup and the checks', async () => {
    await admin(hub, 'POST', 'connections', { name: 'deb-ctl' });
    const { pinnedUrl } = await admin<{ pinnedUrl: string }>(hub, 'POST', 'connections/deb-ctl/tickets', {});
    const etc = tempDir('etc');
    const src = path.join(tempDir('download'), 'config.json');
    writeFileSync(src, JSON.stringify({ ...configFor(), PROVISIONING_TICKET: pinnedUrl }));
    const ctl = path.join(root, 'usr/sbin/directory-bridge-ctl');
    const env = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      DIRECTORY_BRIDGE_ETC: etc,
      DIRECTORY_BRIDGE_USER: 'root',
      DIRECTORY_BRIDGE_BIN: exe,
    };
    const bad = await runClean('sh', [ctl, 'add', '../evil', src], { env });
    assert.equal(bad.code, 1);
    assert.match(bad.out, /is not a connection name/);
    const add = await runClean('sh', [ctl, 'add', 'deb-ctl', src], { env, input: SLAPD.bindPassword + '\n' });
    assert.equal(add.code, 0, add.out);
    assert.equal(statSync(path.join(etc, 'deb-ctl')).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(etc, 'deb-ctl', 'config.json')).mode & 0o777, 0o600);
    assert.match(
      JSON.parse(readFileSync(path.join(etc, 'deb-ctl', 'config.json'), 'utf8')).LDAP_BIND_CREDENTIALS,
      /^enc:v1:/,
    );
    const again = await runClean('sh', [ctl, 'add', 'deb-ctl', src], { env });
    assert.equal(again.code, 1, 'refuses to overwrite a connection');
    const reg = await runClean('sh', [ctl, 'register', 'deb-ctl', '--no-start'], { env });
    assert.equal(reg.code, 0, reg.out);
    assert.match(reg.out, /Registered with the hub for connection "deb-ctl"/);
    assert.match(reg.out, /PASS {2}Certificate registered/);
  });

  it('builds byte-identical packages twice (same SOURCE_DATE_EPOCH)', function () {
    this.timeout(1_800_000);
    const again = tempDir('repro');
    // the epoch the first build used is the mtime of every file in it
    const epoch = String(Math.round(statSync(exe).mtimeMs / 1000));
    execFileSync(
      process.execPath,
      [path.resolve(__dirname, '../../packaging/main.js'), '--targets', 'linux-x64', '--out', again],
      { stdio: 'ignore', env: { ...process.env, SOURCE_DATE_EPOCH: epoch } },
    );
    const sum = (f: string) => execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(sum(path.join(again, path.basename(EXE_X64))), sum(EXE_X64), 'the executable');
    assert.equal(sum(path.join(again, path.basename(DEB_X64))), sum(DEB_X64), 'the .deb');
  });
});
