// `npm run bench`: how fast, and what survives, measured against the physical limit in the same run.
// Starts slapd (10,000 users, then 100,000) and Samba AD, the hub (in this process, as the extension runs it) and
// connector processes; writes bench/results.json and bench/results.md, and the table into README.md.
// Knobs: BENCH_SECONDS (per measurement, 4), BENCH_REPEAT (3, median kept), BENCH_ENDURANCE_SECONDS (300),
// BENCH_WARMUP_SECONDS (5: logins through a new connector before it is measured), BENCH_RSS_SAMPLE_SECONDS (30).
// slapd is the bench's own (SLAPD_DIR /tmp/directory-bridge-bench/slapd, ports 3990/6460 unless set), so that
// re-seeding and restarting it never disturbs the shared one on 3890; Samba AD (fixed ports) is used if it runs,
// and stopped at the end only if this run started it.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, median, procStats, repeated, sampleRss, sleep } from './lib.mjs';
import { measureLogins } from './logins.mjs';
import { GROUPS_CACHE_SECONDS, LEVELS, writeResults } from './report.mjs';

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Client } = require('ldapts');
const { Directory } = require(`${ROOT}/out/connector/directory/index.js`);
const { Hub } = require(`${ROOT}/out/extension/hub/hub.js`);
const { MemorySecretStore } = require(`${ROOT}/out/extension/hub/secretStore.js`);
/** The seeded accounts, written once for the tests, the bench and the playground. */
const ACCOUNTS = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/accounts.json'), 'utf8'));

process.env.SLAPD_DIR ??= '/tmp/directory-bridge-bench/slapd';
process.env.LDAP_PORT ??= '3990';
process.env.LDAPS_PORT ??= '6460';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** `--logins`: only (1a), (1b), (2) and the CPU table; the other rows are kept from bench/results.json. */
const ONLY_LOGINS = process.argv.includes('--logins');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const ENDURANCE = Number(process.env.BENCH_ENDURANCE_SECONDS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const BASE = ACCOUNTS.slapd.baseDn;
const PW = ACCOUNTS.bulkUserPassword;
const SLAPD = {
  kind: 'openldap',
  urls: [`ldap://127.0.0.1:${process.env.LDAP_PORT}`],
  baseDn: BASE,
  bindDn: ACCOUNTS.slapd.bindDn,
  bindPassword: ACCOUNTS.slapd.bindPassword,
  groupsCacheSeconds: GROUPS_CACHE_SECONDS,
};
const SAMBA = {
  kind: 'ad',
  urls: ['ldap://127.0.0.1:389'],
  baseDn: ACCOUNTS.samba.baseDn,
  bindDn: ACCOUNTS.samba.bindDn,
  bindPassword: ACCOUNTS.samba.bindPassword,
};
const user = (w, i) => 1 + ((w * 7919 + i * 31) % 10000);
const log = (...a) => console.log('[bench]', ...a);
const fixture = (script, ...args) =>
  execFileSync('bash', [path.join(ROOT, 'test/fixtures', script), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
const fixtureOk = (script, ...args) => {
  try {
    fixture(script, ...args);
    return true;
  } catch {
    return false;
  }
};
const slapdPid = () => Number(readFileSync(path.join(process.env.SLAPD_DIR, 'run/slapd.fg.pid'), 'utf8'));
let startedSamba = false;

const results = {
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, date: new Date().toISOString() },
  settings: { seconds: SECONDS, repeat: REPEAT, endurance: ENDURANCE, warmup: WARMUP },
};
const procs = new Set();
let hub;

/** A connector process as production runs it (default log level: info); its summary lines (requests and memory, once a minute) are kept. */
function spawnConnector(dir, name) {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist/connector.js'), 'start', '--config', path.join(dir, 'config.json')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  procs.add(child);
  child.on('exit', () => procs.delete(child));
  child.name = name;
  child.summaries = [];
  let rest = '';
  child.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const l of lines) if (l.includes('connector.requests')) child.summaries.push(l);
  });
  child.stderr.on('data', () => undefined);
  return child;
}
/** The memory fields of a connector's last summary line ("memory={...}"). */
function lastMemory(child) {
  const line = child.summaries.at(-1);
  const m = line && /memory=("(?:[^"\\]|\\.)*"|\{.*\})/.exec(line);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]);
    return typeof v === 'string' ? JSON.parse(v) : v;
  } catch {
    return undefined;
  }
}

