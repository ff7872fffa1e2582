/**
 * The wizard's quick inputs: an input box and a pick that show "step/total" and a Back button, count what they show
 * (a step that showed nothing was skipped), and given an answer (a scripted run) validate it without showing anything.
 */
import * as vscode from 'vscode';
import { CancelledError, NamedError } from '../../shared/namedError';

/** The Back button was pressed: the wizard re-opens the previous step. */
export class GoBack extends NamedError {
  constructor() {
    super('back');
  }
}

/**
 * Steps as the admin sees them numbered: 11 questions, then the test. Step 8 (encryption) is one or two questions
 * under one number: StartTLS for ldap:// URLs, then the CA only if TLS is used; a question that does not apply is
 * skipped without leaving a gap in the count.
 */
export const TOTAL = 12;

export interface StepOptions {
  step: number;
  title: string;
  /** How many quick inputs this run has shown: a step that showed none was skipped, and Back passes over it. */
  tally: { shown: number };
}

export async function input(
  at: StepOptions,
  o: {
    value?: string;
    prompt: string;
    placeholder?: string;
    password?: boolean;
    validate?: (v: string) => string | undefined;
    answer?: string;
  },
): Promise<string> {
  if (o.answer !== undefined) {
    const problem = o.validate?.(o.answer);
    if (problem) throw new Error(`${at.title}: ${problem}`);
    return o.answer;
  }
  const box = vscode.window.createInputBox();
  box.value = o.value ?? '';
  box.prompt = o.prompt;
  box.placeholder = o.placeholder;
  box.password = !!o.password;
  box.onDidChangeValue((v) => {
    box.validationMessage = o.validate?.(v);
  });
  return asStep(box, at, (resolve) => {
    const problem = o.validate?.(box.value);
    if (problem) box.validationMessage = problem;
    else resolve(box.value);
  });
}

export async function pick<T>(
  at: StepOptions,
  items: Array<vscode.QuickPickItem & { value: T }>,
  answer?: T,
  placeholder?: string,
): Promise<T> {
  if (answer !== undefined) return answer;
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
  // every step says what it asks (a pick without a prompt left the admin guessing)
  qp.placeholder = placeholder;
  qp.items = items;
  // focus the remembered choice; with none, leave VS Code's default (the first item), or Enter would do nothing
  const remembered = items.find((i) => i.picked);
  if (remembered) qp.activeItems = [remembered];
  return asStep(qp, at, (resolve) => {
    const s = qp.selectedItems[0];
    if (s) resolve(s.value);
  });
}

/**
 * What both quick inputs do as a wizard step: the title and "step/total", Back from the second step on, open while
 * the focus is elsewhere, counted as shown; Back and hiding (Escape) reject, `accept` decides when Enter resolves.
 */
async function asStep<T>(
  w: vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem>,
  at: StepOptions,
  accept: (resolve: (v: T) => void) => void,
): Promise<T> {
  w.title = at.title;
  w.step = at.step;
  w.totalSteps = TOTAL;
  w.ignoreFocusOut = true;
  w.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  at.tally.shown++;
  try {
    return await new Promise<T>((resolve, reject) => {
      w.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) reject(new GoBack());
      });
      w.onDidAccept(() => accept(resolve));
      w.onDidHide(() => reject(new CancelledError()));
      w.show();
    });
  } finally {
    w.dispose();
  }
}
