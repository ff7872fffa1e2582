/**
 * Adopting an installation of the deployed AD/LDAP connector: a folder in its layout (its key names, the `$2$`
 * credentials made here with node:crypto, a certificate registered with our hub through a ticket, a
 * profileMapper.js taking one argument) is taken over by `directory-bridge-connector adopt DIR`; then our real
 * connector process serves logins with the same certificate, the mapper unchanged and the password sealed our way.
 */
import * as assert from 'node:assert/strict';
import { createCipheriv, createHash, createPrivateKey, randomBytes, scryptSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SLAPD } from '../helpers/servers';
import {
  admin,
  CONNECTOR_CLI,
  login,
  logsContaining,
  run,
  startConnector,
  stopAll,
  tempDir,
  waitForInstances,
  type HubProc,
} from '../helpers/processes';
import { registerAsDeployed, startHubWithCa, ticketFor } from '../helpers/hubFixtures';
import { makeCertificate } from '../helpers/protocolPeer';
import { PW } from '../helpers/fixtures';

/** The deployed connector's encrypted form of LDAP_BIND_CREDENTIALS. */
function sealDeployed(plain: string, certKey: Buffer): string {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = scryptSync(certKey, salt, 32, { N: 16384, r: 8, p: 1 });
  const c = createCipheriv('aes-256-cbc', key, iv);
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `$2$.${salt.toString('hex')}.${iv.toString('hex')}.${data.toString('hex')}`;
}

