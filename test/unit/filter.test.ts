import * as assert from 'node:assert/strict';
import { escapeFilterValue, fillFilter, findFilterProblem } from '../../connector/directory/filter';

describe('RFC 4515 filter values', () => {
  it('escapes the five special characters and nothing else', () => {
    assert.equal(escapeFilterValue('a*b(c)d\\e\0f'), 'a\\2ab\\28c\\29d\\5ce\\00f');
    assert.equal(escapeFilterValue('Zoë Ünïcødé €'), 'Zoë Ünïcødé €');
    assert.equal(escapeFilterValue('*)(uid=*'), '\\2a\\29\\28uid=\\2a');
  });
  it('fills {0} everywhere, escaping unless told the value is already escaped', () => {
    assert.equal(fillFilter('(|(uid={0})(mail={0}))', 'a*'), '(|(uid=a\\2a)(mail=a\\2a))');
    assert.equal(fillFilter('(uid={0})', 'a\\2a', true), '(uid=a\\2a)');
  });
  it('an already-escaped value that breaks the filter is refused', () => {
    assert.throws(() => fillFilter('(uid={0})', 'x)(uid=*', true), { name: 'InvalidFilterError' });
  });
});

describe('filter syntax errors say where', () => {
  const cases: Array<[string, RegExp, number]> = [
    ['', /empty/, 0],
    ['(&(uid=a)(cn=b)', /Missing "\)": 1 parenthesis is left open/, 15],
    ['(uid=a))', /Unexpected "\)" at position 8/, 7],
    ['(uid=a)(cn=b)', /Unexpected text after the filter at position 8/, 7],
    ['(uid=\\zz)', /Invalid escape at position 6/, 5],
    ['(&)', /"&" at position 2 needs at least one filter/, 1],
    ['(=a)', /Missing attribute name/, 1],
    ['(uid)', /Expected "attribute=value" at position 2/, 1],
    ['()', /Empty "\(\)"/, 1],
  ];
  for (const [filter, message, position] of cases) {
    it(JSON.stringify(filter), () => {
      const p = findFilterProblem(filter);
      assert.ok(p, 'a problem is found');
      assert.match(p.message, message);
      assert.equal(p.position, position);
    });
  }
  for (const ok of [
    '(uid=alice)',
    'uid=alice',
    '(&(objectClass=user)(|(cn=a*)(sn=*b)))',
    '(!(uid=x))',
    '(member:1.2.840.113556.1.4.1941:=cn=a\\2cb)',
    '(cn>=m)',
    '(uid=\\28x\\29)',
  ]) {
    it(`accepts ${ok}`, () => assert.equal(findFilterProblem(ok), undefined));
  }
});

describe("a name sent as already escaped (the protocol's `escaped: true`)", () => {
  const OR = '(|(uid={0})(mail={0}))';
  it('cannot inject through a template with an OR, where the filled filter would still be valid', () => {
    // without the value check this becomes (|(uid=x)(uid=*)(mail=x)(uid=*)): valid, and it matches everyone
    for (const v of ['x)(uid=*', '*', 'x\\', 'x\\zz', 'a\u0000b']) {
      assert.throws(
        () => fillFilter(OR, v, true),
        (e: Error) => e.name === 'InvalidFilterError',
        v,
      );
    }
  });
  it('a properly escaped value is used as it is', () => {
    assert.equal(fillFilter(OR, 'o\\28k\\29', true), '(|(uid=o\\28k\\29)(mail=o\\28k\\29))');
  });
});
