// One measurement of bench step (2) on its own, for profiling: the hub in this process, one connector process,
// logins at one concurrency against the bench's slapd (start it first: SLAPD_DIR=/tmp/directory-bridge-bench/slapd
// LDAP_PORT=3990 LDAPS_PORT=6460 bash test/fixtures/slapd.sh all 10000). Prints connector, slapd and hub CPU per
// login and the connector's peak RSS.
// usage: node bench/hub-load.mjs [concurrency=64] [seconds=10] [direct]
//   direct: the same logins with the directory engine in this process instead (its CPU per login, for comparison)
//   CONNECTOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"  extra node flags for the connector process
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, procStats, sampleRss, sleep } from './lib.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Hub } = require(`${ROOT}/out/extension/hub/hub.js`);
const { MemorySecretStore } = require(`${ROOT}/out/extension/hub/secretStore.js`);
const [C = '64', S = '10', mode] = process.argv.slice(2);
const SLAPD_DIR = process.env.SLAPD_DIR ?? '/tmp/directory-bridge-bench/slapd';
const PORT = process.env.LDAP_PORT ?? '3990';
const BASE = 'dc=example,dc=test';
const slapdPidOf = () => Number(readFileSync(path.join(SLAPD_DIR, 'run/slapd.fg.pid'), 'utf8'));
const user = (w, i) => 1 + ((w * 7919 + i * 31) % 10000);

