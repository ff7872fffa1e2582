// `npm start` as a user runs it: start it, wait for the URL it prints, open that URL in Chromium, find the sample
// connection in the Directory Bridge view, start the embedded connector, then press Ctrl-C (SIGINT to the whole
// foreground process group, as a terminal does) and check that nothing it started is left running and that its
// ports are free again.
//
// Every process `npm start` starts carries a marker in its environment (DBR_PLAYGROUND_RUN), so the check finds
// them all by reading /proc, daemons included (slapd detaches from its parent).
/* global describe, it, before, after -- mocha's */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { launchBrowser } = require('../e2e/host/codeserver');

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(process.env.TEST_RESULTS_DIR || path.join(ROOT, 'test-results'), 'screenshots');
const MARK = randomUUID();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Every live process whose environment carries this run's marker: pid and command line. */
function markedProcesses() {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`DBR_PLAYGROUND_RUN=${MARK}`)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // a zombie holds nothing
      found.push({
        pid: Number(pid),
        cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim(),
      });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

async function until(what, fn, timeoutMs) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm start (the playground), as a user runs it', function () {
  this.timeout(15 * 60_000);
  let child,
    out = '',
    ports,
    browser,
    page,
    seen = [];

  before(async () => {
    ports = {
      PLAYGROUND_PORT: await freePort(),
      PLAYGROUND_HUB_PORT: await freePort(),
      LDAP_PORT: await freePort(),
      LDAPS_PORT: await freePort(),
    };
    // a user's shell has none of the npm_* variables that `npm test` exports to this process
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$|^NODE$/i.test(k)));
    Object.assign(env, Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), {
      DBR_PLAYGROUND_RUN: MARK,
    });
    child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    // never leave the playground behind, whatever failed
    if (child.exitCode === null)
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    for (const p of markedProcesses())
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    fs.writeFileSync(path.join(SHOTS, '..', 'playground.log'), out);
  });

  it('prints the URL of VS Code with the extension', async () => {
    const url = await until(
      'the URL line',
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out.slice(-3000)}`);
        return /VS Code with Directory Bridge: (http:\/\/\S+)/.exec(out)?.[1];
      },
      12 * 60_000,
    );
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${ports.PLAYGROUND_PORT}/`));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  it('shows the sample connection "sandbox" in the Directory Bridge view', async () => {
    await page.locator('.activitybar [aria-label^="Directory Bridge"]').first().click({ timeout: 60_000 });
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'sandbox' }).first();
    await row.waitFor({ timeout: 60_000 });
    // the sample points at this run's sandbox directory, whatever an earlier run left in the playground's profile
    await page
      .locator('.part.sidebar .monaco-list-row', { hasText: `127.0.0.1:${ports.LDAP_PORT}` })
      .first()
      .waitFor({ timeout: 30_000 });
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(700, 500); // no tooltip over the view
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, '20-playground-sandbox.png') });
  });

  it('starts the embedded connector from the command palette, which comes online', async () => {
    await page.keyboard.press('F1');
    const palette = page.locator('.quick-input-widget');
    await palette.waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type('Directory Bridge: Start Embedded Connector');
    await palette
      .locator('.monaco-list-row', { hasText: 'Start Embedded Connector' })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    // one connection: the quick pick may still ask which one
    const pick = palette.locator('.monaco-list-row', { hasText: 'sandbox' }).first();
    if (await pick.isVisible({ timeout: 3000 }).catch(() => false)) await page.keyboard.press('Enter');
    const sandbox = page.locator('.part.sidebar .monaco-list-row', { hasText: 'sandbox' }).first();
    const online = page.locator('.part.sidebar .monaco-list-row', { hasText: /sandbox.*1 online/ }).first();
    // the instance row, once the connection is expanded, reads like "vm healthy · 19 ms · 0 in flight · … · v0.1.0"
    const instance = page
      .locator('.part.sidebar .monaco-list-row', {
        hasText: /(healthy|health not reported yet|directory unreachable)\b.* · v\d/,
      })
      .first();
    await online
      .waitFor({ timeout: 60_000 })
      .then(async () => {
        if ((await sandbox.getAttribute('aria-expanded')) !== 'true') await sandbox.click();
      })
      .then(() => instance.waitFor({ timeout: 30_000 }))
      .catch(async (e) => {
        const rows = await page.locator('.part.sidebar .monaco-list-row').allInnerTexts();
        const toasts = await page.locator('.notification-toast, .monaco-dialog-box').allInnerTexts();
        await page.screenshot({ path: path.join(SHOTS, '21-playground-connector-failed.png') });
        throw new Error(`${e.message}\nrows: ${rows.join(' | ')}\nnotifications: ${toasts.join(' | ')}`);
      });
    await page.screenshot({ path: path.join(SHOTS, '21-playground-connector-online.png') });
    seen = await until(
      'the connector process',
      () => {
        const all = markedProcesses();
        return all.some((p) => /connector\.js start/.test(p.cmd)) && all;
      },
      10_000,
    ).catch(() => markedProcesses());
    const cmds = seen.map((p) => p.cmd).join('\n');
    // the marker really reaches what npm start runs, so the check after Ctrl-C means something
    assert.match(cmds, /code-server/, cmds);
    assert.match(cmds, /slapd/, cmds);
    assert.match(cmds, /connector\.js start/, cmds);
    for (const port of [ports.PLAYGROUND_PORT, ports.PLAYGROUND_HUB_PORT, ports.LDAP_PORT])
      assert.equal(await portIsFree(port), false, `port ${port} is in use while running`);
  });

  it('stops on Ctrl-C and leaves no process and no port behind', async () => {
    await browser.close();
    browser = undefined;
    process.kill(-child.pid, 'SIGINT');
    await until('npm start to exit', () => child.exitCode !== null || child.signalCode !== null, 60_000);
    const left = await until(
      'every process of the playground to end',
      () => (markedProcesses().length === 0 ? [] : null),
      15_000,
    ).catch(() => markedProcesses());
    assert.deepEqual(left, [], `left running after Ctrl-C:\n${left.map((p) => `${p.pid} ${p.cmd}`).join('\n')}`);
    for (const [name, port] of Object.entries(ports))
      assert.equal(await portIsFree(port), true, `${name} ${port} is still bound after Ctrl-C`);
    assert.doesNotMatch(out, /npm error|Error:/, out.slice(-2000));
  });
});
