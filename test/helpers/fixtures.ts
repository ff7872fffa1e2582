/**
 * The seeded accounts and passwords (test/fixtures/accounts.json), typed, for every suite. The bench and the
 * playground read the same file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface FixtureAccounts {
  slapd: { baseDn: string; bindDn: string; bindPassword: string; readerDn: string; readerPassword: string };
  samba: { baseDn: string; bindDn: string; bindPassword: string };
  /** By user name (the user `we(ird)*\name` is `weird` here). */
  passwords: Record<
    'alice' | 'bob' | 'carol' | 'dave' | 'frank' | 'gina' | 'henry' | 'ivan' | 'paula' | 'zoë' | 'weird',
    string
  >;
  wrongPassword: string;
  /** user1 ... userN of the bulk load */
  bulkUserPassword: string;
}

// the suites run compiled, from out/test/helpers
const FILE = path.resolve(__dirname, '../../../test/fixtures/accounts.json');

export const ACCOUNTS: FixtureAccounts = JSON.parse(readFileSync(FILE, 'utf8'));
export const PW = ACCOUNTS.passwords;
