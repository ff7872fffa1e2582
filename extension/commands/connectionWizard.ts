/**
 * Create and Edit Connection as a guided multi-step input. Every step validates as the admin types, with the
 * same checks the store applies. Given `answers` (only through the named test API of extension.ts, never from a
 * command's arguments), the wizard runs scripted: a pre-answered step is validated exactly like a typed one.
 */
import * as vscode from 'vscode';
import type { GroupMode } from '../../connector/directory';
import { isPlainLdapUrl, plainLdapWarning } from '../../shared/tlsWarning';
import {
  splitList,
  tlsInUse,
  USER_FILTER_PRESETS,
  validate,
  type ConnectionDefinition,
  type DirectoryKind,
} from '../connections/model';
import { testDirectory } from '../connections/directoryTest';
import { GoBack, input, pick, type StepOptions } from './wizardInputs';

export interface WizardAnswers {
  name?: string;
  kind?: DirectoryKind;
  urls?: string;
  baseDn?: string;
  bindDn?: string;
  bindPassword?: string;
  userFilter?: string;
  caFile?: string | null;
  startTls?: boolean;
  verifyTls?: boolean;
  emailDomains?: string;
  kerberosRanges?: string;
  cacheEnabled?: boolean;
  groupMode?: GroupMode;
  /** run the "test this directory" step (default: ask; pre-answered runs default to true) */
  test?: boolean;
}

export interface WizardResult {
  def: ConnectionDefinition;
  bindPassword?: string;
  testReport?: string;
  warning?: string;
}

/** What the steps have gathered so far: kept when the admin goes back, so every step re-opens as it was left. */
interface Draft {
  name?: string;
  kind?: DirectoryKind;
  urls?: string[];
  baseDn?: string;
  bindDn?: string;
  bindPassword?: string;
  userFilter?: string;
  caFile?: string;
  startTls?: boolean;
  emailDomains?: string[];
  kerberosRanges?: string[];
  cacheEnabled?: boolean;
}

