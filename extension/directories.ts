/** One directory engine per connection for the editor's own use (tree browsing, tests, panels in direct mode). */
import * as vscode from 'vscode';
import { Directory } from '../connector/directory';
import { Disposable } from './common/disposable';
import { outputLogger } from './common/outputLogger';
import { toDirectoryConfig } from './connections/model';
import type { ConnectionStore } from './connections/store';

export class DirectoryRegistry extends Disposable {
  /** Promises, not engines: two `get` calls at once share one engine instead of building two and leaking one. */
  private readonly engines = new Map<string, Promise<Directory>>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    super();
    // settings may have changed: the next use builds a fresh engine
    this.register(store.onDidChange(() => this.closeAll()));
  }

  get(name: string): Promise<Directory> {
    let engine = this.engines.get(name);
    if (!engine) {
      engine = this.open(name);
      this.engines.set(name, engine);
      const settled = engine;
      // a failed open is not kept: the next use tries again (after the admin fixed the password, say)
      engine.catch(() => this.engines.get(name) === settled && this.engines.delete(name));
    }
    return engine;
  }

  private async open(name: string): Promise<Directory> {
    const def = this.store.get(name);
    if (!def) throw new Error(`No connection named "${name}"`);
    const password = await this.store.bindPassword(name);
    if (!password)
      throw new Error(`No service account password is stored for "${name}": edit the connection to set it.`);
    return new Directory(toDirectoryConfig(def, password), outputLogger(this.channel));
  }

  closeAll(): void {
    for (const engine of this.engines.values()) engine.then((d) => d.close()).catch(() => undefined);
    this.engines.clear();
  }

  override dispose(): void {
    this.closeAll();
    super.dispose();
  }
}
