/**
 * ldapts writes a debug line for every message it sends, and builds it (`JSON.stringify` of the whole request,
 * filter tree and controls included, or a copy of a bind request with its password replaced) even when its debug
 * log is off: about 5% of a connector's CPU under load. Unless NODE_DEBUG asks for ldapts's log:
 * - messages and controls serialize to a constant (for the lines ldapts still builds elsewhere);
 * - `Client._send` is replaced by the same steps without the debug lines, and without the extra promise that
 *   ldapts chains (`.finally`) only to clear the operation timer: the timer is cleared where the message settles.
 * Everything else is ldapts's own: the message-id map it answers from, the socket, the timeout error's text
 * (connection.ts classifies "Operation timed out"), abandon and unbind handling.
 */
import { debuglog } from 'node:util';
import { AbandonRequest, Client, Control, SearchRequest, UnbindRequest } from 'ldapts';

const QUIET = '[ldap message: set NODE_DEBUG=ldapts for details]';

/** The parts of ldapts's Client (8.x) that `_send` uses; private in its typings. */
interface ClientInternals {
  connected: boolean;
  socket?: import('node:net').Socket;
  clientOptions: { timeout?: number };
  messageDetailsByMessageId: Map<string, MessageDetails>;
  _destroySocket(socket: unknown): void;
  _send?: unknown;
}
interface MessageDetails {
  message: LdapMessage;
  resolve(value?: unknown): void;
  reject(e: unknown): void;
  timeoutTimer: NodeJS.Timeout | null;
  socket: unknown;
}
interface LdapMessage {
  messageId: number;
  write(): Buffer;
}

function leanSend(this: ClientInternals, message: LdapMessage): Promise<unknown> {
  if (!this.connected || !this.socket) throw new Error('Socket connection not established');
  const bytes = message.write();
  const key = message.messageId.toString();
  const timeoutMs = this.clientOptions.timeout;
  return new Promise((resolve, reject) => {
    const timer = timeoutMs
      ? setTimeout(() => {
          const details = this.messageDetailsByMessageId.get(key);
          if (!details) return;
          this._destroySocket(details.socket);
          reject(new Error(`${message.constructor.name}: Operation timed out`));
        }, timeoutMs)
      : null;
    this.messageDetailsByMessageId.set(key, {
      message,
      resolve: (v) => {
        if (timer) clearTimeout(timer);
        resolve(v);
      },
      reject: (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      },
      timeoutTimer: timer,
      socket: this.socket,
    });
    if (message instanceof AbandonRequest) {
      this.socket!.write(bytes, () => {
        this.messageDetailsByMessageId.delete(key);
        if (timer) clearTimeout(timer);
        resolve(undefined);
      });
    } else if (message instanceof UnbindRequest) {
      this.socket!.write(bytes, () => {
        if (this.socket) this._destroySocket(this.socket);
      });
    } else {
      this.socket!.write(bytes);
    }
  });
}

export function quietLdaptsDebugLog(): void {
  if (debuglog('ldapts').enabled) return;
  for (const proto of [Object.getPrototypeOf(SearchRequest.prototype), Control.prototype] as Array<{
    toJSON?: () => string;
  }>) {
    if (!Object.prototype.hasOwnProperty.call(proto, 'toJSON')) proto.toJSON = () => QUIET;
  }
  const proto = Client.prototype as unknown as ClientInternals;
  // only over the ldapts this was written against (a `_send` of its own); otherwise ldapts's is kept
  if (typeof proto._send === 'function' && proto._send !== leanSend) proto._send = leanSend;
}
