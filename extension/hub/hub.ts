/**
 * The hub: the identity-service side of the protocol, in plain Node. It serves HTTPS and WSS on loopback by
 * default, keeps connections, tickets and registered certificates, routes requests to connector instances, and
 * falls back to the credential cache when no instance is online.
 */
import { EventEmitter } from 'node:events';
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { silentLogger, type Logger } from '../../shared/logger';
import type { Profile } from '../../protocol/profile';
import { EVENT } from '../../protocol/messages';
import { ticketUrl } from '../../protocol/ticketUrl';
import { requestTokens, signingKeyBytes, type RequestTokens } from '../../protocol/tokens';
import { sanitizeWireError, type WireError } from '../../protocol/wireError';
import { handleAdminRoute, type AdminTarget } from './adminApi';
import { Approvals, type PendingInstance } from './approval';
import { ensureHubTls, type HubTls } from './certificates';
import { CredentialCache } from './credentialCache';
import { registerEmbedded } from './embeddedCertificate';
import { HubError, InputTooLongError, NoInstanceError, UnknownConnectionError } from './errors';
import { limitProblem, type LimitName } from '../../protocol/limits';
import { Gateway } from './gateway';
import { ReplayGuard } from './replayGuard';
import { HttpError } from './http';
import { listen } from './listener';
import { Router } from './router';
import { FileSecretStore, type SecretStore } from './secretStore';
import type { InstanceInfo } from './session';
import { StateLock } from './stateLock';
import { hashToken, HubState, StateError, type ConnectionRecord, type TicketRecord } from './state';
import { handleTicketRoute } from './ticketRoutes';
import { checkUsernameDomain } from './emailDomains';
import { KerberosSignIns } from './kerberosSignIn';
import { handleSignInRoute } from './signInRoutes';
import { testKerberosSignIn, type KerberosTestResult } from './kerberosTest';
import { kerberosSearchDirs, loadKerberos } from '../../shared/kerberosModule';

export const DEFAULT_PORT = 8843;
export const DEFAULT_TICKET_LIFETIME_MS = 7 * 24 * 3600_000;
export const DEFAULT_RETENTION_MS = 30 * 24 * 3600_000;
export const MAX_TICKET_USES = 1000;

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

import type { LoginOutcome, TicketInfo } from './types';
export type { LoginOutcome, TicketInfo };

export const MAX_PURPOSE_LENGTH = 200;
export type { PendingInstance };

export class Hub extends EventEmitter implements AdminTarget {
  private server!: Server;
  private gateway!: Gateway;
  private router!: Router;
  private tls!: HubTls;
  private readonly signingKeys = new Map<string, RequestTokens>();
  readonly cache: CredentialCache;
  readonly state: HubState;
  readonly log: Logger;
  readonly adminToken: string;
  readonly signIns: KerberosSignIns;
  private readonly secrets: SecretStore;
  private readonly proofs = new ReplayGuard();
  private readonly approvals: Approvals;
  private lock?: StateLock;
  private pruneTimer?: NodeJS.Timeout;

