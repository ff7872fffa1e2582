import * as assert from 'node:assert/strict';
import {
  adDataCode,
  mapAdBindError,
  mapPasswordChangeError,
  mapPolicyBindError,
} from '../../connector/directory/errorMapping';
import { parsePasswordPolicyValue, PasswordPolicyError } from '../../connector/directory/passwordPolicyControl';
import { encodePasswordModifyRequest, encodeUnicodePwd } from '../../connector/directory/password';

const ad = (data: string) => ({
  code: 49,
  message: `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1`,
});

describe('AD bind errors', () => {
  const table: Array<[string, string]> = [
    ['525', 'WrongUsername'],
    ['52e', 'WrongPassword'],
    ['530', 'AccountDisabled'],
    ['531', 'AccountDisabled'],
    ['532', 'PasswordExpired'],
    ['533', 'AccountDisabled'],
    ['534', 'AccountDisabled'],
    ['701', 'AccountExpired'],
    ['773', 'PasswordChangeRequired'],
    ['775', 'AccountLocked'],
    ['568', 'WrongPassword'],
  ];
  for (const [code, name] of table) {
    it(`data ${code} is ${name}, with its source`, () => {
      const e = mapAdBindError(ad(code));
      assert.equal(e.protocolName, name);
      assert.equal(e.source, `Active Directory data ${code}`);
    });
  }
  it('finds the data code in the diagnostic text, any case', () => {
    assert.equal(adDataCode('..., data 52E, v4563'), '52e');
    assert.equal(adDataCode('no code here'), undefined);
  });
  it('a result other than invalidCredentials is unexpected, with its code', () => {
    const e = mapAdBindError({ code: 53, message: 'unwilling' });
    assert.equal(e.protocolName, 'UnexpectedError');
    assert.match(e.message, /LDAP result 53/);
  });
});

describe('OpenLDAP password policy', () => {
  it('decodes the response control: error only, warning only, both', () => {
    assert.deepEqual(parsePasswordPolicyValue(Buffer.from('30038101' + '01', 'hex')), {
      error: PasswordPolicyError.accountLocked,
    });
    assert.deepEqual(parsePasswordPolicyValue(Buffer.from('3006a0048002012c', 'hex')), { timeBeforeExpiration: 300 });
    assert.deepEqual(parsePasswordPolicyValue(Buffer.from('3005a003810102', 'hex')), { graceAuthNsRemaining: 2 });
    assert.deepEqual(parsePasswordPolicyValue(Buffer.from('3009a00480020e10810100', 'hex')), {
      timeBeforeExpiration: 3600,
      error: 0,
    });
    assert.deepEqual(parsePasswordPolicyValue(Buffer.from('30080a', 'hex')), {}, 'truncated: nothing, no throw');
    assert.deepEqual(parsePasswordPolicyValue(Buffer.alloc(0)), {});
  });
  it('maps policy errors on a failed bind', () => {
    assert.equal(
      mapPolicyBindError({ code: 49, message: '' }, { error: PasswordPolicyError.accountLocked }).protocolName,
      'AccountLocked',
    );
    assert.equal(
      mapPolicyBindError({ code: 49, message: '' }, { error: PasswordPolicyError.passwordExpired }).protocolName,
      'PasswordExpired',
    );
    assert.equal(
      mapPolicyBindError({ code: 0, message: '' }, { error: PasswordPolicyError.changeAfterReset }).protocolName,
      'PasswordChangeRequired',
    );
    assert.equal(mapPolicyBindError({ code: 49, message: '' }, undefined).protocolName, 'WrongPassword');
  });
  it('maps password change failures', () => {
    assert.equal(mapPasswordChangeError({ code: 50, message: '' }).protocolName, 'InsufficientAccessRightsError');
    assert.equal(
      mapPasswordChangeError({ code: 19, message: '0000052D: Constraint violation' }).protocolName,
      'PasswordComplexityError',
    );
    assert.equal(
      mapPasswordChangeError({ code: 19, message: '' }, { error: PasswordPolicyError.passwordTooShort }).protocolName,
      'PasswordComplexityError',
    );
  });
});

describe('password encodings', () => {
  it('unicodePwd is the quoted password in UTF-16LE, non-ASCII intact', () => {
    const b = encodeUnicodePwd('Pä€');
    assert.equal(b.toString('utf16le'), '"Pä€"');
    assert.equal(b.length, 10);
  });
  it('the password modify request is DER: SEQUENCE { [0] dn, [2] new password }', () => {
    const b = encodePasswordModifyRequest('cn=a', 'pw€');
    assert.equal(b.toString('hex'), '300d8004636e3d61820570' + '77e282ac');
    const long = encodePasswordModifyRequest('x'.repeat(200), 'p');
    assert.equal(long[1], 0x81);
    assert.equal(long[2], 3 + 200 + 3);
  });
});
