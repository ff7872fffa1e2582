/**
 * The troubleshooter's steps as the editor shows them: a title that says "N warnings" when some warned (never "all
 * checks passed" then), and a full report that stays open as a document, in the editor's words (the connector's
 * hints name config.json keys, which the editor never shows). Pure: no `vscode` import.
 */
/** One step as the runner reports it (connector/troubleshoot.ts StepResult, timing optional). */
export interface ReportStep {
  step: string;
  status: string;
  detail: string;
  hint?: string;
  ms?: number;
}

const EDITOR_WORDS: Array<[RegExp, string]> = [
  [/use ldaps:\/\/ or LDAP_STARTTLS/g, 'use an ldaps:// URL, or turn StartTLS on with Edit Connection,'],
  [/LDAP_STARTTLS/g, 'StartTLS (Edit Connection)'],
  [/LDAP_BIND_USER and LDAP_BIND_CREDENTIALS/g, 'the service account and its password (Edit Connection)'],
  [/LDAP_BIND_USER/g, 'the service account'],
  [/LDAP_BIND_CREDENTIALS/g, 'the service account password'],
  [/LDAP_SEARCH_ALL_QUERY/g, 'the search-all filter'],
  [/LDAP_BASE/g, 'the base DN'],
  [/LDAP_URL/g, 'the LDAP URLs'],
  [/LDAP_CA_FILE|CA_CERT/g, 'the CA file'],
];

export function inEditorWords(s: string): string {
  return EDITOR_WORDS.reduce((acc, [re, words]) => acc.replace(re, words), s);
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function troubleshootTitle(name: string, steps: ReportStep[]): string {
  const fails = steps.filter((s) => s.status === 'fail').length;
  const warns = steps.filter((s) => s.status === 'warn').length;
  if (fails)
    return `Troubleshoot ${name}: ${plural(fails, 'problem')} found${warns ? `, ${plural(warns, 'warning')}` : ''}`;
  if (warns) return `Troubleshoot ${name}: ${plural(warns, 'warning')}, no failure`;
  return `Troubleshoot ${name}: all checks passed`;
}

export function troubleshootMarkdown(name: string, steps: ReportStep[], when = new Date()): string {
  const mark: Record<string, string> = { pass: '✔ pass', warn: '⚠ WARNING', fail: '✘ FAILED', skip: '– skipped' };
  const lines = [`# ${troubleshootTitle(name, steps)}`, '', `${when.toISOString()}`, ''];
  for (const s of steps) {
    lines.push(
      `## ${mark[s.status] ?? s.status}: ${s.step}${s.ms !== undefined ? ` (${s.ms} ms)` : ''}`,
      '',
      inEditorWords(s.detail),
    );
    if (s.hint && s.status !== 'pass') lines.push('', `**What to do:** ${inEditorWords(s.hint)}`);
    lines.push('');
  }
  return lines.join('\n');
}