async function provision(connection, config) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-conn-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const t = hub.createTicket(connection);
  // asynchronously: the hub answering this setup runs in this very process
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist/connector.js'), 'setup', '--ticket', t.pinnedUrl, '--config', path.join(dir, 'config.json')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`connector setup failed: ${out}`);
  // new instances wait for approval: the bench approves its own
  for (const p of hub.pendingInstances(connection)) hub.approveInstance(p.thumbprint);
  return dir;
}

/**
 * One run of bench/link-floor.mjs in its own process: its JSON figures. Not execFileSync: the hub in this process
 * must go on answering its connector's heartbeats meanwhile.
 */
async function linkFloor(concurrency, seconds, ...flags) {
  const { stdout } = await execFileAsync(
    process.execPath,
    [path.join(ROOT, 'bench/link-floor.mjs'), String(concurrency), String(seconds), '--json', ...flags],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').pop());
}

async function waitInstances(connection, n, timeoutMs = 15000) {
  const t0 = performance.now();
  while (hub.instances(connection).length !== n) {
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`${connection}: ${hub.instances(connection).length} instances, want ${n}`);
    await sleep(5);
  }
  return performance.now() - t0;
}

const r0 = (x) => (Number.isFinite(x) ? Math.round(x) : x);
const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);
const row = (m) => ({ perSecond: r0(m.perSecond), p50: r2(m.p50), p99: r2(m.p99), failures: m.failures, runs: m.runs });

