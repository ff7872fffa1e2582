import * as assert from 'node:assert/strict';
import { cellText, decodeForDisplay, decodeValue } from '../../extension/panels/entryDecoder';
import { toCsv, toJson, toLdif } from '../../extension/panels/exporters';

describe('entry decoding for the query panel', () => {
  it('GUIDs, SIDs, FILETIMEs, GeneralizedTimes, flags, images and other binary', () => {
    assert.deepEqual(decodeValue('objectGUID', Buffer.from('96bd162b90e7c34fa407c486a19f367b', 'hex')), {
      text: '2b16bd96-e790-4fc3-a407-c486a19f367b',
      kind: 'guid',
    });
    assert.equal(
      decodeValue('objectSid', Buffer.from('010500000000000515000000cad331b87e57a2d89b0fcc65672b0000', 'hex')).text,
      'S-1-5-21-3090273226-3634517886-1707872155-11111',
    );
    assert.deepEqual(decodeValue('pwdLastSet', '116444736000000000'), {
      text: '1970-01-01T00:00:00.000Z',
      kind: 'date',
    });
    assert.deepEqual(decodeValue('accountExpires', '9223372036854775807'), { text: 'never', kind: 'date' });
    assert.deepEqual(decodeValue('whenCreated', '20261128130033.0Z'), {
      text: '2026-11-28T13:00:33.000Z',
      kind: 'date',
    });
    assert.deepEqual(decodeValue('userAccountControl', '514'), {
      text: '514: ACCOUNTDISABLE | NORMAL_ACCOUNT',
      kind: 'flags',
    });
    assert.match(
      decodeValue('thumbnailPhoto', Buffer.from('89504e470d0a1a0a', 'hex')).text,
      /^data:image\/png;base64,/,
    );
    assert.deepEqual(decodeValue('userCertificate', Buffer.from([0, 1, 2, 255])), { text: 'AAEC/w==', kind: 'binary' });
    assert.deepEqual(decodeValue('cn', Buffer.from('Zoë', 'utf8')), { text: 'Zoë', kind: 'text' });
  });
  it('sorts attributes and shows the first value of many as "+N" in a cell', () => {
    assert.deepEqual(
      decodeForDisplay({ dn: 'x', sn: 'b', cn: ['a'] }).map((a) => a.name),
      ['cn', 'sn'],
    );
    assert.equal(cellText('objectClass', ['top', 'person', 'user']), 'top (+2)');
    assert.equal(cellText('mail', undefined), '');
  });
});

describe('exports', () => {
  const entries: import('ldapts').Entry[] = [
    { dn: 'cn=Smith\\, John,dc=x', cn: 'Smith, John', description: 'says "hi"\nthen leaves', mail: ['a@x', 'b@x'] },
    { dn: 'cn=Zoë,dc=x', cn: 'Zoë', description: ' leading space', photo: Buffer.from([1, 2, 3]) },
  ];
  it('CSV quotes per RFC 4180 and joins multiple values', () => {
    const csv = toCsv(entries, ['cn', 'mail', 'description']).split('\r\n');
    assert.equal(csv[0], 'dn,cn,mail,description');
    assert.equal(csv[1], '"cn=Smith\\, John,dc=x","Smith, John",a@x; b@x,"says ""hi""\nthen leaves"');
    assert.equal(csv[2], '"cn=Zoë,dc=x",Zoë,," leading space"');
  });
  it('LDIF base64-encodes what is not a safe string, and folds long lines', () => {
    const ldif = toLdif(entries);
    assert.match(ldif, /^version: 1\n\ndn: cn=Smith\\, John,dc=x\ncn: Smith, John\ndescription:: /);
    assert.match(ldif, /^dn:: Y249Wm\/DqyxkYz14$/m);
    assert.match(ldif, /^photo:: AQID$/m);
    assert.match(ldif, /^description:: IGxlYWRpbmcgc3BhY2U=$/m);
    const long = toLdif([{ dn: 'cn=x', description: 'y'.repeat(200) }]);
    assert.ok(long.split('\n').every((l) => l.length <= 76));
    assert.equal(
      long
        .split('\n')
        .filter((l) => l.startsWith(' '))
        .join('').length + long.split('\n').find((l) => l.startsWith('description'))!.length,
      'description: '.length + 200 + 2,
    );
  });
  it('JSON keeps every value, binary as base64', () => {
    const j = JSON.parse(toJson(entries));
    assert.deepEqual(j[0].attributes.mail, ['a@x', 'b@x']);
    assert.deepEqual(j[1].attributes.photo, [{ base64: 'AQID' }]);
  });
});
