/**
 * What Generate Connector Config writes for each kind of server: the Linux package, a Linux executable, the
 * Windows service, or the plain Node folder. The packaged kinds copy a built artifact (npm run package:connector)
 * next to a config.json without secrets and the README of that kind. Pure but for checking the artifacts exist.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { linuxExecutableReadme, linuxPackageReadme, windowsReadme } from '../../packaging/readmes';
import { debFileName, linuxExecutableName, NSSM } from '../../packaging/targets';
import { EXE, INSTALL_CMD, installServiceCmd, UNINSTALL_CMD, uninstallServiceCmd } from '../../packaging/windows';
import {
  deploymentConfig,
  deploymentFiles,
  systemdUnit,
  type DeploymentFile,
  type DeploymentInput,
} from './deployment';

export type DeploymentKind =
  | 'linux-package-x64'
  | 'linux-package-arm64'
  | 'linux-executable-x64'
  | 'linux-executable-arm64'
  | 'windows-x64'
  | 'node';

export const DEPLOYMENT_KINDS: Array<{ kind: DeploymentKind; label: string; detail: string }> = [
  {
    kind: 'linux-package-x64',
    label: 'Linux package (.deb, x64)',
    detail: 'Debian/Ubuntu: a systemd service per connection, a system user; nothing else to install',
  },
  { kind: 'linux-package-arm64', label: 'Linux package (.deb, arm64)', detail: 'The same for 64-bit ARM servers' },
  {
    kind: 'linux-executable-x64',
    label: 'Linux executable (x64)',
    detail: 'One file with its own runtime, for any distribution, with a systemd unit',
  },
  { kind: 'linux-executable-arm64', label: 'Linux executable (arm64)', detail: 'The same for 64-bit ARM servers' },
  {
    kind: 'windows-x64',
    label: 'Windows service (x64)',
    detail: 'An executable with its own runtime, run as a Windows service with a rotating log',
  },
  { kind: 'node', label: 'Node.js folder', detail: 'connector.js for a server that has Node.js 20 or later' },
];

export class MissingPackageError extends Error {}

function artifact(packagesDir: string, rel: string, what: string): string {
  const file = path.join(packagesDir, rel);
  if (!existsSync(file)) {
    throw new MissingPackageError(
      `The ${what} is not built (no ${file}). Build the packages with "npm run package:connector" in the extension's source folder, or set "directoryBridge.connectorPackages" to the folder that holds them.`,
    );
  }
  return file;
}

/** The files of a deployment of `kind`; `connectorJs` is read only for the Node folder. */
export function filesForKind(
  kind: DeploymentKind,
  input: DeploymentInput,
  o: { packagesDir: string; version: string; connectorJs: () => Buffer },
): DeploymentFile[] {
  if (kind === 'node') return deploymentFiles(input, o.connectorJs());
  const { config, extra } = deploymentConfig(input);
  const hasCa = extra.length > 0;
  const common = [...extra, { path: 'config.json', content: JSON.stringify(config, null, 2) + '\n', mode: 0o600 }];
  const arch = kind.endsWith('arm64') ? 'arm64' : 'x64';
  if (kind.startsWith('linux-package')) {
    const deb = debFileName(o.version, arch === 'x64' ? 'amd64' : 'arm64');
    return [
      { path: deb, source: artifact(o.packagesDir, deb, `Linux package (${arch})`), mode: 0o644 },
      { path: 'README.md', content: linuxPackageReadme(input.connection, deb, hasCa), mode: 0o644 },
      ...common,
    ];
  }
  if (kind.startsWith('linux-executable')) {
    const exe = linuxExecutableName(arch === 'x64' ? 'linux-x64' : 'linux-arm64');
    const dir = `/opt/directory-bridge/${input.connection}`;
    return [
      { path: exe, source: artifact(o.packagesDir, exe, `Linux executable (${arch})`), mode: 0o755 },
      { path: 'README.md', content: linuxExecutableReadme(input.connection, exe, hasCa), mode: 0o644 },
      {
        path: 'directory-bridge-connector.service',
        content: systemdUnit(input.connection, dir, `${dir}/${exe}`),
        mode: 0o644,
      },
      ...common,
    ];
  }
  return [
    { path: EXE, source: artifact(o.packagesDir, `win-x64/${EXE}`, 'Windows executable'), mode: 0o755 },
    {
      path: NSSM.file,
      source: artifact(o.packagesDir, `win-x64/${NSSM.file}`, 'Windows service host (NSSM)'),
      mode: 0o755,
    },
    { path: INSTALL_CMD, content: installServiceCmd(), mode: 0o644 },
    { path: UNINSTALL_CMD, content: uninstallServiceCmd(), mode: 0o644 },
    { path: 'README.md', content: windowsReadme(input.connection, hasCa), mode: 0o644 },
    ...common,
  ];
}

export function sizeOf(f: DeploymentFile): number {
  return f.source ? statSync(f.source).size : Buffer.byteLength(f.content ?? '');
}

export function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
