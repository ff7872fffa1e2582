/**
 * Size limits of what a login, search or query may carry, declared once for every place that first sees the input
 * (hub CLI, admin API, hub, connector, directory engine, query panel), so each refuses at once, naming the limit.
 */
export const LIMITS = {
  /** characters of a login name (AD's userPrincipalName may be up to 1024) */
  username: 1024,
  /** characters of a password (AD accepts at most 256 in unicodePwd; OpenLDAP has no limit of its own) */
  password: 1024,
  /** characters of a user-search term */
  search: 1024,
  /** characters of a raw LDAP filter typed into a query */
  filter: 16 * 1024,
} as const;

export type LimitName = keyof typeof LIMITS;

/** Frames: a request to a connector (its WebSocket refuses more), and a reply to the hub. */
export const MAX_CONNECTOR_FRAME_BYTES = 1024 * 1024;
export const MAX_HUB_FRAME_BYTES = 16 * 1024 * 1024;

const LABEL: Record<LimitName, string> = {
  username: 'username',
  password: 'password',
  search: 'search text',
  filter: 'filter',
};

/** The sentence for a value over its limit, or undefined when it fits. */
export function limitProblem(what: LimitName, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length <= LIMITS[what]) return undefined;
  return `The ${LABEL[what]} is ${value.length} characters long: over the ${what} limit of ${LIMITS[what]} characters.`;
}

/** Names a frame-size limit in words, for logs and errors. */
export function frameLimitProblem(side: 'connector' | 'hub', bytes?: number): string {
  const max = side === 'connector' ? MAX_CONNECTOR_FRAME_BYTES : MAX_HUB_FRAME_BYTES;
  return `${bytes !== undefined ? `a frame of ${bytes} bytes` : 'a frame'} exceeds the ${side}'s frame limit of ${max} bytes (${max / 1024 / 1024} MiB)`;
}
