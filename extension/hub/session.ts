/** One connector instance's WebSocket, from connect through authentication to close. */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { sendBatched } from '../../protocol/frameBatch';
import type { KerberosStatus } from '../../protocol/kerberosStatus';
import { encodeFrame, type HealthPayload, type RequestEvent } from '../../protocol/messages';

export interface PendingRequest {
  event: RequestEvent;
  resolve(payload: unknown): void;
  /** The session closed before the reply: the router decides whether to retry. */
  lost(): void;
}

export interface InstanceInfo {
  id: string;
  connection: string;
  host: string;
  version: string;
  remoteAddress: string;
  thumbprint: string;
  connectedAt: string;
  latencyMs?: number;
  inFlight: number;
  served: number;
  health?: HealthPayload['directory'];
  /** Set while the instance lets requests time out (router.ts): it gets only probes until it answers. */
  unresponsive?: { since: string; reason: string };
  consecutiveTimeouts: number;
  kerberos?: KerberosStatus;
  /** Whether the instance answers change_password, as it reports (undefined: it does not say, e.g. the deployed connector). */
  writeBack?: boolean;
  /** The connector this editor runs itself (its certificate was registered in process, without a ticket). */
  embedded?: boolean;
}

export class ConnectorSession {
  readonly id = randomUUID();
  readonly connectedAt = new Date();
  connection?: string;
  thumbprint?: string;
  ticketId?: string;
  embedded = false;
  host = 'unknown';
  version = 'unknown';
  authenticated = false;
  /** Authenticated with a certificate an admin has not approved yet: connected, but given no traffic. */
  approved = false;
  authenticating = false;
  authTimer?: NodeJS.Timeout;
  closed = false;
  alive = true;
  pingSentAt = 0;
  latencyMs?: number;
  served = 0;
  health?: HealthPayload['directory'];
  unresponsive?: { since: string; reason: string };
  consecutiveTimeouts = 0;
  probes = 0;
  kerberos?: KerberosStatus;
  writeBack?: boolean;
  readonly pending = new Map<string, PendingRequest>();

  constructor(
    readonly socket: WebSocket,
    readonly remoteAddress: string,
  ) {}

  send(n: string, p: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) sendBatched(this.socket, encodeFrame(n, p));
  }

  info(): InstanceInfo {
    return {
      id: this.id,
      connection: this.connection ?? '',
      host: this.host,
      version: this.version,
      remoteAddress: this.remoteAddress,
      thumbprint: this.thumbprint ?? '',
      connectedAt: this.connectedAt.toISOString(),
      latencyMs: this.latencyMs,
      inFlight: this.pending.size,
      served: this.served,
      health: this.health,
      consecutiveTimeouts: this.consecutiveTimeouts,
      ...(this.unresponsive ? { unresponsive: { ...this.unresponsive } } : {}),
      kerberos: this.kerberos,
      writeBack: this.writeBack,
      ...(this.embedded ? { embedded: true } : {}),
    };
  }
}
