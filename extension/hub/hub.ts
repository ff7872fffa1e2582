/**
 * The hub: the identity-service side of the protocol, in plain Node. It serves HTTPS and WSS on loopback by
 * default, keeps connections, tickets and registered certificates, routes requests to connector instances, and
 * falls back to the credential cache when no instance is online. This file starts it, wires its parts together
 * and is the one API the admin routes, the editor and the tests call: connections.ts (records and signing keys),
 * tickets.ts and approval.ts (tickets, certificates, pending instances), gateway.ts and router.ts (instance
 * sessions and where a request goes), requests.ts (the requests themselves), listener.ts and the HTTP routes
 * (adminApi.ts, ticketRoutes.ts, signInRoutes.ts).
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { silentLogger, type Logger } from '../../shared/logger';
import type { Profile } from '../../protocol/profile';
import { handleAdminRoute, type AdminTarget } from './adminApi';
import { Approvals, type PendingInstance } from './approval';
import { ensureHubTls, type HubTls } from './certificates';
import { Connections, type ConnectionPatch, type NewConnection } from './connections';
import { CredentialCache } from './credentialCache';
import { HubError } from './errors';
import { Gateway } from './gateway';
import { ReplayGuard } from './replayGuard';
import { HttpError } from './http';
import { listen } from './listener';
import { Requests, type PasswordChangeOutcome } from './requests';
import { Router } from './router';
import { FileSecretStore, type SecretStore } from './secretStore';
import type { InstanceInfo } from './session';
import { StateLock } from './stateLock';
import { HubState, type ConnectionRecord } from './state';
import { handleTicketRoute } from './ticketRoutes';
import { Tickets, type NewTicket } from './tickets';
import { KerberosSignIns } from './kerberosSignIn';
import { handleSignInRoute } from './signInRoutes';
import { testKerberosSignIn, type KerberosTestResult } from './kerberosTest';
import { kerberosSearchDirs, loadKerberos } from '../../shared/kerberosModule';
import type { LoginOutcome, TicketInfo } from './types';

export { DEFAULT_TICKET_LIFETIME_MS, MAX_PURPOSE_LENGTH, MAX_TICKET_USES } from './tickets';
export type { LoginOutcome, NewTicket, PasswordChangeOutcome, PendingInstance, TicketInfo };

export const DEFAULT_PORT = 8843;
export const DEFAULT_RETENTION_MS = 30 * 24 * 3600_000;

export interface HubOptions {
  stateDir: string;
  host?: string;
  port?: number;
  /** Extra names for the server certificate and the URLs given to connectors (when listening beyond loopback). */
  publicHost?: string;
  ticketLifetimeMs?: number;
  requestTimeoutMs?: number;
  /** Consecutive timeouts after which an instance is marked unresponsive and only probed (default 3). */
  unresponsiveAfter?: number;
  heartbeatMs?: number;
  cacheTtlMs?: number;
  secrets?: SecretStore;
  log?: Logger;
  /** Token for the admin API; generated and kept in the state folder when not given. */
  adminToken?: string;
  /** How long expired or revoked tickets and removed certificates stay in state.json (default 30 days). */
  retentionMs?: number;
}

export class Hub extends EventEmitter implements AdminTarget {
  private server!: Server;
  private gateway!: Gateway;
  private router!: Router;
  private tls!: HubTls;
  private requests!: Requests;
  private readonly conns: Connections;
  private readonly ticketBook: Tickets;
  readonly cache: CredentialCache;
  readonly state: HubState;
  readonly log: Logger;
  readonly adminToken: string;
  readonly signIns: KerberosSignIns;
  private readonly proofs = new ReplayGuard();
  private readonly approvals: Approvals;
  private lock?: StateLock;
  private pruneTimer?: NodeJS.Timeout;

  private constructor(readonly options: HubOptions) {
    super();
    this.log = options.log ?? silentLogger;
    this.state = new HubState(options.stateDir);
    this.cache = new CredentialCache(options.cacheTtlMs);
    this.adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
    const changed = () => this.emit('changed');
    this.conns = new Connections({
      state: this.state,
      secrets: options.secrets ?? new FileSecretStore(path.join(options.stateDir, 'secrets.json')),
      cache: this.cache,
      log: this.log,
      disconnect: (c) => this.gateway.disconnect((s) => s.connection === c, 'connection deleted'),
      changed,
    });
    this.ticketBook = new Tickets({
      state: this.state,
      connections: this.conns,
      log: this.log,
      url: () => this.url,
      caPem: () => this.tls.caPem,
      lifetimeMs: options.ticketLifetimeMs,
      disconnectTicket: (id) => this.gateway.disconnect((s) => s.ticketId === id, 'ticket revoked'),
      changed,
    });
    this.approvals = new Approvals({
      state: this.state,
      gateway: () => this.gateway,
      cache: this.cache,
      log: this.log,
      changed,
    });
    this.signIns = new KerberosSignIns({
      realm: this.realm,
      activeCertificates: (c) => this.state.activeCertificates(c),
    });
  }

