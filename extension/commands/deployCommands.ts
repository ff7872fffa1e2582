/**
 * Generate Connector Config (a ready deployment folder) and Export Instance Bundle (to add an instance on another
 * server). Neither writes a secret in clear, and the bundle never carries a private key.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../shared/files';
import { createBundle, newPassphrase } from '../../protocol/bundle';
import type { RawConfig } from '../../protocol/connectorConfig';
import { toConnectorConfig } from '../connections/model';
import { DEPLOYMENT_KINDS, filesForKind, formatSize, type DeploymentKind } from '../deploy/packagedDeployment';
import { writeDeployment } from '../deploy/writeDeployment';
import { PACKAGE_VERSION } from '../../packaging/targets';
import { readSettings } from '../settings';
import { connectionArg, guarded, type CommandContext } from './context';
import { askKerberos, type KerberosAnswers } from './kerberosQuestions';

function warnIfLoopback(ctx: CommandContext): void {
  const host = ctx.hubs.requireHub().host;
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') {
    void vscode.window.showWarningMessage(
      `The hub listens on ${host}: a connector on another machine cannot reach it. Set "directoryBridge.hub.host" to an address that server can reach, then restart the hub and generate again.`,
    );
  }
}

/** Where the built connector packages are: the setting, else dist-packages/ beside the extension's dist/. */
function packagesDir(ctx: CommandContext): string {
  const configured = vscode.workspace.getConfiguration('directoryBridge').get<string>('connectorPackages');
  return configured || path.join(path.dirname(path.dirname(ctx.runner.connectorScript)), 'dist-packages');
}

async function pickKind(): Promise<DeploymentKind | undefined> {
  const picked = await vscode.window.showQuickPick(
    DEPLOYMENT_KINDS.map((k) => ({ label: k.label, detail: k.detail, deployment: k.kind })),
    {
      title: 'Generate Connector Config: which kind of server?',
      placeHolder: 'The connector runs on the directory side, as a service',
    },
  );
  return picked?.deployment;
}

export function registerDeployCommands(ctx: CommandContext): vscode.Disposable[] {
  const r = vscode.commands.registerCommand;
  return [
    r(
      'directoryBridge.generateConnectorConfig',
      guarded(
        async (arg?: unknown, options?: { folder?: string; kind?: DeploymentKind; kerberos?: KerberosAnswers }) => {
          const name = await connectionArg(ctx, arg);
          const def = name ? ctx.store.get(name) : undefined;
          if (!def) return undefined;
          // a caller that names the folder (tests, scripts) gets the Node folder unless it names a kind
          const kind = options?.kind ?? (options?.folder ? 'node' : await pickKind());
          if (!kind) return undefined;
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
          const kerberos = await askKerberos(def.name, def.kerberosRanges, options?.kerberos);
          const label = DEPLOYMENT_KINDS.find((k) => k.kind === kind)!.label;
          const ldapCaPem = def.directory.caFile ? readFileSync(def.directory.caFile, 'utf8') : undefined;
          const configWithout: RawConfig = { ...toConnectorConfig(def), CA_CERT: hub.caPem, LOG_LEVEL: 'info' };
          // checks the packages exist before a ticket is made for nothing
          filesForKind(
            kind,
            { connection: def.name, config: configWithout, ldapCaPem, kerberos },
            { packagesDir: packagesDir(ctx), version: PACKAGE_VERSION, connectorJs: () => Buffer.alloc(0) },
          );
          const ticket = hub.createTicket(def.name, readSettings().ticketLifetimeMs);
          const config: RawConfig = { ...configWithout, PROVISIONING_TICKET: ticket.pinnedUrl };
          const files = filesForKind(
            kind,
            { connection: def.name, config, ldapCaPem, kerberos },
            {
              packagesDir: packagesDir(ctx),
              version: PACKAGE_VERSION,
              connectorJs: () => readFileSync(ctx.runner.connectorScript),
            },
          );
          const bytes = writeDeployment(folder, files);
          warnIfLoopback(ctx);
          if (!options?.folder) {
            const open = await vscode.window.showInformationMessage(
              `${label} for "${name}": ${files.length} files, ${formatSize(bytes)}, written to ${folder}. Copy the folder to the server and follow its README.`,
              'Open README',
              'Reveal Folder',
            );
            if (open === 'Open README')
              await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'README.md')));
            if (open === 'Reveal Folder' && existsSync(folder))
              await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(folder, 'README.md')));
          }
          return { folder, kind, files: files.map((f) => f.path), bytes, ticketId: ticket.id };
        },
      ),
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
        // each bundle its own single-use ticket, sealed with everything else under the passphrase
        const ticket = hub.createTicket(def.name, readSettings().ticketLifetimeMs, 1);
        const bundle = createBundle(
          def.name,
          {
            config: { ...toConnectorConfig(def), CA_CERT: hub.caPem },
            bindPassword: password,
            ticket: ticket.pinnedUrl,
          },
          passphrase,
        );
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
