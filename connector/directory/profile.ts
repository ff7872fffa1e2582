/**
 * The profile a connector returns for a user (design.md): the default mapping, and a user-supplied mapper file
 * that can replace it. A mapper that fails is reported with its file and line.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { guidToString, sidToString } from './decode';
import { bytes, text, texts, withoutSecrets, type RawEntry } from './entry';
import type { Profile } from '../../protocol/profile';
import { ProfileMapperError } from './errors';

export type { Profile };

/** The entry as a mapper sees it: binary identifiers already decoded, secrets removed. */
export type MapperInput = Record<string, unknown> & { dn: string; groups: string[] };

/** Attributes fetched for every user. */
export const PROFILE_ATTRIBUTES = [
  'objectGUID',
  'objectSid',
  'sAMAccountName',
  'userPrincipalName',
  'displayName',
  'givenName',
  'sn',
  'cn',
  'mail',
  'uid',
  'entryUUID',
  'memberOf',
  'primaryGroupID',
  'userAccountControl',
  'accountExpires',
  'pwdLastSet',
  'lockoutTime',
  'telephoneNumber',
  'title',
  'department',
  'company',
  'manager',
  'employeeID',
  'whenCreated',
  'whenChanged',
  'st',
  'description',
  'postalCode',
  'distinguishedName',
  'co',
  'mailNickname',
  'sAMAccountType',
];

/**
 * Attributes the deployed connector's default mapper copies into the profile as they are, so that identity-service
 * rules written against it keep working. Each is set only where the directory has it.
 */
export const PASSTHROUGH_ATTRIBUTES = [
  'st',
  'description',
  'postalCode',
  'telephoneNumber',
  'distinguishedName',
  'co',
  'department',
  'company',
  'mailNickname',
  'sAMAccountName',
  'sAMAccountType',
  'userPrincipalName',
  'manager',
] as const;

/** The `OU=` components of a DN, nearest first (`organizationUnits` of the deployed connector's profiles). */
export function organizationUnitsOf(dn: string): string[] {
  // split on commas that are not escaped (RFC 4514)
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => /^\s*ou\s*=\s*(.+?)\s*$/i.exec(rdn)?.[1])
    .filter((v): v is string => !!v)
    .map((v) => v.replace(/\\(.)/g, '$1'));
}

