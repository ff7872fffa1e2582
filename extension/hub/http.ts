/** Small helpers for the hub's JSON endpoints: bounded bodies, JSON replies, typed failures. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NamedError } from '../../shared/namedError';

export class HttpError extends NamedError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > maxBytes) {
        failed = true;
        reject(new HttpError(413, `request body over ${maxBytes} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `invalid JSON: ${(e as Error).message}`));
      }
    });
    req.on('error', (e) => {
      if (!failed) {
        failed = true;
        reject(e);
      }
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

export function asString(v: unknown, what: string, max = 1024): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw new HttpError(400, `${what} must be a non-empty string of at most ${max} characters`);
  return v;
}
