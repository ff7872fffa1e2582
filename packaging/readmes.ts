/** The README of each kind of deployment: what the files are and the few commands that install and register it. */
import { CTL } from './linux';
import { ETC_DIR, PACKAGE_NAME, SERVICE_USER } from './targets';
import { EXE, INSTALL_CMD, UNINSTALL_CMD } from './windows';

const TROUBLESHOOT_NOTE = `Each check prints PASS, WARN or FAIL with a hint: config, DNS, TCP, TLS, service account, search, hub, clock,
ticket, certificate. A ticket registers new certificates only during its lifetime; generate a new one in VS Code
("Directory Bridge: Generate Ticket") if it has expired. Nothing secret is in this folder: the service password is
typed on the server and sealed there, and the server creates its own key pair when it registers.`;

function table(rows: Array<[string, string]>): string {
  return ['| file | what |', '| --- | --- |', ...rows.map(([f, w]) => `| \`${f}\` | ${w} |`)].join('\n');
}

export function linuxPackageReadme(connection: string, deb: string, hasCa: boolean): string {
  const unit = `${PACKAGE_NAME}@${connection}`;
  return `# Directory Bridge connector: ${connection} (Debian / Ubuntu package)

${table([
  [
    deb,
    'the connector with its own runtime (nothing else to install), a systemd unit per connection, the `' +
      SERVICE_USER +
      '` system user and `' +
      CTL +
      '`',
  ],
  ['config.json', `the settings of "${connection}" with the provisioning ticket and the hub's CA; no secret`],
  ...(hasCa ? [['ldap-ca.pem', "the directory's CA certificate"] as [string, string]] : []),
])}

## Install, set the password, register

Copy this folder to the server and run, in it:

    sudo apt install ./${deb}
    sudo ${CTL} add ${connection} config.json     # asks for the service account password and seals it
    sudo ${CTL} register ${connection}            # registers with the hub, runs the checks, starts the service

The connection lives in \`${ETC_DIR}/${connection}/\` (owned by \`${SERVICE_USER}\`, mode 0700; its key pair in
\`certs/\`). The service is \`${unit}\`: restarted on failure, hardened (no capabilities, read-only system, only
its own folder writable).

    journalctl -u ${unit} -f                 # the log
    sudo ${CTL} troubleshoot ${connection}   # the checks again
    sudo ${CTL} set-password ${connection}   # a new service password

${TROUBLESHOOT_NOTE}

## Remove

    sudo ${CTL} remove ${connection}         # this connection: its service, folder and keys
    sudo apt purge ${PACKAGE_NAME}           # everything: every connection, the system user
`;
}

export function linuxExecutableReadme(connection: string, exe: string, hasCa: boolean): string {
  const dir = `/opt/directory-bridge/${connection}`;
  return `# Directory Bridge connector: ${connection} (Linux executable)

${table([
  [exe, 'the connector with its own runtime: one file, nothing else to install'],
  ['config.json', `the settings of "${connection}" with the provisioning ticket and the hub's CA; no secret`],
  ['directory-bridge-connector.service', 'a systemd unit for this folder'],
  ...(hasCa ? [['ldap-ca.pem', "the directory's CA certificate"] as [string, string]] : []),
])}

## Install, set the password, register

Copy this folder to \`${dir}\` on the server, owned by a system user
(\`sudo useradd --system --no-create-home --shell /usr/sbin/nologin ${SERVICE_USER} && sudo chown -R ${SERVICE_USER}: ${dir} && sudo chmod 700 ${dir}\`), then in it:

    sudo -u ${SERVICE_USER} ./${exe} set-password --config config.json
    sudo -u ${SERVICE_USER} ./${exe} setup --config config.json && sudo -u ${SERVICE_USER} ./${exe} troubleshoot --config config.json
    sudo cp directory-bridge-connector.service /etc/systemd/system/directory-bridge-${connection}.service && sudo systemctl enable --now directory-bridge-${connection}

${TROUBLESHOOT_NOTE}

The log: \`journalctl -u directory-bridge-${connection} -f\`. Remove: \`sudo systemctl disable --now directory-bridge-${connection}\`,
then delete \`${dir}\` and the unit file.
`;
}

export function windowsReadme(connection: string, hasCa: boolean): string {
  const bin = `C:\\Program Files\\Directory Bridge\\${EXE}`;
  const cfg = `C:\\ProgramData\\Directory Bridge\\${connection}\\config.json`;
  return `# Directory Bridge connector: ${connection} (Windows x64)

${table([
  [EXE, 'the connector with its own runtime: nothing else to install'],
  ['nssm.exe', 'NSSM, the service host (public domain): restarts the connector on failure and rotates its log'],
  [INSTALL_CMD, 'installs the executables and the Windows service'],
  [UNINSTALL_CMD, "removes the service (and with `/purge` the connection's folder)"],
  ['config.json', `the settings of "${connection}" with the provisioning ticket and the hub's CA; no secret`],
  ...(hasCa ? [['ldap-ca.pem', "the directory's CA certificate"] as [string, string]] : []),
])}

## Install, set the password, register

Copy this folder to the server and run, in it, from a command prompt opened as Administrator:

    ${INSTALL_CMD} ${connection}
    "${bin}" set-password --config "${cfg}"
    "${bin}" setup --config "${cfg}" && sc.exe start DirectoryBridge-${connection}

The service \`DirectoryBridge-${connection}\` starts with Windows, restarts 5 s after a failure, stops cleanly
(the connector finishes the requests in flight) and runs as the virtual account \`NT SERVICE\\DirectoryBridge-${connection}\`,
which may modify only \`C:\\ProgramData\\Directory Bridge\\${connection}\\\` (its config, keys and log).
Its log: \`C:\\ProgramData\\Directory Bridge\\${connection}\\logs\\connector.log\`, rotated at 10 MB.

    "${bin}" troubleshoot --config "${cfg}"

${TROUBLESHOOT_NOTE}

## Remove

    ${UNINSTALL_CMD} ${connection} /purge
`;
}
