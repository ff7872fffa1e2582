#!/usr/bin/env bash
# `npm start`: the playground. Installs what is missing (npm packages, Debian packages, code-server), builds and
# packages the extension, starts a seeded sandbox directory (slapd on 127.0.0.1:3891), opens VS Code (code-server
# on 127.0.0.1:8080) with the extension installed and a sample connection, and runs until Ctrl-C; then it stops
# everything it started. The first run on a new machine installs for a few minutes (see the README); later runs
# start in about 15 seconds.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { echo "[start] $*" >&2; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund >/dev/null || exit 1
fi
bash test/fixtures/install.sh directories browser build || exit 1
bash test/e2e/host/setup.sh >/dev/null || exit 1
say "building and packaging the extension"
npm run --silent package >/dev/null || exit 1
# ports of its own, so that the playground and `npm test` can run side by side
export SLAPD_DIR=${SLAPD_DIR:-$PWD/.playground/slapd} LDAP_PORT=${LDAP_PORT:-3891} LDAPS_PORT=${LDAPS_PORT:-6361}
PG_PID=
cleanup() {
  [ -n "$PG_PID" ] && kill -TERM "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null
  bash test/fixtures/slapd.sh stop
}
trap cleanup EXIT
trap 'exit 0' INT TERM
say "starting the sandbox directory (OpenLDAP on 127.0.0.1:$LDAP_PORT)"
bash test/fixtures/slapd.sh stop 2>/dev/null
bash test/fixtures/slapd.sh all 1000 || exit 1
node scripts/playground.js &
PG_PID=$!
wait "$PG_PID"
