#!/usr/bin/env bash
# Runs the e2e suite in real VS Code (code-server + headless Chromium). Expects the directories to be running
# (test/run-all.sh starts them) and the project built (tsc to out/, esbuild to dist/).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
bash test/e2e/host/setup.sh >/dev/null
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export E2E_SETTINGS="{\"directoryBridge.hub.port\": $PORT}"
export E2E_ENV="{\"TEST_RESULTS_DIR\": \"${TEST_RESULTS_DIR:-$ROOT/test-results}\", \"DB_RUN_DIR\": \"${DB_RUN_DIR:-/tmp/directory-bridge}\", \"E2E_FILES\": \"${E2E_FILES:-}\", \"E2E_GREP\": \"${E2E_GREP:-}\"}"
mkdir -p "${TEST_RESULTS_DIR:-$ROOT/test-results}"
exec node test/e2e/host/run-e2e.js "$ROOT" "$ROOT/out/test/e2e/suite/index" "${SCREENSHOT_DIR:-$ROOT/test-results/screenshots}"