async function main() {
  log(`${results.machine.cores} cores, Node ${process.version}, ${SECONDS} s per measurement, median of ${REPEAT}`);
  execFileSync('bash', [path.join(ROOT, 'test/fixtures/install.sh')], {
    stdio: 'inherit',
    env: { ...process.env, WITH_BROWSER: '0' },
  });
  fixture('slapd.sh', 'stop');
  fixture('slapd.sh', 'all', '10000');
  if (!ONLY_LOGINS && !fixtureOk('samba-ad.sh', 'status')) {
    fixture('samba-ad.sh', 'up');
    startedSamba = true;
  }

  // 1a. raw ldapts simple binds on persistent connections
  results.rawBinds = {};
  for (const c of LEVELS) {
    const clients = Array.from({ length: c }, () => new Client({ url: SLAPD.urls[0] }));
    results.rawBinds[c] = row(
      await repeated(REPEAT, () =>
        load((w, i) => clients[w].bind(`uid=user${user(w, i)},ou=people,${BASE}`, PW), {
          concurrency: c,
          seconds: SECONDS,
        }),
      ),
    );
    await Promise.all(clients.map((x) => x.unbind().catch(() => undefined)));
    log(`1a raw binds      c=${c}: ${results.rawBinds[c].perSecond}/s p50 ${results.rawBinds[c].p50} ms`);
  }
  // 2. hub (in this process) → connector process → directory, started before (1b): the two are measured in turns
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-hub-'));
  const port = 18000 + Math.floor(Math.random() * 2000);
  hub = await Hub.start({ stateDir, port, secrets: new MemorySecretStore(), heartbeatMs: 5000 });
  await hub.createConnection({ name: 'bench', cacheEnabled: false });
  const cfg = {
    LDAP_KIND: 'openldap',
    LDAP_URL: SLAPD.urls[0],
    LDAP_BASE: BASE,
    LDAP_BIND_USER: SLAPD.bindDn,
    LDAP_BIND_CREDENTIALS: SLAPD.bindPassword,
    GROUPS_CACHE_SECONDS,
  };
  const dirs = [await provision('bench', cfg)];
  if (!ONLY_LOGINS) dirs.push(await provision('bench', cfg), await provision('bench', cfg));
  let c1 = spawnConnector(dirs[0], 'c1');
  await waitInstances('bench', 1);
  const direct = new Directory(SLAPD);
  const loginDirect = (dir) => (w, i) => dir.authenticate(`user${user(w, i)}`, PW);
  const loginVia = (connection) => (w, i) =>
    hub.login(connection, `user${user(w, i)}`, PW).then((r) => {
      if (!r.ok) throw new Error(r.error.message);
      const { totalMs, hubToConnectorMs } = r.timings;
      return { transportMs: hubToConnectorMs, engineMs: totalMs - hubToConnectorMs };
    });
  // the connector process and the engine each get WARMUP seconds of logins before they are measured (JIT), not
  // counted in any figure
  for (const op of [loginVia('bench'), loginDirect(direct)])
    await load(op, { concurrency: 16, seconds: WARMUP, warmupSeconds: 0 });
  results.loadAverage = { before: loadavg().map(r2) };
  log('1b/2 direct and via the hub, in turns');
  const measured = await measureLogins({
    levels: LEVELS,
    repeat: REPEAT,
    seconds: SECONDS,
    direct: loginDirect(direct),
    viaHub: loginVia('bench'),
    minimal: (c, seconds) => linkFloor(c, seconds, '--engine'),
    pids: { bench: process.pid, connector: c1.pid, slapd: slapdPid },
    log,
  });
  results.directLogins = measured.direct;
  results.hubLogins = measured.hub;
  results.connector = measured.connector;
  results.minimalLogins = measured.minimal;
  for (const c of LEVELS) {
    const d = results.directLogins[c],
      h = results.hubLogins[c],
      k = results.connector[c];
    log(
      `1b direct logins  c=${c}: ${d.perSecond}/s p50 ${d.p50} ms; CPU/login engine+load ${d.engineAndLoadCpuMsPerLogin} ms, slapd ${d.slapdCpuMsPerLogin} ms`,
    );
    log(
      `2  through hub    c=${c}: ${h.perSecond}/s p50 ${h.p50} ms, ratio ${h.ratioToDirect}, +${h.addedP50Ms} ms p50 (p50 of its directory work in the connector ${h.engineP50Ms} ms, of the rest ${h.transportP50Ms} ms); CPU/login connector ${k.cpuMsPerLogin} ms, slapd ${k.slapdCpuMsPerLogin} ms, hub+load ${k.hubAndLoadCpuMsPerLogin} ms; ceiling ratio ${k.ceiling.ratio}; connector ${k.peakRssMb} MB peak`,
    );
  }
  await direct.close();

  // 2f. the floor under (2): the wire protocol alone between two processes (TLS WebSocket, request token, replay
  // set, the same frames), with no hub or connector code around it and no directory (bench/link-floor.mjs)
  results.linkFloor = {};
  for (const c of LEVELS) {
    const f = (results.linkFloor[c] = await linkFloor(c, SECONDS));
    log(
      `2f the protocol alone c=${c}: ${f.perSecond}/s p50 ${f.p50} ms; CPU/login hub side ${f.hubSideCpuMs} ms, connector side ${f.connectorSideCpuMs} ms`,
    );
  }

  // 2r. the worst case: group cache off (GROUPS_CACHE_SECONDS 0) on both sides, a group search in every login
  // (three LDAP operations, not two)
  await hub.createConnection({ name: 'bench-cache', cacheEnabled: false });
  const cachedDir = await provision('bench-cache', { ...cfg, GROUPS_CACHE_SECONDS: 0 });
  const cc = spawnConnector(cachedDir, 'cached');
  await waitInstances('bench-cache', 1);
  const directCached = new Directory({ ...SLAPD, groupsCacheSeconds: 0 });
  for (const op of [loginVia('bench-cache'), loginDirect(directCached)])
    await load(op, { concurrency: 16, seconds: WARMUP, warmupSeconds: 0 });
  const repeat = await measureLogins({
    levels: [64],
    repeat: REPEAT,
    seconds: SECONDS,
    direct: loginDirect(directCached),
    viaHub: loginVia('bench-cache'),
    pids: { bench: process.pid, connector: cc.pid, slapd: slapdPid },
    log,
  });
  results.repeatLogins = { groupsCacheSeconds: 0, ...repeat };
  results.loadAverage.after = loadavg().map(r2);
  log(
    `2r group cache off c=64: direct ${repeat.direct[64].perSecond}/s, via hub ${repeat.hub[64].perSecond}/s, ratio ${repeat.hub[64].ratioToDirect}; CPU/login connector ${repeat.connector[64].cpuMsPerLogin} ms, slapd ${repeat.connector[64].slapdCpuMsPerLogin} ms; load average ${results.loadAverage.before.join(' ')} → ${results.loadAverage.after.join(' ')}`,
  );
  cc.kill('SIGTERM');
  await directCached.close();
  if (ONLY_LOGINS) {
    writeResults(mergedWithLastFullRun(results));
    return;
  }

  // a login on Samba AD through the hub, for scale (every Samba bind costs the DC ~8 ms of CPU)
  await hub.createConnection({ name: 'bench-ad', cacheEnabled: false });
  const adDir = await provision('bench-ad', {
    LDAP_KIND: 'ad',
    LDAP_URL: SAMBA.urls[0],
    LDAP_BASE: SAMBA.baseDn,
    LDAP_BIND_USER: SAMBA.bindDn,
    LDAP_BIND_CREDENTIALS: SAMBA.bindPassword,
  });
  const adConn = spawnConnector(adDir, 'ad');
  await waitInstances('bench-ad', 1);
  const adUsers = ['alice', 'bob', 'paula'].map((u) => [u, ACCOUNTS.passwords[u]]);
  results.adHubLogins = {};
  for (const c of [1, 16]) {
    results.adHubLogins[c] = row(
      await repeated(1, () =>
        load(
          (w, i) => {
            const [u, p] = adUsers[(w + i) % 3];
            return hub.login('bench-ad', u, p).then((r) => {
              if (!r.ok) throw new Error(r.error.message);
            });
          },
          { concurrency: c, seconds: SECONDS },
        ),
      ),
    );
    log(`2  AD via hub     c=${c}: ${results.adHubLogins[c].perSecond}/s p50 ${results.adHubLogins[c].p50} ms`);
  }
  adConn.kill('SIGTERM');

  // 5. reconnect: hub restart with three instances; directory restart
  const c2 = spawnConnector(dirs[1], 'c2');
  const c3 = spawnConnector(dirs[2], 'c3');
  await waitInstances('bench', 3);
  const restarts = [];
  for (let i = 0; i < REPEAT; i++) {
    await hub.stop();
    const t0 = performance.now();
    hub = await Hub.start({ stateDir, port, secrets: hub.options.secrets, heartbeatMs: 5000 });
    await waitInstances('bench', 3);
    for (;;) {
      const r = await hub.login('bench', 'alice', ACCOUNTS.passwords.alice).catch(() => undefined);
      if (r?.ok) break;
      await sleep(5);
    }
    restarts.push(performance.now() - t0);
  }
  const dirRecover = [];
  for (let i = 0; i < REPEAT; i++) {
    fixture('slapd.sh', 'stop');
    const t0 = performance.now();
    fixture('slapd.sh', 'start');
    const up = performance.now() - t0;
    for (;;) {
      const r = await hub.login('bench', 'bob', ACCOUNTS.passwords.bob).catch(() => undefined);
      if (r?.ok) break;
      await sleep(5);
    }
    dirRecover.push({ totalMs: performance.now() - t0, slapdStartMs: up });
  }
  results.reconnect = {
    hubRestartToAllServingMs: r0(median(restarts)),
    runs: restarts.map(r0),
    directoryRestartToFirstLoginMs: r0(median(dirRecover.map((d) => d.totalMs))),
    slapdStartMs: r0(median(dirRecover.map((d) => d.slapdStartMs))),
  };
  log(
    `5  reconnect: hub restart → 3 instances serving ${results.reconnect.hubRestartToAllServingMs} ms; directory restart → login ${results.reconnect.directoryRestartToFirstLoginMs} ms`,
  );

  // 6. failover: one of three killed (SIGKILL) under load; then endurance
  let killed = false;
  const foStart = performance.now();
  const fo = await load(
    async (w, i) => {
      if (!killed && performance.now() > foStart + 2000) {
        killed = true;
        c2.kill('SIGKILL');
      }
      const r = await hub.login('bench', `user${user(w, i)}`, PW);
      if (!r.ok) throw new Error(r.error.message);
    },
    { concurrency: 64, seconds: 6, warmupSeconds: 0 },
  );
  results.failover = { logins: fo.ops, failed: fo.failures, killedOneOfThree: killed, firstErrors: fo.firstErrors };
  log(`6  failover: ${fo.ops} logins, ${fo.failures} failed, one of three killed: ${killed}`);
  const rssStart = [c1, c3].map((c) => procStats(c.pid).rssMb);
  const samples = [];
  const every = Number(process.env.BENCH_RSS_SAMPLE_SECONDS ?? 30);
  const sampler = setInterval(() => {
    samples.push([c1, c3].map((c) => procStats(c.pid).rssMb));
    log(`   endurance RSS after ${samples.length * every} s: ${samples.at(-1).map(r0).join(' / ')} MB`);
  }, every * 1000);
  const end = await load(
    async (w, i) => {
      const r = await hub.login('bench', `user${user(w, i)}`, PW);
      if (!r.ok) throw new Error(r.error.message);
    },
    { concurrency: 64, seconds: ENDURANCE, warmupSeconds: 0 },
  );
  clearInterval(sampler);
  const rssEnd = [c1, c3].map((c) => procStats(c.pid).rssMb);
  const mid = samples[Math.floor(samples.length / 2)] ?? rssEnd;
  results.endurance = {
    seconds: ENDURANCE,
    concurrency: 64,
    logins: end.ops,
    perSecond: r0(end.perSecond),
    failed: end.failures,
    p99: r2(end.p99),
    connectorRssMb: {
      start: rssStart.map(r0),
      middle: mid.map(r0),
      end: rssEnd.map(r0),
      peak: r0(Math.max(...samples.flat(), ...rssEnd)),
    },
    rssEverySeconds: every,
    rssSamplesMb: [0, 1].map((k) => [rssStart[k], ...samples.map((x) => x[k])].map(r0)),
    connectorMemory: [c1, c3].map(lastMemory),
  };
  log(
    `6  endurance ${ENDURANCE} s at 64: ${end.ops} logins, ${end.failures} failed; connector RSS ${rssStart.map(r0)} → ${mid.map(r0)} → ${rssEnd.map(r0)} MB`,
  );
  for (const c of [c1, c3]) c.kill('SIGTERM');
  await hub.stop();

  // 4. paged search of 100,000 entries, in processes of their own so that their peak RSS can be sampled
  fixture('slapd.sh', 'stop');
  fixture('slapd.sh', 'init');
  fixture('slapd.sh', 'bulk', '100000');
  fixture('slapd.sh', 'start');
  fixture('slapd.sh', 'seed');
  results.search100k = {};
  for (const [name, search] of [
    ['connector engine (search_users paging)', { users: true }],
    [
      "query engine (the panel's search)",
      { base: `ou=people,${BASE}`, filter: '(objectClass=person)', scope: 'one', attributes: ['uid', 'cn', 'mail'] },
    ],
  ]) {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bench/search-child.mjs'),
        JSON.stringify({ ...SLAPD, searchAllFilter: '(uid=user*)' }),
        JSON.stringify(search),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const rss = sampleRss(child.pid, 50);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => child.on('exit', r));
    const mem = rss.stop();
    const r = JSON.parse(out);
    results.search100k[name] = {
      entries: r.count,
      seconds: r2(r.ms / 1000),
      firstPageMs: r0(r.firstMs),
      peakRssMb: r0(mem.peakMb),
    };
    log(`4  100k search via ${name}: ${r.count} in ${r2(r.ms / 1000)} s, peak RSS ${r0(mem.peakMb)} MB`);
  }

  // 7. the extension
  writeResults(results);
}

