/**
 * The hub's persisted state: connections, tickets (as hashes), registered certificates. One JSON file in an
 * owner-only folder, written atomically. Secrets are not here: they go to the SecretStore.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../shared/files';

export const CONNECTION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface ConnectionRecord {
  name: string;
  emailDomains: string[];
  kerberosRanges: string[];
  cacheEnabled: boolean;
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
}

export interface CertificateRecord {
  thumbprint: string;
  connection: string;
  ticketId: string;
  /** base64 DER */
  der: string;
  subject: string;
  registeredAt: string;
  removedAt?: string;
}

export interface HubStateData {
  version: 1;
  hubId: string;
  connections: Record<string, ConnectionRecord>;
  tickets: TicketRecord[];
  certificates: CertificateRecord[];
}

export class StateError extends Error {}

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

  connection(name: string): ConnectionRecord | undefined {
    return this.data.connections[name];
  }

  addConnection(rec: ConnectionRecord): void {
    if (!CONNECTION_NAME.test(rec.name))
      throw new StateError(`Connection names use a-z, 0-9 and '-' (1-63 characters): "${rec.name}"`);
    if (this.data.connections[rec.name]) throw new StateError(`A connection named "${rec.name}" already exists`);
    this.data.connections[rec.name] = rec;
    this.save();
  }

  updateConnection(name: string, patch: Partial<Omit<ConnectionRecord, 'name' | 'createdAt'>>): ConnectionRecord {
    const c = this.data.connections[name];
    if (!c) throw new StateError(`No connection named "${name}"`);
    Object.assign(c, patch);
    this.save();
    return c;
  }

  /** Removes a connection with its tickets and certificates. */
  deleteConnection(name: string): void {
    if (!this.data.connections[name]) throw new StateError(`No connection named "${name}"`);
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

  removeCertificate(thumbprint: string): CertificateRecord {
    const c = this.data.certificates.find((x) => x.thumbprint === thumbprint && !x.removedAt);
    if (!c) throw new StateError(`No registered certificate ${thumbprint}`);
    c.removedAt = new Date().toISOString();
    this.save();
    return c;
  }

  /** Certificates that may authenticate for a connection: registered, not removed, their ticket not revoked. */
  activeCertificates(connection: string): CertificateRecord[] {
    const revoked = new Set(this.data.tickets.filter((t) => t.revokedAt).map((t) => t.id));
    return this.data.certificates.filter(
      (c) => c.connection === connection && !c.removedAt && !revoked.has(c.ticketId),
    );
  }

  private load(): HubStateData {
    if (!existsSync(this.file)) {
      const fresh: HubStateData = {
        version: 1,
        hubId: randomBytes(8).toString('hex'),
        connections: {},
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
    return parsed;
  }

  private save(): void {
    writeFileAtomic(this.file, JSON.stringify(this.data, null, 2), 0o600);
  }
}
