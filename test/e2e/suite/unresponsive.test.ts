/**
 * In real VS Code: an instance that authenticates and then never answers (a protocol peer written with
 * jsonwebtoken, test/helpers/protocolPeer.ts) is shown unresponsive, with why, in the tree and the status bar; and
 * Adopt an Existing Connector Installation takes over a folder of the deployed connector.
 */
import * as assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes, scryptSync, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AdoptReport } from '../../../extension/runner/connectorRunner';
import type { DirectoryBridgeApi } from '../../../extension/extension';
import type { ConnectionNode } from '../../../extension/tree/nodes/connectionNode';
import type { ExplorerNode } from '../../../extension/tree/nodes/node';
import { https } from '../../helpers/httpsJson';
import { derBase64, makeCertificate } from '../../helpers/protocolPeer';
import { ui } from './control';
import { until } from './wait';
import { exec } from './commands';
import { approvedPeer } from './peers';
import { slapdConnection } from './directories';

const SILENT = slapdConnection('silent-e2e', { userFilter: '(uid={0})', emailDomains: '' });

describe('compatibility in VS Code: unresponsive instances, adopting an installation', function () {
  this.timeout(120_000);
  let api: DirectoryBridgeApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('directory-bridge.directory-bridge')!.activate()) as DirectoryBridgeApi;
    await until('the hub', () => api.testing.hubs.status === 'running', 15_000);
  });

  it('an instance that never answers is shown unresponsive, with the reason, in the tree and the status bar', async () => {
    const hub = api.testing.hubs.hub!;
    await api.testing.createConnection(SILENT);
    await api.testing.runner.stop(SILENT.name);
    const { peer } = await approvedPeer(hub, SILENT.name, 'silent-peer');
    try {
      assert.equal((await peer.start()).n, 'authenticated');
      // three logins at once: each waits the hub's request timeout (15 s), then the instance is marked
      const results = await Promise.allSettled([1, 2, 3].map(() => hub.login(SILENT.name, 'alice', 'irrelevant')));
      assert.ok(
        results.every(
          (r) => r.status === 'rejected' && /did not answer authenticate_user/.test(String(r.reason?.message)),
        ),
        JSON.stringify(results),
      );
      await until('marked unresponsive', () => !!hub.instances(SILENT.name)[0]?.unresponsive, 5000);
      const view = api.testing.view as vscode.TreeView<ExplorerNode>;
      const n = api.testing.tree.connectionNode(SILENT.name) as ConnectionNode;
      await view.reveal(n, { expand: true, focus: false, select: true });
      await view.reveal(n.instances, { expand: true });
      const rows = await ui.texts('.part.sidebar .monaco-list-row', 'unresponsive');
      assert.ok(
        rows.some((t) => /silent-peer/.test(t) && /unresponsive \d+s/.test(t)),
        rows.join(' | '),
      );
      assert.match(api.statusText(), /1 unresponsive/);
      const bar = await ui.texts('.statusbar-item', '1 unresponsive');
      assert.ok(
        bar.some((t) => /Hub · \d+ online[\s\S]*1 unresponsive/.test(t)),
        bar.join(' | '),
      );
      await ui.screenshot('30-instance-unresponsive', '.part.sidebar');
      // no responsive instance: at once, saying why
      const t0 = Date.now();
      await assert.rejects(
        hub.login(SILENT.name, 'alice', 'irrelevant'),
        /silent-peer is unresponsive \(3 requests in a row/,
      );
      assert.ok(Date.now() - t0 < 1000);
    } finally {
      peer.close();
      await exec('deleteConnection', SILENT.name, { confirm: true });
    }
  });

  it('Adopt an Existing Connector Installation takes over the folder with its registered certificate and reports what was left', async () => {
    const hub = api.testing.hubs.hub!;
    await hub.createConnection({ name: 'legacy-e2e' });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'deployed-e2e-'));
      mkdirSync(path.join(dir, 'certs'));
      const cert = makeCertificate(path.join(dir, 'certs'));
      const ticket = hub.createTicket('legacy-e2e');
      const reg = await https(ticket.url, hub.caPem, 'POST', {
        certs: [derBase64(cert.certPem)],
        signInEndpoint: 'http://legacy:4000/wsfed',
        agentMode: 'ad-ldap-connector',
        agentVersion: '6.1.8',
      });
      const salt = randomBytes(16);
      const iv = randomBytes(16);
      const c = createCipheriv(
        'aes-256-cbc',
        scryptSync(readFileSync(cert.keyFile), salt, 32, { N: 16384, r: 8, p: 1 }),
        iv,
      );
      const sealed = `$2$.${salt.toString('hex')}.${iv.toString('hex')}.${Buffer.concat([c.update(SILENT.bindPassword, 'utf8'), c.final()]).toString('hex')}`;
      writeFileSync(
        path.join(dir, 'config.json'),
        JSON.stringify({
          AD_HUB: hub.adHubUrl,
          CONNECTION: 'legacy-e2e',
          REALM: hub.realm,
          TENANT_SIGNING_KEY: reg.body.signingKey,
          PORT: 4000,
          SITE_NAME: 'legacy',
          LDAP_URL: SILENT.urls,
          LDAP_BASE: SILENT.baseDn,
          LDAP_BIND_USER: SILENT.bindDn,
          LDAP_BIND_CREDENTIALS: sealed,
          LDAP_USER_BY_NAME: '(uid={0})',
        }),
      );
      const report = await exec<AdoptReport>('adoptInstallation', { folder: dir });
      assert.equal(report.thumbprint, createHash('sha256').update(new X509Certificate(cert.certPem).raw).digest('hex'));
      assert.deepEqual(report.notCarried.map((x) => x.key).sort(), ['PORT', 'SITE_NAME']);
      const cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, string>;
      assert.match(cfg.LDAP_BIND_CREDENTIALS, /^enc:v1:/);
      assert.equal(cfg.LDAP_KIND, 'openldap');
    } finally {
      await hub.deleteConnection('legacy-e2e');
    }
  });
});
