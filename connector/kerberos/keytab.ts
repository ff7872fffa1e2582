/**
 * Reads the entries of an MIT keytab file (format 0x0502: principal, timestamp, key version, key type; the key bytes
 * are skipped, never kept) so that troubleshoot can say which principals and key versions a keytab holds.
 */
export interface KeytabEntry {
  principal: string;
  kvno: number;
  enctype: number;
}

export function readKeytab(buf: Buffer): KeytabEntry[] {
  if (buf.length < 2 || buf[0] !== 5 || buf[1] !== 2) throw new Error('not a keytab (version 0x0502 expected)');
  const out: KeytabEntry[] = [];
  let off = 2;
  while (off + 4 <= buf.length) {
    const size = buf.readInt32BE(off);
    off += 4;
    if (size === 0) break;
    if (size < 0) {
      off += -size;
      continue;
    } // a deleted entry
    const end = off + size;
    if (end > buf.length) throw new Error('the keytab is truncated');
    let p = off;
    const count = buf.readUInt16BE(p);
    p += 2;
    const str = () => {
      const n = buf.readUInt16BE(p);
      p += 2;
      const s = buf.toString('utf8', p, p + n);
      p += n;
      return s;
    };
    const realm = str();
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(str());
    p += 4 + 4; // name type, timestamp
    let kvno = buf[p];
    p += 1;
    const enctype = buf.readUInt16BE(p);
    p += 2;
    const keyLen = buf.readUInt16BE(p);
    p += 2 + keyLen;
    if (p + 4 <= end) {
      const k32 = buf.readUInt32BE(p);
      if (k32 !== 0) kvno = k32;
    }
    out.push({ principal: `${parts.join('/')}@${realm}`, kvno, enctype });
    off = end;
  }
  return out;
}