export async function runConnectionWizard(
  existingNames: string[],
  current?: ConnectionDefinition,
  scripted?: WizardAnswers,
): Promise<WizardResult> {
  const answers: WizardAnswers = scripted ?? {};
  const editing = !!current;
  const title = editing ? `Edit Connection ${current!.name}` : 'Create Connection';
  const d: Draft = {};
  let doTest = false;
  const tally = { shown: 0 };
  const at = (step: number): StepOptions => ({ step, title, tally });
  const steps: Array<() => Promise<void>> = [
    async () => {
      d.name = await input(at(1), {
        value: d.name ?? current?.name,
        prompt: 'Connection name: lowercase letters, digits and "-"',
        placeholder: 'corp-ad',
        validate: (v) =>
          validate.name(
            v,
            existingNames.filter((n) => n !== current?.name),
          ),
        answer: answers.name,
      });
    },
    async () => {
      const k = d.kind ?? current?.directory.kind;
      d.kind = await pick<DirectoryKind>(
        at(2),
        [
          {
            label: '$(server) Active Directory',
            description: 'sAMAccountName, nested groups by the in-chain rule',
            value: 'ad',
            picked: k !== 'openldap',
          },
          {
            label: '$(database) OpenLDAP',
            description: 'uid, nested groups through member',
            value: 'openldap',
            picked: k === 'openldap',
          },
        ],
        answers.kind,
        'Which kind of directory is it?',
      );
    },
    async () => {
      d.urls = splitList(
        await input(at(3), {
          value: d.urls?.join(' ') ?? current?.directory.urls.join(' ') ?? 'ldaps://',
          prompt: 'LDAP URLs, tried in order (space-separated)',
          placeholder: 'ldaps://dc1.example.com ldaps://dc2.example.com',
          validate: validate.ldapUrls,
          answer: answers.urls,
        }),
      );
    },
    async () => {
      d.baseDn = await input(at(4), {
        value: d.baseDn ?? current?.directory.baseDn,
        prompt: 'Base DN under which users are found',
        placeholder: d.kind === 'ad' ? 'DC=example,DC=com' : 'dc=example,dc=com',
        validate: (v) => validate.dn(v, 'The base DN'),
        answer: answers.baseDn,
      });
    },
    async () => {
      d.bindDn = await input(at(5), {
        value: d.bindDn ?? current?.directory.bindDn,
        prompt: 'Service account (DN, or for AD user@domain)',
        placeholder: d.kind === 'ad' ? 'svc-bridge@example.com' : 'cn=bridge,ou=services,dc=example,dc=com',
        validate: validate.bindUser,
        answer: answers.bindDn,
      });
    },
    async () => {
      d.bindPassword = await input(at(6), {
        value: d.bindPassword,
        prompt: editing
          ? 'Service account password (leave empty to keep the stored one)'
          : "Service account password (kept in VS Code's secret storage)",
        password: true,
        validate: (v) => (!editing && !v ? 'The password is required.' : undefined),
        answer: answers.bindPassword,
      });
    },
    async () => {
      const presets = USER_FILTER_PRESETS.filter((p) => p.kind === d.kind);
      const chosen = d.userFilter ?? current?.directory.userFilter;
      let filter =
        answers.userFilter ??
        (await pick<string>(
          at(7),
          [
            ...presets.map((p) => ({
              label: p.label,
              description: p.filter,
              detail: p.detail,
              value: p.filter,
              picked: chosen === p.filter,
            })),
            {
              label: '$(edit) Custom filter…',
              value: '',
              picked: !!chosen && !presets.some((p) => p.filter === chosen),
            },
          ],
          undefined,
          'How users are found by what they type to log in: each line says which forms it matches',
        ));
      if (!filter)
        filter = await input(at(7), {
          value: chosen ?? presets[0].filter,
          prompt: 'User filter; {0} is what the user types, exactly (alice, alice@example.com...)',
          validate: validate.userFilter,
        });
      else if (validate.userFilter(filter)) throw new Error(`User filter: ${validate.userFilter(filter)}`);
      d.userFilter = filter;
    },
    // step 8, encryption: first whether an ldap:// URL is upgraded with StartTLS...
    async () => {
      d.startTls =
        answers.startTls ??
        (d.urls!.some(isPlainLdapUrl)
          ? await pick<boolean>(
              at(8),
              [
                {
                  label: 'Use StartTLS on ldap:// URLs',
                  description: 'recommended: passwords never cross the network in clear',
                  detail: 'Then, still in step 8: which CA to trust',
                  value: true,
                  picked: d.startTls ?? current?.directory.startTls ?? true,
                },
                {
                  label: 'No StartTLS',
                  description: 'only for a directory on this machine or a trusted link',
                  detail: 'Passwords in clear and no certificate to check: on to step 9',
                  value: false,
                  picked: (d.startTls ?? current?.directory.startTls) === false,
                },
              ],
              undefined,
              'An ldap:// URL is not encrypted: upgrade it with StartTLS?',
            )
          : false);
    },
    // ...then, only where TLS is used, how its certificate is checked (nothing to check on plain ldap://)
    async () => {
      const tls = tlsInUse(d.urls!, d.startTls!);
      if (!tls) {
        d.caFile = undefined;
        return;
      }
      const keep = d.caFile ?? current?.directory.caFile;
      for (;;) {
        const choice = await pick<'keep' | 'none' | 'file'>(
          at(8),
          [
            ...(keep ? [{ label: `$(file) Keep ${keep}`, value: 'keep' as const, picked: true }] : []),
            { label: "$(shield) Trust the system's CAs", description: 'verification stays on', value: 'none' },
            { label: "$(file-add) Choose the directory's CA file…", description: 'PEM', value: 'file' },
          ],
          answers.caFile === undefined ? undefined : answers.caFile === null ? 'none' : 'file',
          `How the directory's TLS certificate is checked (${tls})`,
        );
        d.caFile = choice === 'keep' ? keep : undefined;
        if (choice !== 'file') return;
        if (answers.caFile) {
          d.caFile = answers.caFile;
          return;
        }
        const picked = await vscode.window.showOpenDialog({
          title: 'CA certificate of the directory',
          canSelectMany: false,
          filters: { 'PEM certificates': ['pem', 'crt', 'cer'] },
        });
        // a cancelled file dialog re-opens this question, not the one before it
        if (picked?.length) {
          d.caFile = picked[0].fsPath;
          return;
        }
      }
    },
    async () => {
      d.emailDomains = splitList(
        await input(at(9), {
          value: (d.emailDomains ?? current?.emailDomains)?.join(' '),
          prompt: "Email domains of this directory's users (optional, space-separated)",
          placeholder: 'example.com',
          validate: validate.emailDomains,
          answer: answers.emailDomains,
        }),
      );
    },
    async () => {
      d.kerberosRanges = splitList(
        await input(at(10), {
          value: (d.kerberosRanges ?? current?.kerberosRanges)?.join(' '),
          prompt: 'Kerberos IP ranges, CIDR (optional)',
          placeholder: '10.0.0.0/8',
          validate: validate.cidrs,
          answer: answers.kerberosRanges,
        }),
      );
    },
    async () => {
      const on = d.cacheEnabled ?? current?.cacheEnabled ?? true;
      d.cacheEnabled = await pick<boolean>(
        at(11),
        [
          {
            label: 'Credential cache on',
            description: 'logins still work for a while if every connector is offline',
            value: true,
            picked: on,
          },
          { label: 'Credential cache off', value: false, picked: !on },
        ],
        answers.cacheEnabled,
        "While no connector is online, answer recent users' logins from a salted hash (in memory, never the password)?",
      );
    },
    // in the loop, so that its Back button re-opens the cache question
    async () => {
      doTest =
        answers.test ??
        (scripted
          ? true
          : await pick<boolean>(
              at(12),
              [
                { label: '$(pulse) Test this directory, then save', value: true },
                { label: '$(save) Save without testing', value: false },
              ],
              undefined,
              'Last step: bind the service account and read a few users before saving?',
            ));
    },
  ];
  // the steps that showed a question, in order: Back re-opens the last of them, passing over a skipped one
  const asked: number[] = [];
  for (let i = 0; i < steps.length;) {
    const before = tally.shown;
    try {
      await steps[i]();
      if (tally.shown !== before) asked.push(i);
      i++;
    } catch (e) {
      if (!(e instanceof GoBack)) throw e;
      i = asked.pop() ?? 0;
    }
  }
  const def: ConnectionDefinition = {
    name: d.name!,
    emailDomains: d.emailDomains!,
    kerberosRanges: d.kerberosRanges!,
    cacheEnabled: d.cacheEnabled!,
    ...(current?.writeBack ? { writeBack: true } : {}),
    directory: {
      kind: d.kind!,
      urls: d.urls!,
      baseDn: d.baseDn!,
      bindDn: d.bindDn!,
      userFilter: d.userFilter!,
      groupMode: answers.groupMode ?? current?.directory.groupMode ?? (d.kind === 'ad' ? 'in-chain' : 'recursive'),
      caFile: d.caFile,
      startTls: d.startTls!,
      verifyTls: answers.verifyTls ?? current?.directory.verifyTls ?? true,
      profileMapperFile: current?.directory.profileMapperFile,
    },
  };
  const password = d.bindPassword || undefined;
  const warning = plainLdapWarning(def.directory.urls, def.directory.startTls);
  if (warning) void vscode.window.showWarningMessage(`Connection "${def.name}": ${warning}.`);
  let testReport: string | undefined;
  if (doTest) {
    if (!password && editing) testReport = 'not tested: the stored password is used only after saving';
    else {
      const test = await testDirectory(def, password!);
      testReport = test.text;
      if (!test.ok) {
        const choice = scripted
          ? 'Save anyway'
          : await vscode.window.showWarningMessage(
              `The directory test failed: ${testReport}`,
              { modal: true },
              'Save anyway',
            );
        if (choice !== 'Save anyway') throw new Error(`The directory test failed: ${testReport}`);
      }
    }
  }
  return { def, bindPassword: password, testReport, warning };
}
