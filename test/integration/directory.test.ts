/**
 * The directory engine against the real servers: every account state, injection, groups, paging, password
 * changes, TLS, failover and a server restart. The same cases run on OpenLDAP and on Samba AD.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Directory } from '../../connector/directory';
import { rejectsWith, SERVERS } from '../helpers/servers';
import { PW } from '../helpers/fixtures';

for (const server of SERVERS) {
  describe(`directory engine on ${server.name}`, function () {
    let dir: Directory;
    before(() => {
      dir = new Directory(server.config());
    });
    after(() => dir.close());

    describe('logins: every account state gives its typed error', () => {
      for (const c of server.accounts) {
        it(`${c.username} / ${c.error ?? 'right password'}`, async () => {
          if (!c.error) {
            const r = await dir.authenticate(c.username, c.password);
            assert.equal(r.profile.nickname, c.username);
            assert.ok(r.dn);
            return;
          }
          const err = await rejectsWith(dir.authenticate(c.username, c.password), c.error);
          if (c.source) assert.match(String(err.source), c.source);
          // once the user is known, the error carries the profile (the protocol's {err, profile})
          if (c.error !== 'WrongUsername') assert.equal((err.profile as { nickname?: string }).nickname, c.username);
        });
      }

      it('refuses an empty password before any bind (an empty bind is anonymous and would succeed)', async () => {
        const err = await rejectsWith(dir.authenticate('alice', ''), 'WrongPassword');
        assert.match(err.message, /empty password/);
      });

      it('the profile follows the design: id, names, emails, groups, dn and AD attributes', async () => {
        const { profile } = await dir.authenticate('alice', PW.alice);
        assert.equal(profile.name.givenName, 'Alice');
        assert.equal(profile.name.familyName, 'Smith');
        assert.deepEqual(profile.emails, [{ value: 'alice@example.test' }]);
        assert.match(profile.dn, /^cn=Alice Smith,/i);
        if (server.kind === 'ad') {
          assert.match(profile.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
          assert.match(String(profile.objectSid), /^S-1-5-21-\d+-\d+-\d+-\d+$/);
          assert.equal(profile.sAMAccountName, 'alice');
          assert.equal(profile.userPrincipalName, 'alice@example.test');
        } else {
          assert.equal(profile.id, 'alice');
        }
        assert.ok(
          !JSON.stringify(profile).match(/userPassword|unicodePwd|Passw0rd/i),
          'no password material in a profile',
        );
      });

      it('reports the time of each stage', async () => {
        const { timings } = await dir.authenticate('alice', PW.alice);
        for (const k of ['searchMs', 'bindMs', 'groupsMs', 'totalMs'] as const) assert.ok(timings[k] >= 0, k);
        assert.ok(timings.totalMs >= timings.bindMs);
      });
    });

    describe('filter injection matches nothing it should not', () => {
      const attempts = [
        '*',
        '*)(uid=*',
        'admin)(|(uid=*',
        '\\',
        'al\0ice',
        'alice\0',
        '\u0430lice' /* Cyrillic a */,
        '\uff41lice' /* fullwidth a */,
        'ALICE*',
        '*)(sAMAccountName=*',
        'alice)(objectClass=*',
      ];
      for (const a of attempts) {
        it(`username ${JSON.stringify(a)} is not a wildcard`, async () => {
          await rejectsWith(dir.authenticate(a, PW.alice), 'WrongUsername');
        });
      }
      it('a password is never escaped or altered: the literal password with filter characters fails as a wrong password', async () => {
        await rejectsWith(dir.authenticate('alice', '*'), 'WrongPassword');
        await rejectsWith(dir.authenticate('alice', `${PW.alice}\\2a`), 'WrongPassword');
      });
      it('a name with ( ) in it logs in when escaped by us, and the caller may pass an already escaped name', async () => {
        const weird = server.accounts.find((a) => a.username.includes('('))!;
        await dir.authenticate(weird.username, weird.password);
        const escaped = weird.username.replace(/[*()\\]/g, (c) => '\\' + c.charCodeAt(0).toString(16));
        const r = await dir.authenticate(escaped, weird.password, { escaped: true });
        assert.equal(r.profile.nickname, weird.username);
      });
      it('an "already escaped" name that is not valid filter text is refused, not sent', async () => {
        await rejectsWith(dir.authenticate('x)(uid=*', 'p', { escaped: true }), 'InvalidFilterError');
      });
    });

    describe('groups', () => {
      it('nested groups: alice is in engineers, engineers in staff', async () => {
        const { profile } = await dir.authenticate('alice', PW.alice);
        for (const g of server.aliceGroups) assert.ok(profile.groups.includes(g), `${g} in ${profile.groups}`);
      });
      it('a membership cycle (loop-a in loop-b in loop-a) ends', async () => {
        const groups = (await dir.groupsOfUser('bob')).map((g) => g.name);
        assert.ok(groups.includes('loop-a') && groups.includes('loop-b'), String(groups));
      });
      if (server.kind === 'ad') {
        it('the primary group counts, with what it is nested in', async () => {
          const groups = (await dir.groupsOfUser('paula')).map((g) => g.name);
          assert.ok(groups.includes('contractors'), String(groups));
          assert.ok(!groups.includes('engineers'));
        });
        it('tokenGroups mode gives the same groups as the in-chain rule', async () => {
          const tg = new Directory(server.config({ groupMode: 'token-groups' }));
          try {
            for (const u of ['alice', 'paula', 'bob']) {
              const a = (await dir.groupsOfUser(u)).map((g) => g.name);
              const b = (await tg.groupsOfUser(u)).map((g) => g.name);
              for (const g of a) assert.ok(b.includes(g), `${u}: ${g} missing from tokenGroups ${b}`);
            }
          } finally {
            await tg.close();
          }
        });
      }
      it('group mode off returns no groups', async () => {
        const off = new Directory(server.config({ groupMode: 'off' }));
        try {
          assert.deepEqual((await off.authenticate('alice', PW.alice)).profile.groups, []);
        } finally {
          await off.close();
        }
      });
      it('lists groups with a limit', async () => {
        const groups = await dir.listGroups(3);
        assert.equal(groups.length, 3);
        const all = await dir.listGroups(0);
        assert.ok(all.some((g) => g.name === 'engineers'));
      });
    });

    describe('search', () => {
      it('paged search returns all 10,000 bulk users with flat memory', async function () {
        this.timeout(120000);
        const d = new Directory(
          server.config({
            searchAllFilter:
              server.kind === 'ad'
                ? '(&(objectClass=user)(sAMAccountName=user*))'
                : '(&(objectClass=person)(uid=user*))',
          }),
        );
        try {
          global.gc?.();
          const before = process.memoryUsage().heapUsed;
          let n = 0,
            peak = 0;
          for await (const page of d.searchUsers('', 0)) {
            n += page.length;
            peak = Math.max(peak, process.memoryUsage().heapUsed - before);
          }
          assert.equal(n, 10000);
          // one page of 500 profiles is a few MB; 10,000 retained would be far more
          assert.ok(peak < 60 * 1024 * 1024, `heap grew by ${(peak / 1048576).toFixed(1)} MB`);
        } finally {
          await d.close();
        }
      });
      it('a search term finds users; the limit is honoured', async () => {
        const pages: string[] = [];
        for await (const page of dir.searchUsers('ali', 10)) pages.push(...page.map((p) => String(p.nickname)));
        assert.ok(pages.includes('alice'), String(pages));
        let n = 0;
        for await (const page of dir.searchUsers('', 25)) n += page.length;
        assert.equal(n, 25);
      });
      it('a raw search streams pages and never returns password attributes', async () => {
        let n = 0;
        for await (const page of dir.search({
          base: server.baseDn,
          filter: '(objectClass=*)',
          attributes: ['*'],
          limit: 1200,
          pageSize: 300,
        })) {
          n += page.length;
          for (const e of page) assert.ok(!Object.keys(e).some((k) => /userPassword|unicodePwd/i.test(k)));
        }
        assert.equal(n, 1200);
      });
      it('stopping a stream early frees its connection', async () => {
        for (let i = 0; i < 10; i++) {
          for await (const page of dir.search({ base: server.baseDn, filter: '(objectClass=*)', pageSize: 50 })) {
            void page;
            break;
          }
        }
        assert.equal(dir.stats.search.busy, 0);
        await dir.authenticate('alice', PW.alice);
      });
      it('a malformed filter is refused with its position before anything is sent', async () => {
        const err = await rejectsWith(
          (async () => {
            for await (const p of dir.search({ base: server.baseDn, filter: '(&(uid=a)(cn=b)' })) void p;
          })(),
          'InvalidFilterError',
        );
        assert.match(err.message, /Missing "\)"/);
      });
    });

    describe('password changes', () => {
      const secure = () =>
        new Directory(
          server.config({ urls: [server.ldapsUrl], tls: { caFile: server.caFile }, unlockOnPasswordChange: true }),
        );
      it('resets a password (non-ASCII), the new one logs in, the old one does not', async () => {
        const d = secure();
        const { username, password } = server.changeable;
        const next = 'Nöü€-Pässwörd-1';
        try {
          await d.changePassword(username, next);
          await d.authenticate(username, next);
          await rejectsWith(d.authenticate(username, password), 'WrongPassword');
        } finally {
          await d.changePassword(username, password);
          await d.close();
        }
        await dir.authenticate(username, password);
      });
      it('a password the policy refuses gives PasswordComplexityError', async () => {
        const d = secure();
        try {
          await rejectsWith(d.changePassword(server.changeable.username, 'ab'), 'PasswordComplexityError');
        } finally {
          await d.close();
        }
      });
      it('a service account without rights gives InsufficientAccessRightsError', async () => {
        const d = new Directory(
          server.config({
            urls: [server.ldapsUrl],
            tls: { caFile: server.caFile },
            bindDn: server.weakBindDn,
            bindPassword: server.weakBindPassword,
          }),
        );
        try {
          await rejectsWith(d.changePassword('alice', 'Whatever-123'), 'InsufficientAccessRightsError');
        } finally {
          await d.close();
        }
      });
      if (server.kind === 'ad') {
        it('AD: refused over an unencrypted connection, with the reason', async () => {
          const err = await rejectsWith(
            dir.changePassword(server.changeable.username, 'Whatever-123'),
            'EncryptionRequiredError',
          );
          assert.match(err.message, /ldaps:\/\/ URL or StartTLS/);
        });
      }
    });

    describe('connections, TLS and failures', () => {
      it('LDAPS with the right CA works; verification is on by default', async () => {
        const ok = new Directory(server.config({ urls: [server.ldapsUrl], tls: { caFile: server.caFile } }));
        try {
          await ok.authenticate('alice', PW.alice);
        } finally {
          await ok.close();
        }
        const noCa = new Directory(server.config({ urls: [server.ldapsUrl] }));
        try {
          const err = await rejectsWith(noCa.authenticate('alice', PW.alice), 'TlsError');
          assert.match(err.message, /not signed by a trusted CA/);
        } finally {
          await noCa.close();
        }
      });
      it('a wrong CA gives a clear TLS error', async () => {
        const d = new Directory(server.config({ urls: [server.ldapsUrl], tls: { caFile: server.otherCaFile } }));
        try {
          const err = await rejectsWith(d.authenticate('alice', PW.alice), 'TlsError');
          assert.match(
            err.message,
            /TLS with ldaps:\/\/127\.0\.0\.1:\d+ failed: the certificate is not signed by the configured CA/,
          );
        } finally {
          await d.close();
        }
      });
      it('StartTLS upgrades an ldap:// connection and verifies it', async () => {
        const d = new Directory(server.config({ tls: { startTls: true, caFile: server.caFile } }));
        try {
          await d.authenticate('alice', PW.alice);
        } finally {
          await d.close();
        }
        const bad = new Directory(server.config({ tls: { startTls: true, caFile: server.otherCaFile } }));
        try {
          await rejectsWith(bad.authenticate('alice', PW.alice), 'TlsError');
        } finally {
          await bad.close();
        }
      });
      it('verification off works only when asked for', async () => {
        const d = new Directory(server.config({ urls: [server.ldapsUrl], tls: { verify: false } }));
        try {
          await d.authenticate('alice', PW.alice);
        } finally {
          await d.close();
        }
      });
      it('fails over to the next URL when the first does not answer', async () => {
        const d = new Directory(server.config({ urls: ['ldap://127.0.0.1:1', server.url] }));
        try {
          await d.authenticate('alice', PW.alice);
        } finally {
          await d.close();
        }
      });
      it('an unreachable directory gives DirectoryUnavailableError naming each URL', async () => {
        const d = new Directory(
          server.config({ urls: ['ldap://127.0.0.1:1', 'ldap://127.0.0.1:2'], connectTimeoutMs: 1000 }),
        );
        try {
          const err = await rejectsWith(d.authenticate('alice', PW.alice), 'DirectoryUnavailableError');
          assert.match(err.message, /127\.0\.0\.1:1.*127\.0\.0\.1:2/);
        } finally {
          await d.close();
        }
      });
      it('a wrong service account password gives ServiceBindError', async () => {
        const d = new Directory(server.config({ bindPassword: 'not-it' }));
        try {
          const err = await rejectsWith(d.authenticate('alice', PW.alice), 'ServiceBindError');
          assert.match(err.message, /service account/);
        } finally {
          await d.close();
        }
      });
      it('a profile mapper replaces the mapping; a throwing mapper names its file and line', async () => {
        const tmp = mkdtempSync(path.join(tmpdir(), 'mapper-'));
        const good = path.join(tmp, 'good.js');
        writeFileSync(
          good,
          'module.exports = function (user, defaults) {\n  return { ...defaults, id: "x-" + defaults.nickname, upper: String(user.cn).toUpperCase() };\n};\n',
        );
        const bad = path.join(tmp, 'bad.js');
        writeFileSync(bad, 'module.exports = function (user) {\n  const a = 1;\n  return user.nothing.here;\n};\n');
        const g = new Directory(server.config({ profileMapperFile: good }));
        const b = new Directory(server.config({ profileMapperFile: bad }));
        try {
          const { profile } = await g.authenticate('alice', PW.alice);
          assert.equal(profile.id, 'x-alice');
          assert.equal(profile.upper, 'ALICE SMITH');
          const err = await rejectsWith(b.authenticate('alice', PW.alice), 'ProfileMapperError');
          assert.ok(err.message.includes(`${bad}:3`), err.message);
        } finally {
          await g.close();
          await b.close();
        }
      });
      it('health reports the URL and a latency', async () => {
        const h = await dir.health();
        assert.equal(h.ok, true);
        assert.equal(h.url, server.url);
      });
      it('survives a server restart: the next call succeeds, nothing exits', async function () {
        this.timeout(60000);
        await dir.authenticate('alice', PW.alice);
        server.restart();
        const r = await dir.authenticate('alice', PW.alice);
        assert.equal(r.profile.nickname, 'alice');
        assert.equal((await dir.health()).ok, true);
      });
    });
  });
}
