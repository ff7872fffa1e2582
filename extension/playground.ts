/**
 * The playground (`npm start`) opens VS Code with one sample connection to its sandbox directory. It hands the
 * connection over in a file named by DIRECTORY_BRIDGE_SAMPLE_CONNECTION, and the extension writes it at every start,
 * password included: the sandbox's port can change between runs, and SecretStorage in code-server lives in the
 * browser, so a new browser would otherwise find the connection without its password. Other connections are
 * left as they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ConnectionDefinition } from './connections/model';
import type { ConnectionStore } from './connections/store';

export async function seedSampleConnection(store: ConnectionStore, env = process.env): Promise<string | undefined> {
  const file = env.DIRECTORY_BRIDGE_SAMPLE_CONNECTION;
  if (!file || !existsSync(file) || store.readOnlyReason) return undefined;
  const { definition, bindPassword } = JSON.parse(readFileSync(file, 'utf8')) as {
    definition: ConnectionDefinition;
    bindPassword: string;
  };
  const current = store.get(definition.name);
  const same =
    current &&
    JSON.stringify(current) === JSON.stringify(definition) &&
    (await store.bindPassword(definition.name)) === bindPassword;
  if (!same) await store.save(definition, bindPassword);
  return definition.name;
}
