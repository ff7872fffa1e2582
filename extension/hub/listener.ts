/**
 * The hub's one listening socket: HTTPS for the ticket, admin and sign-in routes, and the WebSocket upgrade on
 * /ws for connectors. Every failure of a route becomes a JSON reply whose status names the kind of failure; a
 * path may hold a ticket, so it is never logged as it is.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/logger';
import { redactTickets } from '../../protocol/ticketUrl';
import { HubError, InputTooLongError, UnknownConnectionError } from './errors';
import { DomainRefusedError } from './emailDomains';
import type { Gateway } from './gateway';
import { HttpError, sendJson } from './http';
import { StateError } from './state';
import type { HubTls } from './certificates';

export interface ListenerOptions {
  tls: HubTls;
  host: string;
  port: number;
  gateway: Gateway;
  log: Logger;
  route(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** The HTTP status a route's failure answers with. */
export function statusOf(e: unknown): number {
  if (e instanceof HttpError) return e.status;
  if (e instanceof UnknownConnectionError) return 404;
  if (e instanceof DomainRefusedError) return 403;
  if (e instanceof StateError || e instanceof InputTooLongError) return 400;
  if (e instanceof HubError) return 503;
  return 500;
}

export async function listen(o: ListenerOptions): Promise<Server> {
  // the full chain, so that a connector holding only a pin of the CA (ticket URL #ca=sha256:...) can find it
  const server = createServer(
    { key: o.tls.keyPem, cert: `${o.tls.certPem.trim()}\n${o.tls.caPem.trim()}\n` },
    (req, res) => {
      o.route(req, res).catch((e) => {
        const status = statusOf(e);
        if (status === 500)
          o.log.error('hub.http.error', {
            path: redactTickets(req.url ?? '').slice(0, 100),
            error: (e as Error).message,
          });
        sendJson(res, status, { error: (e as Error).message, code: (e as Error).name });
      });
    },
  );
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    if (new URL(req.url ?? '/', 'https://x').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    if (!o.gateway.admits(req.socket.remoteAddress)) {
      o.log.warn('hub.socket.refused', {
        remote: req.socket.remoteAddress,
        reason: 'too many sockets waiting to authenticate',
      });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    o.gateway.wss.handleUpgrade(req, socket, head, (ws) => o.gateway.wss.emit('connection', ws, req));
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
