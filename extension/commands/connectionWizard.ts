/**
 * Create and Edit Connection as a guided multi-step input. Every step validates as the admin types, with the
 * same checks the store applies. Steps can be pre-answered (`answers`), which is how tests drive it: a
 * pre-answered step is validated exactly like a typed one.
 */
import * as vscode from 'vscode';
import type { GroupMode } from '../../connector/directory/config';
import { Directory } from '../../connector/directory';
import { splitList, USER_FILTER_PRESETS, validate, type ConnectionDefinition, type DirectoryKind, toDirectoryConfig } from '../connections/model';

export interface WizardAnswers {
  name?: string; kind?: DirectoryKind; urls?: string; baseDn?: string; bindDn?: string; bindPassword?: string;
  userFilter?: string; caFile?: string | null; startTls?: boolean; verifyTls?: boolean; emailDomains?: string;
  kerberosRanges?: string; cacheEnabled?: boolean; groupMode?: GroupMode;
  /** run the "test this directory" step (default: ask; pre-answered runs default to true) */
  test?: boolean;
}

export class WizardCancelled extends Error { constructor() { super('cancelled'); } }

export interface WizardResult { def: ConnectionDefinition; bindPassword?: string; testReport?: string }

const TOTAL = 11;

async function input(step: number, title: string, o: { value?: string; prompt: string; placeholder?: string; password?: boolean; validate?: (v: string) => string | undefined; answer?: string }): Promise<string> {
  if (o.answer !== undefined) {
    const problem = o.validate?.(o.answer);
    if (problem) throw new Error(`${title}: ${problem}`);
    return o.answer;
  }
  const box = vscode.window.createInputBox();
  box.title = title;
  box.step = step;
  box.totalSteps = TOTAL;
  box.value = o.value ?? '';
  box.prompt = o.prompt;
  box.placeholder = o.placeholder;
  box.password = !!o.password;
  box.ignoreFocusOut = true;
  try {
    return await new Promise<string>((resolve, reject) => {
      box.onDidChangeValue((v) => { box.validationMessage = o.validate?.(v); });
      box.onDidAccept(() => {
        const problem = o.validate?.(box.value);
        if (problem) { box.validationMessage = problem; return; }
        resolve(box.value);
      });
      box.onDidHide(() => reject(new WizardCancelled()));
      box.show();
    });
  } finally {
    box.dispose();
  }
}

async function pick<T>(step: number, title: string, items: Array<vscode.QuickPickItem & { value: T }>, answer?: T): Promise<T> {
  if (answer !== undefined) return answer;
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
  qp.title = title;
  qp.step = step;
  qp.totalSteps = TOTAL;
  qp.items = items;
  qp.ignoreFocusOut = true;
  try {
    return await new Promise<T>((resolve, reject) => {
      qp.onDidAccept(() => { const s = qp.selectedItems[0]; if (s) resolve(s.value); });
      qp.onDidHide(() => reject(new WizardCancelled()));
      qp.show();
    });
  } finally {
    qp.dispose();
  }
}

