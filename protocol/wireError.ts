/** Errors as they travel: `{name, message}` with the protocol's names, plus our `code` and `source` for the UI. */

/** The error names of the protocol (design.md: err.name). */
export type ProtocolErrorName =
  | 'WrongUsername'
  | 'WrongPassword'
  | 'PasswordExpired'
  | 'AccountDisabled'
  | 'AccountExpired'
  | 'PasswordChangeRequired'
  | 'AccountLocked'
  | 'InsufficientAccessRightsError'
  | 'PasswordComplexityError'
  | 'UnexpectedError';

export interface WireError {
  name: ProtocolErrorName | string;
  message: string;
  code?: string;
  source?: string;
}

export const PROTOCOL_ERROR_NAMES: ReadonlySet<string> = new Set<ProtocolErrorName>([
  'WrongUsername',
  'WrongPassword',
  'PasswordExpired',
  'AccountDisabled',
  'AccountExpired',
  'PasswordChangeRequired',
  'AccountLocked',
  'InsufficientAccessRightsError',
  'PasswordComplexityError',
  'UnexpectedError',
]);

/** A wire error from an untrusted peer, reduced to known, bounded fields. */
export function sanitizeWireError(v: unknown): WireError {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const str = (x: unknown, max: number) => (typeof x === 'string' ? x.slice(0, max) : undefined);
  const name = str(o.name, 100) ?? 'UnexpectedError';
  return {
    name: PROTOCOL_ERROR_NAMES.has(name) ? name : 'UnexpectedError',
    message: str(o.message, 2000) ?? 'The connector reported an error without a message',
    ...(str(o.code, 100) ? { code: str(o.code, 100) } : {}),
    ...(str(o.source, 200) ? { source: str(o.source, 200) } : {}),
  };
}
