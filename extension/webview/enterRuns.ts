/**
 * Enter in a panel's form runs the panel's action and never submits the form. `vscode-textfield` calls
 * `form.requestSubmit()` on Enter; a submitted form navigates the webview to an empty page (the panel is wiped).
 */
export function onEnter(form: HTMLFormElement, action: () => void): void {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    action();
  });
  form.addEventListener('keydown', (e) => {
    const k = e as KeyboardEvent;
    const target = k.target as HTMLElement;
    // text fields submit (above); a select and a button handle their own Enter
    if (k.key !== 'Enter' || target.matches('vscode-textfield, vscode-single-select, vscode-button, button')) return;
    e.preventDefault();
    action();
  });
}
