/**
 * The connector's side of the WebSocket: dial out, authenticate, answer requests, and on any loss of the hub
 * reconnect with exponential backoff and jitter, never exiting. Every request JWT is verified (HS256 with the
 * signing key) and its pid remembered, so a forged, expired or replayed request is dropped.
 */
import { EventEmitter } from 'node:events';
import type { KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import type { Logger } from '../shared/logger';
import { sendBatched } from '../protocol/frameBatch';
import { frameLimitProblem, MAX_CONNECTOR_FRAME_BYTES, MAX_HUB_FRAME_BYTES } from '../protocol/limits';
import {
  decodeFrame,
  encodeFrame,
  EVENT,
  jwtOf,
  replyEvent,
  unverifiedPid,
  type HealthPayload,
  type ReplyPayload,
  type RequestEvent,
} from '../protocol/messages';
import { ReplayWindow } from '../protocol/replayWindow';
import {
  REQUEST_TOKEN_TOLERANCE_SECONDS,
  requestTokens,
  signConnectorToken,
  type RequestTokens,
} from '../protocol/tokens';

const REQUEST_EVENTS = new Set<string>([
  EVENT.authenticateUser,
  EVENT.searchUsers,
  EVENT.listGroups,
  EVENT.changePassword,
]);
export const MAX_REQUEST_FRAME_BYTES = MAX_CONNECTOR_FRAME_BYTES;

export interface HubClientOptions {
  adHub: string;
  caPem?: string;
  connection: string;
  realm: string;
  privateKey: KeyObject;
  signingKey: Uint8Array;
  host: string;
  version: string;
  log: Logger;
  handle(event: RequestEvent, claims: Record<string, unknown>): Promise<ReplyPayload[RequestEvent]>;
  health?(): Promise<HealthPayload['directory']>;
  kerberos?(): HealthPayload['kerberos'];
  /** Whether this connector answers change_password (ENABLE_WRITE_BACK), reported with its health. */
  writeBack?: boolean;
  /** Reconnect delays: the first, and the cap. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** The hub pings; with no ping for this long the connection is presumed dead. */
  heartbeatTimeoutMs?: number;
  healthIntervalMs?: number;
}

export type HubClientState = 'connecting' | 'authenticating' | 'online' | 'offline' | 'stopped';

export class HubClient extends EventEmitter {
  state: HubClientState = 'offline';
  private ws?: WebSocket;
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly seenPids = new ReplayWindow(REQUEST_TOKEN_TOLERANCE_SECONDS);
  private tokens?: RequestTokens;

  constructor(private readonly o: HubClientOptions) {
    super();
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }
  /** Request ids remembered against replay (for the memory breakdown). */
  get replayWindowSize(): number {
    return this.seenPids.size;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Finishes what is in flight (up to `drainMs`), then closes cleanly. */
  async stop(drainMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const deadline = Date.now() + drainMs;
    while (this.inFlight.size && Date.now() < deadline)
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 100))]);
    clearTimeout(this.watchdog);
    clearInterval(this.healthTimer);
    const ws = this.ws;
    // requests that arrive during the close handshake are still answered where the socket allows
    if (ws && ws.readyState === WebSocket.OPEN) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1001, 'connector stopping');
        setTimeout(resolve, 2000).unref();
      });
    } else ws?.terminate();
    this.setState('stopped');
  }

  private setState(s: HubClientState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    // no permessage-deflate: frames are small JWTs and profiles, and zlib would cost CPU and memory per connection
    const ws = new WebSocket(this.o.adHub, {
      ...(this.o.caPem ? { ca: this.o.caPem } : {}),
      maxPayload: MAX_REQUEST_FRAME_BYTES,
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.setState('authenticating');
      this.armWatchdog();
      signConnectorToken(this.o.privateKey, {
        connection: this.o.connection,
        realm: this.o.realm,
        host: this.o.host,
        version: this.o.version,
      })
        .then((jwt) => ws.send(encodeFrame(EVENT.authenticate, { jwt })))
        .catch((e) => {
          this.o.log.error('connector.hub.sign_failed', { error: (e as Error).message });
          ws.terminate();
        });
    });
    ws.on('ping', () => this.armWatchdog());
    ws.on('message', (data, isBinary) => this.onFrame(ws, data, isBinary));
    ws.on('error', (e) => {
      // ws refuses an oversized frame by closing with 1009; say which limit it was
      if ((e as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.o.log.warn('connector.frame.too_large', {
          limitBytes: MAX_REQUEST_FRAME_BYTES,
          error: frameLimitProblem('connector'),
        });
      else this.o.log.warn('connector.hub.error', { url: this.o.adHub, error: e.message });
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      clearTimeout(this.watchdog);
      clearInterval(this.healthTimer);
      const wasOnline = this.state === 'online';
      if (this.stopped) return;
      this.setState('offline');
      const delay = this.nextDelay();
      this.o.log[wasOnline ? 'warn' : 'info']('connector.hub.disconnected', {
        code,
        reason: reason.toString().slice(0, 120),
        retryInMs: delay,
      });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Exponential backoff with "full jitter" between half and all of the step, capped. */
  private nextDelay(): number {
    const min = this.o.minBackoffMs ?? 200;
    const max = this.o.maxBackoffMs ?? 15_000;
    const step = Math.min(max, min * 2 ** Math.min(this.attempt, 16));
    this.attempt++;
    return Math.round(step / 2 + Math.random() * (step / 2));
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    const ms = this.o.heartbeatTimeoutMs ?? 35_000;
    this.watchdog = setTimeout(() => {
      this.o.log.warn('connector.hub.silent', { ms, message: 'no ping from the hub: reconnecting' });
      this.ws?.terminate();
    }, ms);
  }

  private onFrame(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const decoded = decodeFrame(data, isBinary, MAX_REQUEST_FRAME_BYTES);
    if (!decoded.ok) {
      this.o.log.warn('connector.frame.rejected', { reason: decoded.reason });
      return;
    }
    const { n, p } = decoded.frame;
    if (n === EVENT.authenticated) {
      this.attempt = 0;
      this.setState('online');
      this.o.log.info('connector.hub.online', { url: this.o.adHub, connection: this.o.connection });
      if (p && typeof p === 'object' && (p as { pending?: unknown }).pending === true) {
        this.o.log.warn('connector.hub.pending', {
          message: 'connected; this instance gets no requests until an administrator approves it in the hub',
        });
      }
      this.startHealth(ws);
      return;
    }
    if (n === EVENT.authenticationFailure) {
      const msg =
        p && typeof p === 'object' && typeof (p as { message?: unknown }).message === 'string'
          ? (p as { message: string }).message.slice(0, 300)
          : '';
      this.o.log.error('connector.hub.authentication_failure', {
        message: msg,
        hint: 'is the certificate still registered and its ticket not revoked?',
      });
      return;
    }
    if (!REQUEST_EVENTS.has(n)) {
      this.o.log.debug('connector.frame.ignored', { event: n.slice(0, 80) });
      return;
    }
    const jwt = jwtOf(p, MAX_REQUEST_FRAME_BYTES);
    if (this.state !== 'online') {
      const pid = jwt && unverifiedPid(jwt);
      this.o.log.warn(pid ? 'connector.request.refused' : 'connector.request.dropped', {
        event: n,
        reason: 'not authenticated yet',
      });
      if (pid)
        ws.send(
          encodeFrame(replyEvent(n as RequestEvent, pid), {
            err: {
              name: 'UnexpectedError',
              code: 'NotAuthenticated',
              message:
                'The connector was not authenticated by the hub yet: it answers requests only after "authenticated".',
            },
          }),
        );
      return;
    }
    if (!jwt) {
      this.o.log.warn('connector.request.dropped', { event: n, reason: 'no JWT (so no pid to answer)' });
      return;
    }
    const work = this.answer(ws, n as RequestEvent, jwt);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async answer(ws: WebSocket, event: RequestEvent, jwt: string): Promise<void> {
    let claims: Record<string, unknown>;
    try {
      this.tokens ??= requestTokens(this.o.signingKey);
      claims = this.tokens.verify(jwt) as Record<string, unknown>;
    } catch (e) {
      // answered (never acted on) when the pid can be read, so that a hub with the wrong key learns it at once
      const pid = unverifiedPid(jwt);
      this.o.log.warn(pid ? 'connector.request.refused' : 'connector.request.dropped', {
        event,
        reason: `JWT rejected: ${(e as Error).message}`,
      });
      if (pid && ws.readyState === WebSocket.OPEN) {
        ws.send(
          encodeFrame(replyEvent(event, pid), {
            err: {
              name: 'UnexpectedError',
              code: 'InvalidRequestToken',
              message: `The connector refused the request token (${(e as Error).message}): is the hub signing with this connection's signing key?`,
            },
          }),
        );
      }
      return;
    }
    const pid = String(claims.pid).slice(0, 200);
    if (typeof claims.exp !== 'number') {
      this.o.log.warn('connector.request.dropped', { event, reason: 'JWT without a numeric exp' });
      return;
    }
    if (this.seenPids.seen(pid, claims.exp)) {
      this.o.log.warn('connector.request.dropped', { event, reason: 'replayed request id' });
      return;
    }
    const reply = await this.o.handle(event, claims);
    // encoded to UTF-8 once: the size check and ws both use these bytes
    let frame = Buffer.from(encodeFrame(replyEvent(event, pid), reply));
    if (frame.length > MAX_HUB_FRAME_BYTES) {
      frame = Buffer.from(
        encodeFrame(replyEvent(event, pid), {
          err: {
            name: 'UnexpectedError',
            code: 'FrameTooLarge',
            message: `The reply was not sent: ${frameLimitProblem('hub', frame.length)}.`,
          },
        }),
      );
    }
    if (ws.readyState === WebSocket.OPEN) sendBatched(ws, frame);
    else this.o.log.warn('connector.reply.lost', { event, reason: 'the hub connection closed before the answer' });
  }

  private startHealth(ws: WebSocket): void {
    clearInterval(this.healthTimer);
    if (!this.o.health) return;
    const send = async () => {
      const directory = await this.o.health!();
      if (ws.readyState === WebSocket.OPEN)
        ws.send(
          encodeFrame(EVENT.connectorHealth, {
            directory,
            kerberos: this.o.kerberos?.(),
            writeBack: this.o.writeBack === true,
            inFlight: this.inFlight.size,
            version: this.o.version,
            host: this.o.host,
          }),
        );
    };
    void send().catch(() => undefined);
    this.healthTimer = setInterval(() => void send().catch(() => undefined), this.o.healthIntervalMs ?? 30_000);
    this.healthTimer.unref();
  }
}
