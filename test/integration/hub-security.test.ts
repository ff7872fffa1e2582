/**
 * Forged tokens in both directions and bad input on every network face. Neither the hub nor the connector may
 * crash, accept what it should not, or log a password.
 */
import * as assert from 'node:assert/strict';
import { createHmac, createPrivateKey, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import * as path from 'node:path';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  connectorConfigFor,
  login,
  logsContaining,
  provisionConnector,
  stopAll,
  type HubProc,
  type Proc,
} from '../helpers/processes';
import { RogueHub } from '../helpers/rogueHub';
import { PW } from '../helpers/fixtures';
import { connectorOnline, connectorOnRogueHub, startHubWithCa, ticketFor } from '../helpers/hubFixtures';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function hubSocket(
  hub: HubProc,
  ca: string,
): Promise<{ ws: WebSocket; next(): Promise<{ n: string; p: any } | 'closed'> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${hub.port}/ws`, { ca });
    const queue: Array<{ n: string; p: any } | 'closed'> = [];
    const waiters: Array<(v: { n: string; p: any } | 'closed') => void> = [];
    const push = (v: { n: string; p: any } | 'closed') => {
      const w = waiters.shift();
      if (w) w(v);
      else queue.push(v);
    };
    ws.on('message', (d) => push(JSON.parse(d.toString())));
    ws.on('close', () => push('closed'));
    ws.on('error', () => undefined);
    ws.on('open', () =>
      resolve({
        ws,
        next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiters.push(r))),
      }),
    );
    ws.on('unexpected-response', () => reject(new Error('upgrade refused')));
  });
}

function post(url: string, ca: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', ca, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('security: forged tokens and bad input', function () {
  this.timeout(60_000);
  let hub: HubProc;
  let ca: string;
  let realm: string;
  let dirA: string;
  const passwords = new Set<string>([SLAPD.bindPassword, PW.alice]);

  before(async () => {
    ({ hub, ca, realm } = await startHubWithCa('hub-sec'));
    for (const name of ['sec-a', 'sec-b']) await admin(hub, 'POST', 'connections', { name });
    dirA = (await connectorOnline(hub, 'sec-a', 'connector-sec-a')).dir;
  });
  after(async () => {
    await stopAll();
    assert.deepEqual(logsContaining(passwords), []);
  });

  describe('connector → hub: the authenticate JWT', () => {
    const keyA = () => createPrivateKey(readFileSync(path.join(dirA, 'certs/connector.key'), 'utf8'));
    const attempt = async (jwt: string) => {
      const s = await hubSocket(hub, ca);
      s.ws.send(JSON.stringify({ n: 'authenticate', p: { jwt } }));
      const first = await s.next();
      s.ws.close();
      return first === 'closed' ? 'closed' : first.n;
    };
    const sign = (
      key: Parameters<SignJWT['sign']>[0],
      o: { iss?: string; aud?: string; exp?: number; alg?: string } = {},
    ) =>
      new SignJWT({})
        .setProtectedHeader({ alg: o.alg ?? 'RS256' })
        .setIssuer(o.iss ?? 'sec-a')
        .setAudience(o.aud ?? realm)
        .setIssuedAt(o.exp ? o.exp - 60 : undefined)
        .setExpirationTime(o.exp ?? '60s')
        .sign(key);

    it('the registered key, right issuer and audience: authenticated (the control case)', async () => {
      assert.equal(await attempt(await sign(keyA())), 'authenticated');
    });
    it('a key that was never registered', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      assert.equal(await attempt(await sign(privateKey)), 'authentication_failure');
    });
    it('alg: none', async () => {
      const jwt = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'sec-a', aud: realm, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 })}.`;
      assert.equal(await attempt(jwt), 'authentication_failure');
    });
    it('HS256 signed with the public certificate as the secret (RS/HS confusion)', async () => {
      const certPem = readFileSync(path.join(dirA, 'certs/connector.pem'), 'utf8');
      const pub = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const head = b64({ alg: 'HS256', typ: 'JWT' });
      const body = b64({
        iss: 'sec-a',
        aud: realm,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 60,
      });
      const sig = createHmac('sha256', pub).update(`${head}.${body}`).digest('base64url');
      assert.equal(await attempt(`${head}.${body}.${sig}`), 'authentication_failure');
    });
    it('expired', async () => {
      assert.equal(
        await attempt(await sign(keyA(), { exp: Math.floor(Date.now() / 1000) - 120 })),
        'authentication_failure',
      );
    });
    it('wrong audience', async () => {
      assert.equal(await attempt(await sign(keyA(), { aud: 'urn:someone-else' })), 'authentication_failure');
    });
    it("another connection's certificate", async () => {
      const dirB = await provisionConnector((await ticketFor(hub, 'sec-b')).pinnedUrl, connectorConfigFor(SLAPD));
      const keyB = createPrivateKey(readFileSync(path.join(dirB, 'certs/connector.key'), 'utf8'));
      assert.equal(await attempt(await sign(keyB, { iss: 'sec-a' })), 'authentication_failure');
      assert.equal(await attempt(await sign(keyB, { iss: 'sec-b' })), 'authenticated');
    });
    it('a request before authenticating is refused and the socket closed', async () => {
      const s = await hubSocket(hub, ca);
      s.ws.send(JSON.stringify({ n: 'search_users', p: { jwt: 'a.b.c' } }));
      assert.equal(((await s.next()) as { n: string }).n, 'authentication_failure');
      assert.equal(await s.next(), 'closed');
    });
  });

  describe('bad input to the hub', () => {
    it('malformed JSON, wrong types, unknown events, binary, invalid UTF-8 and an oversized frame crash nothing', async () => {
      const s = await hubSocket(hub, ca);
      for (const f of ['{', '[]', 'null', '"x"', '{"n":42}', '{"n":"authenticate","p":{"jwt":42}}']) s.ws.send(f);
      await new Promise((r) => setTimeout(r, 200));
      const s2 = await hubSocket(hub, ca);
      s2.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
      const s3 = await hubSocket(hub, ca);
      s3.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
      const s4 = await hubSocket(hub, ca);
      s4.ws.send('x'.repeat(17 * 1024 * 1024));
      await new Promise((r) => setTimeout(r, 500));
      // an authenticated connector sending junk and unknown events stays connected and keeps serving
      assert.ok(hub.running);
      assert.equal((await login(hub, 'sec-a', 'alice', PW.alice)).ok, true);
    });
    it('ticket endpoints: bad JSON, wrong types, huge bodies and odd paths get 4xx', async () => {
      const { url } = await admin<{ url: string }>(hub, 'POST', 'connections/sec-a/tickets', {});
      assert.equal(await post(url, ca, '{not json'), 400);
      assert.equal(await post(url, ca, JSON.stringify({ certs: 'x' })), 400);
      assert.equal(await post(url, ca, JSON.stringify({ certs: ['not-der'] })), 400);
      assert.equal(await post(url, ca, JSON.stringify({ certs: [42] })), 400);
      assert.equal(await post(url, ca, Buffer.alloc(200 * 1024, 0x20)), 413);
      assert.equal(await post(`${hub.url}/p/ad/..%2f..%2fetc`, ca, '{}'), 404);
      const { privateKey: _k, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      void publicKey;
      assert.ok(hub.running);
    });
    it('the admin API refuses a missing or wrong token', async () => {
      assert.equal(await post(`${hub.url}/admin/connections`, ca, '{"name":"x"}'), 401);
      assert.equal(
        await post(`${hub.url}/admin/connections`, ca, '{"name":"x"}', { authorization: 'Bearer nope' }),
        401,
      );
    });
  });

  describe('hub → connector: request JWTs (a rogue hub attacks a real connector)', () => {
    let rogue: RogueHub;
    let conn: Proc;
    // the HS256 key is the UTF-8 bytes of the TENANT_SIGNING_KEY string
    const signingKeyString = Buffer.alloc(32, 7).toString('base64url');
    const signingKey = Buffer.from(signingKeyString, 'utf8');
    const hs = (claims: Record<string, unknown>, key: Uint8Array = signingKey, exp: string | number = '60s') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(key);

    before(async () => {
      rogue = new RogueHub();
      await rogue.start();
      conn = await connectorOnRogueHub(rogue, 'connector-vs-rogue', {
        CONNECTION: 'sec-a',
        TENANT_SIGNING_KEY: signingKeyString,
      });
    });
    after(() => rogue.stop());

    it('answers a properly signed request (control); forged and expired ones get a typed error and nothing else; replays are dropped', async () => {
      const good = randomUUID();
      const goodJwt = await hs({ pid: good, username: 'alice', password: PW.alice });
      rogue.send({ n: 'authenticate_user', p: { jwt: goodJwt } });
      const reply = await rogue.waitForReply(good);
      assert.equal(reply.n, `${good}_result`);
      assert.equal((reply.p as { profile: { nickname: string } }).profile.nickname, 'alice');

      const forged: Record<string, string> = {};
      forged.replayed = good;
      rogue.send({ n: 'authenticate_user', p: { jwt: goodJwt } });
      const wrongKey = randomUUID();
      forged.wrongKey = wrongKey;
      rogue.send({
        n: 'authenticate_user',
        p: { jwt: await hs({ pid: wrongKey, username: 'alice', password: PW.alice }, Buffer.alloc(32, 8)) },
      });
      const expired = randomUUID();
      forged.expired = expired;
      rogue.send({
        n: 'authenticate_user',
        p: {
          jwt: await hs(
            { pid: expired, username: 'alice', password: PW.alice },
            signingKey,
            Math.floor(Date.now() / 1000) - 300,
          ),
        },
      });
      const none = randomUUID();
      forged.none = none;
      rogue.send({
        n: 'authenticate_user',
        p: {
          jwt: `${b64({ alg: 'none' })}.${b64({ pid: none, username: 'alice', password: 'x', exp: Math.floor(Date.now() / 1000) + 60 })}.`,
        },
      });
      const rs = randomUUID();
      forged.rs256 = rs;
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      rogue.send({
        n: 'authenticate_user',
        p: {
          jwt: await new SignJWT({ pid: rs, username: 'alice', password: 'x' })
            .setProtectedHeader({ alg: 'RS256' })
            .setExpirationTime('60s')
            .sign(privateKey),
        },
      });
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(rogue.replies(good).length, 1, 'the replayed request was not answered again');
      for (const [what, pid] of Object.entries(forged)) {
        if (what === 'replayed') continue;
        // answered (so a hub with the wrong key learns it at once), but never acted on
        const replies = rogue.replies(pid);
        assert.equal(replies.length, 1, `${what} got no answer`);
        assert.deepEqual(Object.keys(replies[0].p as object), ['err'], `${what} got more than an error`);
        assert.equal((replies[0].p as { err: { code: string } }).err.code, 'InvalidRequestToken', what);
      }
      assert.ok(conn.running);
    });

    it('malformed frames, wrong claim types, binary and an oversized frame crash nothing; it reconnects and serves', async () => {
      for (const f of [
        '{',
        'null',
        '[1,2]',
        '{"n":"search_users"}',
        '{"n":"authenticate_user","p":{"jwt":"a.b"}}',
        '{"n":"who_knows","p":{}}',
      ])
        rogue.send(f);
      rogue.send(Buffer.from([1, 2, 3]), true);
      const typed = randomUUID();
      rogue.send({
        n: 'authenticate_user',
        p: { jwt: await hs({ pid: typed, username: { $ne: 1 }, password: ['x'] }) },
      });
      const typedReply = await rogue.waitForReply(typed);
      assert.match(JSON.stringify(typedReply.p), /Malformed request/);
      // invalid UTF-8 in a text frame: ws closes the socket (1007) and the connector dials again
      rogue.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
      await rogue.waitForConnection(2, 15_000);
      const before = rogue.connections;
      rogue.send('x'.repeat(2 * 1024 * 1024)); // over the connector's 1 MiB limit: it closes and dials again
      await rogue.waitForConnection(3, 15_000);
      assert.ok(rogue.connections > before);
      assert.ok(conn.running, 'the connector did not exit');
      const after = randomUUID();
      rogue.send({ n: 'search_users', p: { jwt: await hs({ pid: after, search: 'bob', limit: 5 }) } });
      const r = await rogue.waitForReply(after);
      assert.ok((r.p as { users: Array<{ nickname: string }> }).users.some((u) => u.nickname === 'bob'));
    });

    it('filter injection through the protocol matches nothing', async () => {
      for (const u of ['*', '*)(uid=*', 'admin)(|(uid=*', '\\']) {
        const pid = randomUUID();
        rogue.send({ n: 'authenticate_user', p: { jwt: await hs({ pid, username: u, password: PW.alice }) } });
        const r = await rogue.waitForReply(pid);
        assert.equal((r.p as { err: { name: string } }).err.name, 'WrongUsername', u);
      }
    });
  });
});
