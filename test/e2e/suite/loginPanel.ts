/** The Test a Login panel as a person uses it: the form filled, Enter pressed in a field, the verdict read. */
import type { DirectoryBridgeApi } from '../../../extension/extension';
import { webview } from './control';
import { sleep, until } from './wait';

/** Types the username and password, presses Enter in `field` and returns the verdict the panel then shows. */
export async function tryLogin(
  api: DirectoryBridgeApi,
  username: string,
  password: string,
  field = '#password input',
): Promise<string> {
  const results = () => api.testing.panels.login()!.posted.filter((m) => m.type === 'result').length;
  const n = results();
  await webview.fill('#username input', username);
  await webview.fill('#password input', password);
  await webview.press(field, 'Enter');
  await until(`a verdict after Enter in ${field}`, () => results() > n, 20_000);
  await sleep(300); // the result is drawn after it is posted (and a submitted form would navigate away now)
  return (await webview.texts('#verdict'))[0];
}
