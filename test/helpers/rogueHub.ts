/**
 * A hub under the test's control, to attack a real connector process with: it accepts any authenticate frame,
 * then lets the test send whatever frames it likes and records what the connector sends back.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ensureHubTls } from '../../extension/hub/certificates';

export interface Received {
  n: string;
  p: unknown;
}

export class RogueHub {
  caPem = '';
  port = 0;
  socket?: WebSocket;
  readonly received: Received[] = [];
  connections = 0;
  /** Answer `authenticate` with `authenticated` (off: the connector stays unauthenticated). */
  answerAuthenticate = true;
  private server?: Server;
  private wss?: WebSocketServer;
  private onSocket?: (ws: WebSocket) => void;

  async start(): Promise<void> {
    const tls = await ensureHubTls(mkdtempSync(path.join(tmpdir(), 'dbr-rogue-')), ['127.0.0.1']);
    this.caPem = tls.caPem;
    this.server = createServer({ key: tls.keyPem, cert: tls.certPem });
    this.wss = new WebSocketServer({ server: this.server, path: '/ws', maxPayload: 64 * 1024 * 1024 });
    this.wss.on('connection', (ws) => {
      this.connections++;
      this.socket = ws;
      ws.on('message', (d, bin) => {
        if (bin) return;
        try {
          const f = JSON.parse(d.toString()) as Received;
          this.received.push(f);
          if (f.n === 'authenticate' && this.answerAuthenticate) ws.send(JSON.stringify({ n: 'authenticated', p: {} }));
        } catch {
          /* ignore */
        }
      });
      this.onSocket?.(ws);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get adHub(): string {
    return `wss://127.0.0.1:${this.port}/ws`;
  }

  /** Waits until the connector has (re)connected and authenticated `count` times in all. */
  async waitForConnection(count: number, timeoutMs = 10_000): Promise<WebSocket> {
    const t0 = Date.now();
    while (this.received.filter((r) => r.n === 'authenticate').length < count) {
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`the connector did not authenticate (${count}) within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.socket!;
  }

  send(frame: unknown, binary = false): void {
    const data = typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame);
    this.socket!.send(data, { binary });
  }

  replies(pid: string): Received[] {
    return this.received.filter((r) => r.n.startsWith(`${pid}_`));
  }

  async waitForReply(pid: string, timeoutMs = 5000): Promise<Received> {
    const t0 = Date.now();
    for (;;) {
      const r = this.replies(pid)[0];
      if (r) return r;
      if (Date.now() - t0 > timeoutMs) throw new Error(`no reply for ${pid} within ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  async stop(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
