/**
 * Closes the loop from a refused test login: the fix an admin makes in the directory (unlock, enable, set a new
 * password), asked for with a confirmation that names the account and the change, written with the connection's
 * service account, and recorded in the audit log. The new password goes to the directory and nowhere else.
 */
import * as vscode from 'vscode';
import { fixesFor, type AccountFix } from '../../connector/directory';
import type { AuditLog } from '../audit/auditLog';
import type { ConnectionStore } from '../connections/store';
import type { DirectoryRegistry } from '../directories';

export interface FixOutcome {
  done: boolean;
  message: string;
}

const ACTION: Record<AccountFix, string> = { unlock: 'Unlock', enable: 'Enable', setPassword: 'Set Password' };

export { fixesFor };

export class AccountFixer {
  constructor(
    private readonly store: ConnectionStore,
    private readonly registry: DirectoryRegistry,
    private readonly audit: AuditLog,
  ) {}

  async run(connection: string, username: string, fix: AccountFix): Promise<FixOutcome> {
    const def = this.store.get(connection);
    if (!def) return { done: false, message: `No connection named "${connection}".` };
    const dir = await this.registry.get(connection);
    const dn = (await dir.findUser(username)).dn;
    const by = `service account ${def.directory.bindDn}`;
    let newPassword: string | undefined;
    let mustChange = false;
    let change: string = fix === 'unlock' ? 'unlock the account' : 'enable the account';
    let confirm: string[] = [ACTION[fix]];
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
      confirm = (await dir.mustChangeSupported(username))
        ? ['Set, Must Change at Next Logon', 'Set Password']
        : ['Set Password'];
    }
    const answer = await confirmChange(
      `${capital(change)} ${fix === 'setPassword' ? 'for' : 'of'} ${username}?`,
      confirm,
      `${dn} on "${connection}", written by the ${by}; recorded in the audit log` +
        (fix === 'setPassword' && confirm.length === 1 && def.directory.kind === 'openldap'
          ? '. "Must change at next logon" is not offered: the account\'s password policy does not enforce it (pwdMustChange)'
          : ''),
    );
    if (!answer) return { done: false, message: 'Cancelled: nothing was changed.' };
    mustChange = answer.includes('Must Change');
    if (mustChange) change += ' (must change at next logon)';
    try {
      await dir.fixAccount(username, { fix, newPassword, mustChange });
    } catch (e) {
      const error = (e as Error).message;
      await this.audit.record({ connection, account: dn, change, by, outcome: 'failed', error });
      return { done: false, message: `Could not ${change}: ${error}` };
    }
    await this.audit.record({ connection, account: dn, change, by, outcome: 'done' });
    return {
      done: true,
      message: `Done: ${change} ${fix === 'setPassword' ? 'for' : 'of'} ${dn}. Recorded in the audit log. Type the password and test again.`,
    };
  }
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * The confirmation: a quick pick that names the account and the change, with Cancel, that stays until answered.
 * (A modal dialog would do too, but the workbench refuses dialogs under its test driver, where this is proven.)
 */
async function confirmChange(title: string, actions: string[], detail: string): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = title;
  qp.placeholder = 'Confirm the change to the directory, or Cancel';
  qp.items = [...actions.map((label) => ({ label, detail })), { label: 'Cancel', detail: 'Nothing is changed' }];
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
