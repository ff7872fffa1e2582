// Bundles the extension, the two CLIs (connector and headless hub) and the webview scripts into dist/.
// `node esbuild.mjs` builds once (with source maps), `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  // error classes name themselves after their class (AccountLockedError...): minification must keep those names
  keepNames: true,
};
const cli = { ...node, banner: { js: '#!/usr/bin/env node' } };

const builds = [
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...cli, entryPoints: { connector: 'connector/main.ts' }, outdir: 'dist' },
  { ...cli, entryPoints: { hub: 'extension/hub/main.ts' }, outdir: 'dist' },
];
const webviewDir = 'extension/webview/scripts';
if (existsSync(webviewDir)) {
  const entries = readdirSync(webviewDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${webviewDir}/${f}`);
  if (entries.length) {
    builds.push({
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      sourcemap: !production,
      minify: production,
      entryPoints: entries,
      outdir: 'dist/webview',
      logLevel: 'info',
    });
  }
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