if (mode === 'direct') {
  const { Directory } = require(`${ROOT}/out/connector/directory/index.js`);
  const d = new Directory({
    kind: 'openldap',
    urls: [`ldap://127.0.0.1:${PORT}`],
    baseDn: BASE,
    bindDn: `cn=bridge,ou=services,${BASE}`,
    bindPassword: 'Passw0rd!Bridge',
    groupsCacheSeconds: Number(process.env.GROUPS_CACHE_SECONDS ?? 0),
  });
  const op = (w, i) => d.authenticate(`user${user(w, i)}`, 'Passw0rd!User');
  await load(op, { concurrency: Number(C), seconds: 1 });
  const slapdPid = Number(readFileSync(path.join(SLAPD_DIR, 'run/slapd.fg.pid'), 'utf8'));
  const b = [process.pid, slapdPid].map(procStats);
  const m = await load(op, { concurrency: Number(C), seconds: Number(S), warmupSeconds: 0 });
  const a = [process.pid, slapdPid].map(procStats);
  const per = (i, k = 'cpuMs') => ((a[i][k] - b[i][k]) / m.ops).toFixed(3);
  console.log(
    `direct c=${C} ${S}s: ${Math.round(m.perSecond)}/s p50 ${m.p50.toFixed(2)} ms; CPU ms/login engine+load ${per(0)} (user ${per(0, 'userMs')} sys ${per(0, 'sysMs')}), slapd ${per(1)}; RSS ${Math.round(a[0].rssMb)} MB`,
  );
  await d.close();
  process.exit(0);
}
const hub = await Hub.start({
  stateDir: mkdtempSync(path.join(tmpdir(), 'bench-hub-')),
  port: 18000 + Math.floor(Math.random() * 2000),
  secrets: new MemorySecretStore(),
  heartbeatMs: 5000,
});
await hub.createConnection({ name: 'bench', cacheEnabled: false });
const dir = mkdtempSync(path.join(tmpdir(), 'bench-conn-'));
writeFileSync(
  path.join(dir, 'config.json'),
  JSON.stringify({
    LDAP_KIND: 'openldap',
    LDAP_URL: `ldap://127.0.0.1:${PORT}`,
    LDAP_BASE: BASE,
    LDAP_BIND_USER: `cn=bridge,ou=services,${BASE}`,
    LDAP_BIND_CREDENTIALS: 'Passw0rd!Bridge',
    GROUPS_CACHE_SECONDS: Number(process.env.GROUPS_CACHE_SECONDS ?? 0),
    LOG_LEVEL: process.env.CONNECTOR_LOG_LEVEL ?? 'warn',
  }),
);
const setup = spawn(
  process.execPath,
  [
    path.join(ROOT, 'dist/connector.js'),
    'setup',
    '--ticket',
    hub.createTicket('bench').pinnedUrl,
    '--config',
    path.join(dir, 'config.json'),
  ],
  { stdio: 'inherit' },
);
if ((await new Promise((r) => setup.on('exit', r))) !== 0) throw new Error('setup failed');
// a new instance waits for approval: the bench approves its own
for (const p of hub.pendingInstances('bench')) hub.approveInstance(p.thumbprint);
const extra = (process.env.CONNECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
// CONNECTOR_WRAP="perf record -F 999 -o /tmp/c.data --" with CONNECTOR_NODE_ARGS=--perf-basic-prof: a CPU-time profile
// (the CPU figures are then the wrapper's, not the connector's)
const wrap = (process.env.CONNECTOR_WRAP ?? '').split(' ').filter(Boolean);
const child = spawn(
  wrap[0] ?? process.execPath,
  [
    ...wrap.slice(1),
    ...(wrap.length ? [process.execPath] : []),
    ...extra,
    process.env.CONNECTOR_JS ?? path.join(ROOT, 'dist/connector.js'),
    'start',
    '--config',
    path.join(dir, 'config.json'),
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
while (hub.instances('bench').length !== 1) await sleep(5);

let logins = 0;
const op = (w, i) =>
  hub.login('bench', `user${user(w, i)}`, 'Passw0rd!User').then((r) => {
    logins++;
    if (!r.ok) throw new Error(r.error.message);
  });
await load(op, { concurrency: Number(C), seconds: 1, warmupSeconds: 0.5 });
if (process.env.LOGINS) {
  // a fixed number of logins instead of a fixed time: CPU per login then compares equal work even when other
  // processes slow the machine down (warm-up, JIT and batching are amortised over the same count)
  const n = Number(process.env.LOGINS);
  for (let round = 0; round < 2; round++) {
    const b = [child.pid, slapdPidOf(), process.pid].map(procStats);
    const t0 = performance.now();
    let started = 0;
    await Promise.all(
      Array.from({ length: Number(C) }, async (_, w) => {
        for (let i = 0; started < n; i++) {
          started++;
          await op(w, i);
        }
      }),
    );
    const a = [child.pid, slapdPidOf(), process.pid].map(procStats);
    const per = (i, k = 'cpuMs') => ((a[i][k] - b[i][k]) / n).toFixed(3);
    if (round && process.env.SMAPS)
      console.log(
        readFileSync(`/proc/${child.pid}/status`, 'utf8')
          .split('\n')
          .filter((l) => /^(VmRSS|RssAnon|RssFile|RssShmem|VmHWM)/.test(l))
          .join('; '),
      );
    if (round && process.env.SNAPSHOT) {
      child.kill('SIGUSR2');
      await sleep(8000);
    }
    console.log(
      `c=${C} ${n} logins${round ? '' : ' (warm-up)'}: ${Math.round(n / ((performance.now() - t0) / 1000))}/s; CPU ms/login connector ${per(0)} (user ${per(0, 'userMs')} sys ${per(0, 'sysMs')}), slapd ${per(1)}, hub+load ${per(2)}; connector RSS ${Math.round(a[0].rssMb)} MB`,
    );
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await hub.stop();
  process.exit(0);
}
const slapdPid = Number(readFileSync(path.join(SLAPD_DIR, 'run/slapd.fg.pid'), 'utf8'));
const b = [child.pid, slapdPid, process.pid].map(procStats);
const rss = sampleRss(child.pid);
logins = 0;
const m = await load(op, { concurrency: Number(C), seconds: Number(S), warmupSeconds: 0 });
const a = [child.pid, slapdPid, process.pid].map(procStats);
const per = (i, k = 'cpuMs') => ((a[i][k] - b[i][k]) / logins).toFixed(3);
console.log(
  `c=${C} ${S}s: ${Math.round(m.perSecond)}/s p50 ${m.p50.toFixed(2)} ms, ${m.failures} failed; CPU ms/login connector ${per(0)} (user ${per(0, 'userMs')} sys ${per(0, 'sysMs')}), slapd ${per(1)}, hub+load ${per(2)}; connector RSS ${Math.round(a[0].rssMb)} MB (peak ${Math.round(rss.stop().peakMb)})`,
);
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
await hub.stop();
process.exit(0);
