/**
 * The WebSocket endpoint connectors dial into. It authenticates each connector (RS256 JWT against the
 * certificates registered for its connection), hands replies to the router, pings to find dead peers, and
 * treats everything a peer sends as untrusted: nothing that arrives can throw out of here.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { printableName } from '../../shared/hostnames';
import type { Logger } from '../../shared/logger';
import { parseKerberosStatus } from '../../protocol/kerberosStatus';
import { decodeFrame, EVENT, jwtOf, parseReplyEvent, type HealthPayload } from '../../protocol/messages';
import { frameLimitProblem, MAX_HUB_FRAME_BYTES } from '../../protocol/limits';
import { unverifiedIssuer, verifyConnectorToken } from '../../protocol/tokens';
import { ReplayGuard } from './replayGuard';
import { ConnectorSession } from './session';
import type { CertificateRecord } from './state';

/** Frames from an authenticated connector (search results can be large). */
export const MAX_FRAME_BYTES = MAX_HUB_FRAME_BYTES;
/** Before authentication a peer is anyone: small frames, few sockets, little time. */
export const MAX_UNAUTHENTICATED_FRAME_BYTES = 64 * 1024;
export const MAX_UNAUTHENTICATED_SOCKETS = 64;
export const MAX_UNAUTHENTICATED_PER_ADDRESS = 8;
export const AUTH_TIMEOUT_MS = 5_000;
const MAX_KEY_CACHE = 1024;

export interface GatewayDeps {
  realm: string;
  log: Logger;
  heartbeatMs: number;
  activeCertificates(connection: string): CertificateRecord[];
  onOnline(session: ConnectorSession): void;
  /** An instance whose certificate waits for approval has connected. */
  onPending(session: ConnectorSession): void;
  onOffline(session: ConnectorSession): void;
  onHealth(session: ConnectorSession): void;
}

export class Gateway {
  readonly wss: WebSocketServer;
  private readonly sessions = new Set<ConnectorSession>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly keyCache = new Map<string, KeyObject>();
  /** Each authenticate JWT is accepted once within its lifetime. */
  private readonly usedTokens = new ReplayGuard();

