/**
 * The files of a ready deployment of the plain Node folder for one connector: the bundled connector, its config
 * (no secret in it: the service password is set on the server and sealed there), a systemd unit and a README with
 * the steps. Windows servers get the service kind instead (packagedDeployment.ts). Pure, so it is unit tested.
 */
import { kerberosConfig, kerberosPackageJson, kerberosReadme, type KerberosDeployment } from './kerberosDeployment';

export interface DeploymentInput {
  connection: string;
  config: Record<string, unknown>;
  /** The directory's CA certificate (PEM), copied next to the config when the connection has one. */
  ldapCaPem?: string;
  /** Kerberos single sign-on on this connector (the connection has Kerberos ranges and the admin turned it on). */
  kerberos?: KerberosDeployment;
}

/** `content` is written; `source` (a built package, 100 MB) is copied from disk instead. */
export interface DeploymentFile {
  path: string;
  content?: string | Buffer;
  source?: string;
  mode: number;
}

export const CONNECTOR_FILE = 'connector.js';

export function systemdUnit(
  connection: string,
  dir = `/opt/directory-bridge/${connection}`,
  exec = `/usr/bin/env node ${dir}/${CONNECTOR_FILE}`,
): string {
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
ExecStart=${exec} start --config ${dir}/config.json
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

export function deploymentReadme(connection: string): string {
  return `# Directory Bridge connector: ${connection}

This folder is everything a Linux server needs, besides Node.js 20 or later. (For a server without Node.js,
or for Windows, choose a packaged kind in "Generate Connector Config".)

| file | what |
| --- | --- |
| \`${CONNECTOR_FILE}\` | the connector, one file |
| \`config.json\` | its settings and the hub's CA, plus a single-use provisioning ticket: keep the folder private until setup has run, which seals the ticket |
| \`directory-bridge-connector.service\` | systemd unit (Linux) |

## 1. Copy the folder to the server

\`/opt/directory-bridge/${connection}\`, owned by a \`directory-bridge\` user
(\`useradd --system directory-bridge && chown -R directory-bridge: /opt/directory-bridge\`).

## 2. Set the service account password (it is encrypted on this server, never stored in clear)

    node ${CONNECTOR_FILE} set-password --config config.json

The password is read from the terminal without echo (or from standard input) and sealed with a key that is
created on this server (\`certs/secrets.key\`).

## 3. Register with the hub

    node ${CONNECTOR_FILE} setup --config config.json

This uses the ticket in \`config.json\`: it creates this server's own key pair and certificate in \`certs/\`,
registers the certificate, and seals the ticket in \`config.json\` like the other secrets. The ticket registers one
connector, only during its lifetime; generate a new one in VS Code ("Directory Bridge: Generate Ticket") if it has
expired or was used. The new instance then waits for your approval: approve it in VS Code (the notification, or
Approve on the instance in the Connections view) or with \`directory-bridge-hub instance approve <thumbprint>\`.
It gets no request before that.

## 4. Check everything

    node ${CONNECTOR_FILE} troubleshoot --config config.json

Each step prints PASS, WARN or FAIL with a hint: config, DNS, TCP, TLS, service account, search, hub, clock,
ticket, certificate.

## 5. Run it as a service

    sudo cp directory-bridge-connector.service /etc/systemd/system/directory-bridge-${connection}.service
    sudo systemctl daemon-reload && sudo systemctl enable --now directory-bridge-${connection}
    journalctl -u directory-bridge-${connection} -f

## More instances (high availability)

Generate a deployment (or a ticket) for each further server: a ticket registers one connector. Or use an instance bundle
("Directory Bridge: Export Instance Bundle") with \`node ${CONNECTOR_FILE} import-bundle bundle.json\`.
Each server gets its own key pair; the hub spreads requests across all instances and retries a login on another
instance when one drops.
`;
}

/** config.json without secrets, pointing at the directory's CA copied next to it. */
export function deploymentConfig(input: DeploymentInput): { config: Record<string, unknown>; extra: DeploymentFile[] } {
  const config = { ...input.config };
  for (const k of Object.keys(config)) if (/CREDENTIALS|SIGNING_KEY/.test(k)) delete config[k];
  const extra: DeploymentFile[] = [];
  if (input.ldapCaPem) {
    extra.push({ path: 'ldap-ca.pem', content: input.ldapCaPem, mode: 0o644 });
    config.LDAP_CA_FILE = 'ldap-ca.pem';
  }
  if (input.kerberos) {
    Object.assign(config, kerberosConfig(input.kerberos));
    extra.push({ path: 'package.json', content: kerberosPackageJson(input.connection), mode: 0o644 });
  }
  return { config, extra };
}

export function deploymentFiles(input: DeploymentInput, connectorJs: Buffer): DeploymentFile[] {
  const { config, extra } = deploymentConfig(input);
  return [
    { path: CONNECTOR_FILE, content: connectorJs, mode: 0o755 },
    {
      path: 'README.md',
      content: deploymentReadme(input.connection) + (input.kerberos ? kerberosReadme(input.kerberos) : ''),
      mode: 0o644,
    },
    { path: 'directory-bridge-connector.service', content: systemdUnit(input.connection), mode: 0o644 },
    ...extra,
    { path: 'config.json', content: JSON.stringify(config, null, 2) + '\n', mode: 0o600 },
  ];
}
