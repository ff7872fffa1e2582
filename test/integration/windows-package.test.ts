/**
 * The Windows executable under Wine (what Wine allows): `version`, set-password, setup with a ticket and
 * `troubleshoot` against slapd on loopback, `start` serving logins through a real hub, and install-service.cmd
 * registering the NSSM service with its restart, log rotation and stop settings. Wine cannot resolve the virtual
 * service account (`sc config obj= "NT SERVICE\..."`), so the script stops there and the service is not started here.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  freePort,
  login,
  startHub,
  stopAll,
  tempDir,
  waitForInstances,
  approvePending,
  type HubProc,
} from '../helpers/processes';
import { ensurePackages, runWine, startWine, waitInFile, WIN_DIR, wineEnv } from '../helpers/packages';

const EXE = 'directory-bridge-connector.exe';

describe('Windows executable under Wine', function () {
  this.timeout(300_000);
  let prefix: string;
  let hub: HubProc;

  before(async function () {
    this.timeout(1_800_000);
    ensurePackages();
    prefix = tempDir('wine');
    execFileSync('wineboot', ['-i'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 300_000 });
    hub = await startHub(tempDir('hub-win'), await freePort());
  });
  after(async () => {
    await stopAll();
    // ends this prefix's Wine processes (its wineserver and whatever runs in it), nothing else
    try {
      execFileSync('wineserver', ['-k'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 30_000 });
    } catch {
      /* already gone */
    }
  });

  it('version: the single executable runs, with no warning', async () => {
    const dir = tempDir('win-version');
    const r = await runWine(prefix, path.join(WIN_DIR, EXE), ['version'], {
      cwd: dir,
      logFile: path.join(dir, 'out.txt'),
    });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out.trim(), /^\d+\.\d+\.\d+ \(node v20\.\d+\.\d+, single executable\)$/);
  });

  it('set-password, setup with a ticket, troubleshoot against slapd, and start serving logins through the hub', async () => {
    await admin(hub, 'POST', 'connections', { name: 'win-x64' });
    const { pinnedUrl } = await admin<{ pinnedUrl: string }>(hub, 'POST', 'connections/win-x64/tickets', {});
    const dir = tempDir('win-conn');
    copyFileSync(path.join(WIN_DIR, EXE), path.join(dir, EXE));
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        LDAP_KIND: 'openldap',
        LDAP_URL: [SLAPD.url],
        LDAP_BASE: SLAPD.baseDn,
        LDAP_BIND_USER: SLAPD.bindDn,
        PROVISIONING_TICKET: pinnedUrl,
        LOG_LEVEL: 'info',
      }),
    );
    writeFileSync(path.join(dir, 'pw.txt'), SLAPD.bindPassword + '\n');
    const exe = path.join(dir, EXE);
    const pw = await runWine(prefix, exe, ['set-password', '--config', 'config.json'], {
      cwd: dir,
      logFile: path.join(dir, 'pw.log'),
      inputFile: path.join(dir, 'pw.txt'),
    });
    assert.equal(pw.code, 0, pw.out);
    assert.match(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).LDAP_BIND_CREDENTIALS, /^enc:v1:/);
    const setup = await runWine(prefix, exe, ['setup', '--config', 'config.json'], {
      cwd: dir,
      logFile: path.join(dir, 'setup.log'),
    });
    assert.equal(setup.code, 0, setup.out);
    assert.ok(existsSync(path.join(dir, 'certs', 'connector.key')));
    await approvePending(hub, 'win-x64'); // the admin approves the new instance
    const ts = await runWine(prefix, exe, ['troubleshoot', '--json', '--config', 'config.json'], {
      cwd: dir,
      logFile: path.join(dir, 'ts.log'),
    });
    const steps = ts.out
      .trim()
      .split(/\r?\n/)
      .map((l) => JSON.parse(l) as { step: string; status: string });
    assert.equal(steps.length, 10, ts.out);
    assert.ok(
      steps.every((s) => s.status === 'pass' || (s.step === 'TLS and certificate chain' && s.status === 'warn')),
      ts.out,
    );
    assert.equal(ts.code, 0);
    const log = path.join(dir, 'connector.log');
    const child = startWine(prefix, exe, ['start', '--config', 'config.json'], { cwd: dir, logFile: log });
    try {
      await waitInFile(log, /connector\.hub\.online/, 120_000);
      await waitForInstances(hub, 'win-x64', 1, 30_000);
      const ok = await login(hub, 'win-x64', 'alice', 'Passw0rd!Alice');
      assert.equal(ok.ok, true, JSON.stringify(ok));
      assert.equal((await login(hub, 'win-x64', 'alice', 'nope')).error?.name, 'WrongPassword');
    } finally {
      child.kill('SIGKILL');
    }
    const text = readFileSync(log, 'utf8');
    assert.ok(!text.includes(SLAPD.bindPassword) && !text.includes('Passw0rd!Alice'), 'no password in the log');
  });

  it('install-service.cmd registers the NSSM service: auto start, restart on exit, rotating log, Ctrl+C stop', async () => {
    const dir = tempDir('win-svc');
    for (const f of readdirSync(WIN_DIR)) copyFileSync(path.join(WIN_DIR, f), path.join(dir, f));
    writeFileSync(path.join(dir, 'config.json'), '{}');
    const bad = await runWine(prefix, 'cmd', ['/c', 'install-service.cmd', 'Bad.Name'], {
      cwd: dir,
      logFile: path.join(dir, 'bad.log'),
    });
    assert.equal(bad.code, 2);
    assert.match(bad.out, /is not a connection name/);
    await runWine(prefix, 'cmd', ['/c', 'install-service.cmd', 'winsvc'], {
      cwd: dir,
      logFile: path.join(dir, 'install.log'),
    });
    const reg = await runWine(
      prefix,
      'reg',
      ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\DirectoryBridge-winsvc', '/s'],
      { cwd: dir, logFile: path.join(dir, 'reg.log') },
    );
    for (const re of [
      /ImagePath\s+REG_SZ\s+C:\\Program Files\\Directory Bridge\\nssm\.exe/,
      /Start\s+REG_DWORD\s+0x2/,
      /Application\s+REG_EXPAND_SZ\s+C:\\Program Files\\Directory Bridge\\directory-bridge-connector\.exe/,
      /AppParameters\s+REG_EXPAND_SZ\s+start --config config\.json/,
      /AppDirectory\s+REG_EXPAND_SZ\s+C:\\ProgramData\\Directory Bridge\\winsvc/,
      /AppStdout\s+REG_EXPAND_SZ\s+C:\\ProgramData\\Directory Bridge\\winsvc\\logs\\connector\.log/,
      /AppRotateOnline\s+REG_DWORD\s+0x1/,
      /AppRotateBytes\s+REG_DWORD\s+0xa00000/,
      /AppStopMethodConsole\s+REG_DWORD\s+0x3a98/,
      /\(Default\)\s+REG_SZ\s+Restart/,
    ]) {
      assert.match(reg.out, re);
    }
    assert.ok(existsSync(path.join(prefix, 'drive_c/Program Files/Directory Bridge/directory-bridge-connector.exe')));
    assert.ok(existsSync(path.join(prefix, 'drive_c/ProgramData/Directory Bridge/winsvc/config.json')));
    const again = await runWine(prefix, 'cmd', ['/c', 'install-service.cmd', 'winsvc'], {
      cwd: dir,
      logFile: path.join(dir, 'again.log'),
    });
    assert.match(again.out, /exists already/);
    const un = await runWine(prefix, 'cmd', ['/c', 'uninstall-service.cmd', 'winsvc', '/purge'], {
      cwd: dir,
      logFile: path.join(dir, 'uninstall.log'),
    });
    assert.match(un.out, /Removed the service DirectoryBridge-winsvc/, un.out);
    const gone = await runWine(
      prefix,
      'reg',
      ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\DirectoryBridge-winsvc'],
      { cwd: dir, logFile: path.join(dir, 'gone.log') },
    );
    assert.notEqual(gone.code, 0, 'the service is gone');
    assert.ok(
      !existsSync(path.join(prefix, 'drive_c/ProgramData/Directory Bridge/winsvc')),
      '/purge removed its folder',
    );
  });
});
