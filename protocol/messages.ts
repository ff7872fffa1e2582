/**
 * The wire protocol of design.md: every WebSocket frame is JSON text `{"n": <event>, "p": <payload>}`.
 * Event names, request claims and reply payloads are declared here once, for the hub and the connector.
 */
import type { Profile } from './profile';
import type { WireError } from './wireError';
import type { KerberosStatus } from './kerberosStatus';

export const EVENT = {
  /** connector → hub, first frame: `{jwt}` signed RS256 by the connector's key */
  authenticate: 'authenticate',
  authenticated: 'authenticated',
  authenticationFailure: 'authentication_failure',
  authenticateUser: 'authenticate_user',
  searchUsers: 'search_users',
  listGroups: 'list_groups',
  changePassword: 'change_password',
  /** connector → hub, an extension of ours: the directory's health; hubs that do not know it ignore it */
  connectorHealth: 'connector_health',
} as const;

export type RequestEvent =
  typeof EVENT.authenticateUser | typeof EVENT.searchUsers | typeof EVENT.listGroups | typeof EVENT.changePassword;

/** The reply event for a request: `<pid>_result`, `<pid>_search_users_result`, ... */
export function replyEvent(event: RequestEvent, pid: string): string {
  switch (event) {
    case EVENT.authenticateUser:
      return `${pid}_result`;
    case EVENT.searchUsers:
      return `${pid}_search_users_result`;
    case EVENT.listGroups:
      return `${pid}_list_groups_result`;
    case EVENT.changePassword:
      return `${pid}_change_password_result`;
  }
}

/** Splits a reply event back into its request id; undefined for anything else. */
export function parseReplyEvent(n: string): { pid: string; event: RequestEvent } | undefined {
  const m = /^(.+?)_(search_users_result|list_groups_result|change_password_result|result)$/.exec(n);
  if (!m) return undefined;
  const event =
    m[2] === 'result'
      ? EVENT.authenticateUser
      : m[2] === 'search_users_result'
        ? EVENT.searchUsers
        : m[2] === 'list_groups_result'
          ? EVENT.listGroups
          : EVENT.changePassword;
  return { pid: m[1], event };
}

// --- request claims (inside the HS256 JWT of each request) ---
export interface AuthenticateUserClaims {
  pid: string;
  username: string;
  password: string;
  escaped?: boolean;
}
export interface SearchUsersClaims {
  pid: string;
  search: string;
  limit: number;
  escaped?: boolean;
}
export interface ListGroupsClaims {
  pid: string;
  limit: number;
}
export interface ChangePasswordClaims {
  pid: string;
  username: string;
  password: string;
  escaped?: boolean;
}

export interface RequestClaims {
  [EVENT.authenticateUser]: AuthenticateUserClaims;
  [EVENT.searchUsers]: SearchUsersClaims;
  [EVENT.listGroups]: ListGroupsClaims;
  [EVENT.changePassword]: ChangePasswordClaims;
}

/** Stage timings a connector adds to a login reply (an extension: other hubs ignore the field). */
export interface LoginTimings {
  searchMs: number;
  bindMs: number;
  groupsMs: number;
  totalMs: number;
}

// --- reply payloads ---
export interface AuthenticateUserReply {
  profile?: Profile;
  err?: WireError;
  timings?: LoginTimings;
}
export interface SearchUsersReply {
  users?: Profile[];
  err?: WireError;
}
export interface ListGroupsReply {
  groups?: Array<{ id: string; name: string }>;
  err?: WireError;
}
export interface ChangePasswordReply {
  profile?: Profile;
  err?: WireError;
}

export interface ReplyPayload {
  [EVENT.authenticateUser]: AuthenticateUserReply;
  [EVENT.searchUsers]: SearchUsersReply;
  [EVENT.listGroups]: ListGroupsReply;
  [EVENT.changePassword]: ChangePasswordReply;
}

export interface HealthPayload {
  directory: { ok: boolean; url?: string; latencyMs?: number; error?: string };
  /** the instance's Kerberos endpoint (an extension of ours: connectors/hubs without it leave it out/ignore it) */
  kerberos?: KerberosStatus;
  /**
   * Whether this instance answers change_password (ENABLE_WRITE_BACK), an extension of ours: the editor uses it to
   * choose the write-back path before it asks the admin to confirm. Hubs that do not know it ignore it.
   */
  writeBack?: boolean;
  inFlight: number;
  version: string;
  host: string;
}

export interface Frame {
  n: string;
  p: unknown;
}

export function encodeFrame(n: string, p: unknown): string {
  return JSON.stringify({ n, p });
}

export type DecodeResult = { ok: true; frame: Frame } | { ok: false; reason: string };

/** Parses one frame without trusting it: binary, invalid JSON, wrong shapes and oversize all come back as reasons. */
export function decodeFrame(data: unknown, isBinary: boolean, maxBytes: number): DecodeResult {
  if (isBinary) return { ok: false, reason: 'binary frame (the protocol is JSON text)' };
  const buf = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data as Buffer[])
      : Buffer.from(data as ArrayBuffer);
  if (buf.length > maxBytes) return { ok: false, reason: `frame of ${buf.length} bytes exceeds ${maxBytes}` };
  // ws has already refused a text frame that is not valid UTF-8 (it closes the socket with 1007)
  const text = buf.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message}` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, reason: 'frame is not a JSON object' };
  const { n, p } = parsed as { n?: unknown; p?: unknown };
  if (typeof n !== 'string' || n.length === 0 || n.length > 200)
    return { ok: false, reason: 'frame has no event name "n"' };
  return { ok: true, frame: { n, p } };
}

/** `{jwt: "<compact JWS>"}` with nothing odd in it, or undefined. */
export function jwtOf(p: unknown, maxLength = 65536): string | undefined {
  if (!p || typeof p !== 'object') return undefined;
  const jwt = (p as { jwt?: unknown }).jwt;
  return typeof jwt === 'string' && jwt.length < maxLength && /^[\w-]+\.[\w-]*\.[\w-]*$/.test(jwt) ? jwt : undefined;
}

/** The `pid` claim of a JWT read without verifying it: to answer a refused request with an error, never to act on it. */
export function unverifiedPid(jwt: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { pid?: unknown };
    return typeof claims?.pid === 'string' && claims.pid.length > 0 && claims.pid.length <= 200
      ? claims.pid
      : undefined;
  } catch {
    return undefined;
  }
}
