/**
 * "Find in This Container…" at all levels, on the engine the tree uses, against the real slapd and Samba AD (10,000
 * users each): a user two levels below the base is found, an injection typed in the box matches nothing at any
 * depth, and the tree's bound holds on Samba, which ignores size limits (the paged stream cuts it).
 */
import * as assert from 'node:assert/strict';
import type { Entry } from 'ldapts';
import { Directory } from '../../connector/directory';
import { FIND_ATTRIBUTES, findFilter } from '../../extension/tree/treeLogic';
import { SERVERS } from '../helpers/servers';

for (const server of SERVERS) {
  describe(`tree find at all levels on ${server.name}`, function () {
    let dir: Directory;
    before(() => {
      dir = new Directory(server.config());
    });
    after(() => dir.close());

    async function find(text: string, scope: 'one' | 'sub', limit?: number): Promise<Entry[]> {
      const out: Entry[] = [];
      for await (const page of dir.search({
        base: server.baseDn,
        scope,
        filter: findFilter(text, server.kind),
        attributes: ['objectClass', ...FIND_ATTRIBUTES[server.kind]],
        pageSize: 100,
        limit,
      }))
        out.push(...page);
      return out;
    }
    const user12 =
      server.kind === 'ad' ? /^CN=user12,CN=Users,DC=example,DC=test$/i : /^uid=user12,ou=people,dc=example,dc=test$/i;

    it('finds user12 two levels below the base; one level finds nothing', async () => {
      const sub = await find('user12', 'sub', 202);
      assert.ok(
        sub.some((e) => user12.test(e.dn)),
        sub
          .map((e) => e.dn)
          .slice(0, 5)
          .join(' | '),
      );
      // user12, user120-129, user1200-1299: 111 on both servers
      assert.equal(sub.filter((e) => /^(uid|cn)=user12\d*,/i.test(e.dn)).length, 111);
      assert.deepEqual(await find('user12', 'one'), []);
    });

    it('an injection typed as text matches nothing at any depth (RFC 4515 escaping)', async () => {
      const attr = server.kind === 'ad' ? 'sAMAccountName' : 'uid';
      assert.deepEqual(await find(`*)(${attr}=*`, 'sub', 202), []);
      // a "*" is a star: only the one entry with a star in its name (the fixture's "we(ird)*\\name"), not all
      const stars = await find('*', 'sub', 202);
      assert.equal(stars.length, 1, stars.map((e) => e.dn).join(' | '));
      assert.match(JSON.stringify(stars[0]), /we\(ird\)\*/i);
      // the same text unescaped would have matched every user: the filter really is the escaped one
      assert.match(findFilter(`*)(${attr}=*`, server.kind), /\\2a\\29\\28/);
    });

    it('stops at the bound the tree asks for, though 1,111 users match (Samba ignores size limits)', async () => {
      const t0 = performance.now();
      const cut = await find('user1', 'sub', 202);
      const ms = performance.now() - t0;
      assert.equal(cut.length, 202);
      console.log(`      ${server.name}: find "user1" at all levels, cut at 202, ${Math.round(ms)} ms`);
    });
  });
}
