/**
 * Sends a text frame, holding the socket corked until the end of this turn of the event loop: frames sent in the
 * same turn (replies whose directory answers arrived together, requests from logins started together) leave in
 * one TLS record and one write instead of one each. Under load that is most of them; alone, a frame waits only
 * for the end of the turn it was sent in.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

const corked = new WeakSet<Duplex>();

/** `frame` is JSON text, as a string or its UTF-8 bytes; it goes out as a text frame either way. */
export function sendBatched(ws: WebSocket, frame: string | Buffer): void {
  // ws keeps its socket in `_socket` (not public API); without one, this is a plain send
  const socket = (ws as unknown as { _socket?: Duplex })._socket;
  if (socket && !corked.has(socket) && !socket.destroyed) {
    corked.add(socket);
    socket.cork();
    setImmediate(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  if (typeof frame === 'string') ws.send(frame);
  else ws.send(frame, { binary: false });
}