  private constructor(readonly options: HubOptions) {
    super();
    this.log = options.log ?? silentLogger;
    this.state = new HubState(options.stateDir);
    this.secrets = options.secrets ?? new FileSecretStore(path.join(options.stateDir, 'secrets.json'));
    this.cache = new CredentialCache(options.cacheTtlMs);
    this.adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
    this.approvals = new Approvals({
      state: this.state,
      gateway: () => this.gateway,
      cache: this.cache,
      log: this.log,
      changed: () => this.emit('changed'),
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

  // --- connections ---

  connections(): ConnectionRecord[] {
    return this.state.connections;
  }

  async createConnection(input: {
    name: string;
    emailDomains?: string[];
    kerberosRanges?: string[];
    cacheEnabled?: boolean;
    requireApproval?: boolean;
  }): Promise<ConnectionRecord> {
    const rec: ConnectionRecord = {
      name: input.name,
      emailDomains: input.emailDomains ?? [],
      kerberosRanges: input.kerberosRanges ?? [],
      cacheEnabled: input.cacheEnabled ?? true,
      requireApproval: input.requireApproval ?? true,
      createdAt: new Date().toISOString(),
    };
    this.state.addConnection(rec);
    const key = randomBytes(32).toString('base64url');
    await this.secrets.set(`signingKey:${rec.name}`, key);
    this.signingKeys.set(rec.name, requestTokens(signingKeyBytes(key)));
    this.log.info('hub.connection.created', { connection: rec.name });
    this.emit('changed');
    return rec;
  }

  updateConnection(
    name: string,
    patch: Partial<Pick<ConnectionRecord, 'emailDomains' | 'kerberosRanges' | 'cacheEnabled' | 'requireApproval'>>,
  ): ConnectionRecord {
    const rec = this.state.updateConnection(name, patch);
    if (patch.cacheEnabled === false) this.cache.forgetConnection(name);
    this.emit('changed');
    return rec;
  }

  async deleteConnection(name: string): Promise<void> {
    this.state.deleteConnection(name);
    await this.secrets.delete(`signingKey:${name}`);
    this.signingKeys.delete(name);
    this.cache.forgetConnection(name);
    this.gateway.disconnect((s) => s.connection === name, 'connection deleted');
    this.emit('changed');
  }

  // --- tickets and certificates ---

  /** The SHA-256 of the hub's CA certificate: a ticket URL carries it as `#ca=sha256:<hex>` so that setup can trust the hub. */
  get caPin(): string {
    return createHash('sha256').update(new X509Certificate(this.tls.caPem).raw).digest('hex');
  }

  /** A ticket that registers at most `uses` new certificates (one unless the admin chooses more). */
  createTicket(
    connection: string,
    lifetimeMs = this.options.ticketLifetimeMs ?? DEFAULT_TICKET_LIFETIME_MS,
    uses = 1,
    options: { purpose?: string } = {},
  ): { id: string; url: string; pinnedUrl: string; expiresAt: string; maxUses: number; purpose?: string } {
    if (!this.state.connection(connection)) throw new UnknownConnectionError(`No connection named "${connection}"`);
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
    this.state.addTicket(rec);
    this.log.info('hub.ticket.created', {
      connection,
      ticket: rec.id,
      expiresAt: rec.expiresAt,
      maxUses: uses,
      purpose,
    });
    this.emit('changed');
    const url = ticketUrl(this.url, token);
    return {
      id: rec.id,
      url,
      pinnedUrl: `${url}#ca=sha256:${this.caPin}`,
      expiresAt: rec.expiresAt,
      maxUses: uses,
      ...(purpose ? { purpose } : {}),
    };
  }

  /**
   * Registers the certificate of the connector this editor runs itself, approved and marked embedded, and returns
   * the connection's signing key. No ticket: the editor owns both ends. A method of this process only: no HTTP
   * route (ticket or admin API) leads here, so a network peer cannot register a certificate this way.
   */
  async registerEmbeddedCertificate(connection: string, certificatePem: string): Promise<string> {
    this.requireConnection(connection);
    const rec = registerEmbedded(this.state, connection, certificatePem);
    if (rec) {
      this.log.info('hub.certificate.registered', {
        connection,
        thumbprint: rec.thumbprint,
        status: rec.status,
        embedded: true,
      });
      this.emit('changed');
    }
    return (await this.secrets.get(`signingKey:${connection}`))!;
  }

  tickets(connection?: string): TicketInfo[] {
    return this.state.tickets
      .filter((t) => !connection || t.connection === connection)
      .map((t) => {
        const { registered, usesLeft } = this.state.ticketUses(t);
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

  /** Revokes a ticket: it answers 404 from now on, and the instances it registered are refused and disconnected. */
  revokeTicket(id: string): void {
    const t = this.state.revokeTicket(id);
    const n = this.gateway.disconnect((s) => s.ticketId === id, 'ticket revoked');
    this.log.info('hub.ticket.revoked', { connection: t.connection, ticket: id, disconnected: n });
    this.emit('changed');
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
    return this.state.certificates
      .filter((c) => !connection || c.connection === connection)
      .map(({ der: _der, ...rest }) => rest);
  }

  instances(connection?: string): InstanceInfo[] {
    return this.gateway
      .all()
      .filter((s) => s.authenticated && s.approved && (!connection || s.connection === connection))
      .map((s) => s.info());
  }

  // --- requests ---

  async login(
    connection: string,
    username: string,
    password: string,
    options: { escaped?: boolean } = {},
  ): Promise<LoginOutcome> {
    const conn = this.requireConnection(connection);
    refuseTooLong({ username, password });
    checkUsernameDomain(conn, username);
    const t0 = performance.now();
    try {
      const { reply, session, attempts } = await this.router.request(connection, EVENT.authenticateUser, {
        username,
        password,
        escaped: options.escaped === true,
      });
      const r = reply;
      const totalMs = performance.now() - t0;
      const ct = r.timings && typeof r.timings === 'object' ? r.timings : undefined;
      const timings = {
        totalMs,
        searchMs: num(ct?.searchMs),
        bindMs: num(ct?.bindMs),
        groupsMs: num(ct?.groupsMs),
        hubToConnectorMs: num(ct?.totalMs) !== undefined ? Math.max(0, totalMs - (ct!.totalMs as number)) : undefined,
      };
      const instance = { id: session.id, host: session.host };
      const profile = r.profile && typeof r.profile === 'object' ? r.profile : undefined;
      if (r.err) {
        // a refused password must not stay usable from the cache
        this.cache.forgetUser(connection, username);
        return { ok: false, error: sanitizeWireError(r.err), profile, fromCache: false, instance, attempts, timings };
      }
      if (!profile)
        return {
          ok: false,
          error: { name: 'UnexpectedError', message: 'The connector replied without a profile' },
          fromCache: false,
          instance,
          attempts,
          timings,
        };
      if (conn.cacheEnabled)
        void this.cache.remember(connection, username, password, profile, session.thumbprint).catch(() => undefined);
      return { ok: true, profile, fromCache: false, instance, attempts, timings };
    } catch (e) {
      if (e instanceof NoInstanceError && conn.cacheEnabled) {
        const profile = await this.cache.verify(connection, username, password);
        const totalMs = performance.now() - t0;
        if (profile) return { ok: true, profile, fromCache: true, timings: { totalMs } };
        return {
          ok: false,
          fromCache: true,
          timings: { totalMs },
          error: {
            name: 'UnexpectedError',
            code: 'NoInstanceError',
            message: `${e.message} The credential cache has no matching entry for this user and password.`,
          },
        };
      }
      throw e;
    }
  }

  async searchUsers(connection: string, search: string, limit = 50): Promise<{ users: Profile[]; instance: string }> {
    this.requireConnection(connection);
    refuseTooLong({ search });
    const { reply, session } = await this.router.request(connection, EVENT.searchUsers, {
      search,
      limit,
      escaped: false,
    });
    const r = reply;
    if (r.err) throw new HubError(`${sanitizeWireError(r.err).name}: ${sanitizeWireError(r.err).message}`);
    return { users: Array.isArray(r.users) ? r.users : [], instance: session.host };
  }

  async listGroups(connection: string, limit = 1000): Promise<Array<{ id: string; name: string }>> {
    this.requireConnection(connection);
    const { reply } = await this.router.request(connection, EVENT.listGroups, { limit });
    const r = reply;
    if (r.err) throw new HubError(`${sanitizeWireError(r.err).name}: ${sanitizeWireError(r.err).message}`);
    return Array.isArray(r.groups) ? r.groups : [];
  }

  /**
   * A password reset through a connector's write-back. `writeBackOnly` sends it only to an instance that reports
   * write-back on (connector_health), so the editor's confirmation can name the path before anything is written.
   */
  async changePassword(
    connection: string,
    username: string,
    password: string,
    options: { writeBackOnly?: boolean } = {},
  ): Promise<{ ok: boolean; error?: WireError; profile?: Profile; instance?: { id: string; host: string } }> {
    this.requireConnection(connection);
    refuseTooLong({ username, password });
    const { reply, session } = await this.router.request(
      connection,
      EVENT.changePassword,
      { username, password, escaped: false },
      options.writeBackOnly
        ? { accept: (s) => s.writeBack === true, why: 'online reports write-back on (ENABLE_WRITE_BACK)' }
        : undefined,
    );
    this.cache.forgetUser(connection, username);
    const r = reply;
    const instance = { id: session.id, host: session.host };
    return r.err
      ? { ok: false, error: sanitizeWireError(r.err), profile: r.profile, instance }
      : { ok: true, profile: r.profile, instance };
  }

  /** The admin's own Kerberos test through an instance; the native module is loaded from disk when first needed. */
  async kerberosTest(
    connection: string,
    options: { ccache?: string; dirs?: string[] } = {},
  ): Promise<KerberosTestResult> {
    this.requireConnection(connection);
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

  private requireConnection(name: string): ConnectionRecord {
    const c = this.state.connection(name);
    if (!c) throw new UnknownConnectionError(`No connection named "${name}"`);
    return c;
  }

  private async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    this.tls = await ensureHubTls(
      this.options.stateDir,
      [host, ...(this.options.publicHost ? [this.options.publicHost] : [])].filter(
        (h) => h !== '0.0.0.0' && h !== '::',
      ),
    );
    for (const c of this.state.connections) {
      let key = await this.secrets.get(`signingKey:${c.name}`);
      if (!key) {
        key = randomBytes(32).toString('base64url');
        await this.secrets.set(`signingKey:${c.name}`, key);
        this.log.warn('hub.signing_key.regenerated', {
          connection: c.name,
          message: 'the signing key was missing; connectors must be provisioned again',
        });
      }
      this.signingKeys.set(c.name, requestTokens(signingKeyBytes(key)));
    }
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
      tokensOf: (c) => {
        const k = this.signingKeys.get(c);
        if (!k) throw new UnknownConnectionError(`No signing key for "${c}"`);
        return k;
      },
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
      signingKeyOf: async (c) => (await this.secrets.get(`signingKey:${c}`))!,
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
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function refuseTooLong(values: Partial<Record<LimitName, string>>): void {
  for (const [k, v] of Object.entries(values)) {
    const problem = limitProblem(k as LimitName, v);
    if (problem) throw new InputTooLongError(problem);
  }
}
