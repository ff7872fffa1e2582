/** Reading attributes of an ldapts entry: case-insensitive names, single or many values, text or bytes. */
import type { Entry } from 'ldapts';

export type RawEntry = Entry;

/** Attributes that must never leave the engine, whatever a mapper or a query asks for. */
export const SECRET_ATTRIBUTE =
  /^(userPassword|unicodePwd|dBCSPwd|ntPwdHistory|lmPwdHistory|supplementalCredentials|sambaNTPassword|sambaLMPassword|authPassword)$/i;

function key(entry: RawEntry, name: string): string | undefined {
  if (name in entry) return name;
  const lower = name.toLowerCase();
  return Object.keys(entry).find((k) => k.toLowerCase() === lower);
}

export function values(entry: RawEntry, name: string): Array<string | Buffer> {
  const k = key(entry, name);
  if (!k) return [];
  const v = entry[k];
  return Array.isArray(v) ? v : [v];
}

export function text(entry: RawEntry, name: string): string | undefined {
  const v = values(entry, name)[0];
  return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : v;
}

export function texts(entry: RawEntry, name: string): string[] {
  return values(entry, name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

export function bytes(entry: RawEntry, name: string): Buffer | undefined {
  const v = values(entry, name)[0];
  return v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v, 'binary');
}

/** A copy of the entry without secret attributes. */
export function withoutSecrets(entry: RawEntry): RawEntry {
  const out: RawEntry = { dn: entry.dn };
  for (const [k, v] of Object.entries(entry)) if (!SECRET_ATTRIBUTE.test(k)) out[k] = v;
  return out;
}
