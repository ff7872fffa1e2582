/**
 * The default profile on both real directories carries the fields of the deployed connector's default mapper where
 * the directory has the attribute, so identity-service rules written against it keep working.
 */
import * as assert from 'node:assert/strict';
import { Directory } from '../../connector/directory';
import { SAMBA, SLAPD } from '../helpers/servers';
import { PW } from '../helpers/fixtures';

describe('default profile compatible with the deployed connector', function () {
  this.timeout(30_000);

  it('Active Directory (Samba): id GUID, names, nickname sAMAccountName, emails, dn and the AD attributes', async () => {
    const dir = new Directory(SAMBA.config());
    try {
      const p = (await dir.authenticate('alice', PW.alice)).profile as Record<string, any>;
      assert.match(p.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(p.displayName, 'Alice Smith');
      assert.deepEqual(p.name, { givenName: 'Alice', familyName: 'Smith' });
      assert.equal(p.nickname, 'alice');
      assert.deepEqual(p.emails, [{ value: 'alice@example.test' }]);
      for (const g of SAMBA.aliceGroups) assert.ok(p.groups.includes(g), `${g} missing from ${p.groups}`);
      assert.equal(p.dn, 'CN=Alice Smith,CN=Users,DC=example,DC=test');
      assert.equal(p.distinguishedName, p.dn);
      assert.equal(p.sAMAccountName, 'alice');
      assert.equal(p.sAMAccountType, '805306368');
      assert.equal(p.userPrincipalName, 'alice@example.test');
      // alice sits in CN=Users, a container and not an OU; Samba has no st, co, department... for her
      for (const k of ['organizationUnits', 'st', 'co', 'department', 'company', 'postalCode', 'manager'])
        assert.ok(!(k in p), k);
    } finally {
      await dir.close();
    }
  });

  it('OpenLDAP (slapd): id from uid, nickname from uid, organizationUnits from the DN', async () => {
    const dir = new Directory(SLAPD.config());
    try {
      const p = (await dir.authenticate('alice', PW.alice)).profile as Record<string, any>;
      assert.equal(p.id, 'alice');
      assert.equal(p.nickname, 'alice');
      assert.equal(p.displayName, 'Alice Smith');
      assert.deepEqual(p.name, { givenName: 'Alice', familyName: 'Smith' });
      assert.deepEqual(p.emails, [{ value: 'alice@example.test' }]);
      assert.equal(p.dn, 'cn=Alice Smith,ou=people,dc=example,dc=test');
      assert.deepEqual(p.organizationUnits, ['people']);
      assert.deepEqual([...p.groups].sort(), SLAPD.aliceGroups);
      for (const k of ['sAMAccountName', 'sAMAccountType', 'distinguishedName', 'userPrincipalName'])
        assert.ok(!(k in p), k);
    } finally {
      await dir.close();
    }
  });
});
