// test/fixtures/install.sh, which `npm start` and `npm test` run first: a user who cannot install Debian packages
// gets one message naming them and the command to run, and nothing is attempted.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../../test/fixtures/install.sh');
const TOOLS = ['bash', 'awk', 'grep', 'id', 'date', 'mktemp', 'cat', 'rm', 'tail', 'printf', 'env', 'chmod'];

/** A PATH holding only the tools the script needs, a dpkg-query that finds nothing and, if asked, a recording apt-get. */
function fakeMachine(opts: { apt: boolean }): { bin: string; aptLog: string } {
  const bin = mkdtempSync(path.join(tmpdir(), 'dbr-install-'));
  chmodSync(bin, 0o755); // readable by the user the first test becomes
  for (const t of TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
    if (real.startsWith('/')) symlinkSync(real, path.join(bin, t));
  }
  writeFileSync(path.join(bin, 'dpkg-query'), '#!/bin/bash\nexit 1\n');
  const aptLog = path.join(bin, 'apt.log');
  if (opts.apt) writeFileSync(path.join(bin, 'apt-get'), `#!/bin/bash\necho "$@" >> ${aptLog}\nexit 0\n`);
  for (const f of ['dpkg-query', 'apt-get'])
    try {
      chmodSync(path.join(bin, f), 0o755);
    } catch {
      /* not made */
    }
  return { bin, aptLog };
}

function run(bin: string, asUser?: string, ...groups: string[]) {
  const cmd = ['env', '-i', `PATH=${bin}`, 'bash', SCRIPT, ...groups];
  const r = asUser
    ? spawnSync('setpriv', [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', ...cmd], { encoding: 'utf8' })
    : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

const isRoot = process.getuid?.() === 0;

describe('install.sh: what a user without root or without apt is told', () => {
  it('not root: names every missing package and the one command to run, and runs no apt-get', () => {
    const { bin, aptLog } = fakeMachine({ apt: true });
    // as root (CI, `npm test` here) become nobody; as anyone else, we already are not root
    const r = run(bin, isRoot ? '65534' : undefined, 'directories');
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /needs these Debian packages, which are not installed:\n {2}slapd ldap-utils samba /);
    assert.match(r.err, /needs root/);
    assert.match(
      r.err,
      /sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slapd .*samba-ad-dc/,
    );
    assert.equal(spawnSync('test', ['-e', aptLog]).status, 1, 'apt-get must not have been run');
    assert.doesNotMatch(r.err, /^E: |dpkg: error/m);
  });

  it('no apt-get: says so, and still names the packages', () => {
    const { bin } = fakeMachine({ apt: false });
    const r = run(bin, undefined, 'browser', 'build');
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /no apt-get/);
    assert.match(r.err, /chromium .*g\+\+ make python3 libkrb5-dev/);
  });

  it('root with apt: installs exactly the missing packages, once', () => {
    const { bin, aptLog } = fakeMachine({ apt: true });
    const r = run(bin, undefined, 'build');
    if (!isRoot) return assert.equal(r.code, 3, r.err); // a developer not root is told, as above
    assert.equal(r.code, 0, r.err);
    const calls = spawnSync('cat', [aptLog], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.equal(calls[0], 'update -qq');
    assert.match(calls[1], /^install -y -q --no-install-recommends g\+\+ make python3 libkrb5-dev$/);
  });

  it('an unknown group is refused by name', () => {
    const { bin } = fakeMachine({ apt: true });
    const r = run(bin, undefined, 'graphics');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown group 'graphics'/);
  });
});
