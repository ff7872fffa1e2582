/**
 * A group read by its DN (a memberOf value) on the real slapd, through a proxy that can act between the user's find
 * and that read. A group deleted in between is skipped and the others are kept; a directory that stops answering or
 * goes away or answers "busy" at that moment fails the request with its named error, never a silently shorter
 * group list. Both read
 * paths: the group cache on (every memberOf group read by DN) and off (a memberOf group outside the groups base).
 */
import * as assert from 'node:assert/strict';
import { AlreadyExistsError, Client, NoSuchObjectError } from 'ldapts';
import { Directory, type DirectoryConfigInput } from '../../connector/directory';
import { startLdapProxy, type LdapProxy, type Verdict } from '../helpers/ldapProxy';
import { rejectsWith, SLAPD } from '../helpers/servers';

const BASE = SLAPD.baseDn;
const TAG = `${process.pid}`;
const UID = `tree-${TAG}`;
const PASSWORD = 'Passw0rd!Tree9';
const USER_DN = `cn=Tree Reader ${TAG},ou=people,${BASE}`;
const KEPT = `cn=tree-kept-${TAG},ou=groups,${BASE}`;
const GONE = `cn=tree-gone-${TAG},ou=groups,${BASE}`;
const { hostname, port } = new URL(SLAPD.url);

const modes: Array<[string, Partial<DirectoryConfigInput>]> = [
  ['group cache on', { groupsCacheSeconds: 60 }],
  // the search under this base finds only KEPT: GONE, also in the user's memberOf, is read by its DN
  ['group cache off', { groupsCacheSeconds: 0, groupsBaseDn: KEPT }],
];

/** What the proxy does to the read of GONE, and the named error the request must end with instead of fewer groups. */
const failures: Array<{
  what: string;
  verdict: Verdict;
  call: (dir: Directory) => Promise<unknown>;
  error: string;
  message: RegExp;
  reads: number;
}> = [
  {
    what: 'stops answering (a login)',
    verdict: 'drop',
    call: (dir) => dir.authenticate(UID, PASSWORD),
    error: 'OperationTimeoutError',
    message: /did not answer within 1000 ms/,
    reads: 1,
  },
  {
    what: 'goes away',
    verdict: 'close',
    call: (dir) => dir.groupsOfUser(UID),
    error: 'DirectoryUnavailableError',
    message: /connection to .* was lost/,
    reads: 2, // once, and once more on a fresh connection (the pool's one retry)
  },
  {
    what: 'answers "busy"',
    verdict: 'busy',
    call: (dir) => dir.groupsOfUser(UID),
    error: 'DirectoryBusyError',
    message: new RegExp(`Reading the group ${GONE} failed: .*LDAP result 51`),
    reads: 1,
  },
];

describe('a group read by its DN: deleted is skipped, any other failure is named', function () {
  this.timeout(30_000);
  let admin: Client;
  let proxy: LdapProxy;
  /** base DNs of the group reads that reached the proxy */
  let reads: string[];
  const onGone = (verdict: (dn: string) => Verdict | Promise<Verdict>) => {
    proxy.onSearch = (dn) => {
      if (dn.toLowerCase() !== GONE.toLowerCase()) return 'forward';
      reads.push(dn);
      return verdict(dn);
    };
  };
  const addGone = async () => {
    try {
      await admin.add(GONE, { objectClass: 'groupOfNames', cn: `tree-gone-${TAG}`, member: USER_DN });
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  };
  const del = async (dn: string) => {
    try {
      await admin.del(dn);
    } catch (e) {
      if (!(e instanceof NoSuchObjectError)) throw e;
    }
  };
  const directory = (extra: Partial<DirectoryConfigInput>) =>
    new Directory(SLAPD.config({ urls: [proxy.url], operationTimeoutMs: 1000, ...extra }));
  const names = async (dir: Directory) => (await dir.groupsOfUser(UID)).map((g) => g.name);
  /** A Directory through the proxy, whose read of GONE gets `verdict`, for the length of `body`. */
  const withDirectory = async (
    extra: Partial<DirectoryConfigInput>,
    verdict: (dn: string) => Verdict | Promise<Verdict>,
    body: (dir: Directory) => Promise<void>,
  ) => {
    onGone(verdict);
    const dir = directory(extra);
    try {
      await body(dir);
    } finally {
      await dir.close();
    }
  };

  before(async () => {
    admin = new Client({ url: SLAPD.url });
    await admin.bind(SLAPD.bindDn, SLAPD.bindPassword);
    for (const dn of [GONE, KEPT, USER_DN]) await del(dn); // a run killed before its cleanup
    await admin.add(USER_DN, {
      objectClass: 'inetOrgPerson',
      cn: `Tree Reader ${TAG}`,
      sn: 'Reader',
      uid: UID,
      userPassword: PASSWORD,
    });
    await admin.add(KEPT, { objectClass: 'groupOfNames', cn: `tree-kept-${TAG}`, member: USER_DN });
    proxy = await startLdapProxy({ host: hostname, port: Number(port) }, () => 'forward');
  });
  beforeEach(async () => {
    reads = [];
    proxy.onSearch = () => 'forward';
    await addGone();
  });
  after(async () => {
    await proxy?.close();
    for (const dn of [GONE, KEPT, USER_DN]) await del(dn);
    await admin.unbind();
  });

  for (const [mode, extra] of modes) {
    describe(mode, () => {
      it('with nothing in the way, both groups are found (GONE read by its DN)', async () => {
        await withDirectory(
          extra,
          () => 'forward',
          async (dir) => {
            assert.deepEqual(await names(dir), [`tree-gone-${TAG}`, `tree-kept-${TAG}`]);
            assert.equal(reads.length, 1);
          },
        );
      });

      it('a group that reads back empty (hidden from the service account) is kept by its name, not dropped', async () => {
        await withDirectory(
          extra,
          () => 'empty',
          async (dir) => {
            assert.deepEqual(await names(dir), [`tree-gone-${TAG}`, `tree-kept-${TAG}`]);
            assert.equal(reads.length, 1);
          },
        );
      });

      it('a group deleted after the user was found is skipped, the other kept', async () => {
        await withDirectory(
          extra,
          async (dn) => {
            await admin.del(dn);
            return 'forward' as const;
          },
          async (dir) => {
            assert.deepEqual(await names(dir), [`tree-kept-${TAG}`]);
            assert.equal(reads.length, 1, 'the deleted group was asked for, and answered NoSuchObject');
          },
        );
      });

      for (const f of failures) {
        it(`a directory that ${f.what} during the group read: ${f.error}`, async () => {
          await withDirectory(
            extra,
            () => f.verdict,
            async (dir) => {
              const err = await rejectsWith(f.call(dir), f.error);
              assert.match(err.message, f.message);
              assert.equal(reads.length, f.reads);
            },
          );
        });
      }
    });
  }
});
