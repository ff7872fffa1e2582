import * as assert from 'node:assert/strict';
import {
  fileTimeToDate,
  generalizedTimeToDate,
  guidToString,
  sidToBuffer,
  sidToString,
  userAccountControlFlags,
} from '../../connector/directory/decode';

describe('binary and encoded attribute values', () => {
  it('objectSid bytes to S-1-5-... and back', () => {
    const bytes = Buffer.from('010500000000000515000000cad331b87e57a2d89b0fcc65672b0000', 'hex');
    assert.equal(sidToString(bytes), 'S-1-5-21-3090273226-3634517886-1707872155-11111');
    assert.deepEqual(sidToBuffer('S-1-5-21-3090273226-3634517886-1707872155-11111'), bytes);
    assert.equal(sidToString(sidToBuffer('S-1-5-32-545')), 'S-1-5-32-545');
  });
  it('refuses truncated SIDs', () => {
    assert.throws(() => sidToString(Buffer.from('0105000000', 'hex')), /too short/);
    assert.throws(() => sidToString(Buffer.from('010500000000000515000000cad331', 'hex')), /truncated/);
  });
  it('objectGUID bytes to the string AD tools show (mixed endian)', () => {
    const bytes = Buffer.from('96bd162b90e7c34fa407c486a19f367b', 'hex');
    assert.equal(guidToString(bytes), '2b16bd96-e790-4fc3-a407-c486a19f367b');
    assert.throws(() => guidToString(Buffer.alloc(15)), /16 bytes/);
  });
  it('AD FILETIME to dates, with 0 and "never" as undefined', () => {
    assert.equal(fileTimeToDate('116444736000000000')?.toISOString(), '1970-01-01T00:00:00.000Z');
    assert.equal(fileTimeToDate('133000000000000000')?.toISOString(), '2022-06-18T04:26:40.000Z');
    assert.equal(fileTimeToDate('0'), undefined);
    assert.equal(fileTimeToDate('9223372036854775807'), undefined);
  });
  it('GeneralizedTime with fractions and offsets', () => {
    assert.equal(generalizedTimeToDate('20261128130033Z')?.toISOString(), '2026-11-28T13:00:33.000Z');
    assert.equal(generalizedTimeToDate('20261128130033.305957Z')?.toISOString(), '2026-11-28T13:00:33.306Z');
    assert.equal(generalizedTimeToDate('20261128140033+0100')?.toISOString(), '2026-11-28T13:00:33.000Z');
    assert.equal(generalizedTimeToDate('garbage'), undefined);
  });
  it('userAccountControl as named flags', () => {
    assert.deepEqual(userAccountControlFlags(514), ['ACCOUNTDISABLE', 'NORMAL_ACCOUNT']);
    assert.deepEqual(userAccountControlFlags('66048'), ['NORMAL_ACCOUNT', 'DONT_EXPIRE_PASSWORD']);
  });
});
