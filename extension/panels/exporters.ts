/** Query results as CSV (RFC 4180), LDIF (RFC 2849) or JSON. Pure. */
import type { Entry } from 'ldapts';
import type { ExportFormat } from '../webview/messages';

type Value = string | Buffer;
const values = (v: unknown): Value[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]) as Value[]);
const text = (v: Value) => (Buffer.isBuffer(v) ? v.toString('base64') : v);

export function toCsv(entries: Entry[], columns: string[]): string {
  const q = (s: string) => (/[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['dn', ...columns].map(q).join(',')];
  for (const e of entries) lines.push([e.dn, ...columns.map((c) => values(e[c]).map(text).join('; '))].map(q).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** RFC 2849: a value that is not SAFE-STRING goes base64 (`attr:: ...`); lines fold at 76 columns. */
export function toLdif(entries: Entry[]): string {
  const safe = (s: string) => /^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(s) && !/ $/.test(s);
  const line = (attr: string, v: Value) => {
    const s = Buffer.isBuffer(v) ? undefined : v;
    const raw = s !== undefined && (s === '' || safe(s)) ? `${attr}: ${s}` : `${attr}:: ${(Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')).toString('base64')}`;
    const out: string[] = [];
    for (let i = 0; i < raw.length; i += i === 0 ? 76 : 75) out.push((i === 0 ? '' : ' ') + raw.slice(i, i + (i === 0 ? 76 : 75)));
    return out.join('\n');
  };
  const blocks = ['version: 1'];
  for (const e of entries) {
    const b = [line('dn', e.dn)];
    for (const [k, v] of Object.entries(e)) if (k !== 'dn') for (const x of values(v)) b.push(line(k, x));
    blocks.push(b.join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

export function toJson(entries: Entry[]): string {
  return JSON.stringify(entries.map((e) => ({
    dn: e.dn,
    attributes: Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'dn').map(([k, v]) => [k, values(v).map((x) => (Buffer.isBuffer(x) ? { base64: x.toString('base64') } : x))])),
  })), null, 2) + '\n';
}

export function exportResults(format: ExportFormat, entries: Entry[], columns: string[]): string {
  return format === 'csv' ? toCsv(entries, columns) : format === 'ldif' ? toLdif(entries) : toJson(entries);
}
