// Prints the top entries by self time of a V8 .cpuprofile (from `node --cpu-prof`), mapped through the bundle's
// source map to TypeScript files where one is found. usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [N=15]
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const [file, n = '15'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));

// self time per node: samples × the interval that follows each sample
const selfUs = new Map();
for (let i = 0; i < prof.samples.length; i++)
  selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i + 1] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const maps = new Map();
function sourceMapFor(url) {
  if (!maps.has(url)) {
    let map;
    try {
      const p = url.startsWith('file://') ? fileURLToPath(url) : url;
      if (existsSync(`${p}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${p}.map`, 'utf8')));
    } catch {
      /* no map */
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

function where(cf) {
  if (!cf.url) return '(native)';
  const map = sourceMapFor(cf.url);
  const e = map?.findEntry(cf.lineNumber, cf.columnNumber);
  if (e && e.originalSource) {
    const src = e.originalSource.replace(/^.*?\/(node_modules\/|connector\/|extension\/)/, '$1');
    return `${src}:${e.originalLine + 1}`;
  }
  return `${path.basename(cf.url)}:${cf.lineNumber + 1}`;
}

// aggregate by function and place (one function appears as many nodes, one per call path)
const byFn = new Map();
for (const node of prof.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us) continue;
  const cf = node.callFrame;
  const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
}
const rows = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
console.log(`${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled`);
console.log('  self ms   self %  function  where');
for (const [k, us] of rows)
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ${((100 * us) / total).toFixed(1).padStart(7)}%  ${k}`);
