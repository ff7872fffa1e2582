/** Why the hub could not get an answer: one class each, named for the UI. */
export class HubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class UnknownConnectionError extends HubError {}
/** No connector instance of the connection is online (and the credential cache could not answer). */
export class NoInstanceError extends HubError {}
/** The instance did not answer within the request timeout. */
export class RequestTimeoutError extends HubError {}
/** The instance dropped before answering a request that must not be retried elsewhere. */
export class InstanceLostError extends HubError {}
/** An input over its size limit (protocol/limits.ts), refused before anything is sent. */
export class InputTooLongError extends HubError {}
export class TicketError extends HubError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
