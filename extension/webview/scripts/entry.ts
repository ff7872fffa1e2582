/**
 * The tree's entry view: one entry's attributes, decoded as the query panel decodes them, read-only. It keeps the
 * connection and DN it shows in its state (nothing else), so that the view comes back after a window reload.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { EntryRef, EntryShown, EntryToHost, EntryToWebview } from '../messages';
import { entryDetail } from '../entryDetail';
import { channel, h } from '../vscodeApi';

const app = document.getElementById('app')!;
const ch = channel<EntryToHost, EntryToWebview>(onMessage);

const note = h('p', { class: 'muted', id: 'note' });
const problem = h('p', { class: 'warning hidden', id: 'problem', role: 'alert' });
const detail = h('section', { class: 'detail', id: 'detail', 'aria-label': 'Entry' });
const query = h('vscode-button', { id: 'query', secondary: true }, 'Query from here');
query.addEventListener('click', () => ch.post({ type: 'query' }));
const goTo = h('vscode-button', { id: 'go-to-dn', secondary: true }, 'Go to DN…');
goTo.addEventListener('click', () => ch.post({ type: 'goToDn' }));
const reread = h('vscode-button', { id: 'reread', secondary: true }, 'Read Again');
reread.addEventListener('click', () => ch.post({ type: 'reread' }));
app.append(h('div', { class: 'row buttons' }, query, goTo, reread), problem, note, detail);
app.removeAttribute('aria-busy');

/** Only which entry: what the serializer needs to read it again after a reload. */
function keep(ref: EntryRef): void {
  ch.setState<EntryRef>({ connection: ref.connection, dn: ref.dn });
}

function show(s: EntryShown): void {
  problem.classList.toggle('hidden', s.type !== 'problem');
  query.toggleAttribute('disabled', s.type !== 'entry');
  reread.toggleAttribute('disabled', s.type === 'problem' && !s.ref);
  if (s.type === 'entry') {
    keep(s.view);
    problem.textContent = '';
    note.textContent = s.view.note;
    detail.replaceChildren(...entryDetail(s.view.dn, s.view.attributes));
    return;
  }
  if (s.ref) keep(s.ref);
  const head = s.ref ? [h('div', { class: 'detail-head' }, h('h2', { class: 'dn' }, s.ref.dn))] : [];
  if (s.type === 'reading') {
    note.textContent = `Reading from "${s.ref.connection}"…`;
    detail.replaceChildren(...head);
    return;
  }
  problem.textContent = s.message;
  note.textContent = s.ref ? `Connection "${s.ref.connection}"` : '';
  detail.replaceChildren(...head);
}

function onMessage(m: EntryToWebview): void {
  if (m.type === 'init') {
    if (m.shown) show(m.shown);
  } else show(m);
}

ch.post({ type: 'ready' });
