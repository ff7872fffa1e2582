// The bench's report: bench/results.json, bench/results.md and the table in README.md, from the figures of a run
// (or, with `node bench/run.mjs --table`, from the last results.json).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ceiling } from './logins.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LEVELS = [1, 16, 64];
// the connector's defaults on both sides (group cache 60 s), so that (1b) and (2) do the same directory work for
// every login; the worst case (cache off, a group search every login) is measured after them
export const GROUPS_CACHE_SECONDS = 60;
const r0 = (x) => (Number.isFinite(x) ? Math.round(x) : x);
const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);

/** Adds the extension's figures (activation from the last npm test, packaged sizes), writes the results and tables. */
export function writeResults(r) {
  const act = existsSync(path.join(ROOT, 'test-results/activation.txt'))
    ? JSON.parse(readFileSync(path.join(ROOT, 'test-results/activation.txt'), 'utf8'))
    : undefined;
  r.extension = {
    ...r.extension,
    activationMs: act?.activationMs ?? r.extension?.activationMs,
    activationSource: act
      ? 'last npm test (code-server extension host)'
      : (r.extension?.activationSource ?? 'run npm test first'),
    ...packagedSizes(),
  };
  writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify(r, null, 2) + '\n');
  const md = table(r);
  writeFileSync(path.join(ROOT, 'bench/results.md'), md);
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  writeFileSync(
    path.join(ROOT, 'README.md'),
    readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${md}<!-- bench:end -->`),
  );
  console.log('\n' + md);
}

/** Sizes of the packaged (minified) bundles, read from the .vsix itself. */
function packagedSizes() {
  const vsix = path.join(ROOT, 'dist-vsix/directory-bridge.vsix');
  if (!existsSync(vsix)) return {};
  const out = { vsixKb: r0(statSync(vsix).size / 1024) };
  try {
    for (const line of execFileSync('unzip', ['-l', vsix], { encoding: 'utf8' }).split('\n')) {
      const m = /^\s*(\d+)\s+\S+\s+\S+\s+extension\/dist\/(extension|connector|hub)\.js$/.exec(line);
      if (m) out[`${m[2]}JsKb`] = r0(Number(m[1]) / 1024);
    }
  } catch {
    /* no unzip: the .vsix size only */
  }
  return out;
}

function table(r) {
  const L = [];
  const la = r.loadAverage
    ? ` Load average (1 min) ${r.loadAverage.before[0]} before the login rows, ${r.loadAverage.after?.[0]} after.`
    : '';
  L.push(
    r.loginsOnly
      ? `Login rows and CPU tables measured ${r.machine.date.slice(0, 16).replace('T', ' ')} UTC by \`npm run bench -- --logins\` on ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}; ${r.settings.seconds} s per measurement, median of ${r.settings.repeat}.${la} The other rows (Samba AD, searches, availability, endurance) are from the full run of ${r.fullRun.date.slice(0, 10)}. All processes (load generator and hub, connector, slapd) share the cores.\n`
      : `Measured ${r.machine.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}; ${r.settings.seconds} s per measurement, median of ${r.settings.repeat}.${la} All processes (load generator and hub, connector, slapd) share the cores.\n`,
  );
  L.push(
    `(1b) and (2) are measured in turns (a direct run, then one through the hub, three times per level) so that both see the same load from other processes; "vs direct" is the median of the ratios of those pairs. For (2) it also gives the p50 of the two parts of a login through the hub: its directory work (find, bind, groups, timed by the connector's engine: what (1b) does) and the rest (the hub, the TLS WebSocket link both ways, the connector's token check and JSON, and the waits for each process's turn on the cores). The connector's defaults on both sides (GROUPS_CACHE_SECONDS ${GROUPS_CACHE_SECONDS}): a login does find + bind (two LDAP operations): a user seen in the last minute has their groups cached, and any other user's are put together from the groups already read (each group's name and parents, read once a minute; 100 groups here), so this holds for users never seen before, not only repeats.\n`,
  );
  // runs before the split was measured have no such figures
  const split = (h) =>
    h.engineP50Ms === undefined ? '' : `; directory work ${h.engineP50Ms} ms, the rest ${h.transportP50Ms} ms`;
  L.push('| logins on slapd (10,000 users) | concurrency | per second | p50 ms | p99 ms | vs direct |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of LEVELS)
    L.push(
      `| 1a raw ldapts binds (persistent connections) | ${c} | ${r.rawBinds[c].perSecond} | ${r.rawBinds[c].p50} | ${r.rawBinds[c].p99} | |`,
    );
  for (const c of LEVELS)
    L.push(
      `| 1b direct login (the engine in this process): the same login | ${c} | ${r.directLogins[c].perSecond} | ${r.directLogins[c].p50} | ${r.directLogins[c].p99} | 1 |`,
    );
  for (const c of LEVELS)
    L.push(
      `| 2 hub → connector → directory | ${c} | ${r.hubLogins[c].perSecond} | ${r.hubLogins[c].p50} | ${r.hubLogins[c].p99} | ${r.hubLogins[c].ratioToDirect} (+${r.hubLogins[c].addedP50Ms} ms p50${split(r.hubLogins[c])}) |`,
    );
  const least = r.minimalLogins?.[LEVELS[0]] ? r.minimalLogins : undefined;
  if (least)
    for (const c of LEVELS)
      L.push(
        `| 2m the least a hub path can do: the protocol alone and the same engine in a second process | ${c} | ${least[c].perSecond} | ${least[c].p50} | ${least[c].p99} | ${least[c].ratioToDirect} (+${least[c].addedP50Ms} ms p50); (2) reaches ${least[c].hubRatioToMinimal} of it, ${least[c].hubAddedP50Ms >= 0 ? '+' : ''}${least[c].hubAddedP50Ms} ms p50 |`,
      );
  const floor = r.linkFloor;
  if (floor)
    for (const c of LEVELS)
      L.push(
        `| 2f the protocol alone (bench/link-floor.mjs): no directory, no hub or connector code | ${c} | ${floor[c].perSecond} | ${floor[c].p50} | | |`,
      );
  for (const c of Object.keys(r.adHubLogins))
    L.push(
      `| 2 hub → connector → Samba AD | ${c} | ${r.adHubLogins[c].perSecond} | ${r.adHubLogins[c].p50} | ${r.adHubLogins[c].p99} | |`,
    );
  if (least)
    L.push(
      "\n(2m) is the least a hub path in Node can do on this machine (the deployed connector is a Node program too), measured in the same turns as (1b) and (2): two processes doing only what the wire protocol asks of a login (the TLS WebSocket, the hub signing the request's HS256 token, the connector checking it and remembering its id, one request and one reply frame, writes batched per turn), and the connector's directory engine, the one (1b) and (2) run, answering each request in the second process with nothing else around it (`bench/link-floor.mjs --engine`): no hub routing, timeouts, logs, health or cache fallback. Its 'vs direct' is therefore, within the noise of the runs, the ceiling of that column for a Node implementation of this design (a separate connector process behind a TLS WebSocket, a signed token per request) on these cores; the last part of the (2m) rows says how much of it the product reaches. (2f) is the protocol alone, without the directory.",
    );
  L.push('');
  L.push(
    "CPU time per login (ms), from /proc (user + system) over all the logins of a level (each run's 0.5 s warm-up included). (1b) runs",
  );
  L.push(
    "the engine in the bench process, so its figure includes the load generator; in (2) the connector process does only the connector's",
  );
  L.push(
    'work, and the bench process is the hub plus the same load generator. The connector runs as in production (log level info, no V8',
  );
  L.push(
    `flags); it and the engine of (1b) each get ${r.settings.warmup ?? 0} s of logins first. "All processes" adds a path's processes up; the cores`,
  );
  L.push(
    'divided by it is what that path could serve if the cores were the only limit, and the ratio row is the ratio those allow. The last',
  );
  L.push(
    "row is what the measured rate used of the cores: a path near the core count was limited by CPU (its own or other processes'),",
  );
  L.push(
    'one well below it by something else (pool sizes and directory latency: both paths use 4 search and 8 bind connections).\n',
  );
  if (r.linkFloor)
    L.push(
      "(2f) rows: the protocol alone (as (2m), without the directory), both processes, and the ratio the cores would allow if a hub path cost (1b)'s CPU plus that: an upper bound, which leaves out what moving the engine into a second process costs the engine and slapd themselves (the (2m) rows show it).\n",
    );
  L.push('| CPU per login (ms) | concurrency 1 | 16 | 64 |');
  L.push('| --- | ---: | ---: | ---: |');
  L.push(`| (2) connector process | ${LEVELS.map((c) => r.connector[c].cpuMsPerLogin).join(' | ')} |`);
  L.push(`| (2) slapd | ${LEVELS.map((c) => r.connector[c].slapdCpuMsPerLogin).join(' | ')} |`);
  L.push(
    `| (2) hub and load generator (bench process) | ${LEVELS.map((c) => r.connector[c].hubAndLoadCpuMsPerLogin).join(' | ')} |`,
  );
  if (r.directLogins[1].engineAndLoadCpuMsPerLogin !== undefined) {
    L.push(
      `| (1b) engine and load generator (bench process) | ${LEVELS.map((c) => r.directLogins[c].engineAndLoadCpuMsPerLogin).join(' | ')} |`,
    );
    L.push(`| (1b) slapd | ${LEVELS.map((c) => r.directLogins[c].slapdCpuMsPerLogin).join(' | ')} |`);
  }
  L.push(`| (2) connector peak RSS (MB) | ${LEVELS.map((c) => r.connector[c].peakRssMb).join(' | ')} |`);
  const ceil = (c) => r.connector[c].ceiling ?? ceiling(r.directLogins[c], r.connector[c], r.machine.cores);
  L.push(`| (1b) all processes | ${LEVELS.map((c) => ceil(c).directCpuMs).join(' | ')} |`);
  L.push(`| (2) all processes | ${LEVELS.map((c) => ceil(c).hubCpuMs).join(' | ')} |`);
  L.push(
    `| logins/s at full use of ${r.machine.cores} cores, (1b) / (2) | ${LEVELS.map((c) => `${ceil(c).directPerSecond} / ${ceil(c).hubPerSecond}`).join(' | ')} |`,
  );
  L.push(`| (2)/(1b) ratio the CPU allows | ${LEVELS.map((c) => ceil(c).ratio).join(' | ')} |`);
  if (least?.[LEVELS[0]].connectorSideCpuMs !== undefined) {
    L.push(
      `| (2m) second process: the protocol and the engine | ${LEVELS.map((c) => least[c].connectorSideCpuMs).join(' | ')} |`,
    );
    L.push(`| (2m) slapd | ${LEVELS.map((c) => least[c].slapdCpuMs).join(' | ')} |`);
    L.push(
      `| (2m) first process: the protocol and the load generator | ${LEVELS.map((c) => least[c].hubSideCpuMs).join(' | ')} |`,
    );
  }
  if (floor) {
    L.push(`| (2f) the protocol alone, both processes | ${LEVELS.map((c) => floor[c].bothCpuMs).join(' | ')} |`);
    L.push(
      `| (2)/(1b) ratio the CPU would allow if (2) spent only (1b)'s work and (2f) | ${LEVELS.map((c) => r2(ceil(c).directCpuMs / (ceil(c).directCpuMs + floor[c].bothCpuMs))).join(' | ')} |`,
    );
  }
  const busy = (perSecond, ms) => Math.round((perSecond * ms) / 100) / 10;
  L.push(
    `| cores kept busy (logins/s × all processes), (1b) / (2) | ${LEVELS.map((c) => `${busy(r.directLogins[c].perSecond, ceil(c).directCpuMs)} / ${busy(r.hubLogins[c].perSecond, ceil(c).hubCpuMs)}`).join(' | ')} |`,
  );
  L.push('');
  const rl = r.repeatLogins;
  if (rl) {
    L.push(
      `The worst case, group cache off (GROUPS_CACHE_SECONDS ${rl.groupsCacheSeconds}) on both sides: find + bind + a group search in every login (three LDAP operations). Concurrency 64, in turns as above.\n`,
    );
    L.push('| group cache off, concurrency 64 | per second | p50 ms | CPU per login (ms) | slapd CPU per login (ms) |');
    L.push('| --- | ---: | ---: | ---: | ---: |');
    L.push(
      `| 1b direct (engine and load generator) | ${rl.direct[64].perSecond} | ${rl.direct[64].p50} | ${rl.direct[64].engineAndLoadCpuMsPerLogin} | ${rl.direct[64].slapdCpuMsPerLogin} |`,
    );
    L.push(
      `| 2 hub → connector: connector process | ${rl.hub[64].perSecond} (${rl.hub[64].ratioToDirect} of direct) | ${rl.hub[64].p50} | ${rl.connector[64].cpuMsPerLogin} | ${rl.connector[64].slapdCpuMsPerLogin} |`,
    );
    L.push(`| 2 hub → connector: hub and load generator | | | ${rl.connector[64].hubAndLoadCpuMsPerLogin} | |`);
    L.push('');
  }
  L.push('| paged search of 100,000 entries | entries | seconds | first page ms | peak RSS MB |');
  L.push('| --- | ---: | ---: | ---: | ---: |');
  for (const [k, v] of Object.entries(r.search100k))
    L.push(`| ${k} | ${v.entries} | ${v.seconds} | ${v.firstPageMs} | ${v.peakRssMb} |`);
  L.push('');
  L.push('| availability | result |');
  L.push('| --- | --- |');
  L.push(
    `| hub restart → all 3 instances serving (median) | ${r.reconnect.hubRestartToAllServingMs} ms (runs ${r.reconnect.runs.join(', ')}) |`,
  );
  L.push(
    `| slapd restart → first login through the hub | ${r.reconnect.directoryRestartToFirstLoginMs} ms (slapd itself: ${r.reconnect.slapdStartMs} ms) |`,
  );
  L.push(
    `| one of three instances SIGKILLed at concurrency 64 | ${r.failover.failed} failed of ${r.failover.logins} logins |`,
  );
  L.push(
    `| endurance: concurrency 64 for ${r.endurance.seconds} s | ${r.endurance.logins} logins (${r.endurance.perSecond}/s), ${r.endurance.failed} failed, p99 ${r.endurance.p99} ms; connector RSS ${r.endurance.connectorRssMb.start.join('/')} → ${r.endurance.connectorRssMb.middle.join('/')} → ${r.endurance.connectorRssMb.end.join('/')} MB |`,
  );
  const e = r.endurance;
  if (e.rssSamplesMb) {
    L.push('');
    L.push(
      `Connector RSS during the endurance run (two instances sharing concurrency 64), MB, every ${e.rssEverySeconds} s from the start:\n`,
    );
    L.push('| instance | samples | peak |');
    L.push('| --- | --- | ---: |');
    e.rssSamplesMb.forEach((xs, k) => L.push(`| ${k + 1} | ${xs.join(' ')} | ${Math.max(...xs)} |`));
    const m = e.connectorMemory?.filter(Boolean) ?? [];
    if (m.length) {
      L.push('');
      L.push(
        "What holds it, from each connector's last once-a-minute summary line (MB; V8 spaces are committed memory):\n",
      );
      L.push(
        '| instance | RSS | V8 heap used | new space | old space | code | large objects | outside the heap | request ids held |',
      );
      L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      m.forEach((x, k) =>
        L.push(
          `| ${k + 1} | ${x.rssMb} | ${x.heapUsedMb} | ${x.newSpaceMb} | ${x.oldSpaceMb} | ${x.codeSpaceMb} | ${x.largeObjectsMb} | ${x.externalMb} | ${x.replayIds} |`,
        ),
      );
    }
  }
  L.push('');
  L.push(
    `Extension: activation ${r.extension.activationMs ?? '—'} ms (${r.extension.activationSource}); packaged, minified: extension.js ${r.extension.extensionJsKb} KB, connector.js ${r.extension.connectorJsKb} KB, hub.js ${r.extension.hubJsKb} KB; .vsix ${r.extension.vsixKb ?? '—'} KB.\n`,
  );
  return L.join('\n') + '\n';
}
