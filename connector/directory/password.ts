/**
 * Password changes by the service account (an admin reset, as the protocol's change_password asks).
 * Active Directory: replace `unicodePwd` with the quoted UTF-16LE password, which AD accepts only over an
 * encrypted connection. OpenLDAP and others: the Password Modify extended operation (RFC 3062).
 */
import { Attribute, Change, NoSuchAttributeError, ResultCodeError } from 'ldapts';
import type { LdapConnection } from './connection';
import { EncryptionRequiredError } from './errors';
import { mapPasswordChangeError } from './errorMapping';
import { PasswordPolicyControl } from './passwordPolicyControl';

export const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';

/** `"password"` in UTF-16LE, the only form AD takes; any Unicode password survives it. */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/** PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0] OCTET STRING OPTIONAL, oldPasswd [1] ..., newPasswd [2] ... } */
export function encodePasswordModifyRequest(userDn: string, newPassword: string): Buffer {
  const field = (tag: number, value: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
  const body = Buffer.concat([field(0x80, Buffer.from(userDn, 'utf8')), field(0x82, Buffer.from(newPassword, 'utf8'))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export async function setPassword(
  conn: LdapConnection,
  userDn: string,
  newPassword: string,
  unlock: boolean,
): Promise<void> {
  if (conn.kind === 'ad') {
    if (!conn.encrypted) {
      throw new EncryptionRequiredError(
        'Active Directory only accepts password changes over an encrypted connection: use an ldaps:// URL or StartTLS.',
      );
    }
    const changes = [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(newPassword)] }),
      }),
    ];
    if (unlock)
      changes.push(
        new Change({ operation: 'replace', modification: new Attribute({ type: 'lockoutTime', values: ['0'] }) }),
      );
    try {
      await conn.client.modify(userDn, changes);
    } catch (e) {
      throw rethrow(e);
    }
    return;
  }
  const policy = new PasswordPolicyControl();
  try {
    await conn.client.exop(PASSWORD_MODIFY_OID, encodePasswordModifyRequest(userDn, newPassword), policy);
  } catch (e) {
    throw rethrow(e, policy);
  }
  if (unlock) {
    try {
      await conn.client.modify(
        userDn,
        new Change({ operation: 'delete', modification: new Attribute({ type: 'pwdAccountLockedTime', values: [] }) }),
      );
    } catch (e) {
      // not locked: nothing to remove
      if (!(e instanceof NoSuchAttributeError)) throw rethrow(e);
    }
  }
}

function rethrow(e: unknown, policy?: PasswordPolicyControl): unknown {
  if (!(e instanceof ResultCodeError)) return e; // transport failures are the pool's to handle
  return mapPasswordChangeError(e, policy?.response);
}
