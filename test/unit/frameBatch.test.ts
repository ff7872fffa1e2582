import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { sendBatched } from '../../protocol/frameBatch';

/** A real WebSocket pair on loopback; counts the writes the client's socket makes. */
async function pair(): Promise<{
  client: WebSocket;
  received: string[];
  writes: () => number;
  close(): Promise<void>;
}> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const received: string[] = [];
  wss.on('connection', (ws) => ws.on('message', (d) => received.push(d.toString())));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  await new Promise((r) => client.once('open', r));
  type Write = (...a: unknown[]) => unknown;
  const socket = (client as unknown as { _socket: { _write: Write; _writev: Write } })._socket;
  let writes = 0;
  const w = socket._write.bind(socket),
    wv = socket._writev.bind(socket);
  socket._write = (...a: unknown[]) => {
    writes++;
    return w(...a);
  };
  socket._writev = (...a: unknown[]) => {
    writes++;
    return wv(...a);
  };
  return {
    client,
    received,
    writes: () => writes,
    close: async () => {
      client.terminate();
      await new Promise((r) => wss.close(r));
    },
  };
}

describe('frames sent in one event-loop turn', () => {
  it('leave in one write, in order, and all arrive', async () => {
    const p = await pair();
    try {
      for (let i = 0; i < 20; i++) sendBatched(p.client, `frame ${i}`);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(p.writes(), 1);
      assert.deepEqual(
        p.received,
        Array.from({ length: 20 }, (_, i) => `frame ${i}`),
      );
    } finally {
      await p.close();
    }
  });

  it('frames of different turns are not held back: each turn writes its own', async () => {
    const p = await pair();
    try {
      sendBatched(p.client, 'first');
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      sendBatched(p.client, 'second');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(p.writes(), 2);
      assert.deepEqual(p.received, ['first', 'second']);
    } finally {
      await p.close();
    }
  });
});
