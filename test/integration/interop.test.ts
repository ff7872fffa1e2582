/**
 * Interop with an independent implementation of the protocol: `jsonwebtoken`, what the deployed AD/LDAP connector
 * uses. Our hub's request tokens must verify with `jwt.verify(token, signingKeyString)`; tokens made with
 * `jwt.sign(claims, signingKeyString)` must be accepted and answered by our real connector process; our
 * connector's authenticate token must verify against its registered certificate. Every wire field of
 * docs/design.md (protocol section) is checked here.
 */
import * as assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import jwt from 'jsonwebtoken';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  connectorConfigFor,
  login,
  logsContaining,
  Proc,
  provisionConnector,
  stopAll,
  tempDir,
  waitForInstances,
  type HubProc,
  CONNECTOR_CLI,
} from '../helpers/processes';
import { registerAsDeployed, startHubWithCa, ticketFor } from '../helpers/hubFixtures';
import { RogueHub } from '../helpers/rogueHub';
import { derBase64, makeCertificate, ProtocolPeer } from '../helpers/protocolPeer';
import { signProof } from '../../protocol/proof';
import { parseTicketUrl } from '../../protocol/ticketUrl';
import { https } from '../helpers/httpsJson';
import { spawn } from 'node:child_process';
import { PW } from '../helpers/fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("interop with jsonwebtoken (the deployed connector's JWT library)", function () {
  this.timeout(60_000);
  let hub: HubProc;
  let ca: string;
  let realm: string;
  let ticketUrl: string;
  /** The signingKey string exactly as the ticket POST returned it. */
  let signingKey: string;
  const passwords = new Set<string>([SLAPD.bindPassword, PW.alice]);

  before(async () => {
    ({ hub, ca, realm } = await startHubWithCa('hub-interop'));
    await admin(hub, 'POST', 'connections', {
      name: 'interop',
      emailDomains: ['example.test'],
      kerberosRanges: ['10.0.0.0/8'],
      cacheEnabled: false,
      // this suite is about the wire: its peers serve without an admin's approval (attacks.test.ts covers that)
      requireApproval: false,
    });
    ticketUrl = (await ticketFor(hub, 'interop', { uses: 10 })).url;
  });
  after(async () => {
    await stopAll();
    assert.deepEqual(logsContaining(passwords), []);
  });

  describe('provisioning endpoints', () => {
    it('GET <ticket>/info: exactly adHub, connectionDomain, connectionName, certAuth, kerberos, realm {name, postTokenUrl}, thumbprints', async () => {
      const r = await https(`${ticketUrl}/info`, ca);
      assert.equal(r.status, 200);
      assert.match(String(r.type), /^application\/json/);
      assert.deepEqual(Object.keys(r.body).sort(), [
        'adHub',
        'certAuth',
        'connectionDomain',
        'connectionName',
        'kerberos',
        'realm',
        'thumbprints',
      ]);
      assert.equal(r.body.adHub, `wss://127.0.0.1:${hub.port}/ws`);
      assert.equal(r.body.connectionDomain, 'example.test');
      assert.equal(r.body.connectionName, 'interop');
      assert.equal(r.body.certAuth, false);
      assert.equal(r.body.kerberos, true);
      assert.deepEqual(r.body.realm, { name: realm, postTokenUrl: '' });
      assert.deepEqual(r.body.thumbprints, []);
      const wrong = await https(`${ticketUrl.replace(/[A-Za-z0-9_-]{8}$/, 'AAAAAAAA')}/info`, ca);
      assert.equal(wrong.status, 404);
    });

    it('POST <ticket> {certs, signInEndpoint, agentMode, agentVersion} → 200 {signingKey}; the same certificate again needs proof of its key, then is a no-op', async () => {
      const { certPem, keyPem } = makeCertificate(tempDir('peer-cert'));
      const body = {
        certs: [derBase64(certPem)],
        signInEndpoint: 'https://connector.example.test:4443/',
        agentMode: 'ad-ldap-connector',
        agentVersion: '6.1.0',
      };
      const r = await https(ticketUrl, ca, 'POST', body);
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body), ['signingKey']);
      assert.equal(typeof r.body.signingKey, 'string');
      signingKey = r.body.signingKey;
      const bare = await https(ticketUrl, ca, 'POST', body);
      assert.equal(bare.status, 403, 'a public certificate alone gets nothing');
      const proof = await signProof(createPrivateKey(keyPem), {
        connection: 'interop',
        realm,
        thumbprint: createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex'),
        ticketToken: parseTicketUrl(ticketUrl).token,
      });
      const again = await https(ticketUrl, ca, 'POST', { ...body, proof });
      assert.equal(again.body.signingKey, signingKey);
      const certs = await admin<Array<{ thumbprint: string }>>(hub, 'GET', 'connections/interop/certificates');
      assert.equal(certs.length, 1);
      assert.equal(certs[0].thumbprint, createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex'));
    });

    it('GET /test → {clock: epoch ms}', async () => {
      const r = await https(`${hub.url}/test`, ca);
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body), ['clock']);
      assert.ok(Math.abs(r.body.clock - Date.now()) < 5000);
    });
  });

  describe('our hub against a connector written with jsonwebtoken', () => {
    let peer: ProtocolPeer;
    before(async () => {
      const cert = makeCertificate(tempDir('peer'));
      const r = await registerAsDeployed(ticketUrl, ca, cert.certPem);
      assert.equal(r.status, 200);
      peer = new ProtocolPeer({
        adHub: `wss://127.0.0.1:${hub.port}/ws`,
        caPem: ca,
        connection: 'interop',
        realm,
        keyPem: cert.keyPem,
        signingKey: r.body.signingKey,
        mode: 'answer',
        host: 'peer-host',
      });
      const first = await peer.start();
      assert.deepEqual(first, { n: 'authenticated', p: {} });
      await waitForInstances(hub, 'interop', 1);
    });
    after(() => peer.close());

    it('the instance carries the host and version claims of its authenticate token', async () => {
      const [i] = await admin<Array<{ host: string; version: string; thumbprint: string }>>(
        hub,
        'GET',
        'connections/interop/instances',
      );
      assert.equal(i.host, 'peer-host');
      assert.equal(i.version, 'peer-1');
    });

    it('(a) authenticate_user: {jwt} verifies with jwt.verify(token, signingKeyString): HS256, pid, username, password, escaped, exp one minute', async () => {
      const out = await login(hub, 'interop', 'alice', PW.alice);
      assert.equal(out.ok, true);
      assert.equal(out.profile!.id, 'peer-alice');
      assert.deepEqual(out.profile!.groups, ['peer-group']);
      assert.equal(out.instance!.host, 'peer-host');
      const f = peer.requests('authenticate_user').at(-1)!;
      assert.deepEqual(Object.keys(f.p), ['jwt']);
      const { header, payload } = jwt.verify(f.p.jwt, signingKey, { complete: true }) as jwt.Jwt & {
        payload: Record<string, any>;
      };
      assert.equal(header.alg, 'HS256');
      assert.match(payload.pid, UUID);
      assert.equal(payload.username, 'alice');
      assert.equal(payload.password, PW.alice);
      assert.equal(payload.escaped, false);
      assert.equal(payload.exp - payload.iat, 60);
      // the key is the string's bytes: its base64url decoding does not verify, nor does another key
      assert.throws(() => jwt.verify(f.p.jwt, Buffer.from(signingKey, 'base64url')), /invalid signature/);
      assert.throws(() => jwt.verify(f.p.jwt, 'another-key'), /invalid signature/);
    });

    it('<pid>_result {err: {name, message}, profile} reaches the caller as the typed error', async () => {
      const out = await login(hub, 'interop', 'alice', 'peer-wrong');
      assert.equal(out.ok, false);
      assert.equal(out.error!.name, 'WrongPassword');
      assert.equal(out.error!.message, 'peer says wrong password');
    });

    it('search_users {pid, search, limit, escaped} → <pid>_search_users_result {users}', async () => {
      const r = await admin<{ users: Array<{ nickname: string }> }>(hub, 'POST', 'connections/interop/search', {
        query: 'bo',
        limit: 7,
      });
      assert.equal(r.users[0].nickname, 'bo');
      const c = jwt.verify(peer.requests('search_users').at(-1)!.p.jwt, signingKey) as Record<string, unknown>;
      assert.deepEqual(
        { search: c.search, limit: c.limit, escaped: c.escaped },
        { search: 'bo', limit: 7, escaped: false },
      );
      assert.match(String(c.pid), UUID);
    });

    it('list_groups {pid, limit} → <pid>_list_groups_result {groups: [{id, name}]}', async () => {
      const groups = await admin<Array<{ id: string; name: string }>>(hub, 'GET', 'connections/interop/groups');
      assert.deepEqual(groups, [{ id: 'cn=peer-group', name: 'peer-group' }]);
      const c = jwt.verify(peer.requests('list_groups').at(-1)!.p.jwt, signingKey) as Record<string, unknown>;
      assert.equal(typeof c.limit, 'number');
    });

    it('change_password {pid, username, password, escaped} → <pid>_change_password_result {profile}', async () => {
      const r = await admin<{ ok: boolean; profile: { id: string } }>(hub, 'POST', 'connections/interop/password', {
        username: 'ivan',
        password: 'N3w-Passw0rd!',
      });
      assert.equal(r.ok, true);
      assert.equal(r.profile.id, 'ivan');
      const c = jwt.verify(peer.requests('change_password').at(-1)!.p.jwt, signingKey) as Record<string, unknown>;
      assert.deepEqual(
        { username: c.username, password: c.password, escaped: c.escaped },
        { username: 'ivan', password: 'N3w-Passw0rd!', escaped: false },
      );
    });

    it('an unregistered key gets authentication_failure {message} and the socket is closed', async () => {
      const other = makeCertificate(tempDir('peer-unregistered'));
      const stranger = new ProtocolPeer({
        adHub: `wss://127.0.0.1:${hub.port}/ws`,
        caPem: ca,
        connection: 'interop',
        realm,
        keyPem: other.keyPem,
        signingKey,
        mode: 'silent',
      });
      const first = await stranger.start();
      assert.equal(first.n, 'authentication_failure');
      assert.deepEqual(Object.keys(first.p), ['message']);
      assert.equal(typeof first.p.message, 'string');
      await new Promise<void>((r) => stranger.ws!.once('close', () => r()));
    });
  });

  describe('our connector against a hub that signs with jsonwebtoken', () => {
    let rogue: RogueHub;
    let dir: string;
    let conn: Proc;
    const ask = async (n: string, claims: Record<string, unknown>, key: string | Buffer = signingKey) => {
      const pid = `p-${Math.random().toString(36).slice(2)}`;
      rogue.send({ n, p: { jwt: jwt.sign({ ...claims, pid }, key, { algorithm: 'HS256', expiresIn: 60 }) } });
      const r = await rogue.waitForReply(pid);
      return { pid, n: r.n, p: r.p as any };
    };

    before(async () => {
      dir = await provisionConnector(ticketUrl, { ...connectorConfigFor(SLAPD), CA_CERT: ca });
      rogue = new RogueHub();
      await rogue.start();
      // the real connector, pointed at the test's hub by the environment overrides of its own config
      const child = spawn(process.execPath, [CONNECTOR_CLI, 'start', '--config', path.join(dir, 'config.json')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AD_HUB: rogue.adHub, CA_CERT: rogue.caPem },
      });
      conn = new Proc('connector-vs-jsonwebtoken-hub', child);
      await rogue.waitForConnection(1);
      await conn.waitFor(/connector\.hub\.online/);
    });
    after(() => rogue.stop());

    it('(c) its authenticate {jwt} verifies with jsonwebtoken against the registered certificate: RS256, iss = connection, aud = realm, exp one minute', async () => {
      const auth = rogue.received.find((f) => f.n === 'authenticate')!;
      assert.deepEqual(Object.keys(auth.p as object), ['jwt']);
      const certPem = readFileSync(path.join(dir, 'certs/connector.pem'), 'utf8');
      const token = (auth.p as { jwt: string }).jwt;
      const { header, payload } = jwt.verify(token, certPem, {
        algorithms: ['RS256'],
        issuer: 'interop',
        audience: realm,
        complete: true,
      }) as jwt.Jwt & { payload: Record<string, any> };
      assert.equal(header.alg, 'RS256');
      assert.equal(payload.exp - payload.iat, 60);
      assert.ok(Math.abs(payload.iat * 1000 - Date.now()) < 120_000);
      // the certificate it signs with is the one the hub registered
      const thumb = createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
      assert.ok(
        (await admin<Array<{ thumbprint: string }>>(hub, 'GET', 'connections/interop/certificates')).some(
          (c) => c.thumbprint === thumb,
        ),
      );
      assert.throws(
        () => jwt.verify(token, certPem, { algorithms: ['RS256'], issuer: 'interop', audience: 'urn:other' }),
        /audience invalid/,
      );
    });

    it('(b) authenticate_user signed with jwt.sign(claims, signingKeyString) → <pid>_result {profile, timings}', async () => {
      const r = await ask('authenticate_user', { username: 'alice', password: PW.alice });
      assert.equal(r.n, `${r.pid}_result`);
      assert.equal(r.p.err, undefined);
      const p = r.p.profile;
      assert.equal(p.nickname, 'alice');
      assert.equal(p.dn, 'cn=Alice Smith,ou=people,dc=example,dc=test');
      assert.deepEqual(p.emails, [{ value: 'alice@example.test' }]);
      assert.deepEqual(p.name, { givenName: 'Alice', familyName: 'Smith' });
      assert.deepEqual([...p.groups].sort(), SLAPD.aliceGroups);
      assert.equal(typeof p.id, 'string');
      assert.deepEqual(Object.keys(r.p.timings).sort(), ['bindMs', 'groupsMs', 'searchMs', 'totalMs']);
    });

    it('wrong password and unknown user → <pid>_result {err: {name, message}} (with the profile once the user is known)', async () => {
      const wrong = await ask('authenticate_user', { username: 'alice', password: 'Wr0ng-Guess!7' });
      assert.equal(wrong.p.err.name, 'WrongPassword');
      assert.equal(typeof wrong.p.err.message, 'string');
      assert.equal(wrong.p.profile.nickname, 'alice');
      const nobody = await ask('authenticate_user', { username: 'nobody', password: 'N0body-Pass!9' });
      assert.equal(nobody.p.err.name, 'WrongUsername');
      assert.equal(nobody.p.profile, undefined);
    });

    it('escaped: true takes the username as an already-escaped filter value', async () => {
      const r = await ask('authenticate_user', {
        username: 'we\\28ird\\29\\2a\\5cname',
        password: PW.weird,
        escaped: true,
      });
      assert.equal(r.p.profile?.nickname, 'we(ird)*\\name', JSON.stringify(r.p.err));
    });

    it('search_users → <pid>_search_users_result {users}; list_groups → <pid>_list_groups_result {groups: [{id, name}]}', async () => {
      const s = await ask('search_users', { search: 'bob', limit: 5 });
      assert.equal(s.n, `${s.pid}_search_users_result`);
      assert.ok(s.p.users.some((u: { nickname: string }) => u.nickname === 'bob'));
      assert.ok(s.p.users.length <= 5);
      const g = await ask('list_groups', { limit: 50 });
      assert.equal(g.n, `${g.pid}_list_groups_result`);
      assert.ok(g.p.groups.length > 0 && g.p.groups.length <= 50);
      for (const x of g.p.groups) {
        assert.deepEqual(Object.keys(x).sort(), ['id', 'name']);
        assert.match(x.id, new RegExp(`^cn=${x.name},`, 'i'));
      }
    });

    it('change_password with write-back off → <pid>_change_password_result {err: {name: UnexpectedError, code: WriteBackDisabled}}', async () => {
      const r = await ask('change_password', { username: 'ivan', password: 'N3w-Passw0rd!' });
      assert.equal(r.n, `${r.pid}_change_password_result`);
      assert.equal(r.p.err.name, 'UnexpectedError');
      assert.equal(r.p.err.code, 'WriteBackDisabled');
    });

    it('a request before `authenticated` is answered {err: {code: NotAuthenticated}}, not acted on', async () => {
      const mute = new RogueHub();
      mute.answerAuthenticate = false;
      await mute.start();
      try {
        const child = spawn(process.execPath, [CONNECTOR_CLI, 'start', '--config', path.join(dir, 'config.json')], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, AD_HUB: mute.adHub, CA_CERT: mute.caPem },
        });
        const early = new Proc('connector-unauthenticated', child);
        await mute.waitForConnection(1);
        const pid = 'early-1';
        mute.send({
          n: 'authenticate_user',
          p: {
            jwt: jwt.sign({ pid, username: 'alice', password: PW.alice }, signingKey, {
              algorithm: 'HS256',
              expiresIn: 60,
            }),
          },
        });
        const r = await mute.waitForReply(pid);
        assert.equal(r.n, `${pid}_result`);
        assert.deepEqual(r.p, {
          err: {
            name: 'UnexpectedError',
            code: 'NotAuthenticated',
            message: (r.p as { err: { message: string } }).err.message,
          },
        });
        await early.stop();
      } finally {
        await mute.stop();
      }
    });

    it('a token signed with the base64url-decoded key (the old encoding) is refused with a typed error, not dropped', async () => {
      const r = await ask(
        'authenticate_user',
        { username: 'alice', password: PW.alice },
        Buffer.from(signingKey, 'base64url'),
      );
      assert.equal(r.p.profile, undefined);
      assert.equal(r.p.err.name, 'UnexpectedError');
      assert.equal(r.p.err.code, 'InvalidRequestToken');
      assert.match(r.p.err.message, /invalid signature|signature/i);
    });
  });
});
