/** RFC 4515 filter values and the `{0}` templates of the connector's config (LDAP_USER_BY_NAME and friends). */
import { FilterParser } from 'ldapts';
import { InvalidFilterError } from './errors';
import { LIMITS, limitProblem } from '../../protocol/limits';

/**
 * Escapes a value for use inside an LDAP filter (RFC 4515 section 3): `*`, `(`, `)`, `\` and NUL become
 * `\2a`, `\28`, `\29`, `\5c`, `\00`. Everything else, UTF-8 included, stays as it is.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/**
 * Fills every `{0}` in a filter template. The value is escaped unless the caller says it already is (the
 * protocol's `escaped` flag). Only then is the result parsed again: a value escaped here cannot break a template,
 * and templates are checked once, when the engine is configured (every login would otherwise pay for a parse).
 */
export function fillFilter(template: string, value: string, alreadyEscaped = false): string {
  if (alreadyEscaped) assertEscapedValue(value);
  const filter = template.split('{0}').join(alreadyEscaped ? value : escapeFilterValue(value));
  if (alreadyEscaped) assertValidFilter(filter);
  return filter;
}

/**
 * A value said to be escaped already must be an RFC 4515 assertion value: no bare `(`, `)`, `*` or NUL, and every
 * `\` followed by two hex digits. Checking the filled filter alone is not enough: `x)(uid=*` makes a valid filter
 * out of a template with an OR, and would match everyone.
 */
export function assertEscapedValue(value: string): void {
  const bad = /[()*\0]|\\(?![0-9a-fA-F]{2})/.exec(value);
  if (bad) {
    throw new InvalidFilterError(
      `The name was sent as already escaped, but "${bad[0]}" at position ${bad.index} is not escaped (RFC 4515): refused, not sent to the directory.`,
      bad.index,
    );
  }
}

/** Throws InvalidFilterError, with the position where parsing broke down, if the filter is not RFC 4515. */
export function assertValidFilter(filter: string): void {
  const problem = findFilterProblem(filter);
  if (problem) throw new InvalidFilterError(problem.message, problem.position);
}

export interface FilterProblem {
  message: string;
  position: number;
}

/** A syntax check that says where and what: balanced parentheses, known operators, valid escapes. */
export function findFilterProblem(filter: string): FilterProblem | undefined {
  const tooLong = limitProblem('filter', filter);
  if (tooLong) return { message: tooLong, position: LIMITS.filter };
  const f = filter.trim();
  if (!f) return { message: 'The filter is empty.', position: 0 };
  let depth = 0;
  for (let i = 0; i < f.length; i++) {
    const c = f[i];
    if (c === '\\') {
      if (!/^[0-9a-fA-F]{2}$/.test(f.slice(i + 1, i + 3))) {
        return {
          message: `Invalid escape at position ${i + 1}: a backslash must be followed by two hex digits.`,
          position: i,
        };
      }
      i += 2;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) return { message: `Unexpected ")" at position ${i + 1}: no "(" is open.`, position: i };
      if (depth === 0 && f[i + 1] === ')')
        return { message: `Unexpected ")" at position ${i + 2}: no "(" is open.`, position: i + 1 };
      if (depth === 0 && i !== f.length - 1) {
        return { message: `Unexpected text after the filter at position ${i + 2}.`, position: i + 1 };
      }
    } else if (c === '\0') {
      return { message: `A NUL character at position ${i + 1} must be escaped as \\00.`, position: i };
    }
  }
  if (depth > 0)
    return {
      message: `Missing ")": ${depth} parenthes${depth === 1 ? 'is is' : 'es are'} left open.`,
      position: f.length,
    };
  const wrapped = f.startsWith('(') ? f : `(${f})`;
  const itemProblem = findItemProblem(wrapped);
  if (itemProblem) return itemProblem;
  try {
    FilterParser.parseString(wrapped);
  } catch (e) {
    return { message: `Invalid filter: ${(e as Error).message}`, position: 0 };
  }
  return undefined;
}

/** Each innermost `( ... )` must be `attr op value` with a valid attribute description and operator. */
function findItemProblem(f: string): FilterProblem | undefined {
  const re = /\(([^()]*)\)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(f))) {
    const body = m[1];
    const at = m.index + 1;
    if (body === '') return { message: `Empty "()" at position ${at}.`, position: at };
    if (/^[&|!]$/.test(body))
      return { message: `"${body}" at position ${at + 1} needs at least one filter after it.`, position: at };
    const item = /^([A-Za-z0-9][A-Za-z0-9.;-]*)?(:dn)?(:[A-Za-z0-9.]+)?(~=|>=|<=|:=|=)/.exec(
      body.replace(/^[&|!]+/, ''),
    );
    if (!item)
      return {
        message: `Expected "attribute=value" at position ${at + 1}, found "${body.slice(0, 30)}".`,
        position: at,
      };
    if (!item[1] && item[4] !== ':=') return { message: `Missing attribute name at position ${at + 1}.`, position: at };
  }
  return undefined;
}
