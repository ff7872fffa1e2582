// Small helpers for the benchmarks: timed concurrent loops, percentiles, process CPU and memory from /proc.
import { readFileSync } from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

/** Runs `op(worker, i)` from `concurrency` workers for `seconds`; returns throughput, p50/p99 (ms) and failures. */
export async function load(op, { concurrency, seconds, warmupSeconds = 0.5 }) {
  const warmEnd = Date.now() + warmupSeconds * 1000;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, 8) }, async (_, w) => {
      for (let i = 0; Date.now() < warmEnd; i++) await op(w, i).catch(() => undefined);
    }),
  );
  const lat = [];
  let failures = 0;
  const firstErrors = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const s = performance.now();
        try {
          await op(w, i);
          lat.push(performance.now() - s);
        } catch (e) {
          failures++;
          if (firstErrors.length < 3) firstErrors.push(String(e?.message ?? e));
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    ops: lat.length,
    perSecond: lat.length / elapsed,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    failures,
    firstErrors,
  };
}

/** Repeats a load measurement and keeps the median run (by throughput). */
export async function repeated(times, fn) {
  const runs = [];
  for (let i = 0; i < times; i++) runs.push(await fn());
  runs.sort((a, b) => a.perSecond - b.perSecond);
  const m = runs[Math.floor(runs.length / 2)];
  return { ...m, runs: runs.map((r) => Math.round(r.perSecond)) };
}

const TICK = 100; // USER_HZ on Linux
export function procStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const userMs = (Number(stat[11]) / TICK) * 1000,
    sysMs = (Number(stat[12]) / TICK) * 1000;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return { cpuMs: userMs + sysMs, userMs, sysMs, rssMb: rssKb / 1024 };
}

/** Samples a process's RSS every `everyMs` until stopped; returns { stop(): {peakMb, samples} }. */
export function sampleRss(pid, everyMs = 200) {
  const samples = [];
  const t = setInterval(() => {
    try {
      samples.push(procStats(pid).rssMb);
    } catch {
      /* gone */
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(t);
      return { peakMb: Math.max(0, ...samples), samples };
    },
  };
}
