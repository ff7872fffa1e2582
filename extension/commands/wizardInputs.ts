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
  box.title = at.title;
  box.step = at.step;
  box.totalSteps = TOTAL;
  box.value = o.value ?? '';
  box.prompt = o.prompt;
  box.placeholder = o.placeholder;
  box.password = !!o.password;
  box.ignoreFocusOut = true;
  at.tally.shown++;
  box.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  try {
    return await new Promise<string>((resolve, reject) => {
      box.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) reject(new GoBack());
      });
      box.onDidChangeValue((v) => {
        box.validationMessage = o.validate?.(v);
      });
      box.onDidAccept(() => {
        const problem = o.validate?.(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        resolve(box.value);
      });
      box.onDidHide(() => reject(new CancelledError()));
      box.show();
    });
  } finally {
    box.dispose();
  }
}

export async function pick<T>(
  at: StepOptions,
  items: Array<vscode.QuickPickItem & { value: T }>,
  answer?: T,
  placeholder?: string,
): Promise<T> {
  if (answer !== undefined) return answer;
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
  qp.title = at.title;
  // every step says what it asks (a pick without a prompt left the admin guessing)
  qp.placeholder = placeholder;
  qp.step = at.step;
  qp.totalSteps = TOTAL;
  qp.items = items;
  // focus the remembered choice; with none, leave VS Code's default (the first item), or Enter would do nothing
  const remembered = items.find((i) => i.picked);
  if (remembered) qp.activeItems = [remembered];
  qp.ignoreFocusOut = true;
  at.tally.shown++;
  qp.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  try {
    return await new Promise<T>((resolve, reject) => {
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) reject(new GoBack());
      });
      qp.onDidAccept(() => {
        const s = qp.selectedItems[0];
        if (s) resolve(s.value);
      });
      qp.onDidHide(() => reject(new CancelledError()));
      qp.show();
    });
  } finally {
    qp.dispose();
  }
}
