import * as assert from 'node:assert/strict';
import { EVENT } from '../../protocol/messages';
import { InstanceLostError, NoInstanceError, RequestTimeoutError } from '../../extension/hub/errors';
import { Router } from '../../extension/hub/router';
import { requestTokens } from '../../protocol/tokens';
import { ConnectorSession } from '../../extension/hub/session';

/** A session whose socket records frames; `onSend` lets a test answer, drop or close. */
function fakeSession(
  host: string,
  onSend: (s: ConnectorSession, frame: { n: string; p: { jwt: string } }) => void,
): ConnectorSession {
  const socket = { OPEN: 1, readyState: 1, send: (data: string) => onSend(s, JSON.parse(data)) };
  const s = new ConnectorSession(socket as never, '127.0.0.1');
  s.authenticated = true;
  s.connection = 'c';
  s.host = host;
  return s;
}
const pidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).pid as string;
const close = (s: ConnectorSession) => {
  s.closed = true;
  for (const p of [...s.pending.values()]) p.lost();
};
const answer = (s: ConnectorSession, jwt: string, payload: unknown) => s.pending.get(pidOf(jwt))!.resolve(payload);

describe('router', () => {
  const tokens = requestTokens(new Uint8Array(32));
  it('sends to the instance with the fewest requests in flight', async () => {
    const a = fakeSession('a', (s, f) => answer(s, f.p.jwt, { profile: { id: 'a' } }));
    const b = fakeSession('b', (s, f) => answer(s, f.p.jwt, { profile: { id: 'b' } }));
    a.pending.set('busy', { event: EVENT.authenticateUser, resolve() {}, lost() {} });
    const r = new Router({ sessionsOf: () => [a, b], tokensOf: () => tokens, timeoutMs: 1000 });
    const out = await r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' });
    assert.equal(out.session.host, 'b');
  });
  it('a login whose instance drops goes to another instance', async () => {
    const a = fakeSession('a', (s) => close(s));
    const b = fakeSession('b', (s, f) => answer(s, f.p.jwt, { profile: { id: 'x' } }));
    const r = new Router({
      sessionsOf: () => [a, b].filter((s) => !s.closed),
      tokensOf: () => tokens,
      timeoutMs: 1000,
    });
    const out = await r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' });
    assert.equal(out.session.host, 'b');
    assert.equal(out.attempts, 2);
  });
  it('a session that closed after it was picked does not strand the request', async () => {
    const a = fakeSession('a', () => assert.fail('must not send on a closed session'));
    const b = fakeSession('b', (s, f) => answer(s, f.p.jwt, { profile: { id: 'x' } }));
    let first = true;
    const r = new Router({
      sessionsOf: () => [a, b].filter((s) => !s.closed),
      // the session closes while its request token is being made
      tokensOf: () => {
        if (first) {
          first = false;
          close(a);
        }
        return tokens;
      },
      timeoutMs: 300,
    });
    const out = await r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' });
    assert.equal(out.session.host, 'b');
  });
  it('a password change is never retried: its outcome is unknown', async () => {
    let sentToB = false;
    const a = fakeSession('a', (s) => close(s));
    const b = fakeSession('b', () => {
      sentToB = true;
    });
    const r = new Router({ sessionsOf: () => [a, b], tokensOf: () => tokens, timeoutMs: 1000 });
    await assert.rejects(r.request('c', EVENT.changePassword, { username: 'u', password: 'p' }), InstanceLostError);
    assert.equal(sentToB, false);
  });
  it('no instance: NoInstanceError; no answer: RequestTimeoutError', async () => {
    const r = new Router({ sessionsOf: () => [], tokensOf: () => tokens, timeoutMs: 50 });
    await assert.rejects(r.request('c', EVENT.listGroups, { limit: 1 }), NoInstanceError);
    const silent = fakeSession('s', () => undefined);
    const r2 = new Router({ sessionsOf: () => [silent], tokensOf: () => tokens, timeoutMs: 50 });
    await assert.rejects(r2.request('c', EVENT.listGroups, { limit: 1 }), RequestTimeoutError);
    assert.equal(silent.pending.size, 0);
  });
  it('after N consecutive timeouts an instance is marked unresponsive, skipped, probed, and cleared when it answers', async () => {
    let answering = false;
    const sent: string[] = [];
    const silent = fakeSession('silent', (s, f) => {
      sent.push(f.n);
      if (answering) answer(s, f.p.jwt, { groups: [] });
    });
    const changes: Array<string | undefined> = [];
    const r = new Router({
      sessionsOf: () => [silent],
      tokensOf: () => tokens,
      timeoutMs: 40,
      unresponsiveAfter: 2,
      probeIntervalMs: 10,
      onResponsiveness: (s) => changes.push(s.unresponsive?.reason),
    });
    await assert.rejects(r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' }), RequestTimeoutError);
    assert.equal(silent.unresponsive, undefined);
    await assert.rejects(r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' }), RequestTimeoutError);
    assert.match(silent.unresponsive!.reason, /2 requests in a row got no answer within 40 ms/);
    assert.equal(silent.info().unresponsive?.reason, silent.unresponsive!.reason);
    // no healthy instance: at once, with the reason
    const t0 = Date.now();
    await assert.rejects(
      r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' }),
      (e: Error) => e instanceof NoInstanceError && /silent is unresponsive \(2 requests/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 20, `refused in ${Date.now() - t0} ms`);
    await new Promise((res) => setTimeout(res, 120));
    assert.ok(sent.filter((n) => n === EVENT.listGroups).length >= 2, `probes: ${sent.join(',')}`);
    answering = true;
    for (let i = 0; i < 50 && silent.unresponsive; i++) await new Promise((res) => setTimeout(res, 10));
    assert.equal(silent.unresponsive, undefined);
    assert.equal(changes.length, 2);
    assert.equal(changes[1], undefined);
    const out = await r.request('c', EVENT.listGroups, { limit: 1 });
    assert.equal(out.session.host, 'silent');
  });
  it('a login that times out on one instance is answered by another; the silent one is then skipped', async () => {
    const silent = fakeSession('silent', () => undefined);
    const good = fakeSession('good', (s, f) => answer(s, f.p.jwt, { profile: { id: 'x' } }));
    good.pending.set('busy', { event: EVENT.authenticateUser, resolve() {}, lost() {} }); // so the silent one is picked first
    const r = new Router({
      sessionsOf: () => [silent, good],
      tokensOf: () => tokens,
      timeoutMs: 40,
      unresponsiveAfter: 1,
      probeIntervalMs: 1000,
    });
    const first = await r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' });
    assert.equal(first.session.host, 'good');
    assert.equal(first.attempts, 2);
    assert.ok(silent.unresponsive);
    const t0 = Date.now();
    const second = await r.request('c', EVENT.authenticateUser, { username: 'u', password: 'p' });
    assert.equal(second.attempts, 1);
    assert.ok(Date.now() - t0 < 30);
    silent.closed = true; // ends the probe loop
  });
  it('a password change that times out is not retried elsewhere', async () => {
    let sentToB = false;
    const a = fakeSession('a', () => undefined);
    const b = fakeSession('b', () => {
      sentToB = true;
    });
    b.pending.set('busy', { event: EVENT.authenticateUser, resolve() {}, lost() {} });
    const r = new Router({ sessionsOf: () => [a, b], tokensOf: () => tokens, timeoutMs: 30 });
    await assert.rejects(
      r.request('c', EVENT.changePassword, { username: 'u', password: 'p' }),
      /may or may not have happened/,
    );
    assert.equal(sentToB, false);
  });
});
