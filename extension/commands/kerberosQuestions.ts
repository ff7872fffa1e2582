/**
 * Generate Connector Config's Kerberos questions, asked when the connection has Kerberos IP ranges: whether this
 * connector does Kerberos, its service principal, the account holding it and the endpoint's port. Tests pass the
 * answers in (`false` for off).
 */
import * as vscode from 'vscode';
import { DEFAULT_KERBEROS_PORT } from '../../protocol/kerberosStatus';
import { validatePrincipal, type KerberosDeployment } from '../deploy/kerberosDeployment';

export type KerberosAnswers = false | Partial<KerberosDeployment>;

export async function askKerberos(
  connection: string,
  ranges: string[],
  answers?: KerberosAnswers,
): Promise<KerberosDeployment | undefined> {
  if (answers === false || (ranges.length === 0 && answers === undefined)) return undefined;
  const a = answers ?? {};
  if (answers === undefined) {
    const on = await vscode.window.showQuickPick(
      [
        {
          label: 'Kerberos single sign-on: on',
          description: `browsers in ${ranges.join(', ')} sign in with their Windows/Kerberos ticket`,
          value: true,
        },
        { label: 'Kerberos single sign-on: off', description: 'passwords only', value: false },
      ],
      { title: `Connector for "${connection}": Kerberos`, ignoreFocusOut: true },
    );
    if (!on) throw new vscode.CancellationError();
    if (!on.value) return undefined;
  }
  const principal =
    a.principal ??
    (await vscode.window.showInputBox({
      title: 'Service principal of this connector',
      prompt: 'HTTP/<the name browsers use for this server>@<REALM>',
      placeHolder: 'HTTP/connector.example.com@EXAMPLE.COM',
      ignoreFocusOut: true,
      validateInput: (v) => validatePrincipal(v),
    }));
  if (principal === undefined) throw new vscode.CancellationError();
  const problem = validatePrincipal(principal);
  if (problem) throw new Error(problem);
  const account =
    a.account ??
    (await vscode.window.showInputBox({
      title: 'Directory account that holds the principal',
      prompt: 'sAMAccountName of a dedicated service account',
      value: 'svc-connector',
      ignoreFocusOut: true,
      validateInput: (v) =>
        /^[^\s"/\\[\]:;|=,+*?<>@]{1,20}$/.test(v)
          ? undefined
          : 'A sAMAccountName: up to 20 characters, no spaces or "/\\[]:;|=,+*?<>@',
    }));
  if (account === undefined) throw new vscode.CancellationError();
  const port =
    a.port ??
    Number(
      (await vscode.window.showInputBox({
        title: 'Port of the Kerberos endpoint',
        value: String(DEFAULT_KERBEROS_PORT),
        ignoreFocusOut: true,
        validateInput: (v) => (/^\d+$/.test(v) && +v > 0 && +v < 65536 ? undefined : 'A port number (1-65535)'),
      })) ?? NaN,
    );
  if (!(port > 0 && port < 65536)) throw new vscode.CancellationError();
  return { principal: principal.trim(), account, port };
}
