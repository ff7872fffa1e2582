import * as vscode from 'vscode';

/** Runs one of the extension's commands (`directoryBridge.<cmd>`), as the palette or a tree menu would. */
export const exec = <T>(cmd: string, ...args: unknown[]) =>
  vscode.commands.executeCommand<T>(`directoryBridge.${cmd}`, ...args);
