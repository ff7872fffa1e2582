/** The attribute names a page of entries holds, added to those already seen (dn is always the first column). */
export function columnsOf(page: Array<Record<string, unknown>>, seen: string[]): string[] {
  const out = [...seen];
  for (const e of page) for (const k of Object.keys(e)) if (k !== 'dn' && !out.includes(k)) out.push(k);
  return out;
}
