/** The directory tree's rules without a server (issue 14, point 6): children, counts, DNs, the find filter, paging. */
import * as assert from 'node:assert/strict';
import {
  boundedCount,
  chainBelow,
  countLabel,
  findFilter,
  isContainerClass,
  isUnder,
  listedCount,
  looksLikeDn,
  normalizeDn,
  parentDn,
  placeBelow,
  rdns,
  scopeWords,
  subordinatesOf,
} from '../../extension/tree/treeLogic';
import { findFilterProblem } from '../../connector/directory';
import { ChildPager } from '../../extension/tree/childPager';
import { checkEntryMessage, entryRefOf } from '../../extension/panels/messageChecks';

describe('tree: which entries have children', () => {
  it('OpenLDAP hasSubordinates decides, in either case', () => {
    assert.deepEqual(subordinatesOf({ dn: 'x', hasSubordinates: 'FALSE' }), { has: false });
    assert.deepEqual(subordinatesOf({ dn: 'x', hassubordinates: 'TRUE' }), { has: true });
  });
  it('numSubordinates gives an exact count, and 0 is a leaf', () => {
    assert.deepEqual(subordinatesOf({ dn: 'x', numSubordinates: '10000' }), {
      has: true,
      count: { n: 10000, kind: 'exact' },
    });
    assert.deepEqual(subordinatesOf({ dn: 'x', numSubordinates: '0', hasSubordinates: 'TRUE' }), {
      has: false,
      count: { n: 0, kind: 'exact' },
    });
  });
  it("AD's msDS-Approx-Immed-Subordinates is an estimate; hasSubordinates beside it wins", () => {
    assert.deepEqual(subordinatesOf({ dn: 'x', 'msDS-Approx-Immed-Subordinates': '9800' }), {
      has: true,
      count: { n: 9800, kind: 'approx' },
    });
    assert.deepEqual(subordinatesOf({ dn: 'x', 'msDS-Approx-Immed-Subordinates': '0' }), {
      has: false,
      count: undefined,
    });
    assert.equal(subordinatesOf({ dn: 'x', 'msDS-Approx-Immed-Subordinates': '0', hasSubordinates: 'TRUE' }).has, true);
  });
  it('a server that says nothing (Samba AD) leaves it unknown', () => {
    assert.deepEqual(subordinatesOf({ dn: 'x', objectClass: ['top', 'user'] }), { has: undefined });
  });
  it('containers by object class (shown expandable without a probe), users and groups not', () => {
    assert.equal(isContainerClass({ dn: 'x', objectClass: ['top', 'container'] }), true);
    assert.equal(isContainerClass({ dn: 'x', objectClass: ['top', 'organizationalUnit'] }), true);
    assert.equal(isContainerClass({ dn: 'x', objectClass: ['top', 'builtinDomain'] }), true);
    assert.equal(isContainerClass({ dn: 'x', objectclass: 'msDS-QuotaContainer' }), true);
    assert.equal(isContainerClass({ dn: 'x', objectClass: ['top', 'person', 'user', 'computer'] }), false);
    assert.equal(isContainerClass({ dn: 'x', objectClass: ['top', 'group'] }), false);
    assert.equal(isContainerClass({ dn: 'x' }), false);
  });
});

describe('tree: counts in words', () => {
  it('exact, estimated and bounded counts read differently', () => {
    assert.equal(countLabel({ n: 1, kind: 'exact' }), '1 entry');
    assert.equal(countLabel({ n: 0, kind: 'exact' }), '0 entries');
    assert.equal(countLabel({ n: 10000, kind: 'exact' }), '10,000 entries');
    assert.equal(countLabel({ n: 9800, kind: 'approx' }), 'about 9,800 entries');
    assert.equal(countLabel({ n: 1000, kind: 'atLeast' }), '1,000+ entries');
  });
  it('a bounded count is exact below its bound and "max+" past it', () => {
    assert.deepEqual(boundedCount(4, 1000), { n: 4, kind: 'exact' });
    assert.deepEqual(boundedCount(1000, 1000), { n: 1000, kind: 'exact' });
    assert.deepEqual(boundedCount(1001, 1000), { n: 1000, kind: 'atLeast' });
  });
  it('a listing says "at least" until it reached the end', () => {
    assert.equal(countLabel(listedCount(100, false)), '100+ entries');
    assert.equal(countLabel(listedCount(37, true)), '37 entries');
  });
});

