/** Query results as CSV (RFC 4180), LDIF (RFC 2849) or JSON, written entry by entry. Pure. */
import type { Entry } from 'ldapts';
import type { ExportFormat } from '../webview/messages';

type Value = string | Buffer;
const values = (v: unknown): Value[] => (v === undefined ? [] : ((Array.isArray(v) ? v : [v]) as Value[]));
const text = (v: Value) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
const csvQuote = (s: string) => (/[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** RFC 2849: a value that is not SAFE-STRING goes base64 (`attr:: ...`); lines fold at 76 columns. */
function ldifLine(attr: string, v: Value): string {
  const safe = (s: string) =>
    /^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(s) && !/ $/.test(s);
  const s = Buffer.isBuffer(v) ? undefined : v;
  const raw =
    s !== undefined && (s === '' || safe(s))
      ? `${attr}: ${s}`
      : `${attr}:: ${(Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')).toString('base64')}`;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += i === 0 ? 76 : 75)
    out.push((i === 0 ? '' : ' ') + raw.slice(i, i + (i === 0 ? 76 : 75)));
  return out.join('\n');
}

/** The pieces of one export: what comes first, each entry, what comes last. */
export interface ExportWriter {
  head: string;
  entry(e: Entry, index: number): string;
  tail: string;
}

export function exportWriter(format: ExportFormat, columns: string[]): ExportWriter {
  switch (format) {
    case 'csv':
      return {
        head: ['dn', ...columns].map(csvQuote).join(',') + '\r\n',
        tail: '',
        entry: (e) => [e.dn, ...columns.map((c) => values(e[c]).map(text).join('; '))].map(csvQuote).join(',') + '\r\n',
      };
    case 'ldif':
      return {
        head: 'version: 1\n',
        tail: '',
        entry: (e) =>
          '\n' +
          [
            ldifLine('dn', e.dn),
            ...Object.entries(e)
              .filter(([k]) => k !== 'dn')
              .flatMap(([k, v]) => values(v).map((x) => ldifLine(k, x))),
          ].join('\n') +
          '\n',
      };
    case 'json':
      return {
        head: '[\n',
        tail: '\n]\n',
        entry: (e, i) =>
          (i ? ',\n' : '') +
          JSON.stringify(
            {
              dn: e.dn,
              attributes: Object.fromEntries(
                Object.entries(e)
                  .filter(([k]) => k !== 'dn')
                  .map(([k, v]) => [
                    k,
                    values(v).map((x) => (Buffer.isBuffer(x) ? { base64: x.toString('base64') } : x)),
                  ]),
              ),
            },
            null,
            2,
          ).replace(/^/gm, '  '),
      };
  }
}

export function exportResults(format: ExportFormat, entries: Entry[], columns: string[]): string {
  const w = exportWriter(format, columns);
  return w.head + entries.map((e, i) => w.entry(e, i)).join('') + w.tail;
}

export const toCsv = (entries: Entry[], columns: string[]) => exportResults('csv', entries, columns);
export const toLdif = (entries: Entry[]) => exportResults('ldif', entries, []);
export const toJson = (entries: Entry[]) => exportResults('json', entries, []);
