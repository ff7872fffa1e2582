/**
 * The hub's shapes that its route modules share with it (admin, sign-in, Kerberos test), kept apart from hub.ts
 * so that those modules depend on what they use, not on the Hub class: no import cycle.
 */
import type { Logger } from '../../shared/logger';
import type { Profile } from '../../protocol/profile';
import type { WireError } from '../../protocol/wireError';
import type { KerberosSignIns } from './kerberosSignIn';
import type { InstanceInfo } from './session';
import type { ConnectionRecord, HubState } from './state';

export interface LoginOutcome {
  ok: boolean;
  profile?: Profile;
  error?: WireError;
  fromCache: boolean;
  instance?: { id: string; host: string };
  attempts?: number;
  timings: { totalMs: number; hubToConnectorMs?: number; searchMs?: number; bindMs?: number; groupsMs?: number };
}

export interface TicketInfo {
  id: string;
  connection: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  expired: boolean;
  /** null: an older ticket without a bound */
  maxUses: number | null;
  usesLeft: number | null;
  registered: Array<{ thumbprint: string; subject: string; status: string; registeredAt: string }>;
  /** What it was made for (short words, not secret) */
  purpose?: string;
}

/** What the sign-in page and the Kerberos self-test need of the hub. */
export interface SignInTarget {
  readonly log: Logger;
  readonly state: HubState;
  readonly signIns: KerberosSignIns;
  connections(): ConnectionRecord[];
  instances(connection?: string): InstanceInfo[];
  login(connection: string, username: string, password: string): Promise<LoginOutcome>;
}
