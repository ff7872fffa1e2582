/**
 * The setups the hub suites share, built from the processes of processes.ts: a hub with the CA a peer must trust
 * and the realm its JWTs carry, a ticket, a certificate registered as the deployed connector registers one, a
 * connector provisioned and serving, an instance bundle, and a real connector pointed at a hub under the test's
 * control (RogueHub).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createBundle, type InstanceBundle } from '../../protocol/bundle';
import { parseTicketUrl } from '../../protocol/ticketUrl';
import { https } from './httpsJson';
import {
  admin,
  connectorConfigFor,
  freePort,
  provisionConnector,
  startConnector,
  startHub,
  tempDir,
  ticketTokens,
  waitForInstances,
  type HubProc,
  type Proc,
} from './processes';
import { derBase64 } from './protocolPeer';
import type { RogueHub } from './rogueHub';
import { SLAPD } from './servers';

export interface StartedHub {
  hub: HubProc;
  /** The hub's CA certificate (PEM): what a peer trusts. */
  ca: string;
  /** The audience of the hub's JWTs. */
  realm: string;
}

/** A hub process in a fresh state folder on a free port. */
export async function startHubWithCa(prefix: string, extraArgs: string[] = []): Promise<StartedHub> {
  const hub = await startHub(tempDir(prefix), await freePort(), extraArgs);
  const ca = readFileSync(path.join(hub.stateDir, 'ca.pem'), 'utf8');
  const { realm } = await admin<{ realm: string }>(hub, 'GET', 'status');
  return { hub, ca, realm };
}

export interface Ticket {
  id: string;
  url: string;
  /** The URL with the pin of the hub's CA. */
  pinnedUrl: string;
  expiresAt: string;
}

/** A new ticket for the connection (admin API); its token joins the secrets the log scan looks for. */
export async function ticketFor(hub: HubProc, connection: string, body: Record<string, unknown> = {}): Promise<Ticket> {
  const t = await admin<Ticket>(hub, 'POST', `connections/${connection}/tickets`, body);
  ticketTokens.add(parseTicketUrl(t.url).token);
  return t;
}

/** What the deployed connector's setup says of itself when it registers. */
export interface AgentInfo {
  signInEndpoint: string;
  agentMode: string;
  agentVersion: string;
}

/**
 * Registers a certificate through a ticket as the deployed connector's setup does: one POST of the certificate and
 * the agent's description to the ticket URL. The hub's answer (200 and `signingKey` when accepted).
 */
export function registerAsDeployed(
  ticketUrl: string,
  ca: string,
  certPem: string,
  agent: AgentInfo = { signInEndpoint: 'https://x/', agentMode: 'ad-ldap-connector', agentVersion: '6.1.0' },
): Promise<{ status: number; body: any }> {
  return https(ticketUrl, ca, 'POST', { certs: [derBase64(certPem)], ...agent });
}

/**
 * A connector provisioned with a fresh ticket of the connection (approved), started, and listed by the hub: the
 * hub then has `online` instances of the connection (1 unless others serve it already).
 */
export async function connectorOnline(
  hub: HubProc,
  connection: string,
  name: string,
  options: { config?: Record<string, unknown>; online?: number } = {},
): Promise<{ dir: string; proc: Proc; ticket: Ticket }> {
  const ticket = await ticketFor(hub, connection);
  const dir = await provisionConnector(ticket.pinnedUrl, options.config ?? connectorConfigFor(SLAPD));
  const proc = await startConnector(dir, name);
  await waitForInstances(hub, connection, options.online ?? 1);
  return { dir, proc, ticket };
}

/** An instance bundle (protocol/bundle.ts) for the slapd fixture, sealed with `passphrase`, carrying `ticketUrl`. */
export function slapdBundle(connection: string, ticketUrl: string, passphrase: string): InstanceBundle {
  return createBundle(
    connection,
    {
      config: {
        LDAP_KIND: 'openldap',
        LDAP_URL: [SLAPD.url],
        LDAP_BASE: SLAPD.baseDn,
        LDAP_BIND_USER: SLAPD.bindDn,
      },
      bindPassword: SLAPD.bindPassword,
      ticket: ticketUrl,
    },
    passphrase,
  );
}

/**
 * A real connector process for the slapd fixture, pointed at `rogue` with the given signing key (no ticket, no
 * setup: the config names the hub and its CA), once the rogue hub has seen it authenticate.
 */
export async function connectorOnRogueHub(
  rogue: RogueHub,
  name: string,
  config: { CONNECTION: string; TENANT_SIGNING_KEY: string } & Record<string, unknown>,
  dir = tempDir(name),
): Promise<Proc> {
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      ...connectorConfigFor(SLAPD),
      AD_HUB: rogue.adHub,
      CA_CERT: rogue.caPem,
      REALM: 'urn:x',
      ...config,
    }),
  );
  const proc = await startConnector(dir, name);
  await rogue.waitForConnection(1);
  return proc;
}
