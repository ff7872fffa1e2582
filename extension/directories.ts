/** One directory engine per connection for the editor's own use (tree browsing, tests, panels in direct mode). */
import * as vscode from 'vscode';
import { Directory } from '../connector/directory';
import { Disposable } from './common/disposable';
import { outputLogger } from './common/outputLogger';
import { toDirectoryConfig } from './connections/model';
import type { ConnectionStore } from './connections/store';

export class DirectoryRegistry extends Disposable {
  private readonly engines = new Map<string, Directory>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    super();
    // settings may have changed: the next use builds a fresh engine
    this.register(store.onDidChange(() => this.closeAll()));
  }

  async get(name: string): Promise<Directory> {
    const existing = this.engines.get(name);
    if (existing) return existing;
    const def = this.store.get(name);
    if (!def) throw new Error(`No connection named "${name}"`);
    const password = await this.store.bindPassword(name);
    if (!password)
      throw new Error(`No service account password is stored for "${name}": edit the connection to set it.`);
    const d = new Directory(toDirectoryConfig(def, password), outputLogger(this.channel));
    this.engines.set(name, d);
    return d;
  }

  closeAll(): void {
    for (const d of this.engines.values()) void d.close();
    this.engines.clear();
  }

  override dispose(): void {
    this.closeAll();
    super.dispose();
  }
}