describe('tree: DNs', () => {
  it('splits RDNs at unescaped commas only', () => {
    assert.deepEqual(rdns('cn=Smith\\, John,ou=people,dc=example,dc=test'), [
      'cn=Smith\\, John',
      'ou=people',
      'dc=example',
      'dc=test',
    ]);
    assert.deepEqual(rdns('cn=a\\5c,dc=b'), ['cn=a\\5c', 'dc=b']);
    assert.deepEqual(rdns(''), []);
  });
  it('parents, and none above the top', () => {
    assert.equal(parentDn('uid=a, ou=people,dc=example,dc=test'), 'ou=people,dc=example,dc=test');
    assert.equal(parentDn('cn=Smith\\, John,dc=test'), 'dc=test');
    assert.equal(parentDn('dc=test'), undefined);
  });
  it('compares DNs as the directory does: case and spaces around "=" and "," do not matter', () => {
    assert.equal(
      normalizeDn('CN=Alice Smith , CN = Users,DC=Example,DC=test'),
      'cn=alice smith,cn=users,dc=example,dc=test',
    );
    assert.equal(isUnder('CN=user1,CN=Users,DC=example,DC=test', 'dc=example, dc=test'), true);
    assert.equal(isUnder('dc=example,dc=test', 'dc=example,dc=test'), true);
    assert.equal(isUnder('cn=x,dc=other,dc=test', 'dc=example,dc=test'), false);
    assert.equal(isUnder('dc=test', 'dc=example,dc=test'), false);
    // a suffix of the string is not a suffix of the DN
    assert.equal(isUnder('cn=x,dc=badexample,dc=test', 'dc=example,dc=test'), false);
  });
  it('the path from just below the base down to the entry', () => {
    assert.deepEqual(chainBelow('uid=a,ou=people,dc=example,dc=test', 'dc=example,dc=test'), [
      'ou=people,dc=example,dc=test',
      'uid=a,ou=people,dc=example,dc=test',
    ]);
    assert.deepEqual(chainBelow('dc=example,dc=test', 'dc=example,dc=test'), []);
    assert.equal(chainBelow('cn=x,dc=other', 'dc=example,dc=test'), undefined);
  });
  it('tells a DN from a login name', () => {
    assert.equal(looksLikeDn('uid=alice,ou=people,dc=example,dc=test'), true);
    assert.equal(looksLikeDn(' CN = Alice'), true);
    assert.equal(looksLikeDn('2.5.4.3=Alice'), true);
    assert.equal(looksLikeDn('alice'), false);
    assert.equal(looksLikeDn('alice@example.test'), false);
    assert.equal(looksLikeDn('EXAMPLE\\alice'), false);
  });
});

describe('tree: the find filter', () => {
  it('matches the text anywhere in the names an admin knows, per kind', () => {
    assert.equal(
      findFilter('user12', 'openldap'),
      '(|(cn=*user12*)(uid=*user12*)(mail=*user12*)(ou=*user12*)(displayName=*user12*))',
    );
    assert.equal(
      findFilter(' Smith ', 'ad'),
      '(|(name=*Smith*)(sAMAccountName=*Smith*)(userPrincipalName=*Smith*)(mail=*Smith*)(displayName=*Smith*))',
    );
  });
  it('escapes the text per RFC 4515: an injection stays a literal', () => {
    const f = findFilter('*)(objectClass=*', 'openldap');
    assert.equal(f.includes('(cn=*\\2a\\29\\28objectClass=\\2a*)'), true, f);
    assert.equal(findFilterProblem(f), undefined);
    assert.equal(findFilter('a\\b', 'ad').includes('(name=*a\\5cb*)'), true);
  });
  it('a text starting with "(" is taken as an LDAP filter, as typed', () => {
    assert.equal(findFilter('(sn=Smith)', 'ad'), '(sn=Smith)');
  });
});