export async function runConnectionWizard(existingNames: string[], current?: ConnectionDefinition, answers: WizardAnswers = {}): Promise<WizardResult> {
  const editing = !!current;
  const title = editing ? `Edit Connection ${current!.name}` : 'Create Connection';
  const name = await input(1, title, {
    value: current?.name, prompt: 'Connection name: lowercase letters, digits and "-"', placeholder: 'corp-ad',
    validate: (v) => validate.name(v, existingNames.filter((n) => n !== current?.name)), answer: answers.name,
  });
  const kind = await pick<DirectoryKind>(2, title, [
    { label: '$(server) Active Directory', description: 'sAMAccountName, nested groups by the in-chain rule', value: 'ad', picked: current?.directory.kind !== 'openldap' },
    { label: '$(database) OpenLDAP', description: 'uid, nested groups through member', value: 'openldap', picked: current?.directory.kind === 'openldap' },
  ], answers.kind);
  const urls = splitList(await input(3, title, {
    value: current?.directory.urls.join(' ') ?? (kind === 'ad' ? 'ldaps://' : 'ldaps://'), prompt: 'LDAP URLs, tried in order (space-separated)',
    placeholder: 'ldaps://dc1.example.com ldaps://dc2.example.com', validate: validate.ldapUrls, answer: answers.urls,
  }));
  const baseDn = await input(4, title, {
    value: current?.directory.baseDn, prompt: 'Base DN under which users are found', placeholder: kind === 'ad' ? 'DC=example,DC=com' : 'dc=example,dc=com',
    validate: (v) => validate.dn(v, 'The base DN'), answer: answers.baseDn,
  });
  const bindDn = await input(5, title, {
    value: current?.directory.bindDn, prompt: 'Service account (DN, or for AD user@domain)', placeholder: kind === 'ad' ? 'svc-bridge@example.com' : 'cn=bridge,ou=services,dc=example,dc=com',
    validate: validate.bindUser, answer: answers.bindDn,
  });
  const bindPassword = await input(6, title, {
    prompt: editing ? 'Service account password (leave empty to keep the stored one)' : 'Service account password (kept in VS Code\'s secret storage)',
    password: true, validate: (v) => (!editing && !v ? 'The password is required.' : undefined), answer: answers.bindPassword,
  });
  const presets = USER_FILTER_PRESETS.filter((p) => p.kind === kind);
  let userFilter = answers.userFilter ?? await pick<string>(7, title, [
    ...presets.map((p) => ({ label: p.label, description: p.filter, detail: p.detail, value: p.filter, picked: current?.directory.userFilter === p.filter })),
    { label: '$(edit) Custom filter…', value: '' },
  ]);
  if (!userFilter) {
    userFilter = await input(7, title, { value: current?.directory.userFilter ?? presets[0].filter, prompt: 'User filter; {0} is the login name', validate: validate.userFilter });
  } else if (validate.userFilter(userFilter)) {
    throw new Error(`User filter: ${validate.userFilter(userFilter)}`);
  }
  const tlsChoice = await pick<'keep' | 'none' | 'file'>(8, title, [
    ...(current?.directory.caFile ? [{ label: `$(file) Keep ${current.directory.caFile}`, value: 'keep' as const }] : []),
    { label: '$(shield) Trust the system\'s CAs', description: 'verification stays on', value: 'none' },
    { label: '$(file-add) Choose the directory\'s CA file…', description: 'PEM', value: 'file' },
  ], answers.caFile === undefined ? undefined : answers.caFile === null ? 'none' : 'file');
  let caFile: string | undefined = tlsChoice === 'keep' ? current?.directory.caFile : undefined;
  if (tlsChoice === 'file') {
    if (answers.caFile) caFile = answers.caFile;
    else {
      const picked = await vscode.window.showOpenDialog({ title: 'CA certificate of the directory', canSelectMany: false, filters: { 'PEM certificates': ['pem', 'crt', 'cer'] } });
      if (!picked?.length) throw new WizardCancelled();
      caFile = picked[0].fsPath;
    }
  }
  const startTls = answers.startTls ?? (urls.some((u) => u.startsWith('ldap://')) ? await pick<boolean>(8, title, [
    { label: 'Use StartTLS on ldap:// URLs', description: 'recommended: passwords never cross the network in clear', value: true },
    { label: 'No StartTLS', description: 'only for a directory on this machine or a trusted link', value: false },
  ]) : false);
  const emailDomains = splitList(await input(9, title, {
    value: current?.emailDomains.join(' '), prompt: 'Email domains of this directory\'s users (optional, space-separated)', placeholder: 'example.com',
    validate: validate.emailDomains, answer: answers.emailDomains,
  }));
  const kerberosRanges = splitList(await input(10, title, {
    value: current?.kerberosRanges.join(' '), prompt: 'Kerberos IP ranges, CIDR (optional)', placeholder: '10.0.0.0/8',
    validate: validate.cidrs, answer: answers.kerberosRanges,
  }));
  const cacheEnabled = await pick<boolean>(11, title, [
    { label: 'Credential cache on', description: 'logins still work for a while if every connector is offline', value: true, picked: current?.cacheEnabled !== false },
    { label: 'Credential cache off', value: false, picked: current?.cacheEnabled === false },
  ], answers.cacheEnabled);
  const def: ConnectionDefinition = {
    name, emailDomains, kerberosRanges, cacheEnabled,
    directory: {
      kind, urls, baseDn, bindDn, userFilter, groupMode: answers.groupMode ?? current?.directory.groupMode ?? (kind === 'ad' ? 'in-chain' : 'recursive'),
      caFile, startTls, verifyTls: answers.verifyTls ?? current?.directory.verifyTls ?? true, profileMapperFile: current?.directory.profileMapperFile,
    },
  };
  const password = bindPassword || undefined;
  const doTest = answers.test ?? (Object.keys(answers).length ? true : await pick<boolean>(11, title, [
    { label: '$(pulse) Test this directory, then save', value: true },
    { label: '$(save) Save without testing', value: false },
  ]));
  let testReport: string | undefined;
  if (doTest) {
    const pw = password ?? answers.bindPassword;
    if (!pw && editing) testReport = 'not tested: the stored password is used only after saving';
    else {
      testReport = await testDirectory(def, pw!);
      if (!testReport.startsWith('OK')) {
        const choice = Object.keys(answers).length ? 'Save anyway' : await vscode.window.showWarningMessage(`The directory test failed: ${testReport}`, { modal: true }, 'Save anyway');
        if (choice !== 'Save anyway') throw new Error(`The directory test failed: ${testReport}`);
      }
    }
  }
  return { def, bindPassword: password, testReport };
}

/** Binds the service account and counts a page of users: "OK: ..." or the reason it failed. */
export async function testDirectory(def: ConnectionDefinition, password: string): Promise<string> {
  const d = new Directory(toDirectoryConfig(def, password));
  try {
    const h = await d.health();
    if (!h.ok) return h.error ?? 'no answer';
    let users = 0;
    for await (const page of d.searchUsers('', 5)) users += page.length;
    return `OK: ${h.url} (${h.kind}) answered in ${h.latencyMs?.toFixed(0)} ms; the service account sees ${users}${users === 5 ? '+' : ''} user${users === 1 ? '' : 's'}`;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await d.close();
  }
}
