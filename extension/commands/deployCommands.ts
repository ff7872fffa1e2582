/**
 * Generate Connector Config (a ready deployment folder) and Export Instance Bundle (to add an instance on another
 * server). Neither writes a secret in clear, and the bundle never carries a private key.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../shared/files';
import { newPassphrase, sealWithPassphrase, type InstanceBundle } from '../../protocol/bundle';
import { toConnectorConfig } from '../connections/model';
import { deploymentFiles } from '../deploy/deployment';
import { readSettings } from '../settings';
import { connectionArg, guarded, type CommandContext } from './context';

function warnIfLoopback(ctx: CommandContext): void {
  const host = ctx.hubs.requireHub().host;
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') {
    void vscode.window.showWarningMessage(
      `The hub listens on ${host}: a connector on another machine cannot reach it. Set "directoryBridge.hub.host" to an address that server can reach, then restart the hub and generate again.`,
    );
  }
}

export function registerDeployCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  return [
    r(
      'directoryBridge.generateConnectorConfig',
      guarded(async (arg?: unknown, options?: { folder?: string }) => {
        const name = await connectionArg(ctx, arg);
        const def = name ? ctx.store.get(name) : undefined;
        if (!def) return undefined;
        const hub = ctx.hubs.hub ?? (await ctx.hubs.start());
        let folder = options?.folder;
        if (!folder) {
          const picked = await vscode.window.showOpenDialog({
            title: `Folder for the "${name}" connector deployment`,
            canSelectFolders: true,
            canSelectFiles: false,
            canSelectMany: false,
            openLabel: 'Write deployment here',
          });
          if (!picked?.length) return undefined;
          folder = picked[0].fsPath;
        }
        const ticket = hub.createTicket(def.name, readSettings().ticketLifetimeMs);
        const config = {
          ...toConnectorConfig(def),
          PROVISIONING_TICKET: ticket.pinnedUrl,
          CA_CERT: hub.caPem,
          LOG_LEVEL: 'info',
        };
        const ldapCaPem = def.directory.caFile ? readFileSync(def.directory.caFile, 'utf8') : undefined;
        const files = deploymentFiles(
          { connection: def.name, config, ldapCaPem },
          readFileSync(ctx.runner.connectorScript),
        );
        for (const f of files) writeFileAtomic(path.join(folder, f.path), f.content as string, f.mode);
        warnIfLoopback(ctx);
        if (!options?.folder) {
          const open = await vscode.window.showInformationMessage(
            `Deployment for "${name}" written to ${folder}: copy it to the server and follow its README.`,
            'Open README',
          );
          if (open) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'README.md')));
        }
        return { folder, files: files.map((f) => f.path), ticketId: ticket.id };
      }),
    ),
    r(
      'directoryBridge.exportInstanceBundle',
      guarded(async (arg?: unknown, options?: { file?: string }) => {
        const name = await connectionArg(ctx, arg);
        const def = name ? ctx.store.get(name) : undefined;
        if (!def) return undefined;
        const hub = ctx.hubs.hub ?? (await ctx.hubs.start());
        const password = await ctx.store.bindPassword(def.name);
        let file = options?.file;
        if (!file) {
          const picked = await vscode.window.showSaveDialog({
            title: 'Save the instance bundle',
            defaultUri: vscode.Uri.file(`${def.name}.bundle.json`),
            filters: { 'Instance bundle': ['json'] },
          });
          if (!picked) return undefined;
          file = picked.fsPath;
        }
        const passphrase = newPassphrase();
        const ticket = hub.createTicket(def.name, readSettings().ticketLifetimeMs);
        const bundle: InstanceBundle = {
          kind: 'directory-bridge-instance-bundle',
          version: 1,
          connection: def.name,
          createdAt: new Date().toISOString(),
          config: { ...toConnectorConfig(def), PROVISIONING_TICKET: ticket.pinnedUrl, CA_CERT: hub.caPem },
          ...(password ? { sealedBindPassword: sealWithPassphrase(password, passphrase) } : {}),
        };
        writeFileAtomic(file, JSON.stringify(bundle, null, 2), 0o600);
        warnIfLoopback(ctx);
        if (!options?.file) {
          await vscode.window.showInformationMessage(
            `Bundle written to ${file}. On the new server: node connector.js import-bundle ${path.basename(file)}\n\nIts passphrase, shown only now (send it separately from the file):\n\n${passphrase}`,
            { modal: true },
          );
        }
        return { file, passphrase };
      }),
    ),
    // a folder of the deployed AD/LDAP connector, taken over in place; the report says what was left
    r(
      'directoryBridge.adoptInstallation',
      guarded(async (options?: { folder?: string }) => {
        let folder = options?.folder;
        if (!folder) {
          const picked = await vscode.window.showOpenDialog({
            title: "The deployed connector's folder (config.json and certs/)",
            canSelectFolders: true,
            canSelectFiles: false,
            canSelectMany: false,
            openLabel: 'Adopt this installation',
          });
          if (!picked?.length) return undefined;
          folder = picked[0].fsPath;
        }
        // the bundled connector does the work (`adopt DIR --json`): the extension never imports the connector
        const { report, text } = await ctx.runner.adopt(folder);
        if (!options?.folder) {
          const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
          await vscode.window.showTextDocument(doc);
        }
        return report;
      }),
    ),
  ];
}
