/**
 * The hub's persisted state: connections, tickets (as hashes), registered certificates. One JSON file in an
 * owner-only folder, written atomically. Secrets are not here: they go to the SecretStore.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../shared/files';
import { NamedError } from '../../shared/namedError';

export const CONNECTION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface ConnectionRecord {
  name: string;
  emailDomains: string[];
  kerberosRanges: string[];
  cacheEnabled: boolean;
  /** New connector certificates wait for an admin's approval before they get traffic (default on). */
  requireApproval?: boolean;
  createdAt: string;
}

export interface TicketRecord {
  id: string;
  /** sha256 of the token, hex: the token itself is never stored */
  hash: string;
  connection: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  /** How many new certificates this ticket may register (missing in older state: unbounded). */
  maxUses?: number;
  /** What it was made for, in the admin's words ("Generate Connector Config: Linux package"); shown, never secret. */
  purpose?: string;
}

export interface CertificateRecord {
  thumbprint: string;
  connection: string;
  /** The ticket that registered it; none for the editor's own connector (registered in process, see `embedded`). */
  ticketId?: string;
  /** The connector the editor runs itself: registered by the hub's own process, approved, never through a ticket. */
  embedded?: boolean;
  /** base64 DER */
  der: string;
  subject: string;
  registeredAt: string;
  removedAt?: string;
  /** pending: registered, waiting for an admin; missing (older state) counts as approved. */
  status?: CertificateStatus;
  /** The address the registering POST came from. */
  registeredFrom?: string;
  decidedAt?: string;
}

export type CertificateStatus = 'pending' | 'approved' | 'rejected';

export interface HubStateData {
  version: 1;
  hubId: string;
  connections: Record<string, ConnectionRecord>;
  tickets: TicketRecord[];
  certificates: CertificateRecord[];
}

export class StateError extends NamedError {}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class HubState {
  readonly file: string;
  private data: HubStateData;

  constructor(readonly dir: string) {
    ensurePrivateDir(dir);
    this.file = path.join(dir, 'state.json');
    this.data = this.load();
  }

  get hubId(): string {
    return this.data.hubId;
  }
  get connections(): ConnectionRecord[] {
    return Object.values(this.data.connections);
  }
  get tickets(): TicketRecord[] {
    return this.data.tickets;
  }
  get certificates(): CertificateRecord[] {
    return this.data.certificates;
  }

  /** Own keys only: "constructor" or "__proto__" are names like any other, never the object's prototype. */
  connection(name: string): ConnectionRecord | undefined {
    return Object.hasOwn(this.data.connections, name) ? this.data.connections[name] : undefined;
  }

  addConnection(rec: ConnectionRecord): void {
    if (!CONNECTION_NAME.test(rec.name))
      throw new StateError(`Connection names use a-z, 0-9 and '-' (1-63 characters): "${rec.name}"`);
    if (this.connection(rec.name)) throw new StateError(`A connection named "${rec.name}" already exists`);
    this.data.connections[rec.name] = rec;
    this.save();
  }

  updateConnection(name: string, patch: Partial<Omit<ConnectionRecord, 'name' | 'createdAt'>>): ConnectionRecord {
    const c = this.connection(name);
    if (!c) throw new StateError(`No connection named "${name}"`);
    Object.assign(c, patch);
    this.save();
    return c;
  }

  /** Removes a connection with its tickets and certificates. */
  deleteConnection(name: string): void {
    if (!this.connection(name)) throw new StateError(`No connection named "${name}"`);
    delete this.data.connections[name];
    this.data.tickets = this.data.tickets.filter((t) => t.connection !== name);
    this.data.certificates = this.data.certificates.filter((c) => c.connection !== name);
    this.save();
  }

  addTicket(t: TicketRecord): void {
    this.data.tickets.push(t);
    this.save();
  }

  findTicketByToken(token: string): TicketRecord | undefined {
    const h = hashToken(token);
    return this.data.tickets.find((t) => sameHash(t.hash, h));
  }

  revokeTicket(id: string): TicketRecord {
    const t = this.data.tickets.find((x) => x.id === id);
    if (!t) throw new StateError(`No ticket with id ${id}`);
    t.revokedAt ??= new Date().toISOString();
    this.save();
    return t;
  }

  addCertificate(c: CertificateRecord): void {
    this.data.certificates.push(c);
    this.save();
  }

