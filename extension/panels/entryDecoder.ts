/**
 * Turns an entry's raw values into text an admin can read, saying how each was decoded: GUIDs and SIDs from their
 * bytes, AD FILETIMEs and GeneralizedTimes as dates, userAccountControl as named flags, photos as images,
 * anything else binary as base64. Pure.
 */
import type { Entry } from 'ldapts';
import {
  fileTimeToDate,
  generalizedTimeToDate,
  guidToString,
  sidToString,
  userAccountControlFlags,
} from '../../connector/directory';
import type { DecodedAttribute, DecodedValue } from '../webview/messages';

const FILETIME =
  /^(pwdLastSet|accountExpires|lastLogon|lastLogonTimestamp|lastLogoff|badPasswordTime|lockoutTime|msDS-UserPasswordExpiryTimeComputed)$/i;
const GENERALIZED =
  /^(whenCreated|whenChanged|createTimestamp|modifyTimestamp|pwdChangedTime|pwdAccountLockedTime|pwdFailureTime|pwdEndTime|pwdStartTime|dSCorePropagationData)$/i;
const SID = /^(objectSid|tokenGroups|sIDHistory)$/i;
const GUID = /^(objectGUID|msExchMailboxGuid|mS-DS-ConsistencyGuid)$/i;
const IMAGE = /^(thumbnailPhoto|jpegPhoto|photo)$/i;
const UAC = /^(userAccountControl|msDS-User-Account-Control-Computed)$/i;

function imageType(b: Buffer): string | undefined {
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (b.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  return undefined;
}

function isPrintable(b: Buffer): boolean {
  const s = b.toString('utf8');
  return Buffer.from(s, 'utf8').equals(b) && !/[\u0000-\u0008\u000e-\u001f]/.test(s);
}

export function decodeValue(name: string, raw: string | Buffer): DecodedValue {
  if (Buffer.isBuffer(raw)) {
    if (GUID.test(name) && raw.length === 16) return { text: guidToString(raw), kind: 'guid' };
    if (SID.test(name)) {
      try {
        return { text: sidToString(raw), kind: 'sid' };
      } catch {
        /* fall through */
      }
    }
    if (IMAGE.test(name) && imageType(raw))
      return { text: `data:${imageType(raw)};base64,${raw.toString('base64')}`, kind: 'image' };
    if (isPrintable(raw)) raw = raw.toString('utf8');
    else return { text: raw.toString('base64'), kind: 'binary' };
  }
  if (FILETIME.test(name) && /^\d+$/.test(raw)) {
    const d = fileTimeToDate(raw);
    return { text: d ? d.toISOString() : raw === '0' ? 'never (0)' : 'never', kind: 'date' };
  }
  if (GENERALIZED.test(name)) {
    const d = generalizedTimeToDate(raw);
    if (d) return { text: d.toISOString(), kind: 'date' };
  }
  if (UAC.test(name) && /^\d+$/.test(raw))
    return { text: `${raw}: ${userAccountControlFlags(raw).join(' | ') || 'none'}`, kind: 'flags' };
  return { text: raw, kind: 'text' };
}

export function decodeForDisplay(entry: Entry): DecodedAttribute[] {
  return Object.entries(entry)
    .filter(([k]) => k !== 'dn')
    .map(([name, v]) => ({
      name,
      values: (Array.isArray(v) ? v : [v]).map((x) => decodeValue(name, x as string | Buffer)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A cell of the results table: the first value decoded, "+N" when there are more. */
export function cellText(name: string, v: unknown): string {
  const list = (Array.isArray(v) ? v : [v]) as Array<string | Buffer>;
  if (!list.length || v === undefined) return '';
  const first = decodeValue(name, list[0]);
  const text = first.kind === 'image' ? '[image]' : first.text;
  return list.length > 1 ? `${text} (+${list.length - 1})` : text;
}
