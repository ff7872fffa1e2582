/**
 * One error class per way a directory operation can fail, named so the UI and the wire protocol can explain it.
 * `protocolName` is the name the wire protocol uses (design.md: err.name); infrastructure failures that the
 * protocol has no name for travel as UnexpectedError with their own `code`.
 */
import type { Profile } from '../../protocol/profile';
import type { ProtocolErrorName } from '../../protocol/wireError';
import { NamedError } from '../../shared/namedError';

export abstract class DirectoryError extends NamedError {
  abstract readonly protocolName: ProtocolErrorName;
  /** Where the verdict came from, in words an admin recognises: "Active Directory data 533". */
  source?: string;
  /** The user's profile, carried where the protocol returns one with the error. */
  profile?: Profile;
  constructor(message: string, options?: { cause?: unknown; source?: string }) {
    super(message, options);
    this.source = options?.source;
  }
  /** Stable machine-readable code; the class name. */
  get code(): string {
    return this.name;
  }
}

// --- login outcomes named by the protocol ---
export class WrongUsernameError extends DirectoryError {
  readonly protocolName = 'WrongUsername';
}
export class WrongPasswordError extends DirectoryError {
  readonly protocolName = 'WrongPassword';
}
export class PasswordExpiredError extends DirectoryError {
  readonly protocolName = 'PasswordExpired';
}
export class AccountDisabledError extends DirectoryError {
  readonly protocolName = 'AccountDisabled';
}
export class AccountExpiredError extends DirectoryError {
  readonly protocolName = 'AccountExpired';
}
export class PasswordChangeRequiredError extends DirectoryError {
  readonly protocolName = 'PasswordChangeRequired';
}
export class AccountLockedError extends DirectoryError {
  readonly protocolName = 'AccountLocked';
}
export class InsufficientAccessRightsError extends DirectoryError {
  readonly protocolName = 'InsufficientAccessRightsError';
}
export class PasswordComplexityError extends DirectoryError {
  readonly protocolName = 'PasswordComplexityError';
}

// --- infrastructure failures (UnexpectedError on the wire) ---
abstract class InfrastructureError extends DirectoryError {
  readonly protocolName = 'UnexpectedError';
}
/** No configured LDAP URL accepted a connection. */
export class DirectoryUnavailableError extends InfrastructureError {}
/** The server is reachable but would not serve the operation now: busy (LDAP 51) or unavailable (52). */
export class DirectoryBusyError extends InfrastructureError {}
/** The TLS handshake failed: untrusted or mismatched certificate, or no TLS on the other side. */
export class TlsError extends InfrastructureError {}
/** The service account could not bind. */
export class ServiceBindError extends InfrastructureError {}
/** The server did not answer within the operation timeout. */
export class OperationTimeoutError extends InfrastructureError {}
/** A search filter (configured or typed) is not valid RFC 4515. */
export class InvalidFilterError extends InfrastructureError {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}
/** More than one entry matched the user filter: refusing to guess. */
export class AmbiguousUserError extends InfrastructureError {}
/** The profile mapper file failed to load or threw. */
export class ProfileMapperError extends InfrastructureError {}
/** A password change was refused because the connection is not encrypted. */
export class EncryptionRequiredError extends InfrastructureError {}
/** Anything else the server said, with its LDAP result code. */
export class UnexpectedDirectoryError extends InfrastructureError {}
/** An input over its size limit (protocol/limits.ts): refused before any LDAP operation. */
export class InputTooLongError extends InfrastructureError {}
/** The configuration is unusable (missing URL, base DN...). */
export class DirectoryConfigError extends InfrastructureError {}
