/**
 * Every input with a size limit (protocol/limits.ts) is refused at once, at the first place that sees it,
 * with an error naming the limit: the hub CLI, the hub's admin API, the real connector process (answering with a
 * typed error instead of dropping the request), the directory engine and both ends of the WebSocket.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import jwt from 'jsonwebtoken';
import { Directory } from '../../connector/directory';
import { findFilterProblem } from '../../connector/directory/filter';
import { SLAPD } from '../helpers/servers';
import { admin, HUB_CLI, logsContaining, Proc, run, stopAll, tempDir, type HubProc } from '../helpers/processes';
import { RogueHub } from '../helpers/rogueHub';
import { makeCertificate, ProtocolPeer } from '../helpers/protocolPeer';
import { connectorOnRogueHub, registerAsDeployed, startHubWithCa, ticketFor } from '../helpers/hubFixtures';

const SIGNING_KEY = 'limits-test-signing-key-0123456789abcdef';

describe('size limits: refused at once where first seen, naming the limit', function () {
  this.timeout(60_000);
  let hub: HubProc;
  let ca: string;
  let realm: string;
  let ticket: string;
  let rogue: RogueHub;
  let conn: Proc;
  const longPassword = 'p'.repeat(100_000);
  const passwords = new Set<string>([SLAPD.bindPassword, longPassword]);

  const cli = async (args: string[], input = '') => {
    const t0 = Date.now();
    const r = await run([HUB_CLI, ...args, '--state', hub.stateDir], { input });
    return { ...r, ms: Date.now() - t0 };
  };
  const api = async (method: string, p: string, body: unknown) => {
    const t0 = Date.now();
    const e = await admin(hub, method, p, body).then(
      () => undefined,
      (err: Error & { status: number }) => err,
    );
    return { e, ms: Date.now() - t0 };
  };
  /** A silent protocol peer of "lim" whose own certificate was registered through `ticketUrl`, as the deployed setup does. */
  const registeredPeer = async (name: string, ticketUrl: string, host?: string) => {
    const cert = makeCertificate(tempDir(name));
    const reg = await registerAsDeployed(ticketUrl, ca, cert.certPem, {
      signInEndpoint: 'https://x/',
      agentMode: 'x',
      agentVersion: '1',
    });
    return new ProtocolPeer({
      adHub: `wss://127.0.0.1:${hub.port}/ws`,
      caPem: ca,
      connection: 'lim',
      realm,
      keyPem: cert.keyPem,
      signingKey: reg.body.signingKey,
      mode: 'silent',
      ...(host ? { host } : {}),
    });
  };
  const ask = async (n: string, claims: Record<string, unknown>) => {
    const pid = `p-${Math.random().toString(36).slice(2)}`;
    const t0 = Date.now();
    rogue.send({ n, p: { jwt: jwt.sign({ ...claims, pid }, SIGNING_KEY, { algorithm: 'HS256', expiresIn: 60 }) } });
    const r = await rogue.waitForReply(pid);
    return {
      p: r.p as { err?: { name: string; code: string; message: string }; profile?: unknown },
      ms: Date.now() - t0,
    };
  };

  before(async () => {
    ({ hub, ca, realm } = await startHubWithCa('hub-limits'));
    await admin(hub, 'POST', 'connections', { name: 'lim' });
    ticket = (await ticketFor(hub, 'lim')).url;
    // a real connector process, driven by a test-controlled hub that signs with jsonwebtoken
    rogue = new RogueHub();
    await rogue.start();
    conn = await connectorOnRogueHub(rogue, 'connector-limits', { CONNECTION: 'lim', TENANT_SIGNING_KEY: SIGNING_KEY });
  });
  after(async () => {
    await rogue.stop();
    await stopAll();
    assert.deepEqual(logsContaining(passwords), []);
  });

  it('username (1024 characters): hub CLI, admin API and connector', async () => {
    const name = 'u'.repeat(1025);
    const c = await cli(['login', 'lim', name], 'whatever');
    assert.equal(c.code, 1);
    assert.match(c.out, /The username is 1025 characters long: over the username limit of 1024 characters/);
    const a = await api('POST', 'connections/lim/login', { username: name, password: 'x' });
    assert.equal(a.e!.status, 400);
    assert.match(a.e!.message, /over the username limit of 1024/);
    const r = await ask('authenticate_user', { username: name, password: 'x' });
    assert.deepEqual(
      { name: r.p.err!.name, code: r.p.err!.code },
      { name: 'UnexpectedError', code: 'InputTooLongError' },
    );
    assert.match(r.p.err!.message, /over the username limit of 1024/);
    console.log(`      measured: CLI ${c.ms} ms (process start included), admin API ${a.ms} ms, connector ${r.ms} ms`);
  });

  it('password (1024 characters): a 100,000-character password through `directory-bridge-hub login` fails at once; the connector answers instead of dropping it', async () => {
    const c = await cli(['login', 'lim', 'alice'], longPassword);
    assert.equal(c.code, 1);
    assert.match(c.out, /The password is 100000 characters long: over the password limit of 1024 characters/);
    assert.ok(c.ms < 5000, `${c.ms} ms`);
    const a = await api('POST', 'connections/lim/login', { username: 'alice', password: longPassword });
    assert.equal(a.e!.status, 400);
    assert.match(a.e!.message, /over the password limit of 1024/);
    assert.ok(a.ms < 1000, `${a.ms} ms`);
    // a hub without our limits sends it anyway (a JWT of about 133 KB): a typed answer, not a drop
    const r = await ask('authenticate_user', { username: 'alice', password: longPassword });
    assert.equal(r.p.err!.code, 'InputTooLongError');
    assert.match(r.p.err!.message, /over the password limit of 1024/);
    assert.ok(!conn.log.includes('reason="no JWT'), 'the connector dropped it');
    console.log(`      measured: CLI ${c.ms} ms, admin API ${a.ms} ms, connector ${r.ms} ms`);
  });

  it('search text (1024 characters): hub CLI, admin API and connector', async () => {
    const term = 's'.repeat(2000);
    const c = await cli(['search', 'lim', term]);
    assert.equal(c.code, 1);
    assert.match(c.out, /The search text is 2000 characters long: over the search limit of 1024 characters/);
    const a = await api('POST', 'connections/lim/search', { query: term, limit: 5 });
    assert.equal(a.e!.status, 400);
    assert.match(a.e!.message, /over the search limit of 1024/);
    const r = await ask('search_users', { search: term, limit: 5 });
    assert.equal(r.p.err!.code, 'InputTooLongError');
    assert.match(r.p.err!.message, /over the search limit of 1024/);
  });

  it("filter (16,384 characters): the query panel's check and the directory engine refuse it before any LDAP operation", async () => {
    const filter = `(|${'(uid=a)'.repeat(2400)})`;
    assert.match(
      findFilterProblem(filter)!.message,
      /The filter is 16803 characters long: over the filter limit of 16384 characters/,
    );
    const dir = new Directory(SLAPD.config());
    try {
      const t0 = Date.now();
      await assert.rejects(
        async () => {
          for await (const _ of dir.search({ base: SLAPD.baseDn, scope: 'sub', filter })) {
            /* nothing */
          }
        },
        (e: Error) => e.name === 'InvalidFilterError' && /over the filter limit of 16384/.test(e.message),
      );
      assert.ok(Date.now() - t0 < 200);
      assert.equal(dir.stats.search.open, 0, 'no LDAP connection was opened');
    } finally {
      await dir.close();
    }
  });

  it('frames: the connector (1 MiB) and the hub (16 MiB) close on an oversized frame and log the limit by name', async () => {
    const since = conn.lines.length;
    rogue.send('x'.repeat(1024 * 1024 + 10));
    await conn.waitFor(/connector\.frame\.too_large.*limitBytes=1048576/, 10_000, since);
    await rogue.waitForConnection(2, 15_000);
    // the hub: a peer with a registered certificate authenticates, then sends 16 MiB and more
    const peer = await registeredPeer('limits-peer', ticket);
    assert.equal((await peer.start()).n, 'authenticated');
    peer.ws!.send('y'.repeat(16 * 1024 * 1024 + 10));
    await hub.waitFor(/hub\.frame\.too_large.*limitBytes=16777216/, 10_000);
    assert.ok(hub.running && conn.running);
    peer.close();
  });

  it('attack: a host claim with characters that hide or reorder text, and over 255 characters, is shown and logged without them, cut', async () => {
    // "evil" then a right-to-left override: a viewer shows the rest reversed; a zero-width space and a new line
    const claimed = `evil\u202egnp.exe\u200b\nhub.instance.online forged${'h'.repeat(300)}`;
    const peer = await registeredPeer('limits-host', (await ticketFor(hub, 'lim')).url, claimed);
    try {
      assert.equal((await peer.start()).n, 'authenticated');
      const line = await hub.waitFor(
        /hub\.instance\.(online|pending).*host="evilgnp\.exehub\.instance\.online forged/,
        10_000,
      );
      const host = JSON.parse(/host=("(?:[^"\\]|\\.)*")/.exec(line)![1]) as string;
      assert.equal(host, `evilgnp.exehub.instance.online forged${'h'.repeat(300)}`.slice(0, 255));
      assert.doesNotMatch(line, /[\u202e\u200b]/);
    } finally {
      peer.close();
    }
  });

  it('a reply over the hub frame limit (16 MiB): the connector answers FrameTooLarge instead of sending it', async () => {
    // a second real connector whose profile mapper makes each search result about 20 KB: 1,000 of them is ~20 MB
    const big = new RogueHub();
    await big.start();
    const dir = tempDir('limits-big');
    writeFileSync(
      path.join(dir, 'mapper.js'),
      "module.exports = (raw) => ({ id: raw.uid, padding: 'z'.repeat(20000) });\n",
    );
    try {
      const c = await connectorOnRogueHub(
        big,
        'connector-limits-big',
        { CONNECTION: 'lim', TENANT_SIGNING_KEY: SIGNING_KEY, PROFILE_MAPPER_FILE: path.join(dir, 'mapper.js') },
        dir,
      );
      const pid = `p-${Math.random().toString(36).slice(2)}`;
      const token = jwt.sign({ search: '', limit: 1000, pid }, SIGNING_KEY, { algorithm: 'HS256', expiresIn: 60 });
      big.send({ n: 'search_users', p: { jwt: token } });
      const r = (await big.waitForReply(pid, 30_000)).p as { err?: { code: string; message: string }; users?: unknown };
      assert.equal(r.users, undefined, 'the oversized list was not sent');
      assert.equal(r.err!.code, 'FrameTooLarge');
      assert.match(r.err!.message, /The reply was not sent: .*16777216|The reply was not sent: .*16 ?MiB/);
      // the connection survives: the next request is answered
      const pid2 = `p-${Math.random().toString(36).slice(2)}`;
      const small = jwt.sign({ search: 'alice', limit: 1, pid: pid2 }, SIGNING_KEY, {
        algorithm: 'HS256',
        expiresIn: 60,
      });
      big.send({ n: 'search_users', p: { jwt: small } });
      const r2 = (await big.waitForReply(pid2, 10_000)).p as { users?: Array<{ id: string }> };
      assert.equal(r2.users!.length, 1);
      assert.ok(c.running);
    } finally {
      await big.stop();
    }
  });
});
