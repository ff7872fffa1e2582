/**
 * `setup --ticket URL`: reads the ticket's /info, makes (or reuses) the connector's key pair and certificate,
 * registers the certificate, and writes config.json owner-only with every secret sealed. `start` re-posts the
 * same certificate each time (a no-op for the hub), so a restarted connector keeps working after the ticket's
 * lifetime.
 */
import { parseTicketUrl } from '../protocol/ticketUrl';
import { writeConfig, type ConnectorPaths, type RawConfig } from './config';
import { fetchPinnedCa, HubHttpError, hubRequest } from './hubHttp';
import { loadOrCreateIdentity, type Identity } from './identity';
import { signProof } from '../protocol/proof';
import { thumbprint } from '../protocol/tokens';
import { NamedError } from '../shared/namedError';

export const AGENT_VERSION = '0.1.0';

export class ProvisionError extends NamedError {}

export interface TicketInfo {
  adHub: string;
  connectionName: string;
  realm: { name: string };
}

/** The CA to trust the hub with: from the config, else the pin in the ticket URL's fragment. */
export async function hubCaFor(ticket: string, configured?: string): Promise<string | undefined> {
  if (configured) return configured;
  const pin = /[#&]ca=sha256:([0-9a-f]{64})/i.exec(ticket)?.[1];
  return pin ? fetchPinnedCa(parseTicketUrl(ticket).hubBase, pin) : undefined;
}

export async function readTicketInfo(ticket: string, caPem?: string): Promise<TicketInfo> {
  let t;
  try {
    t = parseTicketUrl(ticket);
  } catch (e) {
    throw new ProvisionError((e as Error).message);
  }
  const res = await hubRequest(t.infoUrl, { caPem });
  if (res.status === 404)
    throw new ProvisionError('Wrong ticket: the hub does not know it, or it was revoked. Generate a new ticket.');
  if (res.status !== 200) throw new ProvisionError(`The hub answered ${res.status} to the ticket's /info.`);
  const b = res.body as Partial<TicketInfo> | undefined;
  if (!b || typeof b.adHub !== 'string' || typeof b.connectionName !== 'string' || typeof b.realm?.name !== 'string') {
    throw new ProvisionError('The hub answered /info without adHub, connectionName and realm.');
  }
  return b as TicketInfo;
}

/**
 * Posts the certificate to the ticket. With `proofFor` the body also carries a proof signed with the private key,
 * which the hub requires when the certificate is registered already (a restart picking up a rotated signing key).
 */
export async function registerCertificate(
  ticket: string,
  identity: Identity,
  caPem: string | undefined,
  signInEndpoint: string,
  proofFor?: { connection: string; realm: string },
): Promise<string> {
  const t = parseTicketUrl(ticket);
  const proof =
    proofFor &&
    (await signProof(identity.privateKey, {
      ...proofFor,
      thumbprint: thumbprint(identity.certificateDer),
      ticketToken: t.token,
    }));
  const res = await hubRequest(t.postUrl, {
    method: 'POST',
    caPem,
    body: {
      certs: [identity.certificateDer.toString('base64')],
      signInEndpoint,
      agentMode: 'directory-bridge',
      agentVersion: AGENT_VERSION,
      ...(proof ? { proof } : {}),
    },
  });
  if (res.status === 404)
    throw new ProvisionError('Wrong ticket: the hub does not know it, or it was revoked. Generate a new ticket.');
  if (res.status !== 200)
    throw new ProvisionError(
      `The hub refused the certificate: ${(res.body as { error?: string })?.error ?? `HTTP ${res.status}`}`,
    );
  const key = (res.body as { signingKey?: unknown })?.signingKey;
  if (typeof key !== 'string' || !key)
    throw new ProvisionError('The hub accepted the certificate but sent no signingKey.');
  return key;
}

/** The whole setup; returns the config as written (secrets sealed). */
export async function provision(
  paths: ConnectorPaths,
  fileConfig: RawConfig,
  ticket: string,
  hubCaPem?: string,
): Promise<RawConfig> {
  try {
    const caPem = await hubCaFor(ticket, hubCaPem ?? (fileConfig.CA_CERT ? String(fileConfig.CA_CERT) : undefined));
    const info = await readTicketInfo(ticket, caPem);
    const identity = await loadOrCreateIdentity(paths);
    const signingKey = await registerCertificate(ticket, identity, caPem, 'https://127.0.0.1/', {
      connection: info.connectionName,
      realm: info.realm.name,
    });
    const cfg: RawConfig = {
      ...fileConfig,
      // kept for re-provisioning at start, sealed like the other secrets (writeConfig)
      PROVISIONING_TICKET: ticket.replace(/#.*$/, ''),
      AD_HUB: info.adHub,
      CONNECTION: info.connectionName,
      REALM: info.realm.name,
      TENANT_SIGNING_KEY: signingKey,
      ...(caPem ? { CA_CERT: caPem } : {}),
    };
    writeConfig(paths, cfg);
    return cfg;
  } catch (e) {
    if (e instanceof HubHttpError) throw new ProvisionError(e.message);
    throw e;
  }
}