  static async start(options: HubOptions): Promise<Hub> {
    const lock = StateLock.acquire(options.stateDir);
    const hub = new Hub(options);
    hub.lock = lock;
    try {
      await hub.listen();
    } catch (e) {
      hub.cache.close();
      lock.release();
      throw e;
    }
    return hub;
  }

  get realm(): string {
    return `urn:directory-bridge:${this.state.hubId}`;
  }
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get host(): string {
    return this.options.publicHost ?? this.options.host ?? '127.0.0.1';
  }
  get url(): string {
    return `https://${hostForUrl(this.host)}:${this.port}`;
  }
  get adHubUrl(): string {
    return `wss://${hostForUrl(this.host)}:${this.port}/ws`;
  }
  get caPem(): string {
    return this.tls.caPem;
  }

  // --- connections (connections.ts) ---

  connections(): ConnectionRecord[] {
    return this.conns.list();
  }

  createConnection(input: NewConnection): Promise<ConnectionRecord> {
    return this.conns.create(input);
  }

  updateConnection(name: string, patch: ConnectionPatch): ConnectionRecord {
    return this.conns.update(name, patch);
  }

  deleteConnection(name: string): Promise<void> {
    return this.conns.delete(name);
  }

  // --- tickets and certificates (tickets.ts, approval.ts) ---

  /** The SHA-256 of the hub's CA certificate: a ticket URL carries it as `#ca=sha256:<hex>` so that setup can trust the hub. */
  get caPin(): string {
    return this.ticketBook.caPin;
  }

  /** A ticket that registers at most `uses` new certificates (one unless the admin chooses more). */
  createTicket(connection: string, lifetimeMs?: number, uses?: number, options?: { purpose?: string }): NewTicket {
    return this.ticketBook.create(connection, lifetimeMs, uses, options);
  }

  /** The editor's own connector: registered approved and embedded, no ticket (tickets.ts says why that is safe). */
  registerEmbeddedCertificate(connection: string, certificatePem: string): Promise<string> {
    return this.ticketBook.registerEmbedded(connection, certificatePem);
  }

  tickets(connection?: string): TicketInfo[] {
    return this.ticketBook.list(connection);
  }

  /** Revokes a ticket: it answers 404 from now on, and the instances it registered are refused and disconnected. */
  revokeTicket(id: string): void {
    this.ticketBook.revoke(id);
  }

  /** Removes one registered certificate (one connector installation): refused from now on, its cache entries dropped. */
  removeCertificate(thumbprint: string): void {
    const c = this.approvals.remove(thumbprint);
    this.gateway.forgetKey(c.thumbprint);
  }

  /** Instances whose certificate waits for the admin, with where they connect from. */
  pendingInstances(connection?: string): PendingInstance[] {
    return this.approvals.pending(connection);
  }

  /** The instance starts getting traffic. */
  approveInstance(thumbprint: string): string {
    return this.approvals.approve(thumbprint).thumbprint;
  }

  /** The instance is refused from now on, as a removed certificate is. */
  rejectInstance(thumbprint: string): string {
    const c = this.approvals.reject(thumbprint);
    this.gateway.forgetKey(c.thumbprint);
    return c.thumbprint;
  }

  certificates(connection?: string) {
    return this.ticketBook.certificates(connection);
  }

  instances(connection?: string): InstanceInfo[] {
    return this.gateway
      .all()
      .filter((s) => s.authenticated && s.approved && (!connection || s.connection === connection))
      .map((s) => s.info());
  }

  // --- requests to instances (requests.ts) ---

  login(
    connection: string,
    username: string,
    password: string,
    options?: { escaped?: boolean },
  ): Promise<LoginOutcome> {
    return this.requests.login(connection, username, password, options);
  }

  searchUsers(connection: string, search: string, limit?: number): Promise<{ users: Profile[]; instance: string }> {
    return this.requests.searchUsers(connection, search, limit);
  }

