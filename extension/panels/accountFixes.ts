/**
 * Closes the loop from a refused test login: the fix an admin makes in the directory (unlock, enable, set a new
 * password), asked for with a confirmation that names the account, the change and the way it is written, and
 * recorded in the audit log. A new password goes through a connector's write-back when an online instance reports
 * it on (fixPath.ts), else with the connection's service account; unlock and enable have no protocol request and
 * always use the service account. The new password goes to the directory (through the hub and a connector, or
 * directly) and nowhere else.
 */
import * as vscode from 'vscode';
import { fixesFor, type AccountFix } from '../../connector/directory';
import type { AuditLog } from '../audit/auditLog';
import type { ConnectionStore } from '../connections/store';
import type { DirectoryRegistry } from '../directories';
import { NoInstanceError } from '../hub/errors';
import type { HubService } from '../hubService';
import { fixPath, shownHost, writtenBy, type FixPath } from './fixPath';

export interface FixOutcome {
  done: boolean;
  message: string;
}

const ACTION: Record<AccountFix, string> = { unlock: 'Unlock', enable: 'Enable', setPassword: 'Set Password' };
const MUST_CHANGE = 'Set, Must Change at Next Logon';
/** What a reset through change_password does to "must change at next logon", measured on slapd and Samba AD. */
const WRITE_BACK_CLEARS = 'no change asked at next logon';

export { fixesFor };

export class AccountFixer {
  constructor(
    private readonly store: ConnectionStore,
    private readonly registry: DirectoryRegistry,
    private readonly audit: AuditLog,
    private readonly hubs: HubService,
  ) {}

  async run(connection: string, username: string, fix: AccountFix): Promise<FixOutcome> {
    const def = this.store.get(connection);
    if (!def) return { done: false, message: `No connection named "${connection}".` };
    const dir = await this.registry.get(connection);
    const dn = (await dir.findUser(username)).dn;
    const hub = this.hubs.hub;
    const path = fixPath(fix, !!hub, hub?.instances(connection) ?? []);
    const service: FixPath = path.via === 'service account' ? path : { via: 'service account', reason: '' };
    let newPassword: string | undefined;
    let change: string = fix === 'unlock' ? 'unlock the account' : 'enable the account';
    // each choice says first how it is written (a quick pick cuts a long detail), then the account and the log
    const sa = `With the service account ${def.directory.bindDn}`;
    const why = (p: FixPath) => (p.via === 'service account' && p.reason ? ` (${p.reason})` : '');
    let choices: Array<{ label: string; path: FixPath; mustChange: boolean; detail: string }>;
    if (fix === 'setPassword') {
      newPassword = await vscode.window.showInputBox({
        title: `New password for ${dn}`,
        prompt: 'Typed here, sent to the directory only; never stored or logged.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v ? undefined : 'Type the new password.'),
      });
      if (!newPassword) return { done: false, message: 'Cancelled: nothing was changed.' };
      change = 'set a new password';
      const mustChangeOk = await dir.mustChangeSupported(username);
      const notOffered =
        !mustChangeOk && def.directory.kind === 'openldap'
          ? ' · "must change" not offered: the user\'s password policy has no pwdMustChange'
          : '';
      choices =
        path.via === 'write-back'
          ? [
              {
                label: ACTION.setPassword,
                path,
                mustChange: false,
                detail: `Through the connector write-back on ${path.host}: ${WRITE_BACK_CLEARS}${notOffered}`,
              },
              ...(mustChangeOk
                ? [
                    {
                      label: MUST_CHANGE,
                      path: service,
                      mustChange: true,
                      detail: `${sa}: write-back cannot ask for it`,
                    },
                  ]
                : []),
            ]
          : [
              ...(mustChangeOk ? [{ label: MUST_CHANGE, path, mustChange: true }] : []),
              { label: ACTION.setPassword, path, mustChange: false },
            ].map((c) => ({ ...c, detail: `${sa}${why(path)}${notOffered}` }));
    } else {
      choices = [{ label: ACTION[fix], path, mustChange: false, detail: `${sa}${why(path)}` }];
    }
    const answer = await confirmChange(
      `${capital(change)} ${fix === 'setPassword' ? 'for' : 'of'} ${username}? ${dn}`,
      connection,
      choices.map(({ label, detail }) => ({ label, detail })),
    );
    const chosen = choices.find((c) => c.label === answer);
    if (!chosen) return { done: false, message: 'Cancelled: nothing was changed.' };
    if (chosen.mustChange) change += ' (must change at next logon)';
    return this.apply(
      { connection, username, dn, fix, change, path: chosen.path, newPassword, mustChange: chosen.mustChange },
      def.directory.bindDn,
    );
  }

