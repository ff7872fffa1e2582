import * as assert from 'node:assert/strict';
import {
  problemsOf,
  splitList,
  toConnectorConfig,
  validate,
  type ConnectionDefinition,
} from '../../extension/connections/model';

const good: ConnectionDefinition = {
  name: 'corp',
  emailDomains: ['example.com'],
  kerberosRanges: ['10.0.0.0/8', 'fd00::/8'],
  cacheEnabled: true,
  directory: {
    kind: 'ad',
    urls: ['ldaps://dc1.example.com', 'ldaps://dc2.example.com:636'],
    baseDn: 'DC=example,DC=com',
    bindDn: 'svc@example.com',
    userFilter: '(sAMAccountName={0})',
    groupMode: 'in-chain',
    startTls: false,
    verifyTls: true,
  },
};

describe('connection model validation (what the input boxes say as you type)', () => {
  it('names', () => {
    assert.equal(validate.name('corp-ad'), undefined);
    assert.match(String(validate.name('Corp')), /lowercase/);
    assert.match(String(validate.name('-x')), /lowercase/);
    assert.match(String(validate.name('corp', ['corp'])), /already exists/);
  });
  it('email domains and CIDR ranges, IPv4 and IPv6', () => {
    assert.equal(validate.emailDomains('example.com corp.example.co.uk'), undefined);
    assert.match(String(validate.emailDomains('example')), /not a domain/);
    assert.equal(validate.cidrs('10.0.0.0/8, 192.168.1.0/24 fd00::/8'), undefined);
    assert.match(String(validate.cidrs('10.0.0.0/33')), /at most \/32/);
    assert.match(String(validate.cidrs('10.0.0.0')), /not a CIDR/);
    assert.match(String(validate.cidrs('fd00::/129')), /at most \/128/);
    assert.match(String(validate.cidrs('300.0.0.0/8')), /not an IP/);
  });
  it('LDAP URLs, DNs, service accounts and user filters', () => {
    assert.equal(validate.ldapUrls('ldaps://a.example.com ldap://b:389'), undefined);
    assert.match(String(validate.ldapUrls('https://a')), /ldap:\/\/ or ldaps:\/\//);
    assert.match(String(validate.ldapUrls('ldap://a/dc=x')), /base DN in its own step/);
    assert.match(String(validate.ldapUrls('')), /At least one/);
    assert.equal(validate.dn('DC=example,DC=com'), undefined);
    assert.equal(validate.dn('cn=Smith\\, John,ou=people,dc=x'), undefined);
    assert.match(String(validate.dn('example.com')), /attribute=value/);
    assert.equal(validate.bindUser('svc@example.com'), undefined);
    assert.equal(validate.bindUser('EXAMPLE\\svc'), undefined);
    assert.equal(validate.bindUser('cn=bridge,ou=services,dc=x'), undefined);
    assert.equal(validate.userFilter('(|(uid={0})(mail={0}))'), undefined);
    assert.match(String(validate.userFilter('(uid=alice)')), /must contain \{0\}/);
    assert.match(String(validate.userFilter('(uid={0}')), /Missing "\)"/);
  });
  it('a whole definition, including hand-edited shapes, never throws', () => {
    assert.deepEqual(problemsOf(good), []);
    assert.ok(problemsOf({ ...good, directory: {} as never }).length >= 4);
    assert.ok(problemsOf({ name: 'x' } as never).some((p) => /emailDomains/.test(p)));
    assert.ok(problemsOf(null as never).length > 0);
  });
  it('splits lists on spaces, commas and semicolons', () => {
    assert.deepEqual(splitList(' a, b;c  d '), ['a', 'b', 'c', 'd']);
  });
  it('the connector config carries the settings and never a secret', () => {
    const c = toConnectorConfig(good);
    assert.deepEqual(c.LDAP_URL, good.directory.urls);
    assert.equal(c.LDAP_USER_BY_NAME, '(sAMAccountName={0})');
    assert.ok(!Object.keys(c).some((k) => /CREDENTIALS|SIGNING/.test(k)));
  });
});