  /** The live certificate with this thumbprint, or the only one it is a prefix of (at least 8 hex digits). */
  findCertificate(thumbprint: string): CertificateRecord {
    const t = thumbprint.toLowerCase();
    const live = this.data.certificates.filter((x) => !x.removedAt);
    const exact = live.find((x) => x.thumbprint === t);
    if (exact) return exact;
    const byPrefix = t.length >= 8 ? live.filter((x) => x.thumbprint.startsWith(t)) : [];
    if (byPrefix.length === 1) return byPrefix[0];
    throw new StateError(
      byPrefix.length > 1
        ? `The thumbprint ${thumbprint} matches ${byPrefix.length} certificates: give more digits`
        : `No registered certificate ${thumbprint}`,
    );
  }

  removeCertificate(thumbprint: string, status?: CertificateStatus): CertificateRecord {
    const c = this.findCertificate(thumbprint);
    c.removedAt = new Date().toISOString();
    if (status) {
      c.status = status;
      c.decidedAt = c.removedAt;
    }
    this.save();
    return c;
  }

  approveCertificate(thumbprint: string): CertificateRecord {
    const c = this.findCertificate(thumbprint);
    if (c.status === 'pending') {
      c.status = 'approved';
      c.decidedAt = new Date().toISOString();
      this.save();
    }
    return c;
  }

  /** Certificates a ticket registered (any state), and how many more it may register. */
  ticketUses(t: TicketRecord): { registered: CertificateRecord[]; usesLeft: number | null } {
    const registered = this.data.certificates.filter((c) => c.ticketId === t.id);
    return { registered, usesLeft: t.maxUses === undefined ? null : Math.max(0, t.maxUses - registered.length) };
  }

  /**
   * Drops what only history needs after `retentionMs`: expired or revoked tickets that no live certificate came
   * from, and removed or rejected certificates. Returns how many records went.
   */
  prune(retentionMs: number, now = Date.now()): number {
    const old = (iso: string | undefined) => !!iso && now - Date.parse(iso) > retentionMs;
    const before = this.data.tickets.length + this.data.certificates.length;
    this.data.certificates = this.data.certificates.filter((c) => !old(c.removedAt));
    const inUse = new Set(this.data.certificates.map((c) => c.ticketId).filter(Boolean));
    this.data.tickets = this.data.tickets.filter((t) => inUse.has(t.id) || !(old(t.revokedAt) || old(t.expiresAt)));
    const gone = before - this.data.tickets.length - this.data.certificates.length;
    if (gone) this.save();
    return gone;
  }

  /** Certificates that may authenticate for a connection: registered, not removed, their ticket not revoked. */
  activeCertificates(connection: string): CertificateRecord[] {
    const revoked = new Set(this.data.tickets.filter((t) => t.revokedAt).map((t) => t.id));
    return this.data.certificates.filter(
      (c) => c.connection === connection && !c.removedAt && !(c.ticketId && revoked.has(c.ticketId)),
    );
  }

  private load(): HubStateData {
    if (!existsSync(this.file)) {
      const fresh: HubStateData = {
        version: 1,
        hubId: randomBytes(8).toString('hex'),
        connections: Object.create(null) as Record<string, ConnectionRecord>,
        tickets: [],
        certificates: [],
      };
      this.data = fresh;
      this.save();
      return fresh;
    }
    let parsed: HubStateData;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as HubStateData;
    } catch (e) {
      throw new StateError(
        `The hub state ${this.file} is not valid JSON (${(e as Error).message}). It was left as it is: fix it or move it away.`,
      );
    }
    if (
      parsed?.version !== 1 ||
      typeof parsed.hubId !== 'string' ||
      typeof parsed.connections !== 'object' ||
      !Array.isArray(parsed.tickets) ||
      !Array.isArray(parsed.certificates)
    ) {
      throw new StateError(`The hub state ${this.file} is not a state file of this version. It was left as it is.`);
    }
    // a prototype-free map: a key named "__proto__" in the file stays an ordinary key
    parsed.connections = Object.assign(Object.create(null) as Record<string, ConnectionRecord>, parsed.connections);
    return parsed;
  }

  private save(): void {
    writeFileAtomic(this.file, JSON.stringify(this.data, null, 2), 0o600);
  }
}
