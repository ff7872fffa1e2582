/** One HTTPS request with a JSON body and reply, trusting the given CA: for the hub's ticket endpoints in tests. */
import { request } from 'node:https';

export function https(
  url: string,
  ca: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; body: any; type?: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        ca,
        headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {},
      },
      (res) => {
        let s = '';
        res.on('data', (d) => (s += d));
        res.on('end', () => {
          let b: unknown;
          try {
            b = JSON.parse(s);
          } catch {
            b = s;
          }
          resolve({ status: res.statusCode ?? 0, body: b, type: res.headers['content-type'] });
        });
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
