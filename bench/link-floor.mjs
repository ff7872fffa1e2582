// The floor of the hub ↔ connector link: what the wire protocol alone costs per login, with nothing of the hub or
// the connector around it. Two processes, as deployed: this one plays the hub (a TLS WebSocket server that signs
// each request's HS256 token and sends `authenticate_user`), a child plays the connector (verifies the token,
// remembers its pid against replay, answers with a real login reply). Same modules for frames, tokens and
// batching as the product, same frame sizes; no directory, no pools, no logs, no timeouts.
//
// Why: the bench's "through the hub / direct" ratio at c=64 is bounded by CPU on this machine, and this says how
// much of the hub path's CPU per login a Node implementation of the protocol must spend; with --engine, what the
// least such hub path reaches against the direct login.
//
// usage: node bench/link-floor.mjs CONCURRENCY SECONDS [--json] [--engine]
//   needs `npx tsc -p .` (it loads out/protocol); the reply is a real one from the bench's slapd when it is up
//   (LDAP_PORT, default 3990), else a recorded reply of the same shape
//   --engine: the child answers each login with the connector's directory engine on the bench's slapd (SLAPD_DIR),
//   as the connector does but with none of its other code: what separates the engine's cost from the connector's
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { connect as netConnect } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, procStats } from './lib.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { WebSocket, WebSocketServer } = require('ws');
const { sendBatched } = require(`${ROOT}/out/protocol/frameBatch.js`);
const { decodeFrame, encodeFrame, parseReplyEvent } = require(`${ROOT}/out/protocol/messages.js`);
const { requestTokens } = require(`${ROOT}/out/protocol/tokens.js`);
const KEY = Buffer.from('a-signing-key-of-the-usual-length-0123456789abcdef');
const MAX_FRAME = 1024 * 1024;
const LDAP_PORT = process.env.LDAP_PORT ?? '3990';
const SLAPD_DIR = process.env.SLAPD_DIR ?? '/tmp/directory-bridge-bench/slapd';
const slapdPid = () => Number(readFileSync(path.join(SLAPD_DIR, 'run/slapd.fg.pid'), 'utf8'));
/** The bench's engine settings (bench/run.mjs SLAPD): the bench's slapd, group cache 60 s. */
const ENGINE = {
  kind: 'openldap',
  urls: [`ldap://127.0.0.1:${LDAP_PORT}`],
  baseDn: 'dc=example,dc=test',
  bindDn: 'cn=bridge,ou=services,dc=example,dc=test',
  bindPassword: 'Passw0rd!Bridge',
  groupsCacheSeconds: 60,
};
/** The shape of a real reply (user1234 on the bench's slapd), for when that slapd is not up. */
const RECORDED_REPLY = {
  profile: {
    id: 'user1234',
    displayName: 'User 1234',
    name: { givenName: 'User', familyName: '1234' },
    nickname: 'user1234',
    emails: [{ value: 'user1234@example.test' }],
    groups: ['group34'],
    dn: 'uid=user1234,ou=people,dc=example,dc=test',
    organizationUnits: ['people'],
  },
  timings: {
    searchMs: 0.243907140000001,
    bindMs: 0.163129220000001,
    groupsMs: 0.116195270000001,
    totalMs: 0.523231630000002,
  },
};

