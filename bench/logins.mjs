// The login measurements of the bench, (1b) direct and (2) through hub → connector, taken in turns: a direct run,
// then a hub run, `repeat` times at each concurrency. On a shared machine the load of other processes changes
// from minute to minute; runs side by side in time see the same load, so their ratio compares equal work. CPU per
// login comes from /proc over every login of a path at that level (the 0.5 s warm-up of each run included).
import { load, median, procStats, sampleRss } from './lib.mjs';

const r0 = (x) => (Number.isFinite(x) ? Math.round(x) : x);
const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);
const r3 = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x);
const row = (m) => ({ perSecond: r0(m.perSecond), p50: r2(m.p50), p99: r2(m.p99), failures: m.failures });

/** Runs `op` under load and returns the measurement with the CPU each of `pids` spent meanwhile. */
async function timed(op, pids, { concurrency, seconds }) {
  let logins = 0;
  const split = { transportMs: [], engineMs: [] };
  const counted = (w, i) =>
    op(w, i).then((r) => {
      logins++;
      // a login through the hub says how long its directory work took, and the rest (see measureLogins)
      if (r && Number.isFinite(r.transportMs)) split.transportMs.push(r.transportMs);
      if (r && Number.isFinite(r.engineMs)) split.engineMs.push(r.engineMs);
    });
  const before = pids.map(procStats);
  const m = await load(counted, { concurrency, seconds });
  const after = pids.map(procStats);
  return {
    m,
    logins,
    split,
    cpuMs: after.map((a, k) => a.cpuMs - before[k].cpuMs),
    rssMb: after.map((a) => a.rssMb),
  };
}

/**
 * direct(w, i) and viaHub(w, i) each perform one login (and throw if it fails); viaHub resolves to
 * { engineMs, transportMs }: the time the connector's directory engine took (find, bind, groups: the work (1b)
 * does) and the rest of the hub's time on it (the hub, the link both ways, the connector's token check and JSON). pids: { bench, connector, slapd }.
 * minimal(c, seconds), if given, measures the least any hub path can do at that concurrency (the protocol alone and
 * the same engine in a second process: bench/link-floor.mjs --engine) and resolves to { perSecond, p50, p99 }.
 * Returns { direct: {c: row}, hub: {c: row}, connector: {c: cpu and memory}, minimal: {c: row} } keyed by concurrency.
 */
