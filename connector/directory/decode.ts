/** Decoders for the binary and encoded attribute values of Active Directory and OpenLDAP. */

/** objectSid bytes → `S-1-5-21-...` (MS-DTYP 2.4.2.2). */
export function sidToString(sid: Buffer): string {
  if (sid.length < 8) throw new Error(`objectSid too short (${sid.length} bytes)`);
  const revision = sid[0];
  const subCount = sid[1];
  if (sid.length < 8 + subCount * 4)
    throw new Error(`objectSid truncated: ${subCount} sub-authorities in ${sid.length} bytes`);
  const authority = sid.readUIntBE(2, 6);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < subCount; i++) parts.push(String(sid.readUInt32LE(8 + i * 4)));
  return parts.join('-');
}

/** `S-1-5-21-...` → objectSid bytes. */
export function sidToBuffer(sid: string): Buffer {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/i.exec(sid);
  if (!m) throw new Error(`not a SID: ${sid}`);
  const subs = m[3] ? m[3].slice(1).split('-').map(Number) : [];
  const buf = Buffer.alloc(8 + subs.length * 4);
  buf[0] = Number(m[1]);
  buf[1] = subs.length;
  buf.writeUIntBE(Number(m[2]), 2, 6);
  subs.forEach((s, i) => buf.writeUInt32LE(s, 8 + i * 4));
  return buf;
}

/** objectGUID bytes → the GUID string AD tools show (first three fields little-endian). */
export function guidToString(guid: Buffer): string {
  if (guid.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${guid.length}`);
  const h = (from: number, to: number, reverse: boolean) => {
    const slice = Buffer.from(guid.subarray(from, to));
    return (reverse ? slice.reverse() : slice).toString('hex');
  };
  return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`;
}

/** AD FILETIME (100 ns since 1601) → Date; `undefined` for 0 and "never" (0x7FFFFFFFFFFFFFFF). */
export function fileTimeToDate(value: string | number | bigint): Date | undefined {
  const v = BigInt(value);
  if (v === 0n || v >= 0x7fffffffffffffffn) return undefined;
  const ms = v / 10000n - 11644473600000n;
  return new Date(Number(ms));
}

/** LDAP GeneralizedTime (`20261128130033Z`, `20261128130033.305957Z`, with optional offset) → Date. */
export function generalizedTimeToDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi = '0', s = '0', frac = '0', tz = 'Z'] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number('0.' + frac) * 1000));
  if (tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    ms -= sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5))) * 60000;
  }
  return new Date(ms);
}

/** userAccountControl bits (MS-ADTS 2.2.16), for explaining an account's state. */
export const USER_ACCOUNT_CONTROL_FLAGS: ReadonlyArray<[number, string]> = [
  [0x0001, 'SCRIPT'],
  [0x0002, 'ACCOUNTDISABLE'],
  [0x0008, 'HOMEDIR_REQUIRED'],
  [0x0010, 'LOCKOUT'],
  [0x0020, 'PASSWD_NOTREQD'],
  [0x0040, 'PASSWD_CANT_CHANGE'],
  [0x0080, 'ENCRYPTED_TEXT_PWD_ALLOWED'],
  [0x0100, 'TEMP_DUPLICATE_ACCOUNT'],
  [0x0200, 'NORMAL_ACCOUNT'],
  [0x0800, 'INTERDOMAIN_TRUST_ACCOUNT'],
  [0x1000, 'WORKSTATION_TRUST_ACCOUNT'],
  [0x2000, 'SERVER_TRUST_ACCOUNT'],
  [0x10000, 'DONT_EXPIRE_PASSWORD'],
  [0x20000, 'MNS_LOGON_ACCOUNT'],
  [0x40000, 'SMARTCARD_REQUIRED'],
  [0x80000, 'TRUSTED_FOR_DELEGATION'],
  [0x100000, 'NOT_DELEGATED'],
  [0x200000, 'USE_DES_KEY_ONLY'],
  [0x400000, 'DONT_REQ_PREAUTH'],
  [0x800000, 'PASSWORD_EXPIRED'],
  [0x1000000, 'TRUSTED_TO_AUTH_FOR_DELEGATION'],
  [0x4000000, 'PARTIAL_SECRETS_ACCOUNT'],
];

export function userAccountControlFlags(value: number | string): string[] {
  const v = Number(value);
  return USER_ACCOUNT_CONTROL_FLAGS.filter(([bit]) => (v & bit) !== 0).map(([, name]) => name);
}

/**
 * Attributes whose values are bytes, never text: asked for as Buffers in every search (user logins and searches,
 * the query panel), then decoded by name (GUID, SID, image) or shown as base64.
 */
export const BINARY_ATTRIBUTES = [
  'objectGUID',
  'objectGUID;binary',
  'objectSid',
  'tokenGroups',
  'sIDHistory',
  'thumbnailPhoto',
  'jpegPhoto',
  'photo',
  'msExchMailboxGuid',
  'userCertificate',
  'mS-DS-ConsistencyGuid',
  'msDS-GenerationId',
];
