/** The tree's entry view: one entry's attributes, decoded as the query panel decodes them, read-only. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { EntryToHost, EntryToWebview, EntryView } from '../messages';
import { entryDetail } from '../entryDetail';
import { channel, h } from '../vscodeApi';

const app = document.getElementById('app')!;
const ch = channel<EntryToHost, EntryToWebview>(onMessage);

const note = h('p', { class: 'muted', id: 'note' });
const detail = h('section', { class: 'detail', id: 'detail', 'aria-label': 'Entry' });
const query = h('vscode-button', { id: 'query', secondary: true }, 'Query from here');
query.addEventListener('click', () => ch.post({ type: 'query' }));
const goTo = h('vscode-button', { id: 'go-to-dn', secondary: true }, 'Go to DN…');
goTo.addEventListener('click', () => ch.post({ type: 'goToDn' }));
app.append(h('div', { class: 'row buttons' }, query, goTo), note, detail);
app.removeAttribute('aria-busy');

function show(v: EntryView): void {
  note.textContent = v.note;
  detail.replaceChildren(...entryDetail(v.dn, v.attributes));
}

function onMessage(m: EntryToWebview): void {
  if (m.type === 'init' && m.view) show(m.view);
  if (m.type === 'entry') show(m.view);
}

ch.post({ type: 'ready' });
