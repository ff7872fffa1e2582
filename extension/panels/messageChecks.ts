/**
 * Run-time checks of what a webview sends: its script is ours, but its messages cross a boundary and are typed
 * only at compile time. A message that does not fit is refused with a reason (the panel logs it and goes on).
 */
import type { EntryRef, EntryToHost, LoginToHost, QueryToHost, TicketToHost } from '../webview/messages';

type Check<T> = { ok: true; message: T } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown, max = 4096) => typeof v === 'string' && v.length <= max;
const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function fits<T>(m: unknown, shape: Record<string, Record<string, (v: unknown) => boolean>>): Check<T> {
  if (!isObj(m) || typeof m.type !== 'string') return { ok: false, reason: 'not an object with a string "type"' };
  const fields = Object.hasOwn(shape, m.type) ? shape[m.type] : undefined;
  if (!fields) return { ok: false, reason: `unknown message type ${JSON.stringify(m.type.slice(0, 40))}` };
  for (const [k, test] of Object.entries(fields))
    if (!test(m[k])) return { ok: false, reason: `"${m.type}": field "${k}" is missing or of the wrong type` };
  return { ok: true, message: m as T };
}

const optional = (test: (v: unknown) => boolean) => (v: unknown) => v === undefined || test(v);

function queryRequest(v: unknown): boolean {
  return (
    isObj(v) &&
    str(v.connection, 63) &&
    str(v.base) &&
    ['base', 'one', 'sub'].includes(v.scope as string) &&
    str(v.filter, 65536) &&
    Array.isArray(v.attributes) &&
    v.attributes.length <= 1000 &&
    v.attributes.every((a) => str(a, 256)) &&
    int(v.sizeLimit) &&
    int(v.pageSize)
  );
}

export function checkQueryMessage(m: unknown): Check<QueryToHost> {
  return fits<QueryToHost>(m, {
    ready: {},
    checkFilter: { filter: (v) => str(v, 65536) },
    run: { requestId: int, request: queryRequest },
    cancel: { requestId: int },
    entry: { dn: (v) => str(v) },
    export: { format: (v) => v === 'csv' || v === 'ldif' || v === 'json' },
  });
}

export function checkLoginMessage(m: unknown): Check<LoginToHost> {
  return fits<LoginToHost>(m, {
    ready: {},
    login: {
      username: (v) => str(v, 1024),
      password: (v) => str(v, 1024),
      connection: optional((v) => str(v, 63)),
      mode: (v) => v === 'hub' || v === 'direct',
    },
    openMapper: { connection: (v) => str(v, 63), username: (v) => str(v, 1024) },
    fix: { connection: (v) => str(v, 63), username: (v) => str(v, 1024), fix: (v) => str(v, 64) },
    openAuditLog: {},
  });
}

export function checkEntryMessage(m: unknown): Check<EntryToHost> {
  return fits<EntryToHost>(m, { ready: {}, query: {}, goToDn: {}, reread: {} });
}

/** The entry view's saved state, as VS Code hands it back after a reload: which connection and DN, or nothing. */
export function entryRefOf(state: unknown): EntryRef | undefined {
  if (!isObj(state) || !str(state.connection, 63) || !str(state.dn)) return undefined;
  if (!state.connection || !state.dn) return undefined;
  return { connection: state.connection as string, dn: state.dn as string };
}

export function checkTicketMessage(m: unknown): Check<TicketToHost> {
  return fits<TicketToHost>(m, { ready: {}, copy: {}, close: {} });
}
