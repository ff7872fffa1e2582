/**
 * The text files of the Linux package: its control file, a systemd template unit (one instance per connection),
 * the maintainer scripts and `directory-bridge-ctl`, the admin's three-command front door. Pure, so unit tested.
 */
import { ETC_DIR, PACKAGE_NAME, SERVICE_USER } from './targets';

export const UNIT_NAME = `${PACKAGE_NAME}@.service`;
export const CTL = 'directory-bridge-ctl';

export function controlFile(o: { version: string; arch: string; installedKb: number }): string {
  return `Package: ${PACKAGE_NAME}
Version: ${o.version}
Architecture: ${o.arch}
Maintainer: Directory Bridge <directory-bridge@example.invalid>
Installed-Size: ${o.installedKb}
Depends: adduser, libc6 (>= 2.28), libstdc++6 (>= 10), libgcc-s1
Section: net
Priority: optional
Homepage: https://example.invalid/directory-bridge
Description: Directory Bridge connector for Active Directory and LDAP
 Answers an identity service's login and user search requests from a local
 Active Directory or LDAP directory. One executable with its own runtime
 (nothing else to install), a systemd unit per connection running as the
 ${SERVICE_USER} system user, and ${CTL} to add a connection.
`;
}

export function systemdUnit(): string {
  return `[Unit]
Description=Directory Bridge connector (%i)
Documentation=file:///usr/share/doc/${PACKAGE_NAME}/README.md
After=network-online.target
Wants=network-online.target
ConditionPathExists=${ETC_DIR}/%i/config.json

[Service]
Type=simple
User=${SERVICE_USER}
Group=${SERVICE_USER}
WorkingDirectory=${ETC_DIR}/%i
ExecStart=/usr/bin/${PACKAGE_NAME} start --config ${ETC_DIR}/%i/config.json
# the connector reconnects by itself; this only covers a crash of the process
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=15
UMask=0077
# It needs the network and its own folder, nothing else. No MemoryDenyWriteExecute: V8's JIT writes code.
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ReadWritePaths=${ETC_DIR}/%i
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
`;
}

/** Creates the system user (home: none, shell: nologin) and reloads systemd. */
export function postinst(): string {
  return `#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if ! getent passwd ${SERVICE_USER} >/dev/null; then
    adduser --system --group --no-create-home --home /nonexistent --shell /usr/sbin/nologin --quiet ${SERVICE_USER}
  fi
  chown root:${SERVICE_USER} ${ETC_DIR}
  chmod 0750 ${ETC_DIR}
  if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
    # an upgrade restarts the connectors that were running, with the new executable
    for d in ${ETC_DIR}/*/; do
      [ -f "$d/config.json" ] || continue
      deb-systemd-invoke try-restart "${PACKAGE_NAME}@$(basename "$d").service" >/dev/null || true
    done
  fi
fi
exit 0
`;
}

/** On removal: stops and disables every connection's service (their configs stay until purge). */
export function prerm(): string {
  return `#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d ${ETC_DIR} ]; then
  for d in ${ETC_DIR}/*/; do
    [ -d "$d" ] || continue
    unit="${PACKAGE_NAME}@$(basename "$d").service"
    if [ -d /run/systemd/system ]; then deb-systemd-invoke stop "$unit" >/dev/null || true; fi
    deb-systemd-helper disable "$unit" >/dev/null || true
  done
fi
exit 0
`;
}

/** On purge: every connection's config, keys and certificates, the enablement links, and the system user. */
export function postrm(): string {
  return `#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = purge ]; then
  if [ -d ${ETC_DIR} ]; then
    for d in ${ETC_DIR}/*/; do
      [ -d "$d" ] || continue
      deb-systemd-helper purge "${PACKAGE_NAME}@$(basename "$d").service" >/dev/null || true
    done
  fi
  rm -rf ${ETC_DIR}
  if getent passwd ${SERVICE_USER} >/dev/null; then
    deluser --system --quiet ${SERVICE_USER} >/dev/null 2>&1 || true
  fi
  if getent group ${SERVICE_USER} >/dev/null; then
    delgroup --system --quiet ${SERVICE_USER} >/dev/null 2>&1 || true
  fi
fi
exit 0
`;
}

/**
 * The admin's front door. Environment overrides (DIRECTORY_BRIDGE_ETC, _USER, _BIN) exist for the package's own
 * test, which runs this script against the extracted executable without installing the package.
 */
