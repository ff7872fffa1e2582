/**
 * The editor's own connector needs no ticket (issue 14, point 4): the hub, running in the editor's process, registers
 * the connector's certificate itself, approved and marked embedded, and the real connector process starts already
 * registered. And the attack: nobody on the network can register a certificate that way (no route leads to it),
 * nor dress up a ticket registration as the editor's own.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import * as path from 'node:path';
import { Hub } from '../../extension/hub/hub';
import { SLAPD } from '../helpers/servers';
import { https } from '../helpers/httpsJson';
import { CONNECTOR_CLI, freePort, HUB_CLI, Proc, run, startConnector, tempDir } from '../helpers/processes';
import { announce } from '../../extension/hub/adminClient';
import { RogueConnector } from '../helpers/rogueConnector';
import { pathsFor } from '../../connector/config';
import { loadOrCreateIdentity } from '../../connector/identity';
import { thumbprint } from '../../protocol/tokens';

describe('the embedded connector: registered in process, no ticket; not from the network', function () {
  this.timeout(60_000);
  let hub: Hub;
  let dir: string;
  let connector: Proc | undefined;
  let signingKey: string;
  let embeddedThumbprint: string;

  before(async () => {
    hub = await Hub.start({ stateDir: tempDir('hub-embedded'), port: await freePort() });
    // as `serve` does, so that the CLI finds this hub
    announce(hub.options.stateDir, { url: hub.url, pid: process.pid }, hub.adminToken);
    await hub.createConnection({ name: 'own' });
    dir = tempDir('embedded-connector');
  });
  after(async () => {
    connector?.child.kill('SIGTERM');
    await hub.stop();
  });

  it('the connector makes its key pair itself and prints only its certificate; the hub registers it approved and embedded', async () => {
    const configFile = path.join(dir, 'config.json');
    const config = {
      LDAP_KIND: SLAPD.kind,
      LDAP_URL: SLAPD.url,
      LDAP_BASE: SLAPD.baseDn,
      LDAP_BIND_USER: SLAPD.bindDn,
      AD_HUB: hub.adHubUrl,
      CONNECTION: 'own',
      REALM: hub.realm,
      CA_CERT: hub.caPem,
    };
    writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
    const r = await run([CONNECTOR_CLI, 'certificate', '--json', '--config', configFile]);
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /PRIVATE KEY/, 'the private key never leaves certs/');
    const { certificatePem, thumbprint: tp } = JSON.parse(r.out) as { certificatePem: string; thumbprint: string };
    assert.equal(statSync(path.join(dir, 'certs', 'connector.key')).mode & 0o777, 0o600);
    signingKey = await hub.registerEmbeddedCertificate('own', certificatePem);
    embeddedThumbprint = tp;
    assert.equal(await hub.registerEmbeddedCertificate('own', certificatePem), signingKey, 'idempotent');
    assert.deepEqual(hub.tickets('own'), [], 'no ticket was made');
    const listed = await run([HUB_CLI, 'ticket', 'list', 'own', '--state', hub.options.stateDir]);
    assert.equal(listed.code, 0, listed.out);
    assert.deepEqual(JSON.parse(listed.out), [], '`ticket list` shows none');
    const certs = hub.certificates('own');
    assert.equal(certs.length, 1);
    assert.equal(certs[0].thumbprint, tp);
    assert.equal(certs[0].embedded, true);
    assert.equal(certs[0].status, 'approved');
    assert.equal(certs[0].ticketId, undefined);

    // the real connector, already registered: the signing key and password through its environment only
    connector = await startConnector(dir, 'embedded', {
      TENANT_SIGNING_KEY: signingKey,
      LDAP_BIND_CREDENTIALS: SLAPD.bindPassword,
    });
    const t0 = Date.now();
    while (hub.instances('own').length === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 25));
    const [inst] = hub.instances('own');
    assert.equal(inst?.embedded, true, 'the instance is marked as the embedded one');
    const login = await hub.login('own', 'alice', 'Passw0rd!Alice');
    assert.equal(login.ok, true, JSON.stringify(login.error));
    const onDisk = readFileSync(path.join(dir, 'config.json'), 'utf8');
    assert.ok(!onDisk.includes(signingKey) && !/TENANT_SIGNING_KEY|PROVISIONING_TICKET/.test(onDisk), onDisk);
    assert.ok(!connector.log.includes(signingKey), 'the signing key is not in the log');
    const cmdline = readFileSync(`/proc/${connector.child.pid}/cmdline`, 'utf8');
    assert.ok(!cmdline.includes(signingKey), 'nor on the command line');
  });

  it('attack: a network peer cannot register a certificate without a ticket, nor pass one off as the embedded one', async () => {
    const base = hub.url;
    const ca = hub.caPem;
    const attacker = await loadOrCreateIdentity(pathsFor(path.join(tempDir('attacker'), 'config.json')));
    const certs = [attacker.certificateDer.toString('base64')];
    const dressed = { certs, embedded: true, status: 'approved', agentMode: 'embedded', signInEndpoint: 'https://x/' };
    // no ticket: made-up tokens and every path that could look like a registration
    for (const p of ['/p/ad/' + 'A'.repeat(43), '/p/ad/', '/embedded', '/register', '/ws', '/p/embedded/own'])
      assert.ok([404, 405].includes((await https(base + p, ca, 'POST', dressed)).status), p);
    // the admin API: without its token nothing; with it, still no route that registers a certificate
    for (const p of [
      'connections/own/certificates',
      'connections/own/embedded',
      'connections/own/instances',
      'embedded',
    ])
      assert.equal(
        (await https(`${base}/admin/${p}`, ca, 'POST', { certificatePem: attacker.certificatePem })).status,
        401,
        p,
      );
    for (const p of ['connections/own/certificates', 'connections/own/embedded', 'certificates', 'embedded']) {
      const status = await new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ certificatePem: attacker.certificatePem, embedded: true });
        const req = httpsRequest(
          `${base}/admin/${p}`,
          {
            method: 'POST',
            ca,
            headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      assert.ok(status >= 400, `${p} answered ${status}`);
    }
    // a real ticket, with a body that claims to be the editor's own: registered pending, not embedded
    const ticket = hub.createTicket('own', 3600_000, 1, { purpose: 'attack test' });
    const posted = await https(ticket.url, ca, 'POST', dressed);
    assert.equal(posted.status, 200);
    const viaTicket = hub.certificates('own').find((c) => c.thumbprint === thumbprint(attacker.certificateDer))!;
    assert.equal(viaTicket.status, 'pending', 'what a ticket registers waits for the admin, whatever the body says');
    assert.equal(viaTicket.embedded, undefined);
    assert.equal(viaTicket.ticketId, ticket.id);
    // the embedded certificate is public: re-posting it to a ticket without its key gets nothing
    const stolen = hub.certificates('own').find((c) => c.embedded)!;
    const rePost = await https(ticket.url, ca, 'POST', {
      certs: [readFileSync(path.join(dir, 'certs', 'connector.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, '')],
    });
    assert.equal(rePost.status, 403);
    assert.equal(rePost.body.signingKey, undefined);
    assert.equal(stolen.thumbprint, embeddedThumbprint);
    // a key nobody registered, dialing in as "this editor": refused
    const rogue = await RogueConnector.register(hub.createTicket('own', 3600_000, 1).pinnedUrl, ca, tempDir('rogue'));
    assert.equal(rogue.status, 200);
    const answer = await rogue.rogue!.connect();
    assert.equal(answer.n, 'authenticated');
    assert.deepEqual(answer.p.pending, true, 'a ticket registration dialing in waits, it is never the embedded one');
    assert.equal(hub.instances('own').filter((i) => i.embedded).length, 1, 'only the real embedded instance');
    rogue.rogue!.ws?.close();
    // in all: the embedded certificate, and the two that came through tickets, both pending
    assert.deepEqual(
      hub
        .certificates('own')
        .map((c) => `${c.embedded ? 'embedded' : 'ticket'}/${c.status}`)
        .sort(),
      ['embedded/approved', 'ticket/pending', 'ticket/pending'],
    );
  });

  it('the CLI: `ticket create --purpose` records what it is for, `ticket list` shows it; a purpose over 200 characters is refused', async () => {
    const state = hub.options.stateDir;
    const made = await run([HUB_CLI, 'ticket', 'create', 'own', '--purpose', 'by hand on srv-2', '--state', state]);
    assert.equal(made.code, 0, made.out);
    const list = JSON.parse((await run([HUB_CLI, 'ticket', 'list', 'own', '--state', state])).out) as Array<{
      purpose?: string;
    }>;
    assert.ok(list.some((t) => t.purpose === 'by hand on srv-2'));
    const long = await run([HUB_CLI, 'ticket', 'create', 'own', '--purpose', 'x'.repeat(201), '--state', state]);
    assert.equal(long.code, 1);
    assert.match(long.out, /A ticket's purpose is at most 200 characters, not 201/);
  });

  it('a removed embedded certificate is not registered again quietly: the hub refuses it by name', async () => {
    hub.removeCertificate(embeddedThumbprint);
    const pem = readFileSync(path.join(dir, 'certs', 'connector.pem'), 'utf8');
    await assert.rejects(hub.registerEmbeddedCertificate('own', pem), {
      name: 'EmbeddedCertificateRemovedError',
      message: /removed \(or rejected\) by an administrator/,
    });
    await assert.rejects(hub.registerEmbeddedCertificate('own', 'not a certificate'), /not a PEM X\.509 certificate/);
    await assert.rejects(hub.registerEmbeddedCertificate('nope', pem), /No connection named "nope"/);
  });
});
