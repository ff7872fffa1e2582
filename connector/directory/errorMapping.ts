/**
 * Turns what the server said about a failed user bind into one typed error. Active Directory puts the reason in
 * the diagnostic text (`80090308: LdapErr: ... data 52e, v4563`); OpenLDAP puts it in the password policy
 * response control. Unknown AD codes and plain invalid credentials mean a wrong password.
 */
import {
  AccountDisabledError,
  AccountExpiredError,
  AccountLockedError,
  DirectoryError,
  InsufficientAccessRightsError,
  PasswordChangeRequiredError,
  PasswordComplexityError,
  PasswordExpiredError,
  UnexpectedDirectoryError,
  WrongPasswordError,
  WrongUsernameError,
} from './errors';
import { PasswordPolicyError, type PasswordPolicyResponse } from './passwordPolicyControl';

/** The AD sub-codes of LDAP result 49 (invalidCredentials), in the words AD admins know them by. */
const AD_BIND_CODES: Record<string, [new (m: string, o?: { source?: string }) => DirectoryError, string]> = {
  '525': [WrongUsernameError, 'User not found'],
  '52e': [WrongPasswordError, 'Wrong password'],
  '530': [AccountDisabledError, 'Not permitted to log on at this time (logon hours)'],
  '531': [AccountDisabledError, 'Not permitted to log on from this workstation'],
  '532': [PasswordExpiredError, 'Password expired'],
  '533': [AccountDisabledError, 'Account disabled'],
  '534': [AccountDisabledError, 'The user has not been granted the requested logon type'],
  '701': [AccountExpiredError, 'Account expired'],
  '773': [PasswordChangeRequiredError, 'The user must change the password before logging on'],
  '775': [AccountLockedError, 'Account locked out'],
};

/** Extracts `52e` from `... AcceptSecurityContext error, data 52e, v4563`. */
export function adDataCode(message: string): string | undefined {
  return /\bdata ([0-9a-f]{3,8})\b/i.exec(message)?.[1]?.toLowerCase();
}

interface LdapLikeError {
  code?: number;
  message: string;
}

/** Maps an Active Directory bind failure. */
export function mapAdBindError(err: LdapLikeError): DirectoryError {
  const code = adDataCode(err.message);
  const known = code ? AD_BIND_CODES[code] : undefined;
  if (known) {
    const [Cls, words] = known;
    return new Cls(words, { source: `Active Directory data ${code}` });
  }
  if (err.code === 49) {
    return new WrongPasswordError('Wrong password', {
      source: code ? `Active Directory data ${code}` : 'LDAP invalidCredentials (49)',
    });
  }
  return unexpected(err);
}

/** Maps an OpenLDAP (or other RFC-following server) bind result plus its password policy response. */
export function mapPolicyBindError(err: LdapLikeError, policy: PasswordPolicyResponse | undefined): DirectoryError {
  switch (policy?.error) {
    case PasswordPolicyError.accountLocked:
      return new AccountLockedError('Account locked', { source: 'OpenLDAP password policy: accountLocked' });
    case PasswordPolicyError.passwordExpired:
      return new PasswordExpiredError('Password expired', { source: 'OpenLDAP password policy: passwordExpired' });
    case PasswordPolicyError.changeAfterReset:
      return new PasswordChangeRequiredError('The user must change the password before logging on', {
        source: 'OpenLDAP password policy: changeAfterReset',
      });
    default:
      break;
  }
  if (err.code === 49) return new WrongPasswordError('Wrong password', { source: 'LDAP invalidCredentials (49)' });
  return unexpected(err);
}

/** Maps a failed password change (AD unicodePwd modify or the password-modify extended operation). */
export function mapPasswordChangeError(err: LdapLikeError, policy?: PasswordPolicyResponse): DirectoryError {
  const code = adDataCode(err.message);
  if (err.code === 50)
    return new InsufficientAccessRightsError('The service account may not change this password', {
      source: 'LDAP insufficientAccessRights (50)',
    });
  if (policy?.error !== undefined && policy.error >= PasswordPolicyError.insufficientPasswordQuality) {
    return new PasswordComplexityError(`The password does not meet the policy (${PasswordPolicyError[policy.error]})`, {
      source: `OpenLDAP password policy: ${PasswordPolicyError[policy.error]}`,
    });
  }
  // AD: 19 constraintViolation with data 52d (complexity/length/history); OpenLDAP: 19 with a text
  if (err.code === 19) {
    return new PasswordComplexityError('The password does not meet the password policy: ' + err.message, {
      source: code ? `Active Directory data ${code}` : 'LDAP constraintViolation (19)',
    });
  }
  return unexpected(err);
}

function unexpected(err: LdapLikeError): DirectoryError {
  return new UnexpectedDirectoryError(
    `The directory refused the operation: ${err.message}` +
      (err.code !== undefined ? ` (LDAP result ${err.code})` : ''),
    { source: err.code !== undefined ? `LDAP result ${err.code}` : undefined },
  );
}
