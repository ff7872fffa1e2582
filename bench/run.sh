#!/usr/bin/env bash
# `npm run bench`: installs what is missing, builds (and packages, for the .vsix size), then runs bench/run.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
WITH_BROWSER=0 bash test/fixtures/install.sh
npx tsc -p .
case " $* " in *" --logins "*) node esbuild.mjs >/dev/null ;; *) npm run --silent package >/dev/null ;; esac
exec node bench/run.mjs "$@"