/**
 * The figures of a `--logins` run over those of the last full run: the rows it did not measure (Samba AD, the
 * 100,000-entry searches, reconnects, failover, the endurance run and its RSS samples) stay as they were, dated.
 */
function mergedWithLastFullRun(r) {
  const file = path.join(ROOT, 'bench/results.json');
  if (!existsSync(file)) throw new Error('--logins needs the bench/results.json of a full run (npm run bench)');
  const last = JSON.parse(readFileSync(file, 'utf8'));
  const fullRun = last.fullRun ?? { date: last.machine.date, settings: last.settings };
  return {
    ...last,
    machine: r.machine,
    settings: { ...last.settings, seconds: r.settings.seconds, repeat: r.settings.repeat, warmup: r.settings.warmup },
    fullRun,
    loginsOnly: true,
    loadAverage: r.loadAverage,
    rawBinds: r.rawBinds,
    directLogins: r.directLogins,
    hubLogins: r.hubLogins,
    connector: r.connector,
    linkFloor: r.linkFloor,
    minimalLogins: r.minimalLogins,
    repeatLogins: r.repeatLogins,
  };
}

/** `node bench/run.mjs --table`: refreshes the extension figures and the tables from bench/results.json. */
if (process.argv.includes('--table')) {
  writeResults(JSON.parse(readFileSync(path.join(ROOT, 'bench/results.json'), 'utf8')));
  process.exit(0);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const p of procs) p.kill('SIGTERM');
    try {
      await hub?.stop();
    } catch {
      /* stopped */
    }
    fixture('slapd.sh', 'stop');
    if (startedSamba) fixture('samba-ad.sh', 'stop');
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  });
