/** Why the hub could not get an answer: one class each, named for the UI. */
import { NamedError } from '../../shared/namedError';

export class HubError extends NamedError {}
export class UnknownConnectionError extends HubError {}
/** No connector instance of the connection is online (and the credential cache could not answer). */
export class NoInstanceError extends HubError {}
/** The instance did not answer within the request timeout. */
export class RequestTimeoutError extends HubError {}
/** The instance dropped before answering a request that must not be retried elsewhere. */
export class InstanceLostError extends HubError {}
/** An input over its size limit (protocol/limits.ts), refused before anything is sent. */
export class InputTooLongError extends HubError {}
/** The embedded connector's certificate was removed by an admin: the editor makes it a new key pair. */
export class EmbeddedCertificateRemovedError extends HubError {}