export async function measureLogins({ levels, repeat, seconds, direct, viaHub, minimal, pids, log = () => undefined }) {
  const out = { direct: {}, hub: {}, connector: {}, minimal: {} };
  for (const c of levels) {
    const runs = { direct: [], hub: [], minimal: [] };
    const split = { transportMs: [], engineMs: [] };
    const cpu = { bench: 0, slapd: 0, connector: 0, hubBench: 0, hubSlapd: 0 };
    let directLogins = 0,
      hubLogins = 0;
    const rss = sampleRss(pids.connector);
    for (let k = 0; k < repeat; k++) {
      const d = await timed(direct, [pids.bench, pids.slapd()], { concurrency: c, seconds });
      runs.direct.push(d.m);
      directLogins += d.logins;
      cpu.bench += d.cpuMs[0];
      cpu.slapd += d.cpuMs[1];
      const h = await timed(viaHub, [pids.connector, pids.slapd(), pids.bench], { concurrency: c, seconds });
      runs.hub.push(h.m);
      split.transportMs.push(...h.split.transportMs);
      split.engineMs.push(...h.split.engineMs);
      hubLogins += h.logins;
      cpu.connector += h.cpuMs[0];
      cpu.hubSlapd += h.cpuMs[1];
      cpu.hubBench += h.cpuMs[2];
      // the least any hub path can do (see bench/link-floor.mjs --engine), in the same turn
      const least = minimal ? await minimal(c, seconds) : undefined;
      if (least) runs.minimal.push(least);
      log(
        `   c=${c} run ${k + 1}/${repeat}: direct ${r0(d.m.perSecond)}/s p50 ${r2(d.m.p50)} ms, via hub ${r0(h.m.perSecond)}/s p50 ${r2(h.m.p50)} ms` +
          (least ? `, the least a hub path can do ${r0(least.perSecond)}/s p50 ${r2(least.p50)} ms` : ''),
      );
    }
    const mem = rss.stop();
    const mid = (xs) => [...xs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(xs.length / 2)];
    const d = mid(runs.direct),
      h = mid(runs.hub);
    const perLogin = (ms, n) => r3(ms / Math.max(1, n));
    out.direct[c] = {
      ...row(d),
      runs: runs.direct.map((m) => r0(m.perSecond)),
      engineAndLoadCpuMsPerLogin: perLogin(cpu.bench, directLogins),
      slapdCpuMsPerLogin: perLogin(cpu.slapd, directLogins),
    };
    // the ratio and the added p50 of each pair of runs taken side by side, then their median
    out.hub[c] = {
      ...row(h),
      runs: runs.hub.map((m) => r0(m.perSecond)),
      ratioToDirect: r2(median(runs.hub.map((m, k) => m.perSecond / runs.direct[k].perSecond))),
      addedP50Ms: r2(median(runs.hub.map((m, k) => m.p50 - runs.direct[k].p50))),
      // where a login through the hub spends its time: p50 of each part over every login of the level
      engineP50Ms: r2(median(split.engineMs)),
      transportP50Ms: r2(median(split.transportMs)),
    };
    if (runs.minimal.length === runs.hub.length) {
      const least = mid(runs.minimal);
      out.minimal[c] = {
        ...row(least),
        runs: runs.minimal.map((m) => r0(m.perSecond)),
        ratioToDirect: r2(median(runs.minimal.map((m, k) => m.perSecond / runs.direct[k].perSecond))),
        addedP50Ms: r2(median(runs.minimal.map((m, k) => m.p50 - runs.direct[k].p50))),
        // ours against it, pair by pair: how much of what is possible the product reaches
        hubRatioToMinimal: r2(median(runs.hub.map((m, k) => m.perSecond / runs.minimal[k].perSecond))),
        hubAddedP50Ms: r2(median(runs.hub.map((m, k) => m.p50 - runs.minimal[k].p50))),
        // CPU per login of its processes, medians over the runs
        connectorSideCpuMs: r3(median(runs.minimal.map((m) => m.connectorSideCpuMs))),
        hubSideCpuMs: r3(median(runs.minimal.map((m) => m.hubSideCpuMs))),
        slapdCpuMs: r3(median(runs.minimal.map((m) => m.slapdCpuMs))),
      };
    }
    out.connector[c] = {
      cpuMsPerLogin: perLogin(cpu.connector, hubLogins),
      slapdCpuMsPerLogin: perLogin(cpu.hubSlapd, hubLogins),
      hubAndLoadCpuMsPerLogin: perLogin(cpu.hubBench, hubLogins),
      peakRssMb: r0(mem.peakMb),
    };
    out.connector[c].ceiling = ceiling(out.direct[c], out.connector[c]);
  }
  return out;
}

/**
 * What the CPU per login allows when the cores are the limit: logins per second at full use of every core, for
 * each path (all its processes together), and their ratio. A measured ratio cannot exceed this one for long.
 */
export function ceiling(direct, connector, cores = 2) {
  const directMs = direct.engineAndLoadCpuMsPerLogin + direct.slapdCpuMsPerLogin;
  const hubMs = connector.cpuMsPerLogin + connector.slapdCpuMsPerLogin + connector.hubAndLoadCpuMsPerLogin;
  return {
    directCpuMs: r3(directMs),
    hubCpuMs: r3(hubMs),
    directPerSecond: r0((cores * 1000) / directMs),
    hubPerSecond: r0((cores * 1000) / hubMs),
    ratio: r2(directMs / hubMs),
  };
}
