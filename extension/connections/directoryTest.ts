/** "Test this directory" (the wizard's last step, the Test Directory command): binds the service account, reads users. */
import { Directory } from '../../connector/directory';
import { toDirectoryConfig, type ConnectionDefinition } from './model';

/** What "test this directory" found: `text` is what the admin reads ("OK: ... answered in 3 ms; ..." or why not). */
export interface DirectoryTest {
  ok: boolean;
  text: string;
}

/** Binds the service account and counts a page of users. */
export async function testDirectory(def: ConnectionDefinition, password: string): Promise<DirectoryTest> {
  const d = new Directory(toDirectoryConfig(def, password));
  try {
    const h = await d.health();
    if (!h.ok) return { ok: false, text: h.error ?? 'no answer' };
    let users = 0;
    for await (const page of d.searchUsers('', 5)) users += page.length;
    return {
      ok: true,
      // the same words as Troubleshoot's test search: what was checked, not a count that reads like a total
      text: `OK: ${h.url} (${h.kind}) answered in ${h.latencyMs?.toFixed(0)} ms; ${
        users
          ? `the service account can read users under ${def.directory.baseDn} (${users === 5 ? 'the first 5 read' : `${users} found`})`
          : `the service account finds no user under ${def.directory.baseDn}: check the base DN and the user filter`
      }`,
    };
  } catch (e) {
    return { ok: false, text: (e as Error).message };
  } finally {
    await d.close();
  }
}
