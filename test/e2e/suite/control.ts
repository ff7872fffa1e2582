/** The suite's way to see the real workbench: the runner takes screenshots and reads the DOM for it. */
import { request } from 'node:http';

function call<T>(route: string, body: unknown): Promise<T> {
  const base = process.env.DBR_E2E_CONTROL;
  if (!base) throw new Error('DBR_E2E_CONTROL is not set: run the suite with test/e2e/host/run-e2e.js');
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${route}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let s = '';
        res.on('data', (d) => (s += d));
        res.on('end', () => {
          const o = JSON.parse(s);
          res.statusCode === 200 ? resolve(o as T) : reject(new Error(`${route}: ${o.error}`));
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The same, inside the visible webview panel. */
export const webview = {
  texts: (selector: string, waitFor?: string, timeoutMs?: number) =>
    call<{ texts: string[] }>('/texts', { selector, waitFor, timeoutMs, webview: true }).then((r) => r.texts),
  value: (selector: string) => call<{ value: string }>('/value', { selector, webview: true }).then((r) => r.value),
  click: (selector: string, hasText?: string) => call('/click', { selector, hasText, webview: true }),
  fill: (selector: string, text: string) => call('/fill', { selector, text, webview: true }),
  /** A real keystroke (Enter, Tab, Escape...) into the element, focused first. */
  press: (selector: string, key: string) => call('/press', { selector, key, webview: true }),
  /** Types into the element key by key, as a person does. */
  type: (selector: string, text: string) => call('/type', { selector, text, webview: true }),
  /** How many elements match, now. */
  count: (selector: string) =>
    call<{ texts: string[] }>('/texts', { selector, webview: true }).then((r) => r.texts.length),
};

export const ui = {
  screenshot: (name: string, selector?: string, settleMs?: number) =>
    call<{ file: string }>('/screenshot', { name, selector, settleMs }),
  texts: (selector: string, waitFor?: string, timeoutMs?: number) =>
    call<{ texts: string[] }>('/texts', { selector, waitFor, timeoutMs }).then((r) => r.texts),
  click: (selector: string, hasText?: string) => call('/click', { selector, hasText }),
  press: (key: string) => call('/press', { key }),
  value: (selector: string) => call<{ value: string }>('/value', { selector }).then((r) => r.value),
  drag: (from: [number, number], to: [number, number]) => call('/drag', { from, to }),
  /** Where the element is on the page, in CSS pixels. */
  box: (selector: string) =>
    call<{ box: { x: number; y: number; width: number; height: number } }>('/box', { selector }).then((r) => r.box),
  /** Rests the mouse on the element (its tooltip shows after the workbench's hover delay). */
  hover: (selector: string, hasText?: string) => call('/hover', { selector, hasText }),
  /** What a person can read of each matching element's text, clipped by its ancestor `clip` (CSS ellipsis). */
  visible: (selector: string, clip?: string) =>
    call<{ rows: Array<{ full: string; visible: string; clipped: boolean }> }>('/visible', { selector, clip }).then(
      (r) => r.rows,
    ),
  /** Widens the sidebar (drags the sash at its right edge) so that descriptions show in screenshots. */
  widenSidebar: () => call('/drag', { from: [349, 430], to: [640, 430] }),
  type: (text: string) => call('/type', { text }),
  /** The element that has the keyboard now (document.activeElement of the workbench), described. */
  focused: () =>
    call<{ focused: { tag: string; className: string; role: string; label: string; title: string } | null }>(
      '/focused',
      {},
    ).then((r) => r.focused),
};
