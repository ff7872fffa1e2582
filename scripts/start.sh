#!/usr/bin/env bash
# `npm start`: the playground. Installs what is missing, builds, starts a seeded sandbox directory (slapd on
# 127.0.0.1:3890) and keeps running until Ctrl-C, then stops everything it started.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund || exit 1; fi
WITH_BROWSER=0 bash test/fixtures/install.sh || exit 1
node esbuild.mjs || exit 1
export SLAPD_DIR=${SLAPD_DIR:-$PWD/.playground/slapd}
cleanup() { bash test/fixtures/slapd.sh stop; }
trap cleanup EXIT
trap 'exit 0' INT TERM
bash test/fixtures/slapd.sh stop 2>/dev/null
bash test/fixtures/slapd.sh all 1000 || exit 1
cat <<MSG

Sandbox directory (OpenLDAP) is running:
  URL            ldap://127.0.0.1:3890   (ldaps://127.0.0.1:6360, CA $SLAPD_DIR/tls/ca.pem)
  base DN        dc=example,dc=test
  service acct   cn=bridge,ou=services,dc=example,dc=test / Passw0rd!Bridge
  users          alice / Passw0rd!Alice, bob / Passw0rd!Bob1, user1..user1000 / Passw0rd!User

Press Ctrl-C to stop.
MSG
while true; do sleep 3600 & wait $!; done
