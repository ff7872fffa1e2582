/**
 * The audit log of changes the editor writes into a directory (unlock, enable, new password): one JSON line per
 * change, in the extension's storage, openable by the admin. Never holds a password.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface AuditRecord {
  time: string;
  connection: string;
  /** The account changed, by DN. */
  account: string;
  /** What was changed, in words: "unlock", "enable", "set a new password (must change at next logon)". */
  change: string;
  /** Which way it was written: a connector's write-back (change_password) or the connection's service account. */
  via?: 'write-back' | 'service account';
  /** Who wrote it: "service account cn=bridge,...", "connector write-back (change_password) on HOST". */
  by: string;
  outcome: 'done' | 'failed';
  error?: string;
}

export class AuditLog {
  readonly file: string;
  constructor(dir: string) {
    this.file = path.join(dir, 'audit.log');
  }

  async record(r: Omit<AuditRecord, 'time'>): Promise<AuditRecord> {
    // one line per change, read in an editor that cuts long lines: what happened and how first, the DN last
    const full: AuditRecord = {
      time: new Date().toISOString(),
      outcome: r.outcome,
      change: r.change,
      ...(r.via ? { via: r.via } : {}),
      by: r.by,
      connection: r.connection,
      account: r.account,
      ...(r.error ? { error: r.error } : {}),
    };
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, JSON.stringify(full) + '\n', { mode: 0o600 });
    return full;
  }

  async entries(): Promise<AuditRecord[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
  }
}
