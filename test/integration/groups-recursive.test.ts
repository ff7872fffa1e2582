/**
 * Nested groups on OpenLDAP (the `recursive` mode), exactly: the fixture's memberships are known, so each user's
 * full set is checked, not only that some group is in it. With memberOf on the user entry, one search finds the
 * direct groups and their parents together; a memberOf group the search cannot see (outside the groups base) is
 * still read by its DN; and a login costs three LDAP operations (find, bind, groups), not one more per level.
 */
import * as assert from 'node:assert/strict';
import { Directory } from '../../connector/directory';
import { SLAPD } from '../helpers/servers';

const BASE = SLAPD.baseDn;
const names = async (dir: Directory, user: string) => (await dir.groupsOfUser(user)).map((g) => g.name);

/** LDAP operations sent so far on every connection of both pools (ldapts numbers each message it sends). */
function operations(dir: Directory): number {
  let n = 0;
  for (const pool of ['searchPool', 'bindPool']) {
    for (const conn of (dir as unknown as Record<string, { open: Set<{ client: { messageId: number } }> }>)[pool].open)
      n += conn.client.messageId;
  }
  return n;
}

describe('nested groups on OpenLDAP (recursive mode), exactly', () => {
  let dir: Directory;
  before(() => {
    dir = new Directory(SLAPD.config({ groupsCacheSeconds: 0 }));
  });
  after(() => dir.close());

  const expected: Record<string, string[]> = {
    alice: ['engineers', 'staff'],
    bob: ['engineers', 'loop-a', 'loop-b', 'staff'],
    zoë: ['staff'],
    'we(ird)*\\name': [],
    user1: ['group1'],
    user100: ['group0'],
    user4242: ['group42'],
  };
  for (const [user, groups] of Object.entries(expected)) {
    it(`${user}: ${groups.join(', ') || 'no group'}`, async () => {
      assert.deepEqual((await names(dir, user)).sort(), groups);
    });
  }

  it('a memberOf group outside the groups base is still found (read by its DN), with its parents inside the base', async () => {
    // only cn=staff is under this base: engineers (alice's memberOf) is not, its parent staff is
    const narrow = new Directory(SLAPD.config({ groupsCacheSeconds: 0, groupsBaseDn: `cn=staff,ou=groups,${BASE}` }));
    try {
      assert.deepEqual((await names(narrow, 'alice')).sort(), ['engineers', 'staff']);
    } finally {
      await narrow.close();
    }
  });

  it('a login of a user in one group with no parent costs three LDAP operations: find, bind, groups', async () => {
    await dir.authenticate('user7', 'Passw0rd!User'); // pools open and bound
    const before = operations(dir);
    const r = await dir.authenticate('user8', 'Passw0rd!User');
    assert.deepEqual(r.profile.groups, ['group8']);
    assert.equal(operations(dir) - before, 3);
  });
});

describe('nested groups on OpenLDAP with the group cache on: each group read once, logins resolve from memory', () => {
  let dir: Directory;
  before(() => {
    dir = new Directory(SLAPD.config({ groupsCacheSeconds: 60 }));
  });
  after(() => dir.close());

  it('the same exact sets as without the cache, cycles included', async () => {
    for (const user of ['alice', 'bob', 'zoë', 'we(ird)*\\name', 'user1', 'user100', 'user4242']) {
      const uncached = new Directory(SLAPD.config({ groupsCacheSeconds: 0 }));
      try {
        assert.deepEqual((await names(dir, user)).sort(), (await names(uncached, user)).sort(), user);
      } finally {
        await uncached.close();
      }
    }
    assert.deepEqual((await names(dir, 'bob')).sort(), ['engineers', 'loop-a', 'loop-b', 'staff']);
  });

  it('a memberOf group outside the groups base is found with its parents', async () => {
    const narrow = new Directory(SLAPD.config({ groupsCacheSeconds: 60, groupsBaseDn: `cn=staff,ou=groups,${BASE}` }));
    try {
      assert.deepEqual((await names(narrow, 'alice')).sort(), ['engineers', 'staff']);
    } finally {
      await narrow.close();
    }
  });

  it('a user never seen before, in a group already read, logs in with two LDAP operations: find and bind', async () => {
    await dir.authenticate('user7', 'Passw0rd!User'); // pools open and bound
    let before = operations(dir);
    const first = await dir.authenticate('user9', 'Passw0rd!User');
    assert.deepEqual(first.profile.groups, ['group9']);
    assert.equal(operations(dir) - before, 3, 'find, bind, and group9 read once');
    before = operations(dir);
    const other = await dir.authenticate('user109', 'Passw0rd!User'); // also in group9, never logged in
    assert.deepEqual(other.profile.groups, ['group9']);
    assert.equal(operations(dir) - before, 2);
  });
});
