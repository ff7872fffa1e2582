/**
 * curl as the browser-side client of the sign-in tests: it speaks Negotiate with MIT Kerberos (`--negotiate -u :`),
 * keeps cookies in a jar, follows redirects when asked, and can send from another loopback address (`--interface`).
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

export interface CurlResult {
  status: number;
  url: string;
  redirects: number;
  body: string;
  location?: string;
  headers: Record<string, string>;
  /** curl's own time_total: the HTTP exchanges, redirects and Negotiate included */ ms: number;
  wallMs: number;
}

export interface CurlOptions {
  jar: string;
  ca: string;
  follow?: boolean;
  negotiate?: boolean;
  from?: string;
  env?: NodeJS.ProcessEnv;
  headers?: string[];
  form?: Record<string, string>;
}

let n = 0;
export function curl(url: string, o: CurlOptions): Promise<CurlResult> {
  const out = path.join(path.dirname(o.jar), `curl-${process.pid}-${++n}`);
  const args = [
    '-s',
    '-4',
    '--cacert',
    o.ca,
    '-b',
    o.jar,
    '-c',
    o.jar,
    '-o',
    `${out}.body`,
    '-D',
    `${out}.headers`,
    '-w',
    '%{json}',
  ];
  // a browser negotiates with any host its policy allows; curl drops credentials on a redirect to another host unless trusted
  if (o.follow) args.push(o.negotiate ? '--location-trusted' : '-L');
  if (o.negotiate) args.push('--negotiate', '-u', ':');
  if (o.from) args.push('--interface', o.from);
  for (const h of o.headers ?? []) args.push('-H', h);
  for (const [k, v] of Object.entries(o.form ?? {})) args.push('--data-urlencode', `${k}=${v}`);
  args.push(url);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('curl', args, { env: { ...process.env, ...o.env } }, (err, stdout) => {
      const ms = performance.now() - t0;
      if (err && !stdout) return reject(err);
      try {
        const w = JSON.parse(stdout) as {
          http_code: number;
          url_effective: string;
          num_redirects: number;
          time_total: number;
        };
        const rawHeaders =
          readFileSync(`${out}.headers`, 'utf8')
            .trim()
            .split(/\r?\n\r?\n/)
            .pop() ?? '';
        const headers: Record<string, string> = {};
        for (const line of rawHeaders.split(/\r?\n/).slice(1)) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        resolve({
          status: w.http_code,
          url: w.url_effective,
          redirects: w.num_redirects,
          body: readFileSync(`${out}.body`, 'utf8'),
          location: headers.location,
          headers,
          ms: w.time_total * 1000,
          wallMs: ms,
        });
      } catch (e) {
        reject(e);
      } finally {
        rmSync(`${out}.body`, { force: true });
        rmSync(`${out}.headers`, { force: true });
      }
    });
  });
}