  listGroups(connection: string, limit?: number): Promise<Array<{ id: string; name: string }>> {
    return this.requests.listGroups(connection, limit);
  }

  /** A password reset through a connector's write-back; `writeBackOnly`: only an instance that reports it on. */
  changePassword(
    connection: string,
    username: string,
    password: string,
    options?: { writeBackOnly?: boolean },
  ): Promise<PasswordChangeOutcome> {
    return this.requests.changePassword(connection, username, password, options);
  }

  /** The admin's own Kerberos test through an instance; the native module is loaded from disk when first needed. */
  async kerberosTest(
    connection: string,
    options: { ccache?: string; dirs?: string[] } = {},
  ): Promise<KerberosTestResult> {
    this.conns.require(connection);
    const loaded = loadKerberos([...(options.dirs ?? []), ...kerberosSearchDirs(this.options.stateDir)]);
    if (!loaded.ok) throw new HubError(`the native "kerberos" module cannot be loaded by the hub: ${loaded.error}`);
    return testKerberosSignIn(this, connection, loaded.module, options.ccache);
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    this.cache.close();
    this.lock?.release();
    this.gateway.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- internals ---

  private prune(): void {
    const gone = this.state.prune(this.options.retentionMs ?? DEFAULT_RETENTION_MS);
    if (gone) this.log.info('hub.state.pruned', { records: gone });
  }

  private async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    this.tls = await ensureHubTls(
      this.options.stateDir,
      [host, ...(this.options.publicHost ? [this.options.publicHost] : [])].filter(
        (h) => h !== '0.0.0.0' && h !== '::',
      ),
    );
    await this.conns.loadKeys();
    this.gateway = new Gateway({
      realm: this.realm,
      log: this.log,
      heartbeatMs: this.options.heartbeatMs ?? 10_000,
      activeCertificates: (c) => this.state.activeCertificates(c),
      onOnline: (s) => this.emit('instance-online', s.info()),
      onPending: (s) => {
        const c = this.state.certificates.find((x) => x.thumbprint === s.thumbprint);
        if (c) this.emit('instance-pending', this.approvals.describe(c));
      },
      onOffline: (s) => this.emit('instance-offline', s.info()),
      onHealth: (s) => this.emit('instance-health', s.info()),
    });
    this.router = new Router({
      sessionsOf: (c) => this.gateway.sessionsOf(c),
      tokensOf: (c) => this.conns.tokensOf(c),
      timeoutMs: this.options.requestTimeoutMs ?? 15_000,
      unresponsiveAfter: this.options.unresponsiveAfter,
      onResponsiveness: (s) => {
        if (s.unresponsive)
          this.log.warn('hub.instance.not_answering', {
            connection: s.connection,
            host: s.host,
            instance: s.id,
            reason: s.unresponsive.reason,
          });
        else this.log.info('hub.instance.answering_again', { connection: s.connection, host: s.host, instance: s.id });
        this.emit('instance-health', s.info());
      },
    });
    this.requests = new Requests({ router: this.router, cache: this.cache, connections: this.conns });
    this.server = await listen({
      tls: this.tls,
      host,
      port: this.options.port ?? DEFAULT_PORT,
      gateway: this.gateway,
      log: this.log,
      route: (req, res) => this.route(req, res),
    });
    this.log.info('hub.listening', { url: this.url, adHub: this.adHubUrl });
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), 6 * 3600_000);
    this.pruneTimer.unref();
  }

  private async route(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'https://x').pathname;
    if (pathname.startsWith('/admin/')) return handleAdminRoute(req, res, pathname, this);
    if (await handleSignInRoute(req, res, pathname, this)) return;
    const handled = await handleTicketRoute(req, res, pathname, {
      state: this.state,
      realm: this.realm,
      adHubUrl: this.adHubUrl,
      proofs: this.proofs,
      signingKeyOf: (c) => this.conns.signingKey(c),
      onCertificateRegistered: (c) => {
        this.log.info('hub.certificate.registered', {
          connection: c.connection,
          thumbprint: c.thumbprint,
          ticket: c.ticketId,
          status: c.status,
          remote: c.registeredFrom,
        });
        if (c.status === 'pending') this.emit('instance-pending', this.approvals.describe(c));
        this.emit('changed');
      },
    });
    if (!handled) throw new HttpError(404, 'Not found');
  }
}

function hostForUrl(h: string): string {
  return h.includes(':') ? `[${h}]` : h;
}
