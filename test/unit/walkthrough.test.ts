/** The words and small rules behind the first-use walkthrough fixes (issue 14), without servers. */
import * as assert from 'node:assert/strict';
import { AD_DEFAULTS, fixesFor, OPENLDAP_DEFAULTS, withoutDomain } from '../../connector/directory';
import { fillFilter } from '../../connector/directory/filter';
import {
  acceptsEmail,
  tlsInUse,
  tlsWords,
  USER_FILTER_PRESETS,
  userFilterMatches,
  type DirectoryDefinition,
} from '../../extension/connections/model';
import {
  inEditorWords,
  plural,
  troubleshootMarkdown,
  troubleshootTitle,
} from '../../extension/connections/troubleshootReport';
import { columnsOf } from '../../extension/panels/columns';

const dir = (o: Partial<DirectoryDefinition>): DirectoryDefinition => ({
  kind: 'openldap',
  urls: ['ldap://h:389'],
  baseDn: 'dc=x',
  bindDn: 'cn=b,dc=x',
  userFilter: '(uid={0})',
  groupMode: 'recursive',
  startTls: false,
  verifyTls: true,
  ...o,
});

describe('first-use walkthrough: words and rules', () => {
  it('the default user filters accept a login name and an email-style name; they are the first preset of each kind', () => {
    assert.equal(OPENLDAP_DEFAULTS.userFilter, '(|(uid={0})(mail={0}))');
    assert.equal(AD_DEFAULTS.userFilter, '(|(sAMAccountName={0})(userPrincipalName={0}))');
    assert.equal(USER_FILTER_PRESETS.find((p) => p.kind === 'openldap')!.filter, OPENLDAP_DEFAULTS.userFilter);
    assert.equal(USER_FILTER_PRESETS.find((p) => p.kind === 'ad')!.filter, AD_DEFAULTS.userFilter);
    assert.equal(acceptsEmail(OPENLDAP_DEFAULTS.userFilter), true);
    assert.equal(acceptsEmail('(uid={0})'), false);
    assert.match(userFilterMatches('(uid={0})', 'openldap'), /not an email address/);
    assert.match(userFilterMatches('(&(objectClass=person)(mail={0}))', 'openldap'), /an email address/);
  });

  it('DOMAIN\\user is the user in the domain (AD), typed or escaped; other names pass unchanged', () => {
    assert.equal(withoutDomain('EXAMPLE\\alice'), 'alice');
    assert.equal(withoutDomain('EXAMPLE\\5calice', true), 'alice');
    assert.equal(withoutDomain('alice@example.test'), 'alice@example.test');
    assert.equal(withoutDomain('a\\b\\c'), 'a\\b\\c');
    // and it is still escaped into the filter: no injection through the part after the backslash
    assert.equal(
      fillFilter(AD_DEFAULTS.userFilter, withoutDomain('EX\\*)(x=1')),
      '(|(sAMAccountName=\\2a\\29\\28x=1)(userPrincipalName=\\2a\\29\\28x=1))',
    );
  });

  it('the fix offered for each refusal; none for what an admin does not fix in the directory', () => {
    assert.deepEqual(fixesFor('AccountLocked'), ['unlock']);
    assert.deepEqual(fixesFor('AccountDisabled'), ['enable']);
    assert.deepEqual(fixesFor('PasswordExpired'), ['setPassword']);
    assert.deepEqual(fixesFor('PasswordChangeRequired'), ['setPassword']);
    for (const n of ['WrongPassword', 'WrongUsername', 'AccountExpired', undefined]) assert.deepEqual(fixesFor(n), []);
  });

  it('TLS in the editor\'s words: plain ldap:// without StartTLS is "not encrypted"', () => {
    assert.match(tlsWords(dir({})), /^\*\*not encrypted\*\*/);
    assert.equal(tlsWords(dir({ startTls: true })), 'StartTLS, certificate verified');
    assert.equal(tlsWords(dir({ urls: ['ldaps://h'], verifyTls: false })), 'LDAPS, **certificate NOT verified**');
    assert.match(tlsWords(dir({ urls: ['ldaps://a', 'ldap://b'] })), /not encrypted\*\* on ldap:\/\/b/);
    // the scheme is case-insensitive (RFC 3986), as the wizard and the warnings read it: never "LDAPS" for it
    assert.match(tlsWords(dir({ urls: ['LDAP://h'] })), /^\*\*not encrypted\*\*/);
  });

  it('the wizard asks which CA to trust only where TLS is used, and names that TLS', () => {
    assert.equal(tlsInUse(['ldap://h'], false), undefined, 'plain ldap://: no certificate, no CA question');
    assert.equal(tlsInUse(['ldap://h'], true), 'StartTLS');
    assert.equal(tlsInUse(['LDAPS://h'], false), 'ldaps://');
    assert.equal(tlsInUse(['ldaps://a', 'ldap://b'], false), 'ldaps://');
    assert.equal(tlsInUse(['ldaps://a', 'ldap://b'], true), 'ldaps:// and StartTLS');
  });

  it("troubleshoot: the title counts warnings, the report is in the editor's words, nothing cut", () => {
    const steps = [
      {
        step: 'TLS',
        status: 'warn',
        detail: 'the directory connection is NOT encrypted (ldap://h)',
        hint: 'use ldaps:// or LDAP_STARTTLS so that passwords do not cross the network in clear',
        ms: 3,
      },
      { step: 'Bind', status: 'pass', detail: 'ok', ms: 1 },
    ];
    assert.equal(troubleshootTitle('x', steps), 'Troubleshoot x: 1 warning, no failure');
    assert.equal(troubleshootTitle('x', [steps[1]]), 'Troubleshoot x: all checks passed');
    assert.equal(
      troubleshootTitle('x', [{ ...steps[1], status: 'fail' }, steps[0], steps[0]]),
      'Troubleshoot x: 1 problem found, 2 warnings',
    );
    const md = troubleshootMarkdown('x', steps);
    assert.match(
      md,
      /use an ldaps:\/\/ URL, or turn StartTLS on with Edit Connection, so that passwords do not cross the network in clear/,
    );
    assert.doesNotMatch(md, /LDAP_/);
    assert.equal(inEditorWords('check LDAP_BASE'), 'check the base DN');
  });

  it('plurals, and the columns of "every attribute" in order of appearance', () => {
    assert.equal(plural(1, 'connection'), '1 connection');
    assert.equal(plural(0, 'connector instance'), '0 connector instances');
    assert.deepEqual(
      columnsOf(
        [
          { dn: 'a', cn: 'x', mail: 'm' },
          { dn: 'b', uid: 'u', cn: 'y' },
        ],
        ['sn'],
      ),
      ['sn', 'cn', 'mail', 'uid'],
    );
  });
});
