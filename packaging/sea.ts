/**
 * Single executable: the connector bundled into one script, turned into a SEA blob by Node itself, injected into a
 * copy of Node's binary for the target platform with postject. The blob is made without code cache or snapshot,
 * which is what lets one blob serve every platform (Node's documented condition for cross-platform blobs).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * ws tries `require('bufferutil')` and `require('utf-8-validate')` and falls back to JavaScript when they fail. In a
 * single executable that require can load only built-ins and warns on every start, so the bundle gets modules that
 * fail the same way without asking. Anything the connector loads from disk on purpose uses createRequire.
 */
const optionalNativeModulesAbsent: esbuild.Plugin = {
  name: 'optional-native-modules-absent',
  setup(build) {
    build.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (a) => ({ path: a.path, namespace: 'absent' }));
    build.onLoad({ filter: /.*/, namespace: 'absent' }, (a) => ({
      contents: `throw new Error(${JSON.stringify(`${a.path} is not bundled`)});`,
      loader: 'js',
    }));
  },
};

export async function bundleConnector(root: string, outFile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(root, 'connector/main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    plugins: [optionalNativeModulesAbsent],
  });
}

/** `node` must be the same Node version as the binaries the blob goes into. */
export function seaBlob(node: string, mainJs: string, blobFile: string): Buffer {
  const configFile = `${blobFile}.json`;
  // the blob records the main script's path as given: relative, so where the build ran leaves no trace in it
  const cwd = path.dirname(blobFile);
  writeFileSync(
    configFile,
    JSON.stringify({
      main: path.relative(cwd, mainJs),
      output: path.basename(blobFile),
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      useCodeCache: false,
    }),
  );
  execFileSync(node, ['--experimental-sea-config', path.basename(configFile)], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readFileSync(blobFile);
}

export async function injectSea(nodeBinary: string, blob: Buffer, outFile: string): Promise<void> {
  copyFileSync(nodeBinary, outFile);
  // postject is CommonJS with a WebAssembly build of LIEF; loaded only here, by the packaging script
  const { inject } = createRequire(__filename)('postject') as {
    inject: (file: string, name: string, data: Buffer, o: { sentinelFuse: string }) => Promise<void>;
  };
  await inject(outFile, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE });
}