  constructor(private readonly deps: GatewayDeps) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_UNAUTHENTICATED_FRAME_BYTES });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.accept(ws, req));
    this.heartbeat = setInterval(() => this.beat(), deps.heartbeatMs);
    this.heartbeat.unref();
  }

  all(): ConnectorSession[] {
    return [...this.sessions];
  }

  /** Sessions that may get traffic: authenticated and approved. */
  sessionsOf(connection: string): ConnectorSession[] {
    return this.all().filter((s) => s.authenticated && s.approved && s.connection === connection);
  }

  /** Whether one more socket from `address` may be taken before it authenticates. */
  admits(address: string | undefined): boolean {
    let total = 0,
      fromAddress = 0;
    for (const s of this.sessions)
      if (!s.authenticated) {
        total++;
        if (s.remoteAddress === address) fromAddress++;
      }
    return total < MAX_UNAUTHENTICATED_SOCKETS && fromAddress < MAX_UNAUTHENTICATED_PER_ADDRESS;
  }

  /** An approved certificate's live sessions start getting traffic. Returns how many. */
  approve(thumbprint: string): number {
    let n = 0;
    for (const s of this.sessions) {
      if (s.authenticated && !s.approved && s.thumbprint === thumbprint) {
        s.approved = true;
        n++;
        this.deps.onOnline(s);
      }
    }
    return n;
  }

  forgetKey(thumbprint: string): void {
    this.keyCache.delete(thumbprint);
  }

  /** Closes the sessions that match, e.g. when a ticket is revoked or a certificate removed. */
  disconnect(match: (s: ConnectorSession) => boolean, reason: string): number {
    let n = 0;
    for (const s of this.sessions)
      if (match(s)) {
        s.socket.close(4003, reason.slice(0, 120));
        n++;
      }
    return n;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const s of this.sessions) s.socket.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const session = new ConnectorSession(ws, req.socket.remoteAddress ?? 'unknown');
    this.sessions.add(session);
    session.authTimer = setTimeout(
      () => this.fail(session, `no authenticate frame within ${AUTH_TIMEOUT_MS / 1000} s`),
      AUTH_TIMEOUT_MS,
    );
    ws.on('message', (data, isBinary) => {
      this.onFrame(session, data, isBinary).catch((e) =>
        this.deps.log.error('hub.frame.error', { instance: session.id, error: (e as Error).message }),
      );
    });
    ws.on('pong', () => {
      session.alive = true;
      if (session.pingSentAt) session.latencyMs = Date.now() - session.pingSentAt;
    });
    ws.on('error', (e) => {
      if ((e as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.deps.log.warn('hub.frame.too_large', {
          instance: session.id,
          limitBytes: session.authenticated ? MAX_FRAME_BYTES : MAX_UNAUTHENTICATED_FRAME_BYTES,
          error: frameLimitProblem('hub'),
        });
      else this.deps.log.warn('hub.socket.error', { instance: session.id, error: e.message });
      // before authentication there is no close handshake to wait for: whatever else it sends is not read
      if (!session.authenticated) ws.terminate();
    });
    ws.on('close', (code) => {
      clearTimeout(session.authTimer);
      session.closed = true;
      this.sessions.delete(session);
      for (const p of [...session.pending.values()]) p.lost();
      if (session.authenticated && session.approved) {
        this.deps.log.info('hub.instance.offline', { connection: session.connection, host: session.host, code });
        this.deps.onOffline(session);
      }
    });
  }

  private async onFrame(session: ConnectorSession, data: unknown, isBinary: boolean): Promise<void> {
    const decoded = decodeFrame(
      data,
      isBinary,
      session.authenticated ? MAX_FRAME_BYTES : MAX_UNAUTHENTICATED_FRAME_BYTES,
    );
    if (!decoded.ok) {
      this.deps.log.warn('hub.frame.rejected', { instance: session.id, reason: decoded.reason });
      if (!session.authenticated) this.fail(session, decoded.reason);
      return;
    }
    const { n, p } = decoded.frame;
    if (!session.authenticated) {
      if (n !== EVENT.authenticate) return this.fail(session, `expected "authenticate" first, got "${n.slice(0, 50)}"`);
      if (session.authenticating) return;
      session.authenticating = true;
      return this.authenticate(session, p);
    }
    if (n === EVENT.connectorHealth) {
      const h = p as Partial<HealthPayload> | undefined;
      if (h && typeof h === 'object' && h.directory && typeof h.directory === 'object') {
        session.health = {
          ok: h.directory.ok === true,
          url: str(h.directory.url),
          latencyMs: num(h.directory.latencyMs),
          error: str(h.directory.error),
        };
        session.kerberos = parseKerberosStatus(h.kerberos);
        session.writeBack = typeof h.writeBack === 'boolean' ? h.writeBack : undefined;
        this.deps.onHealth(session);
      }
      return;
    }
    const reply = parseReplyEvent(n);
    const pending = reply && session.pending.get(reply.pid);
    if (!reply || !pending || pending.event !== reply.event) {
      this.deps.log.debug('hub.frame.ignored', { instance: session.id, event: n.slice(0, 80) });
      return;
    }
    pending.resolve(p && typeof p === 'object' ? p : {});
  }

  private async authenticate(session: ConnectorSession, p: unknown): Promise<void> {
    const jwt = jwtOf(p);
    const connection = jwt && unverifiedIssuer(jwt);
    if (!jwt || !connection) return this.fail(session, 'the authenticate frame carries no valid JWT');
    const certs = this.deps.activeCertificates(connection);
    if (!certs.length)
      return this.fail(session, `no certificate is registered for connection "${connection.slice(0, 64)}"`);
    try {
      const { claims, keyIndex } = await verifyConnectorToken(
        jwt,
        certs.map((c) => this.keyOf(c)),
        connection,
        this.deps.realm,
      );
      if (session.closed) return;
      const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now();
      if (!this.usedTokens.use(createHash('sha256').update(jwt).digest('hex'), exp + 60_000))
        return this.fail(session, 'this authenticate JWT was used already (replay)');
      clearTimeout(session.authTimer);
      const cert = certs[keyIndex];
      session.authenticated = true;
      session.approved = cert.status !== 'pending';
      session.connection = connection;
      session.thumbprint = cert.thumbprint;
      session.ticketId = cert.ticketId;
      session.embedded = cert.embedded === true;
      // shown in the tree and written to the log: a claimed name must not hide or reorder characters there
      const host = str(claims.host);
      session.host = host === undefined ? session.remoteAddress : printableName(host).slice(0, 255);
      session.version = str(claims.version)?.slice(0, 64) ?? 'unknown';
      raiseFrameLimit(session.socket, MAX_FRAME_BYTES);
      session.send(
        EVENT.authenticated,
        session.approved ? {} : { pending: true, message: 'this instance waits for an administrator to approve it' },
      );
      // measure latency now rather than at the first heartbeat
      session.pingSentAt = Date.now();
      try {
        session.socket.ping();
      } catch {
        /* closing */
      }
      if (!session.approved) {
        this.deps.log.warn('hub.instance.pending', {
          connection,
          host: session.host,
          remote: session.remoteAddress,
          thumbprint: cert.thumbprint,
        });
        this.deps.onPending(session);
        return;
      }
      this.deps.log.info('hub.instance.online', {
        connection,
        host: session.host,
        version: session.version,
        instance: session.id,
      });
      this.deps.onOnline(session);
    } catch (e) {
      this.fail(session, `JWT rejected: ${(e as Error).message}`);
    }
  }

  private fail(session: ConnectorSession, reason: string): void {
    if (session.closed) return;
    this.deps.log.warn('hub.authentication.failure', { instance: session.id, remote: session.remoteAddress, reason });
    session.send(EVENT.authenticationFailure, { message: reason });
    session.socket.close(4001, 'authentication failure');
    // a peer that ignores the close handshake is cut off
    setTimeout(() => session.socket.terminate(), 2000).unref();
  }

  private beat(): void {
    for (const s of this.sessions) {
      if (!s.alive) {
        this.deps.log.warn('hub.instance.unresponsive', { connection: s.connection, host: s.host });
        s.socket.terminate();
        continue;
      }
      s.alive = false;
      s.pingSentAt = Date.now();
      try {
        s.socket.ping();
      } catch {
        /* closing */
      }
    }
  }

  private keyOf(c: CertificateRecord): KeyObject {
    let k = this.keyCache.get(c.thumbprint);
    if (!k) {
      if (this.keyCache.size >= MAX_KEY_CACHE) this.keyCache.clear();
      k = createPublicKey(
        new X509Certificate(Buffer.from(c.der, 'base64')).publicKey.export({ type: 'spki', format: 'pem' }),
      );
      this.keyCache.set(c.thumbprint, k);
    }
    return k;
  }
}

/**
 * ws checks frame sizes against one limit per socket, fixed at the upgrade; a socket that authenticated may send
 * the larger replies. ws keeps that limit on its receiver (`_maxPayload`, unchanged through ws 8).
 */
function raiseFrameLimit(ws: WebSocket, bytes: number): void {
  const receiver = (ws as unknown as { _receiver?: { _maxPayload?: number } })._receiver;
  if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
