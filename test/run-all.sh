#!/usr/bin/env bash
# `npm test`: installs what is missing, builds, starts OpenLDAP and Samba AD once, runs every suite, stops the
# servers it started (by PID), and ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export TEST_RESULTS_DIR=$ROOT/test-results
rm -rf "$TEST_RESULTS_DIR"; mkdir -p "$TEST_RESULTS_DIR"
t0=$(date +%s)
step() { echo; echo "=== $* ($(( $(date +%s) - t0 )) s)"; }

step "dependencies"
# the system packages first: npm ci builds the native kerberos module from source against libkrb5-dev
bash test/fixtures/install.sh || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund || exit 1; fi
node -e 'require("kerberos")' 2>/dev/null || { echo "the optional native module kerberos did not build: npm rebuild kerberos" >&2; npm rebuild kerberos || exit 1; }

step "build"
npx tsc -p . || exit 1
node esbuild.mjs || exit 1
# each room against its own kind (webview: DOM, no Node; connector and hub: Node, no DOM), the doors, the format
npm run --silent typecheck:rooms || exit 1
npm run --silent lint || exit 1
npm run --silent format:check || exit 1
# import cycles, type-only ones included (eslint's no-cycle passes over `import type`)
node scripts/import-graph.mjs | sed -n '/import cycle/,$p'; [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
step "connector packages (linux-x64 .deb and executable, win-x64; arm64 only in npm run package:connector)"
node out/packaging/main.js --targets linux-x64,win-x64 || exit 1

cleanup() {
  bash test/fixtures/slapd.sh stop 2>/dev/null
  bash test/fixtures/samba-ad.sh stop 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "directories"
bash test/fixtures/slapd.sh stop 2>/dev/null
bash test/fixtures/slapd.sh all 10000 || exit 1
bash test/fixtures/samba-ad.sh up || exit 1

status=0
step "unit"
TEST_STAGE=unit npx mocha --config test/.mocharc.unit.js || status=1
step "integration"
TEST_STAGE=integration npx mocha --config test/.mocharc.integration.js || status=1

step "e2e (real VS Code)"
bash test/e2e/host/setup.sh >/dev/null || exit 1   # progress and errors go to stderr
bash test/e2e/run.sh || status=1
step "packaged .vsix"
npm run --silent package >/dev/null || exit 1
ls -la dist-vsix/directory-bridge.vsix
node test/e2e/host/vsix-check.js dist-vsix/directory-bridge.vsix test-results/screenshots || status=1
step "panels after a window reload (the packaged .vsix; code-server's page reloaded by Playwright)"
node test/e2e/host/restore-check.js dist-vsix/directory-bridge.vsix test-results/screenshots || status=1

step "npm start (the playground, as a user runs it)"
TEST_STAGE=playground npx mocha --reporter test/reporter.js --timeout 900000 test/playground/playground.test.js || status=1

step "summary"
node -e '
const fs = require("fs"), dir = process.argv[1];
let p = 0, f = 0;
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const r = JSON.parse(fs.readFileSync(dir + "/" + file, "utf8"));
  console.log(`  ${file.replace(/\.json$/, "")}: ${r.passes} passed, ${r.failures} failed`);
  p += r.passes; f += r.failures;
}
console.log(`${p} passed, ${f} failed`);
' "$TEST_RESULTS_DIR"
echo "total time $(( $(date +%s) - t0 )) s"
exit $status
