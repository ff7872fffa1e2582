#!/usr/bin/env node
// Prints the room-to-room import edges of the TypeScript sources (the rooms of docs/design.md) and any file-level
// import cycle. `node scripts/import-graph.mjs [--files]`; exit status 1 if there is a cycle. The doors themselves
// are enforced by ESLint (eslint.config.mjs); this is the picture to read.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TOP = ['shared', 'protocol', 'connector', 'extension', 'test'];
// most specific first
const ROOMS = [
  'shared',
  'protocol',
  'connector/protocol',
  'connector/directory',
  'connector',
  'extension/hub',
  'extension/webview',
  'extension',
  'test',
];

function roomOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  return ROOMS.find((r) => rel === r || rel.startsWith(`${r}/`));
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts'), base])
    if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

const files = TOP.filter((d) => existsSync(path.join(ROOT, d))).flatMap((d) => walk(path.join(ROOT, d)));
const graph = new Map(); // file -> [{to, typeOnly}]
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const deps = [];
  for (const m of src.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4];
    const to = resolve(f, spec);
    if (to) deps.push({ to, typeOnly: Boolean(m[2]) || Boolean(m[4]) });
  }
  graph.set(f, deps);
}

const edges = new Map(); // "a -> b" -> {n, value}
for (const [f, deps] of graph) {
  const a = roomOf(f);
  for (const d of deps) {
    const b = roomOf(d.to);
    if (!a || !b || a === b) continue;
    const key = `${a} -> ${b}`;
    const e = edges.get(key) ?? { n: 0, value: 0 };
    e.n++;
    if (!d.typeOnly) e.value++;
    edges.set(key, e);
  }
}
console.log('room-to-room imports (count; of which at run time):');
for (const [k, e] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${k.padEnd(48)} ${String(e.n).padStart(3)}; ${e.value}${e.value === 0 ? ' (types only)' : ''}`);
}
if (process.argv.includes('--files')) {
  for (const [f, deps] of graph) {
    for (const d of deps) {
      if (roomOf(f) !== roomOf(d.to)) console.log(`  ${path.relative(ROOT, f)} -> ${path.relative(ROOT, d.to)}`);
    }
  }
}

// Tarjan's strongly connected components: any component of more than one file is an import cycle.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const on = new Set();
const cycles = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const { to: w } of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      comp.push(path.relative(ROOT, w));
    } while (w !== v);
    if (comp.length > 1) cycles.push(comp);
  }
}
for (const f of graph.keys()) if (!idx.has(f)) strong(f);
console.log(cycles.length ? 'import cycles:' : 'no import cycle');
for (const c of cycles) console.log(`  ${c.join(' <-> ')}`);
process.exitCode = cycles.length ? 1 : 0;
