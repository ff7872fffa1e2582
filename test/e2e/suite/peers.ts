/**
 * A protocol peer (test/helpers/protocolPeer.ts) as an instance of a connection on the editor's own hub: registered
 * through a real ticket with a certificate of its own, then approved as the admin would. It is returned unstarted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Hub } from '../../../extension/hub/hub';
import { https } from '../../helpers/httpsJson';
import { derBase64, makeCertificate, ProtocolPeer } from '../../helpers/protocolPeer';

export async function approvedPeer(
  hub: Hub,
  connection: string,
  host: string,
): Promise<{ peer: ProtocolPeer; signingKey: string }> {
  const ticket = hub.createTicket(connection);
  const cert = makeCertificate(mkdtempSync(path.join(tmpdir(), `${connection}-peer-`)));
  const reg = await https(ticket.url, hub.caPem, 'POST', {
    certs: [derBase64(cert.certPem)],
    signInEndpoint: 'https://x/',
    agentMode: 'ad-ldap-connector',
    agentVersion: '6.1.0',
  });
  // a new instance waits for approval: the admin approves this one
  for (const p of hub.pendingInstances(connection)) hub.approveInstance(p.thumbprint);
  const signingKey = reg.body.signingKey as string;
  const peer = new ProtocolPeer({
    adHub: hub.adHubUrl,
    caPem: hub.caPem,
    connection,
    realm: hub.realm,
    keyPem: cert.keyPem,
    signingKey,
    mode: 'silent',
    host,
  });
  return { peer, signingKey };
}
