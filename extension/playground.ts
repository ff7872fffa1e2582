/**
 * The playground (`npm start`) opens VS Code with one sample connection to its sandbox directory. It hands the
 * connection over in a file named by DIRECTORY_BRIDGE_SAMPLE_CONNECTION; the extension adds it once, when the store
 * is empty, and puts the sandbox's service password in SecretStorage like any other.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ConnectionDefinition } from './connections/model';
import type { ConnectionStore } from './connections/store';

export async function seedSampleConnection(store: ConnectionStore, env = process.env): Promise<string | undefined> {
  const file = env.DIRECTORY_BRIDGE_SAMPLE_CONNECTION;
  if (!file || !existsSync(file) || store.all().length > 0 || store.readOnlyReason) return undefined;
  const { definition, bindPassword } = JSON.parse(readFileSync(file, 'utf8')) as {
    definition: ConnectionDefinition;
    bindPassword: string;
  };
  await store.save(definition, bindPassword);
  return definition.name;
}
