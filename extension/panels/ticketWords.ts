/** A ticket's lifetime and uses in words, as the editor announces them. Pure, so it is unit tested. */

/** "until 12/6/2026, 1:02 AM (7 days)": the end and the length, in words. */
export function lifetimeWords(expiresAt: string, now = Date.now()): string {
  const ms = Date.parse(expiresAt) - now;
  const h = Math.round(ms / 3600_000);
  const span =
    h >= 48 ? `${Math.round(h / 24)} days` : h >= 2 ? `${h} hours` : `${Math.max(1, Math.round(ms / 60_000))} minutes`;
  return `until ${new Date(expiresAt).toLocaleString()} (${span})`;
}

export function usesWords(uses: number): string {
  return `${uses} new connector${uses === 1 ? '' : 's'}`;
}