describe('adopting an installation of the deployed connector', function () {
  this.timeout(60_000);
  let hub: HubProc;
  let ca: string;
  let dir: string;
  let thumb: string;
  let original: Record<string, unknown>;
  const passwords = new Set<string>([SLAPD.bindPassword, PW.alice]);

  before(async () => {
    const started = await startHubWithCa('hub-adopt');
    ({ hub, ca } = started);
    const { realm } = started;
    // about adopting: no approval step here (attacks.test.ts covers it)
    await admin(hub, 'POST', 'connections', { name: 'legacy', cacheEnabled: false, requireApproval: false });
    const ticket = (await ticketFor(hub, 'legacy', { uses: 10 })).url;

    // the deployed connector's folder: certs/cert.pem and certs/cert.key (PKCS#1, as its setup writes them)
    dir = tempDir('deployed');
    mkdirSync(path.join(dir, 'certs'));
    const made = makeCertificate(path.join(dir, 'certs'), 'legacy-connector');
    const pkcs1 = createPrivateKey(made.keyPem).export({ type: 'pkcs1', format: 'pem' }) as string;
    writeFileSync(made.keyFile, pkcs1);
    thumb = createHash('sha256').update(new X509Certificate(made.certPem).raw).digest('hex');
    // registered with the identity service (our hub) the way its setup does: POST the certificate to the ticket
    const reg = await registerAsDeployed(ticket, ca, made.certPem, {
      signInEndpoint: 'http://legacy-host:4000/wsfed',
      agentMode: 'ad-ldap-connector',
      agentVersion: '6.1.8',
    });
    assert.equal(reg.status, 200);
    original = {
      AD_HUB: `wss://127.0.0.1:${hub.port}/ws`,
      PORT: 4000,
      PROVISIONING_TICKET: ticket,
      WSFED_ISSUER: 'urn:auth0:legacy',
      CONNECTION: 'legacy',
      REALM: realm,
      SITE_NAME: 'legacy',
      TENANT_SIGNING_KEY: reg.body.signingKey,
      SERVER_URL: 'http://legacy-host:4000',
      LAST_SENT_THUMBPRINT: thumb.slice(0, 40).toUpperCase(),
      LDAP_URL: SLAPD.url,
      LDAP_BASE: SLAPD.baseDn,
      LDAP_BIND_USER: SLAPD.bindDn,
      LDAP_BIND_CREDENTIALS: sealDeployed(SLAPD.bindPassword, readFileSync(made.keyFile)),
      LDAP_USER_BY_NAME: '(uid={0})',
      LDAP_SEARCH_QUERY: '(&(objectClass=person)(|(uid={0}*)(cn={0}*)))',
      LDAP_SEARCH_ALL_QUERY: '(objectClass=person)',
      LDAP_SEARCH_GROUPS: '(&(objectClass=groupOfNames)(member={0}))',
      GROUPS: true,
      GROUP_PROPERTY: 'cn',
      GROUPS_CACHE_SECONDS: 600,
      LDAP_HEARTBEAT_SECONDS: 60,
      KERBEROS_AUTH: false,
      CLIENT_CERT_AUTH: false,
    };
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(original, null, 2));
    writeFileSync(
      path.join(dir, 'profileMapper.js'),
      `module.exports = function (raw_data) {
  return { id: raw_data.uid, nickname: 'legacy-' + raw_data.uid, displayName: raw_data.cn, groups: raw_data.groups,
    emails: raw_data.mail ? [{ value: raw_data.mail }] : [], dn: raw_data.dn, name: { familyName: raw_data.sn }, mappedBy: 'profileMapper.js' };
};
`,
    );
  });
  after(async () => {
    await stopAll();
    assert.deepEqual(logsContaining(passwords), []);
  });

  it('adopt DIR takes it over and lists by name what it did not carry over, with what to do', async () => {
    const r = await run([CONNECTOR_CLI, 'adopt', dir]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`Certificate thumbprint \\(SHA-256\\): ${thumb}`));
    const notCarried = r.out.split('Not carried over:')[1];
    for (const k of [
      'PORT',
      'WSFED_ISSUER',
      'SITE_NAME',
      'SERVER_URL',
      'LAST_SENT_THUMBPRINT',
      'LDAP_HEARTBEAT_SECONDS',
      'KERBEROS_AUTH',
      'CLIENT_CERT_AUTH',
      'LDAP_SEARCH_GROUPS',
    ]) {
      assert.match(notCarried, new RegExp(`\\n  ${k}: \\S`), `${k} is not listed with what to do`);
    }
    assert.match(r.out, /LDAP_BIND_CREDENTIALS: opened with certs\/cert.key and sealed again/);
    assert.match(r.out, /LDAP_KIND: set to "openldap"/);
    assert.match(r.out, /profileMapper.js: used as it is/);
    assert.ok(!r.out.includes(SLAPD.bindPassword));
  });

  it('the password is re-sealed our way; the original config is kept', () => {
    const text = readFileSync(path.join(dir, 'config.json'), 'utf8');
    const cfg = JSON.parse(text) as Record<string, string>;
    assert.match(cfg.LDAP_BIND_CREDENTIALS, /^enc:v1:/);
    assert.match(cfg.TENANT_SIGNING_KEY, /^enc:v1:/);
    assert.ok(
      !text.includes(SLAPD.bindPassword) &&
        !text.includes('$2$') &&
        !text.includes(String(original.TENANT_SIGNING_KEY)),
    );
    assert.equal(cfg.CONNECTION, 'legacy');
    assert.equal(cfg.PROFILE_MAPPER_FILE, 'profileMapper.js');
    assert.equal(cfg.PORT, undefined);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'config.deployed.json'), 'utf8')), original);
    assert.ok(existsSync(path.join(dir, 'certs/secrets.key')));
  });

  it('our connector serves logins with the same certificate (thumbprint), the mapper unchanged, without a new ticket', async () => {
    // the identity service's certificate would be publicly trusted; ours is the hub's own CA
    const c = await startConnector(dir, 'connector-adopted', { CA_CERT: ca });
    await waitForInstances(hub, 'legacy', 1);
    const [inst] = await admin<Array<{ thumbprint: string }>>(hub, 'GET', 'connections/legacy/instances');
    assert.equal(inst.thumbprint, thumb);
    assert.equal(
      (await admin<unknown[]>(hub, 'GET', 'connections/legacy/certificates')).length,
      1,
      'no other certificate was registered',
    );
    const out = await login(hub, 'legacy', 'alice', PW.alice);
    assert.equal(out.ok, true, JSON.stringify(out.error));
    const p = out.profile as unknown as Record<string, unknown>;
    assert.equal(p.nickname, 'legacy-alice');
    assert.equal(p.mappedBy, 'profileMapper.js');
    assert.equal(p.id, 'alice');
    assert.deepEqual([...(p.groups as string[])].sort(), SLAPD.aliceGroups);
    assert.equal((await login(hub, 'legacy', 'alice', 'Wr0ng-Guess!7')).error!.name, 'WrongPassword');
    assert.ok(!c.log.includes('reprovision.failed'), 'the re-post of the same certificate was accepted');
  });

  it('a folder without the registered certificate is refused with what to do', async () => {
    const empty = tempDir('deployed-nocert');
    writeFileSync(path.join(empty, 'config.json'), JSON.stringify({ AD_HUB: 'wss://x/ws', TENANT_SIGNING_KEY: 'k' }));
    const r = await run([CONNECTOR_CLI, 'adopt', empty]);
    assert.equal(r.code, 1);
    assert.match(r.out, /certs\/cert.pem is missing: .*provision with a new ticket instead/);
  });
});
