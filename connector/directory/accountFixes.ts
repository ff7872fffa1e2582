/**
 * The changes an admin makes in the directory to let a refused user log in again: unlock, enable, set a new
 * password (optionally "must change at next logon"). Written by the connection's service account.
 *
 * Active Directory: `lockoutTime` 0 unlocks; clearing ACCOUNTDISABLE (0x2) in `userAccountControl` enables; a new
 * `unicodePwd` (encrypted connections only) with `pwdLastSet` 0 (must change) or -1 (password set now).
 * OpenLDAP (ppolicy): removing `pwdAccountLockedTime` unlocks and enables, since a disabled
 * account is a permanent lock there; the Password Modify operation sets the password, and `pwdReset` TRUE asks for a
 * change at next logon (honoured when the user's policy has pwdMustChange TRUE).
 */
import { Attribute, Change, type Entry } from 'ldapts';
import type { LdapConnection } from './connection';
import { text } from './entry';
import { setPassword } from './password';
import { UnexpectedDirectoryError } from './errors';

export type AccountFix = 'unlock' | 'enable' | 'setPassword';

export interface AccountFixRequest {
  fix: AccountFix;
  newPassword?: string;
  mustChange?: boolean;
}

const ACCOUNTDISABLE = 0x2;
const NO_SUCH_ATTRIBUTE = 16;

/** The fixes that answer a refused login, by the protocol's error name; none for states an admin cannot fix here. */
export function fixesFor(errorName: string | undefined): AccountFix[] {
  switch (errorName) {
    case 'AccountLocked':
      return ['unlock'];
    case 'AccountDisabled':
      return ['enable'];
    case 'PasswordExpired':
    case 'PasswordChangeRequired':
      return ['setPassword'];
    default:
      return [];
  }
}

export async function applyAccountFix(conn: LdapConnection, user: Entry, r: AccountFixRequest): Promise<void> {
  const dn = user.dn;
  if (r.fix === 'setPassword') {
    if (!r.newPassword) throw new UnexpectedDirectoryError('The new password is empty');
    await setPassword(conn, dn, r.newPassword, false);
    if (conn.kind === 'ad') {
      await modify(conn, dn, [replace('pwdLastSet', r.mustChange ? '0' : '-1')]);
    } else if (r.mustChange) {
      await modify(conn, dn, [replace('pwdReset', 'TRUE')]);
    } else {
      await removeIfPresent(conn, dn, 'pwdReset');
    }
    return;
  }
  if (conn.kind === 'ad') {
    if (r.fix === 'unlock') return modify(conn, dn, [replace('lockoutTime', '0')]);
    const uac = Number(attr(await readOne(conn, dn, ['userAccountControl']), 'userAccountControl'));
    if (!Number.isInteger(uac)) throw new UnexpectedDirectoryError(`Cannot read userAccountControl of ${dn}`);
    return modify(conn, dn, [replace('userAccountControl', String(uac & ~ACCOUNTDISABLE))]);
  }
  // OpenLDAP: locked and disabled are both pwdAccountLockedTime (000001010000Z is the permanent lock)
  // (pwdFailureTime is the server's own to clear: it does so at the next successful bind)
  await removeIfPresent(conn, dn, 'pwdAccountLockedTime');
}

/** Whether "must change at next logon" would be enforced for this user (AD always; OpenLDAP by the user's policy). */
export async function mustChangeSupported(conn: LdapConnection, user: Entry): Promise<boolean> {
  if (conn.kind === 'ad') return true;
  const policyDn = attr(
    await readOne(conn, user.dn, ['pwdPolicySubentry']).catch(() => undefined),
    'pwdPolicySubentry',
  );
  if (!policyDn) return false;
  const policy = await readOne(conn, policyDn, ['pwdMustChange']).catch(() => undefined);
  return attr(policy, 'pwdMustChange')?.toUpperCase() === 'TRUE';
}

const attr = (e: Entry | undefined, name: string) => (e ? text(e, name) : undefined);

const replace = (type: string, value: string) =>
  new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });

async function readOne(conn: LdapConnection, dn: string, attributes: string[]): Promise<Entry | undefined> {
  return (await conn.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes })).searchEntries[0];
}

async function modify(conn: LdapConnection, dn: string, changes: Change[]): Promise<void> {
  try {
    await conn.client.modify(dn, changes);
  } catch (e) {
    const err = e as { code?: unknown; message?: string };
    if (typeof err.code !== 'number') throw e;
    throw new UnexpectedDirectoryError(
      `The directory refused to change ${dn}: ${err.message} (LDAP result ${err.code})`,
      { cause: e },
    );
  }
}

async function removeIfPresent(conn: LdapConnection, dn: string, type: string): Promise<void> {
  try {
    await conn.client.modify(
      dn,
      new Change({ operation: 'delete', modification: new Attribute({ type, values: [] }) }),
    );
  } catch (e) {
    if ((e as { code?: number }).code === NO_SUCH_ATTRIBUTE) return;
    const err = e as { code?: unknown; message?: string };
    if (typeof err.code !== 'number') throw e;
    throw new UnexpectedDirectoryError(
      `The directory refused to change ${dn}: ${err.message} (LDAP result ${err.code})`,
      { cause: e },
    );
  }
}