describe('tree: a find at all levels says where each match sits', () => {
  it('names the RDNs between the container and the match, from the top down', () => {
    assert.equal(placeBelow('uid=user12,ou=people,dc=example,dc=test', 'dc=example,dc=test'), 'in ou=people');
    assert.equal(placeBelow('cn=a,ou=sales,ou=emea,dc=x', 'DC=X'), 'in ou=emea › ou=sales');
    assert.equal(placeBelow('CN=a\\, b,OU=x\\,y,DC=x', 'dc=x'), 'in OU=x\\,y');
  });
  it('a child of the container itself is "directly below"', () => {
    assert.equal(placeBelow('ou=people,dc=example,dc=test', 'dc=example,dc=test'), 'directly below');
  });
  it('says the scope in words', () => {
    assert.equal(scopeWords('sub'), 'all levels');
    assert.equal(scopeWords('one'), 'one level');
  });
});

describe('tree: a container read page by page', () => {
  const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ dn: `uid=u${i + 1},ou=people,dc=x` }));
  /** A listing as the engine streams it: pages of `size`; counts how often it was opened. */
  function listing(all: Array<{ dn: string }>, size = 100) {
    const opened = { count: 0, closed: 0 };
    const open = async () => {
      opened.count++;
      return (async function* () {
        try {
          for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
        } finally {
          opened.closed++;
        }
      })();
    };
    return { open, opened };
  }
  const dns = (l: Array<{ dn: string }>) => l.map((e) => e.dn);

  it('gives pages of 100, then the short last page, then says it reached the end', async () => {
    const { open } = listing(entries(250));
    const p = new ChildPager(open, 100, 60_000);
    assert.equal((await p.next()).length, 100);
    assert.equal(p.exhausted, false);
    assert.deepEqual(dns(await p.next()).slice(0, 1), ['uid=u101,ou=people,dc=x']);
    const last = await p.next();
    assert.equal(last.length, 50);
    assert.equal(p.exhausted, true);
    assert.equal(p.isOpen, false, 'the connection is let go at the end');
  });

  it('a listing of exactly two pages ends with an empty third', async () => {
    const p = new ChildPager(listing(entries(200)).open, 100, 60_000);
    await p.next();
    await p.next();
    assert.equal(p.exhausted, false);
    assert.deepEqual(await p.next(), []);
    assert.equal(p.exhausted, true);
  });

  it('let go when idle, it reads again from the start and skips what it gave', async () => {
    const { open, opened } = listing(entries(250));
    const p = new ChildPager(open, 100, 5);
    await p.next();
    await p.next();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(p.isOpen, false, 'the idle listing was closed');
    assert.equal(opened.closed, 1);
    const rest = await p.next();
    assert.equal(opened.count, 2);
    assert.deepEqual(dns(rest), dns(entries(250).slice(200)));
    assert.equal(p.exhausted, true);
  });

  it('an entry shown by Go to DN is not given again when its page comes (DNs compared as the directory does)', async () => {
    const p = new ChildPager(listing(entries(150)).open, 100, 60_000);
    p.remember('UID=u2, OU=People,DC=x');
    const first = await p.next();
    assert.equal(first.length, 99);
    assert.ok(!dns(first).includes('uid=u2,ou=people,dc=x'));
  });

  it('an empty container ends at once', async () => {
    const p = new ChildPager(listing([]).open, 100, 60_000);
    assert.deepEqual(await p.next(), []);
    assert.equal(p.exhausted, true);
  });
});

describe("tree: the entry view's messages", () => {
  it('takes ready, query, goToDn and reread; refuses anything else', () => {
    for (const type of ['ready', 'query', 'goToDn', 'reread']) assert.equal(checkEntryMessage({ type }).ok, true, type);
    assert.equal(checkEntryMessage({ type: 'run' }).ok, false);
    assert.equal(checkEntryMessage('query').ok, false);
  });
  it('the state kept for a reload gives back only a connection and a DN, or nothing', () => {
    const dn = 'uid=alice,ou=people,dc=example,dc=test';
    assert.deepEqual(entryRefOf({ connection: 'corp', dn, password: 'x' }), { connection: 'corp', dn });
    for (const bad of [undefined, null, 'corp', [], {}, { connection: 'corp' }, { connection: '', dn }])
      assert.equal(entryRefOf(bad), undefined, JSON.stringify(bad));
    assert.equal(entryRefOf({ connection: 'c'.repeat(64), dn }), undefined, 'a name longer than any connection');
    assert.equal(entryRefOf({ connection: 'corp', dn: 7 }), undefined);
  });
});