export function ctlScript(): string {
  return `#!/bin/sh
# ${CTL}: adds a connection to this server's Directory Bridge connector and runs it as a service.
set -eu
ETC="\${DIRECTORY_BRIDGE_ETC:-${ETC_DIR}}"
RUN_AS="\${DIRECTORY_BRIDGE_USER:-${SERVICE_USER}}"
BIN="\${DIRECTORY_BRIDGE_BIN:-/usr/bin/${PACKAGE_NAME}}"

usage() {
  cat <<USAGE
usage: ${CTL} <command> <connection> [...]

  add <connection> <config.json>   copy the config into $ETC/<connection>/ and ask for the service password
  set-password <connection>        seal a new service account password into its config
  register <connection> [--no-start]
                                   register with the hub (ticket in the config), check, enable and start
  troubleshoot <connection>        run the connector's checks
  status <connection>              systemctl status of its service
  remove <connection>              stop and disable its service and delete its folder (keys included)
USAGE
}

die() { echo "${CTL}: $*" >&2; exit 1; }
as_user() { if [ "$(id -un)" = "$RUN_AS" ]; then "$@"; else runuser -u "$RUN_AS" -- "$@"; fi; }

[ $# -ge 2 ] || { usage; exit 2; }
cmd=$1; conn=$2; shift 2
# the same rule as connection names in the editor: also keeps paths and unit names safe
echo "$conn" | grep -Eq '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' || die "\\"$conn\\" is not a connection name (lowercase letters, digits and -)"
dir="$ETC/$conn"
unit="${PACKAGE_NAME}@$conn.service"
[ "$(id -u)" = 0 ] || die "run it as root (sudo ${CTL} $cmd $conn)"

case "$cmd" in
  add)
    [ $# -ge 1 ] || die "add needs the config.json written by Generate Connector Config"
    src=$1
    [ -f "$src" ] || die "$src: no such file"
    [ ! -e "$dir/config.json" ] || die "$dir/config.json exists already: remove the connection first, or use set-password / register"
    install -d -o root -g "$RUN_AS" -m 0750 "$ETC"
    install -d -o "$RUN_AS" -g "$RUN_AS" -m 0700 "$dir"
    install -o "$RUN_AS" -g "$RUN_AS" -m 0600 "$src" "$dir/config.json"
    ca="$(dirname "$src")/ldap-ca.pem"
    if [ -f "$ca" ]; then install -o "$RUN_AS" -g "$RUN_AS" -m 0644 "$ca" "$dir/ldap-ca.pem"; fi
    echo "Config copied to $dir/config.json"
    as_user "$BIN" set-password --config "$dir/config.json"
    echo "Next: sudo ${CTL} register $conn"
    ;;
  set-password)
    [ -f "$dir/config.json" ] || die "no connection $conn (sudo ${CTL} add $conn config.json)"
    as_user "$BIN" set-password --config "$dir/config.json"
    ;;
  register)
    [ -f "$dir/config.json" ] || die "no connection $conn (sudo ${CTL} add $conn config.json)"
    as_user "$BIN" setup --config "$dir/config.json"
    as_user "$BIN" troubleshoot --config "$dir/config.json" || echo "Some checks failed: see above. The service is enabled anyway and retries by itself." >&2
    if [ "\${1:-}" = --no-start ]; then exit 0; fi
    systemctl enable --now "$unit"
    echo "Running: $unit (journalctl -u $unit -f)"
    ;;
  troubleshoot) as_user "$BIN" troubleshoot --config "$dir/config.json" ;;
  status) systemctl status "$unit" ;;
  remove)
    systemctl disable --now "$unit" 2>/dev/null || true
    rm -rf "$dir"
    echo "Removed $conn"
    ;;
  *) usage; exit 2 ;;
esac
`;
}

export function copyright(): string {
  return `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ${PACKAGE_NAME}

Files: *
Copyright: Directory Bridge authors
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
 .
 The executable embeds Node.js (MIT) and the npm packages it bundles
 (ldapts, ws, jose, fast-jwt, @peculiar/x509: MIT).
`;
}

export function changelog(version: string, date: string): string {
  return `${PACKAGE_NAME} (${version}) unstable; urgency=medium

  * Release ${version}.

 -- Directory Bridge <directory-bridge@example.invalid>  ${date}
`;
}

/** Why lintian's complaints about a self-contained executable are expected (it carries its own Node). */
export function lintianOverrides(): string {
  return `# The executable is Node.js with the connector injected (a single executable application): it carries
# its own V8, OpenSSL, zlib and ICU by design, so the server needs nothing else.
${PACKAGE_NAME}: embedded-library *
${PACKAGE_NAME}: unstripped-binary-or-object *
${PACKAGE_NAME}: hardening-no-fortify-functions *
${PACKAGE_NAME}: no-manual-page *
`;
}
