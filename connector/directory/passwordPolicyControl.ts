/**
 * The LDAP password policy control (draft-behera-ldap-password-policy, OID 1.3.6.1.4.1.42.2.27.8.5.1).
 * Sent with a bind, OpenLDAP's ppolicy overlay answers with the reason a bind failed (locked, expired) or
 * a warning when it succeeded (must change after reset, grace logins left). ldapts hands a response control
 * to the request control of the same type, so the instance sent with the bind carries the answer back.
 */
import { Control, type BerReader } from 'ldapts';

export enum PasswordPolicyError {
  passwordExpired = 0,
  accountLocked = 1,
  changeAfterReset = 2,
  passwordModNotAllowed = 3,
  mustSupplyOldPassword = 4,
  insufficientPasswordQuality = 5,
  passwordTooShort = 6,
  passwordTooYoung = 7,
  passwordInHistory = 8,
}

export interface PasswordPolicyResponse {
  timeBeforeExpiration?: number;
  graceAuthNsRemaining?: number;
  error?: PasswordPolicyError;
}

export class PasswordPolicyControl extends Control {
  static readonly type = '1.3.6.1.4.1.42.2.27.8.5.1';
  /** Set once the server answered with this control. */
  response?: PasswordPolicyResponse;

  constructor() {
    super(PasswordPolicyControl.type, { critical: false });
  }

  protected override parseControl(reader: BerReader): void {
    this.response = parsePasswordPolicyValue(reader.buffer);
  }
}

/** Decodes the control's DER value by hand: three optional context-tagged fields, nothing more. */
export function parsePasswordPolicyValue(der: Buffer): PasswordPolicyResponse {
  const out: PasswordPolicyResponse = {};
  const seq = readTlv(der, 0);
  if (!seq || seq.tag !== 0x30) return out;
  let pos = seq.valueStart;
  while (pos < seq.end) {
    const tlv = readTlv(der, pos);
    if (!tlv) break;
    if (tlv.tag === 0xa0) {
      const inner = readTlv(der, tlv.valueStart);
      if (inner?.tag === 0x80) out.timeBeforeExpiration = readUnsigned(der, inner.valueStart, inner.end);
      if (inner?.tag === 0x81) out.graceAuthNsRemaining = readUnsigned(der, inner.valueStart, inner.end);
    } else if (tlv.tag === 0x81) {
      out.error = readUnsigned(der, tlv.valueStart, tlv.end);
    }
    pos = tlv.end;
  }
  return out;
}

function readTlv(buf: Buffer, pos: number): { tag: number; valueStart: number; end: number } | undefined {
  if (pos + 2 > buf.length) return undefined;
  const tag = buf[pos];
  let len = buf[pos + 1];
  let valueStart = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || valueStart + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[valueStart + i];
    valueStart += n;
  }
  const end = valueStart + len;
  return end > buf.length ? undefined : { tag, valueStart, end };
}

function readUnsigned(buf: Buffer, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + buf[i];
  return v;
}
