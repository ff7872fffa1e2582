/** The webview side of the typed channel: post to the host, receive from it, keep state across hide/show. */
declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

const api = acquireVsCodeApi();

export function channel<ToHost extends { type: string }, ToWebview extends { type: string }>(
  onMessage: (m: ToWebview) => void,
) {
  window.addEventListener('message', (e: MessageEvent<ToWebview>) => onMessage(e.data));
  return {
    post: (m: ToHost) => api.postMessage(m),
    getState: <S>() => api.getState() as S | undefined,
    setState: <S>(s: S) => api.setState(s),
  };
}

/** `h('div', { class: 'x' }, child...)`: DOM without innerHTML, so nothing from the directory is ever parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K | string,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Array<Node | string | undefined>
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}