if (process.argv[2] === 'child') {
  // the connector's side
  const { port, cert, reply, engine } = JSON.parse(process.argv[3]);
  // --engine: the connector's directory engine answers each request, as in the product, with nothing else around it
  const directory = engine && new (require(`${ROOT}/out/connector/directory/index.js`).Directory)(engine);
  const tokens = requestTokens(KEY);
  const seen = new Set();
  const ws = new WebSocket(`wss://127.0.0.1:${port}/`, { ca: cert, servername: 'localhost', perMessageDeflate: false });
  ws.on('message', (data, isBinary) => {
    const d = decodeFrame(data, isBinary, MAX_FRAME);
    if (!d.ok) return;
    const claims = tokens.verify(d.frame.p.jwt);
    if (seen.has(claims.pid)) throw new Error('replayed');
    seen.add(claims.pid);
    if (seen.size > 200_000) seen.clear();
    const send = (p) => sendBatched(ws, Buffer.from(encodeFrame(`${claims.pid}_result`, p)));
    if (!directory) return send(reply);
    directory.authenticate(claims.username, claims.password).then(
      (r) => send({ profile: r.profile, timings: r.timings }),
      (e) => send({ err: { name: e.name, message: e.message } }),
    );
  });
  process.on('message', (m) => {
    if (m === 'exit') process.exit(0);
  });
} else {
  const [C, S] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map(Number);
  const asJson = process.argv.includes('--json');
  const withEngine = process.argv.includes('--engine');
  const dir = mkdtempSync(path.join(tmpdir(), 'link-floor-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' }); // prettier-ignore
  const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  rmSync(dir, { recursive: true });

  const reply = await realReply().catch((e) => {
    if (!asJson) console.log(`(no bench slapd: ${e.message}; using a recorded reply of the same shape)`);
    return RECORDED_REPLY;
  });
  const server = createServer({ cert, key });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: MAX_FRAME });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const child = fork(fileURLToPath(import.meta.url), [
    'child',
    JSON.stringify({ port: server.address().port, cert, reply, engine: withEngine ? ENGINE : undefined }),
  ]);
  const ws = await new Promise((r) => wss.once('connection', r));
  const tokens = requestTokens(KEY);
  const pending = new Map();
  ws.on('message', (data, isBinary) => {
    const d = decodeFrame(data, isBinary, MAX_FRAME);
    const r = d.ok && parseReplyEvent(d.frame.n);
    if (r) pending.get(r.pid)?.(d.frame.p);
    if (r) pending.delete(r.pid);
  });
  const op = (w, i) =>
    new Promise((resolve, reject) => {
      const pid = randomUUID();
      pending.set(pid, (p) => (p.err ? reject(new Error(p.err.message)) : resolve(p)));
      // the bench's users: 10,000 of them, in the same order
      const username = withEngine ? `user${1 + ((w * 7919 + i * 31) % 10000)}` : 'user1234';
      const jwt = tokens.sign({ pid, username, password: 'Passw0rd!User' });
      sendBatched(ws, encodeFrame('authenticate_user', { jwt }));
    });
  await load(op, { concurrency: C, seconds: 3 });
  const pids = [process.pid, child.pid, ...(withEngine ? [slapdPid()] : [])];
  const b = pids.map(procStats);
  const m = await load(op, { concurrency: C, seconds: S, warmupSeconds: 0 });
  const a = pids.map(procStats);
  if (m.failures) throw new Error(`${m.failures} logins failed: ${m.firstErrors.join('; ')}`);
  const per = (i) => (a[i].cpuMs - b[i].cpuMs) / m.ops;
  const r3 = (x) => Math.round(x * 1000) / 1000;
  const out = {
    concurrency: C,
    perSecond: Math.round(m.perSecond),
    p50: r3(m.p50),
    p99: r3(m.p99),
    hubSideCpuMs: r3(per(0)),
    connectorSideCpuMs: r3(per(1)),
    bothCpuMs: r3(per(0) + per(1)),
    ...(withEngine ? { slapdCpuMs: r3(per(2)), engine: true } : {}),
    replyBytes: Buffer.byteLength(encodeFrame(`${randomUUID()}_result`, reply)),
  };
  console.log(
    asJson
      ? JSON.stringify(out)
      : `link floor c=${C} ${S}s: ${out.perSecond}/s p50 ${out.p50} ms; CPU ms/login: hub side (with the load ` +
          `loop) ${out.hubSideCpuMs}, connector side ${out.connectorSideCpuMs}, both ${out.bothCpuMs}` +
          `${withEngine ? `, slapd ${out.slapdCpuMs} (engine answering)` : `; reply ${out.replyBytes} bytes`}`,
  );
  child.send('exit');
  server.close();
  process.exit(0);
}

/** A login reply from the engine the connector runs, on the bench's slapd (as the bench logs in: user1234). */
async function realReply() {
  const { Directory } = require(`${ROOT}/out/connector/directory/index.js`);
  // reachability first, so that a missing slapd fails at once, not after the engine's retries
  await new Promise((resolve, reject) => {
    const sock = netConnect(Number(LDAP_PORT), '127.0.0.1', () => (sock.end(), resolve()));
    sock.on('error', reject);
  });
  const d = new Directory(ENGINE);
  try {
    const r = await d.authenticate('user1234', 'Passw0rd!User');
    return { profile: r.profile, timings: r.timings };
  } finally {
    await d.close();
  }
}
