/**
 * Tickets and the certificates they register: making a ticket (its URL carries a one-time token and the pin of
 * the hub's CA), listing tickets with what each registered, revoking one, and the editor's own connector, which
 * registers without a ticket. The HTTP side of a ticket (setup, registration) is ticketRoutes.ts.
 */
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import { ticketUrl } from '../../protocol/ticketUrl';
import type { Connections } from './connections';
import { registerEmbedded } from './embeddedCertificate';
import { hashToken, StateError, type HubState, type TicketRecord } from './state';
import type { TicketInfo } from './types';

export const DEFAULT_TICKET_LIFETIME_MS = 7 * 24 * 3600_000;
export const MAX_TICKET_USES = 1000;
export const MAX_PURPOSE_LENGTH = 200;

export interface NewTicket {
  id: string;
  url: string;
  /** The URL with `#ca=sha256:<hex>`, so that setup can trust the hub. */
  pinnedUrl: string;
  expiresAt: string;
  maxUses: number;
  purpose?: string;
}

export interface TicketsDeps {
  state: HubState;
  connections: Connections;
  log: Logger;
  /** The hub's HTTPS URL and CA, known once it listens. */
  url: () => string;
  caPem: () => string;
  lifetimeMs?: number;
  /** Closes the sessions of the instances a revoked ticket registered; how many. */
  disconnectTicket: (ticketId: string) => number;
  changed: () => void;
}

export class Tickets {
  constructor(private readonly deps: TicketsDeps) {}

  /** The SHA-256 of the hub's CA certificate. */
  get caPin(): string {
    return createHash('sha256').update(new X509Certificate(this.deps.caPem()).raw).digest('hex');
  }

  /** A ticket that registers at most `uses` new certificates (one unless the admin chooses more). */
  create(
    connection: string,
    lifetimeMs = this.deps.lifetimeMs ?? DEFAULT_TICKET_LIFETIME_MS,
    uses = 1,
    options: { purpose?: string } = {},
  ): NewTicket {
    this.deps.connections.require(connection);
    if (!Number.isInteger(uses) || uses < 1 || uses > MAX_TICKET_USES)
      throw new StateError(`A ticket registers 1 to ${MAX_TICKET_USES} connectors, not ${uses}`);
    const purpose = options.purpose?.replace(/\s+/g, ' ').trim() || undefined;
    if (purpose && purpose.length > MAX_PURPOSE_LENGTH)
      throw new StateError(`A ticket's purpose is at most ${MAX_PURPOSE_LENGTH} characters, not ${purpose.length}`);
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const rec: TicketRecord = {
      id: randomUUID(),
      hash: hashToken(token),
      connection,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + lifetimeMs).toISOString(),
      maxUses: uses,
      ...(purpose ? { purpose } : {}),
    };
    this.deps.state.addTicket(rec);
    this.deps.log.info('hub.ticket.created', {
      connection,
      ticket: rec.id,
      expiresAt: rec.expiresAt,
      maxUses: uses,
      purpose,
    });
    this.deps.changed();
    const url = ticketUrl(this.deps.url(), token);
    return {
      id: rec.id,
      url,
      pinnedUrl: `${url}#ca=sha256:${this.caPin}`,
      expiresAt: rec.expiresAt,
      maxUses: uses,
      ...(purpose ? { purpose } : {}),
    };
  }

  list(connection?: string): TicketInfo[] {
    const { state } = this.deps;
    return state.tickets
      .filter((t) => !connection || t.connection === connection)
      .map((t) => {
        const { registered, usesLeft } = state.ticketUses(t);
        return {
          id: t.id,
          connection: t.connection,
          createdAt: t.createdAt,
          expiresAt: t.expiresAt,
          revokedAt: t.revokedAt,
          expired: Date.parse(t.expiresAt) < Date.now(),
          maxUses: t.maxUses ?? null,
          usesLeft,
          ...(t.purpose ? { purpose: t.purpose } : {}),
          registered: registered.map((c) => ({
            thumbprint: c.thumbprint,
            subject: c.subject,
            status: c.removedAt ? (c.status === 'rejected' ? 'rejected' : 'removed') : (c.status ?? 'approved'),
            registeredAt: c.registeredAt,
          })),
        };
      });
  }

  /** It answers 404 from now on, and the instances it registered are refused and disconnected. */
  revoke(id: string): void {
    const t = this.deps.state.revokeTicket(id);
    const n = this.deps.disconnectTicket(id);
    this.deps.log.info('hub.ticket.revoked', { connection: t.connection, ticket: id, disconnected: n });
    this.deps.changed();
  }

  /**
   * Registers the certificate of the connector this editor runs itself, approved and marked embedded, and returns
   * the connection's signing key. No ticket: the editor owns both ends. A method of this process only: no HTTP
   * route (ticket or admin API) leads here, so a network peer cannot register a certificate this way.
   */
  async registerEmbedded(connection: string, certificatePem: string): Promise<string> {
    this.deps.connections.require(connection);
    const rec = registerEmbedded(this.deps.state, connection, certificatePem);
    if (rec) {
      this.deps.log.info('hub.certificate.registered', {
        connection,
        thumbprint: rec.thumbprint,
        status: rec.status,
        embedded: true,
      });
      this.deps.changed();
    }
    return this.deps.connections.signingKey(connection);
  }

  /** The registered certificates, without their DER. */
  certificates(connection?: string) {
    return this.deps.state.certificates
      .filter((c) => !connection || c.connection === connection)
      .map(({ der: _der, ...rest }) => rest);
  }
}
