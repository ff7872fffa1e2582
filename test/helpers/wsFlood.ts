/**
 * Raw WebSocket clients for flooding the hub before authentication: TLS, the upgrade by hand, then one text frame
 * that announces `payloadBytes` and streams them from one reused buffer (zero mask), so the test itself stays
 * small while the hub would have to hold all of it.
 */
import { randomBytes } from 'node:crypto';
import { connect, type TLSSocket } from 'node:tls';

export interface FloodSocket {
  socket: TLSSocket;
  status: number;
  closed: Promise<void>;
}

export function openRaw(port: number, ca: string): Promise<FloodSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.on('data', () => undefined);
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), closed });
    };
    socket.on('data', onData);
    socket.on('error', (e) => reject(e));
    closed.then(() => resolve({ socket, status: 0, closed }));
  });
}

/** Sends one masked text frame header for `payloadBytes`, then the payload in 1 MiB writes; stops if the hub closes. */
export async function streamFrame(s: FloodSocket, payloadBytes: number): Promise<number> {
  const header = Buffer.alloc(14);
  header[0] = 0x81; // FIN, text
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(payloadBytes), 2);
  // mask key 0: the payload goes as it is
  let sent = 0;
  if (!s.socket.write(header)) await new Promise((r) => s.socket.once('drain', r));
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  while (sent < payloadBytes && !s.socket.destroyed) {
    const n = Math.min(chunk.length, payloadBytes - sent);
    const ok = s.socket.write(n === chunk.length ? chunk : chunk.subarray(0, n));
    sent += n;
    if (!ok) await Promise.race([new Promise((r) => s.socket.once('drain', r)), s.closed]);
  }
  return sent;
}
