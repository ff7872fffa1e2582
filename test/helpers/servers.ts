/**
 * The two real directories the fixtures start (test/fixtures/slapd.sh and samba-ad.sh), described once for every
 * suite: URLs, CA files, accounts and what each seeded account should produce.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { DirectoryConfigInput } from '../../connector/directory';
import { ACCOUNTS, PW } from './fixtures';

export const RUN_DIR = process.env.DB_RUN_DIR ?? '/tmp/directory-bridge';
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

export interface AccountCase {
  username: string;
  password: string;
  error?: string;
  source?: RegExp;
}

export interface TestServer {
  name: string;
  kind: 'ad' | 'openldap';
  url: string;
  ldapsUrl: string;
  caFile: string;
  otherCaFile: string;
  baseDn: string;
  bindDn: string;
  bindPassword: string;
  /** An account that may read but not reset passwords. */
  weakBindDn: string;
  weakBindPassword: string;
  /** Every seeded account state and the typed error it must produce (none: success). */
  accounts: AccountCase[];
  /** Nested membership: alice is in engineers, engineers is in staff. */
  aliceGroups: string[];
  /** A user whose password tests may change. */
  changeable: { username: string; password: string };
  nonAscii: { username: string; password: string };
  restart(): void;
  config(extra?: Partial<DirectoryConfigInput>): DirectoryConfigInput;
}

function fixture(script: string, ...args: string[]): void {
  execFileSync('bash', [path.join(FIXTURES, script), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env },
  });
}

export const SLAPD: TestServer = {
  name: 'OpenLDAP (slapd)',
  kind: 'openldap',
  url: 'ldap://127.0.0.1:3890',
  ldapsUrl: 'ldaps://127.0.0.1:6360',
  caFile: `${RUN_DIR}/slapd/tls/ca.pem`,
  otherCaFile: `${RUN_DIR}/slapd/tls/other-ca.pem`,
  baseDn: ACCOUNTS.slapd.baseDn,
  bindDn: ACCOUNTS.slapd.bindDn,
  bindPassword: ACCOUNTS.slapd.bindPassword,
  weakBindDn: ACCOUNTS.slapd.readerDn,
  weakBindPassword: ACCOUNTS.slapd.readerPassword,
  accounts: [
    { username: 'alice', password: PW.alice },
    { username: 'alice', password: ACCOUNTS.wrongPassword, error: 'WrongPassword', source: /invalidCredentials/ },
    { username: 'nobody', password: 'N0body-Pass!9', error: 'WrongUsername' },
    { username: 'carol', password: PW.carol, error: 'AccountDisabled', source: /000001010000Z/ },
    { username: 'dave', password: PW.dave, error: 'AccountLocked', source: /accountLocked/ },
    { username: 'frank', password: PW.frank, error: 'PasswordChangeRequired', source: /changeAfterReset/ },
    { username: 'gina', password: PW.gina, error: 'AccountExpired', source: /pwdEndTime/ },
    { username: 'henry', password: PW.henry, error: 'PasswordExpired', source: /passwordExpired/ },
    { username: 'zoë', password: PW['zoë'] },
    { username: 'we(ird)*\\name', password: PW.weird },
  ],
  aliceGroups: ['engineers', 'staff'],
  changeable: { username: 'ivan', password: PW.ivan },
  nonAscii: { username: 'zoë', password: PW['zoë'] },
  restart() {
    fixture('slapd.sh', 'stop');
    fixture('slapd.sh', 'start');
  },
  config(extra = {}) {
    return {
      kind: 'openldap',
      urls: [this.url],
      baseDn: this.baseDn,
      bindDn: this.bindDn,
      bindPassword: this.bindPassword,
      ...extra,
    };
  },
};

export const SAMBA: TestServer = {
  name: 'Active Directory (Samba)',
  kind: 'ad',
  url: 'ldap://127.0.0.1:389',
  ldapsUrl: 'ldaps://127.0.0.1:636',
  caFile: `${RUN_DIR}/samba/tls/ca.pem`,
  otherCaFile: `${RUN_DIR}/slapd/tls/other-ca.pem`,
  baseDn: ACCOUNTS.samba.baseDn,
  bindDn: ACCOUNTS.samba.bindDn,
  bindPassword: ACCOUNTS.samba.bindPassword,
  weakBindDn: 'bob@example.test',
  weakBindPassword: PW.bob,
  accounts: [
    { username: 'alice', password: PW.alice },
    { username: 'alice', password: ACCOUNTS.wrongPassword, error: 'WrongPassword', source: /data 52e/ },
    { username: 'nobody', password: 'N0body-Pass!9', error: 'WrongUsername' },
    { username: 'carol', password: PW.carol, error: 'AccountDisabled', source: /data 533/ },
    { username: 'dave', password: PW.dave, error: 'AccountLocked', source: /data 775/ },
    { username: 'frank', password: PW.frank, error: 'PasswordChangeRequired', source: /data 773/ },
    { username: 'gina', password: PW.gina, error: 'AccountExpired', source: /data 701/ },
    { username: 'henry', password: PW.henry, error: 'PasswordExpired', source: /data 532/ },
    { username: 'zoë', password: PW['zoë'] },
    { username: 'we(ird)name', password: PW.weird },
  ],
  aliceGroups: ['Domain Users', 'engineers', 'staff'],
  changeable: { username: 'ivan', password: PW.ivan },
  nonAscii: { username: 'zoë', password: PW['zoë'] },
  restart() {
    fixture('samba-ad.sh', 'stop');
    fixture('samba-ad.sh', 'start');
  },
  config(extra = {}) {
    return {
      kind: 'ad',
      urls: [this.url],
      baseDn: this.baseDn,
      bindDn: this.bindDn,
      bindPassword: this.bindPassword,
      ...extra,
    };
  },
};

export const SERVERS = [SLAPD, SAMBA];

/** Asserts that a promise rejects with a directory error of the given protocol name; returns the error. */
export async function rejectsWith(
  p: Promise<unknown>,
  protocolOrClass: string,
): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & Record<string, unknown>;
    if (err.protocolName === protocolOrClass || err.name === protocolOrClass) return err;
    throw new Error(`expected ${protocolOrClass}, got ${err.name} (${err.protocolName}): ${err.message}`);
  }
  throw new Error(`expected ${protocolOrClass}, but it succeeded`);
}
