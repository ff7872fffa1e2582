/**
 * The rule for a failed read of one group's entry (connector/directory/groups.ts): only NoSuchObject, a group
 * deleted since the user's memberOf named it, is skipped; every other failure stays a failure.
 */
import * as assert from 'node:assert/strict';
import {
  BusyError,
  InsufficientAccessError,
  NoSuchObjectError,
  OperationsError,
  ResultCodeError,
  TimeLimitExceededError,
  UnavailableError,
} from 'ldapts';
import { classifyFailure } from '../../connector/directory/connection';
import { DirectoryError } from '../../connector/directory/errors';
import { firstRdnValue, groupReadFailure } from '../../connector/directory/groups';

const DN = 'cn=gone,ou=groups,dc=example,dc=test';

describe('a failed read of a group entry', () => {
  it('NoSuchObject (the group was deleted since) is skipped', () => {
    assert.equal(groupReadFailure(new NoSuchObjectError('no such object'), DN), undefined);
  });

  const named: Array<[string, ResultCodeError, string]> = [
    ['busy (51)', new BusyError('busy'), 'DirectoryBusyError'],
    ['unavailable (52)', new UnavailableError('shutting down'), 'DirectoryBusyError'],
    ['insufficient access (50)', new InsufficientAccessError('no read'), 'UnexpectedDirectoryError'],
    ['time limit exceeded (3)', new TimeLimitExceededError('slow'), 'UnexpectedDirectoryError'],
    ['operations error (1)', new OperationsError('odd'), 'UnexpectedDirectoryError'],
  ];
  for (const [what, e, name] of named) {
    it(`${what} becomes ${name}, naming the group and the LDAP result`, () => {
      const failure = groupReadFailure(e, DN);
      assert.ok(failure instanceof DirectoryError, String(failure));
      assert.equal(failure.name, name);
      assert.equal(failure.protocolName, 'UnexpectedError');
      assert.match(failure.message, new RegExp(`${DN}.*LDAP result ${e.code}`));
      assert.equal(failure.cause, e);
    });
  }

  // the pool names these (OperationTimeoutError, TlsError, DirectoryUnavailableError): they must reach it unchanged
  const transport: Array<[string, Error, string]> = [
    ['a timeout', new Error('SearchRequest: Operation timed out'), 'timeout'],
    ['a lost connection', new Error('Connection closed before message response was received.'), 'lost'],
    [
      'a TLS failure',
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      'tls',
    ],
  ];
  for (const [what, e, kind] of transport) {
    it(`${what} is passed on as it is, for the pool to name (${kind})`, () => {
      const failure = groupReadFailure(e, DN);
      assert.equal(failure, e);
      assert.equal(classifyFailure(failure), kind);
    });
  }

  it('a group that cannot be read is named by the value of its first RDN', () => {
    assert.equal(firstRdnValue('cn=Domain Admins,cn=Users,dc=example,dc=test'), 'Domain Admins');
    assert.equal(firstRdnValue('cn=R\\, D \\2b Ops,ou=groups,dc=x'), 'R, D + Ops');
    assert.equal(firstRdnValue('CN=weird\\=name,DC=x'), 'weird=name');
  });
});
