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
});
