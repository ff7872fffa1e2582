import * as assert from 'node:assert/strict';
import { defaultProfile, organizationUnitsOf } from '../../connector/directory/profile';

describe("default profile: the deployed connector's default-mapper fields", () => {
  const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const entry = {
    dn: 'CN=Ann Lee,OU=Sales,OU=Europe,DC=example,DC=test',
    objectGUID: guid,
    cn: 'Ann Lee',
    displayName: 'Ann Lee (Sales)',
    sn: 'Lee',
    givenName: 'Ann',
    sAMAccountName: 'ann',
    mail: 'ann@example.test',
    st: 'Bavaria',
    description: 'Account manager',
    postalCode: '80331',
    telephoneNumber: '+49 89 1234',
    distinguishedName: 'CN=Ann Lee,OU=Sales,OU=Europe,DC=example,DC=test',
    co: 'Germany',
    department: 'Sales',
    company: 'Example GmbH',
    mailNickname: 'ann.lee',
    sAMAccountType: '805306368',
    userPrincipalName: 'ann@example.test',
    manager: 'CN=Bob Boss,OU=Sales,OU=Europe,DC=example,DC=test',
  };

  it('carries every field where the directory has the attribute', () => {
    const p = defaultProfile(entry, ['sales']) as Record<string, unknown>;
    assert.equal(p.id, '33221100-5544-7766-8899-aabbccddeeff');
    assert.equal(p.displayName, 'Ann Lee (Sales)');
    assert.deepEqual(p.name, { givenName: 'Ann', familyName: 'Lee' });
    assert.equal(p.nickname, 'ann');
    assert.deepEqual(p.groups, ['sales']);
    assert.deepEqual(p.emails, [{ value: 'ann@example.test' }]);
    assert.equal(p.dn, entry.dn);
    for (const k of [
      'st',
      'description',
      'postalCode',
      'telephoneNumber',
      'distinguishedName',
      'co',
      'department',
      'company',
      'mailNickname',
      'sAMAccountName',
      'sAMAccountType',
      'userPrincipalName',
      'manager',
    ] as const) {
      assert.equal(p[k], entry[k], k);
    }
    assert.deepEqual(p.organizationUnits, ['Sales', 'Europe']);
  });

  it('leaves out what the directory does not have; id falls back to uid then cn, nickname to uid then cn', () => {
    const p = defaultProfile({ dn: 'cn=x,dc=t', cn: 'x', uid: 'xu' }, []) as Record<string, unknown>;
    assert.equal(p.id, 'xu');
    assert.equal(p.nickname, 'xu');
    for (const k of ['st', 'department', 'manager', 'organizationUnits', 'sAMAccountName']) assert.ok(!(k in p), k);
    assert.equal(defaultProfile({ dn: 'cn=y,dc=t', cn: 'y' }, []).id, 'y');
  });

  it('organization units from the DN, escaped commas kept', () => {
    assert.deepEqual(organizationUnitsOf('CN=a,OU=R\\, D,ou=Labs,DC=x'), ['R, D', 'Labs']);
    assert.deepEqual(organizationUnitsOf('CN=a,CN=Users,DC=x'), []);
  });
});
