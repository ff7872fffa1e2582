/** An entry's decoded attributes as the query panel shows them, shared by that panel and the tree's entry view. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { DecodedAttribute } from './messages';
import { h } from './vscodeApi';

/** The head (photo if any, the DN) and the attribute list; values are text nodes, never parsed as HTML. */
export function entryDetail(dn: string, attrs: DecodedAttribute[]): HTMLElement[] {
  const list = h('dl', { class: 'attributes' });
  for (const a of attrs) {
    list.append(h('dt', {}, a.name));
    for (const v of a.values) {
      const dd = h('dd', { 'data-kind': v.kind });
      if (v.kind === 'image') dd.append(h('img', { src: v.text, alt: `${a.name} of ${dn}` }));
      else dd.append(h('span', { class: 'value' }, v.text));
      if (v.kind !== 'text')
        dd.append(h('vscode-badge', { variant: 'default', title: 'decoded from the raw value' }, v.kind));
      list.append(dd);
    }
  }
  // a photo goes up top too, beside the name, where an admin looks first
  const photo = attrs.flatMap((a) =>
    a.values.filter((v) => v.kind === 'image').map((v) => ({ name: a.name, src: v.text })),
  )[0];
  const title = h(
    'div',
    { class: 'detail-head' },
    photo ? h('img', { src: photo.src, alt: `photo of ${dn}`, class: 'photo' }) : undefined,
    h('h2', { class: 'dn' }, dn),
  );
  return [title, list];
}
