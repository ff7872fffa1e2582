/** The small parts of issue 12's hardening, without servers: bounded structures, run-time message checks, rules. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { plainLdapWarning } from '../../shared/tlsWarning';
import { redactTickets } from '../../protocol/ticketUrl';
import { CredentialCache } from '../../extension/hub/credentialCache';
import { RequestTimeoutError } from '../../extension/hub/errors';
import { Requests, type RequestsDeps } from '../../extension/hub/requests';
import { ReplayGuard } from '../../extension/hub/replayGuard';
import { HubState } from '../../extension/hub/state';
import { StateLock, StateLockedError } from '../../extension/hub/stateLock';
import { checkLoginMessage, checkQueryMessage } from '../../extension/panels/messageChecks';

const profile = { id: 'x', groups: [], emails: [], name: {} } as never;

describe('hardening (issue 12)', () => {
  it('the credential cache sweeps expired entries, keeps at most its bound, and forgets what an instance vouched for', async () => {
    const c = new CredentialCache(60_000, 2, 2);
    try {
      await c.remember('c', 'a', 'pw-a', profile, 'tp1');
      await c.remember('c', 'b', 'pw-b', profile, 'tp2');
      await c.remember('c', 'd', 'pw-d', profile, 'tp1');
      assert.equal(c.size, 2, 'the oldest went when full');
      assert.equal(await c.verify('c', 'a', 'pw-a'), undefined);
      assert.equal(c.forgetApprovedBy('tp1'), 1);
      assert.equal(c.size, 1);
      c.sweep(Date.now() + 61_000);
      assert.equal(c.size, 0, 'expired entries are swept without being asked for');
    } finally {
      c.close();
    }
  });

  it('attack: a password dropped from the credential cache while its hash was being made does not come back', async () => {
    const c = new CredentialCache(60_000, 2, 10);
    try {
      // a login with the old password succeeds, and its hash is being made when the password is refused or changed
      const remembering = c.remember('c', 'alice', 'old-password', profile, 'tp1');
      c.forgetUser('c', 'alice');
      assert.equal(await remembering, false, 'not stored');
      assert.equal(await c.verify('c', 'alice', 'old-password'), undefined, 'the old password does not work offline');
      // the same for a removed instance and a removed connection
      for (const forget of [() => c.forgetApprovedBy('tp1'), () => c.forgetConnection('c')]) {
        const again = c.remember('c', 'alice', 'old-password', profile, 'tp1');
        forget();
        assert.equal(await again, false);
        assert.equal(c.size, 0);
      }
      // another user's forget does not drop it; with none, it is stored as before
      const other = c.remember('c', 'alice', 'new-password', profile, 'tp1');
      c.forgetUser('c', 'bob');
      assert.equal(await other, true);
      assert.deepEqual(await c.verify('c', 'alice', 'new-password'), profile);
    } finally {
      c.close();
    }
  });

  it('attack: a password change that times out still drops the old password from the credential cache', async () => {
    const cache = new CredentialCache(60_000, 2, 10);
    try {
      await cache.remember('c', 'alice', 'old-password', profile);
      const router = {
        request: async () => {
          throw new RequestTimeoutError('no answer within 10 s');
        },
      };
      const connections = { require: () => ({ name: 'c' }) };
      const requests = new Requests({ router, cache, connections } as unknown as RequestsDeps);
      await assert.rejects(requests.changePassword('c', 'alice', 'new-password'), RequestTimeoutError);
      assert.equal(
        await cache.verify('c', 'alice', 'old-password'),
        undefined,
        'the old password does not work offline',
      );
    } finally {
      cache.close();
    }
  });

  it('a replay guard accepts a key once until it expires, and refuses rather than grow past its bound', () => {
    const g = new ReplayGuard(4);
    const now = 1000;
    assert.equal(g.use('a', now + 100, now), true);
    assert.equal(g.use('a', now + 100, now), false);
    assert.equal(g.use('a', now + 300, now + 200), true, 'usable again after expiry');
    for (const k of ['b', 'c', 'd']) g.use(k, now + 10_000, now + 200);
    assert.equal(g.use('e', now + 10_000, now + 200), false, 'full');
    assert.ok(g.size <= 4);
  });

  it('webview messages are checked at run time: malformed ones are refused with a reason', () => {
    assert.equal(checkQueryMessage({ type: 'ready' }).ok, true);
    assert.equal(
      checkQueryMessage({
        type: 'run',
        requestId: 1,
        request: {
          connection: 'c',
          base: 'dc=x',
          scope: 'sub',
          filter: '(cn=*)',
          attributes: ['cn'],
          sizeLimit: 10,
          pageSize: 5,
        },
      }).ok,
      true,
    );
    for (const bad of [
      null,
      'x',
      [],
      { type: 42 },
      { type: 'constructor' },
      { type: '__proto__' },
      { type: 'run', requestId: 1, request: { scope: 'all' } },
      { type: 'entry', dn: { toString: 1 } },
      { type: 'export', format: 'exe' },
    ]) {
      const r = checkQueryMessage(bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
    }
    assert.equal(checkLoginMessage({ type: 'login', username: 'u', password: 'p', mode: 'hub' }).ok, true);
    const r = checkLoginMessage({ type: 'login', username: ['u'], password: 'p', mode: 'hub' });
    assert.deepEqual(r, { ok: false, reason: '"login": field "username" is missing or of the wrong type' });
  });

  it('plain ldap:// without StartTLS gets the same warning everywhere; ldaps:// or StartTLS none', () => {
    assert.match(plainLdapWarning(['ldap://dc1:389'], false)!, /NOT encrypted \(ldap:\/\/dc1:389\)/);
    assert.equal(plainLdapWarning(['ldap://dc1'], true), undefined);
    assert.equal(plainLdapWarning(['ldaps://dc1'], false), undefined);
  });

  it('ticket tokens are redacted from anything logged', () => {
    assert.equal(redactTickets('/p/ad/abcdefghijklmnopqrstuvwxyz012345/info?x'), '/p/ad/[ticket]/info?x');
  });

  it('state lookups by connection name never reach the prototype; prune drops old history only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dbr-state-'));
    const s = new HubState(dir);
    for (const n of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      assert.equal(s.connection(n), undefined, n);
    s.addConnection({ name: 'constructor', emailDomains: [], kerberosRanges: [], cacheEnabled: true, createdAt: '' });
    assert.equal(s.connection('constructor')!.name, 'constructor');
    const old = new Date(Date.now() - 10_000).toISOString();
    s.addTicket({ id: 't-old', hash: '00', connection: 'constructor', createdAt: old, expiresAt: old });
    s.addTicket({
      id: 't-new',
      hash: '11',
      connection: 'constructor',
      createdAt: old,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    assert.equal(s.prune(5_000), 1);
    assert.deepEqual(
      s.tickets.map((t) => t.id),
      ['t-new'],
    );
    assert.equal(new HubState(dir).connection('constructor')!.name, 'constructor', 'reloaded from disk');
    assert.ok(
      !JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')).tickets.some(
        (t: { id: string }) => t.id === 't-old',
      ),
    );
  });

  it('a state folder is locked by one hub at a time, also within one process', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dbr-lock-'));
    const lock = StateLock.acquire(dir);
    assert.throws(() => StateLock.acquire(dir), StateLockedError);
    lock.release();
    StateLock.acquire(dir).release();
  });
});