/** The entry as a mapper file receives it (MapperInput). */
export function mapperInput(entry: RawEntry, groups: string[]): MapperInput {
  const clean = withoutSecrets(entry);
  const out: MapperInput = { dn: entry.dn, groups };
  for (const [k, v] of Object.entries(clean)) {
    if (k === 'dn') continue;
    if (/^objectGUID$/i.test(k)) {
      const b = bytes(entry, k);
      out[k] = b && b.length === 16 ? guidToString(b) : undefined;
      continue;
    }
    if (/^objectSid$/i.test(k)) {
      const b = bytes(entry, k);
      out[k] = b ? safe(() => sidToString(b)) : undefined;
      continue;
    }
    if (Buffer.isBuffer(v) || (Array.isArray(v) && v.some((x) => Buffer.isBuffer(x)))) {
      out[k] = Array.isArray(v)
        ? v.map((x) => (Buffer.isBuffer(x) ? x.toString('base64') : x))
        : (v as Buffer).toString('base64');
      continue;
    }
    out[k] = v;
  }
  return out;
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export function defaultProfile(entry: RawEntry, groups: string[]): Profile {
  const guid = bytes(entry, 'objectGUID');
  const sid = bytes(entry, 'objectSid');
  const id =
    (guid && guid.length === 16 ? guidToString(guid) : undefined) ??
    text(entry, 'uid') ??
    text(entry, 'cn') ??
    entry.dn;
  const profile: Profile = {
    id,
    displayName: text(entry, 'displayName') ?? text(entry, 'cn'),
    name: { givenName: text(entry, 'givenName'), familyName: text(entry, 'sn') },
    nickname: text(entry, 'sAMAccountName') ?? text(entry, 'uid') ?? text(entry, 'cn'),
    emails: texts(entry, 'mail').map((value) => ({ value })),
    groups,
    dn: entry.dn,
  };
  for (const a of PASSTHROUGH_ATTRIBUTES) {
    const v = texts(entry, a);
    if (v.length) (profile as Record<string, unknown>)[a] = v.length === 1 ? v[0] : v;
  }
  const ous = organizationUnitsOf(entry.dn);
  if (ous.length) profile.organizationUnits = ous;
  if (sid) {
    const s = safe(() => sidToString(sid));
    if (s) profile.objectSid = s;
  }
  return profile;
}

type MapperFn = (input: MapperInput, defaults: Profile) => unknown;

/**
 * Loads a mapper file: a CommonJS module exporting `function (user, defaults) { return profile; }`.
 * Reloaded when the file changes, so an admin can edit it while the connector runs.
 */
/** The line of `file` that a stack trace or an error message points at (`.../mapper.js:12`). */
export function mapperLine(text: string, file: string): number | undefined {
  const m = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(text);
  return m ? Number(m[1]) : undefined;
}

export class ProfileMapper {
  private fn?: MapperFn;
  private loadedMtime = -1;
  constructor(readonly file: string) {}

  map(entry: RawEntry, groups: string[]): Profile {
    const defaults = defaultProfile(entry, groups);
    const fn = this.load();
    let result: unknown;
    try {
      result = fn(mapperInput(entry, groups), defaults);
    } catch (e) {
      throw new ProfileMapperError(`The profile mapper ${this.where(e)} threw: ${(e as Error)?.message ?? String(e)}`, {
        cause: e,
      });
    }
    if (!result || typeof result !== 'object' || Array.isArray(result)) {
      throw new ProfileMapperError(
        `The profile mapper ${this.file} must return an object, it returned ${Array.isArray(result) ? 'an array' : typeof result}.`,
      );
    }
    const p = result as Profile;
    if (typeof p.id !== 'string' || !p.id)
      throw new ProfileMapperError(`The profile mapper ${this.file} returned a profile without a string "id".`);
    return {
      ...p,
      dn: entry.dn,
      groups: Array.isArray(p.groups) ? p.groups : groups,
      emails: Array.isArray(p.emails) ? p.emails : [],
      name: p.name ?? {},
    };
  }

  private load(): MapperFn {
    let mtime: number;
    try {
      mtime = statSync(this.file).mtimeMs;
    } catch (e) {
      throw new ProfileMapperError(`Cannot read the profile mapper ${this.file}: ${(e as Error).message}`);
    }
    if (this.fn && mtime === this.loadedMtime) return this.fn;
    const source = readFileSync(this.file, 'utf8');
    const module = { exports: {} as unknown };
    try {
      // compiled with the file's name so stack traces and syntax errors point into it
      const wrapper = vm.runInThisContext(
        `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
        { filename: this.file },
      );
      wrapper(module.exports, require, module, this.file, path.dirname(this.file));
    } catch (e) {
      throw new ProfileMapperError(
        `The profile mapper ${this.where(e)} failed to load: ${(e as Error)?.message ?? String(e)}`,
        { cause: e },
      );
    }
    const fn = (module.exports as { default?: unknown }).default ?? module.exports;
    if (typeof fn !== 'function')
      throw new ProfileMapperError(
        `The profile mapper ${this.file} must export a function (module.exports = function (user, defaults) {...}).`,
      );
    this.fn = fn as MapperFn;
    this.loadedMtime = mtime;
    return this.fn;
  }

  /** `file:line` from the error's stack (runtime errors) or its syntax-error header. */
  private where(e: unknown): string {
    const stack = String((e as Error)?.stack ?? '');
    const line = mapperLine(stack, this.file);
    return line ? `${this.file}:${line}` : this.file;
  }
}
