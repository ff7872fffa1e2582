/**
 * The files of a ready deployment for one connector on a Windows or Linux server: the bundled connector, its
 * config (no secret in it: the service password is set on the server and sealed there), a systemd unit, a
 * Windows script that registers a startup task, and a README with the steps. Pure, so it is unit tested.
 */
export interface DeploymentInput {
  connection: string;
  config: Record<string, unknown>;
  /** The directory's CA certificate (PEM), copied next to the config when the connection has one. */
  ldapCaPem?: string;
}

export interface DeploymentFile {
  path: string;
  content: string | Buffer;
  mode: number;
}

export const CONNECTOR_FILE = 'connector.js';

export function systemdUnit(connection: string, dir = `/opt/directory-bridge/${connection}`): string {
  return `[Unit]
Description=Directory Bridge connector (${connection})
Documentation=file://${dir}/README.md
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=directory-bridge
Group=directory-bridge
WorkingDirectory=${dir}
ExecStart=/usr/bin/env node ${dir}/${CONNECTOR_FILE} start --config ${dir}/config.json
# the connector reconnects by itself; this only covers a crash of the process
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=15
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
ReadWritePaths=${dir}

[Install]
WantedBy=multi-user.target
`;
}

export function windowsScript(connection: string): string {
  return `# Registers the Directory Bridge connector for "${connection}" to start with Windows and restart on failure.
# Run in an elevated PowerShell from this folder:  powershell -ExecutionPolicy Bypass -File .\\install-service.ps1
# Remove with:  Unregister-ScheduledTask -TaskName "Directory Bridge connector ${connection}" -Confirm:$false
$ErrorActionPreference = 'Stop'
$dir = Split-Path -Parent $MyInvocation.MyCommand.Path
$node = (Get-Command node -ErrorAction Stop).Source
$name = "Directory Bridge connector ${connection}"
$action = New-ScheduledTaskAction -Execute $node -Argument "\`"$dir\\${CONNECTOR_FILE}\`" start --config \`"$dir\\config.json\`"" -WorkingDirectory $dir
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit ([TimeSpan]::Zero) -StartWhenAvailable
$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
Register-ScheduledTask -TaskName $name -Action $action -Trigger $trigger -Settings $settings -Principal $principal -Force | Out-Null
# config.json and certs\\ hold sealed secrets: only SYSTEM and Administrators may read them
icacls $dir /inheritance:r /grant:r "SYSTEM:(OI)(CI)F" "Administrators:(OI)(CI)F" | Out-Null
Start-ScheduledTask -TaskName $name
Write-Host "Registered and started: $name"
`;
}

export function deploymentReadme(connection: string): string {
  return `# Directory Bridge connector: ${connection}

This folder is everything a server needs, besides Node.js 20 or later.

| file | what |
| --- | --- |
| \`${CONNECTOR_FILE}\` | the connector, one file |
| \`config.json\` | its settings, with the provisioning ticket and the hub's CA; no secret is in it |
| \`directory-bridge-connector.service\` | systemd unit (Linux) |
| \`install-service.ps1\` | registers a startup task (Windows) |

## 1. Copy the folder to the server

Linux: \`/opt/directory-bridge/${connection}\`, owned by a \`directory-bridge\` user
(\`useradd --system directory-bridge && chown -R directory-bridge: /opt/directory-bridge\`).
Windows: for example \`C:\\Program Files\\Directory Bridge\\${connection}\`.

## 2. Set the service account password (it is encrypted on this server, never stored in clear)

    node ${CONNECTOR_FILE} set-password --config config.json

The password is read from the terminal without echo (or from standard input) and sealed with a key that is
created on this server (\`certs/secrets.key\`).

## 3. Register with the hub

    node ${CONNECTOR_FILE} setup --config config.json

This uses the ticket in \`config.json\`: it creates this server's own key pair and certificate in \`certs/\` and
registers the certificate. A ticket registers new certificates only during its lifetime; generate a new one in
VS Code ("Directory Bridge: Generate Ticket") if it has expired.

## 4. Check everything

    node ${CONNECTOR_FILE} troubleshoot --config config.json

Each step prints PASS, WARN or FAIL with a hint: config, DNS, TCP, TLS, service account, search, hub, clock,
ticket, certificate.

## 5. Run it as a service

Linux:

    sudo cp directory-bridge-connector.service /etc/systemd/system/directory-bridge-${connection}.service
    sudo systemctl daemon-reload && sudo systemctl enable --now directory-bridge-${connection}
    journalctl -u directory-bridge-${connection} -f

Windows (elevated PowerShell): \`powershell -ExecutionPolicy Bypass -File .\\install-service.ps1\`

## More instances (high availability)

Run the same steps on a second server with a copy of this folder (without \`certs/\`), or use an instance bundle
("Directory Bridge: Export Instance Bundle") with \`node ${CONNECTOR_FILE} import-bundle bundle.json\`.
Each server gets its own key pair; the hub spreads requests across all instances and retries a login on another
instance when one drops.
`;
}

export function deploymentFiles(input: DeploymentInput, connectorJs: Buffer): DeploymentFile[] {
  const config = { ...input.config };
  for (const k of Object.keys(config)) if (/CREDENTIALS|SIGNING_KEY/.test(k)) delete config[k];
  const files: DeploymentFile[] = [
    { path: CONNECTOR_FILE, content: connectorJs, mode: 0o755 },
    { path: 'README.md', content: deploymentReadme(input.connection), mode: 0o644 },
    { path: 'directory-bridge-connector.service', content: systemdUnit(input.connection), mode: 0o644 },
    { path: 'install-service.ps1', content: windowsScript(input.connection).replace(/\n/g, '\r\n'), mode: 0o644 },
  ];
  if (input.ldapCaPem) {
    files.push({ path: 'ldap-ca.pem', content: input.ldapCaPem, mode: 0o644 });
    config.LDAP_CA_FILE = 'ldap-ca.pem';
  }
  files.push({ path: 'config.json', content: JSON.stringify(config, null, 2) + '\n', mode: 0o600 });
  return files;
}