  private async apply(
    a: {
      connection: string;
      username: string;
      dn: string;
      fix: AccountFix;
      change: string;
      path: FixPath;
      newPassword?: string;
      mustChange: boolean;
    },
    bindDn: string,
  ): Promise<FixOutcome> {
    const { connection, dn, change } = a;
    let by = writtenBy(a.path, bindDn);
    const base = { connection, account: dn, change, via: a.path.via };
    try {
      if (a.path.via === 'write-back') {
        const r = await this.hubs
          .requireHub()
          .changePassword(connection, a.username, a.newPassword!, { writeBackOnly: true });
        by = writtenBy({ via: 'write-back', host: r.instance?.host ?? a.path.host }, bindDn);
        if (!r.ok) {
          const error = `${r.error?.name}${r.error?.code ? ` (${r.error.code})` : ''}: ${r.error?.message}`;
          await this.audit.record({ ...base, by, outcome: 'failed', error });
          if (r.error?.code === 'WriteBackDisabled')
            return this.fallBack(
              a,
              bindDn,
              // it was offered because it reports write-back on: it refused anyway
              `connector ${shownHost(r.instance?.host)} refused it, though it reports write-back on`,
            );
          return { done: false, message: `Could not ${change} through the ${by}: ${error}` };
        }
      } else {
        const dir = await this.registry.get(connection);
        await dir.fixAccount(a.username, { fix: a.fix, newPassword: a.newPassword, mustChange: a.mustChange });
      }
    } catch (e) {
      const error = (e as Error).message;
      await this.audit.record({ ...base, by, outcome: 'failed', error });
      // nothing reached a connector: the service account may still do it, after its own confirmation
      if (a.path.via === 'write-back' && e instanceof NoInstanceError) return this.fallBack(a, bindDn, error);
      return { done: false, message: `Could not ${change}: ${error}` };
    }
    await this.audit.record({ ...base, by, outcome: 'done' });
    const how = a.path.via === 'write-back' ? `through the ${by}` : `written by the ${by}`;
    return {
      done: true,
      message: `Done: ${change} ${a.fix === 'setPassword' ? 'for' : 'of'} ${dn}, ${how}. Recorded in the audit log. ${a.fix === 'setPassword' ? 'Type the new password and test again.' : 'Test again.'}`,
    };
  }

  /** Write-back refused before anything changed: offer the service account, with a confirmation of its own. */
  private async fallBack(a: Parameters<AccountFixer['apply']>[0], bindDn: string, why: string): Promise<FixOutcome> {
    const path: FixPath = { via: 'service account', reason: `write-back failed: ${why}` };
    const label = 'Set Password with the Service Account';
    // the why in the title, first words first: a quick pick cuts a long detail
    const answer = await confirmChange(`Nothing was changed for ${a.username}: ${why}`, a.connection, [
      { label, detail: `With the service account ${bindDn} instead` },
    ]);
    if (answer !== label) return { done: false, message: `Not changed: ${why}. Nothing was written.` };
    return this.apply({ ...a, path }, bindDn);
  }
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * The confirmation: a quick pick that names the account, the change and how it is written (each choice its own way),
 * with Cancel, that stays until answered.
 * (A modal dialog would do too, but the workbench refuses dialogs under its test driver, where this is proven.)
 */
async function confirmChange(
  title: string,
  connection: string,
  actions: Array<{ label: string; detail: string }>,
): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = title;
  qp.placeholder = `Made on "${connection}" and recorded in the audit log: choose, or Cancel`;
  qp.items = [...actions, { label: 'Cancel', detail: 'Nothing is changed' }];
  qp.ignoreFocusOut = true;
  try {
    return await new Promise<string | undefined>((resolve) => {
      qp.onDidAccept(() => {
        const s = qp.selectedItems[0]?.label;
        resolve(s && s !== 'Cancel' ? s : undefined);
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
  } finally {
    qp.dispose();
  }
}
