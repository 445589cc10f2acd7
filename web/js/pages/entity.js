// #/entities/{event}.{entity} — one resolved entity: spellings, documents, quotes.
import { h, clear, docHref } from '../dom.js';
import { getJSON } from '../api.js';
import { entityType, quoteKind } from '../labels.js';
import { loadPage, setTitle, section } from '../ui.js';

export async function entityPage(root, key) {
  setTitle('كيان');
  const ent = await loadPage(root, () => getJSON(`/api/entities/${encodeURIComponent(key)}`));
  if (!ent) return;
  const eventId = ent.event ?? String(key).split('.')[0];
  // The entity lists document ids; the event's dossier maps them to store ids for links.
  const docs = new Map();
  try {
    const dossier = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
    for (const d of dossier.documents || []) docs.set(d.id, d);
  } catch (err) {
    // Links are a convenience: without the dossier the names are still shown.
  }
  const docLink = (id, span, label) => {
    const d = docs.get(id);
    const href = d ? docHref(d.document, span) : null;
    const text = label || (d && (d.outlet || d.title)) || id;
    return href ? h('a', { href }, text) : h('span', null, text);
  };
  setTitle(ent.name);
  clear(root).appendChild(h('article', { class: 'entity-page', 'data-entity': ent.id || key },
    h('p', { class: 'crumbs' }, h('a', { href: '#/events' }, 'الأحداث'), ' / ',
      h('a', { href: `#/events/${encodeURIComponent(eventId)}` }, `الحدث #${eventId}`)),
    h('h1', null, ent.name, h('span', { class: 'badge kind-badge' }, entityType(ent.type))),
    section('variants', 'التهجئات', h('ul', { class: 'variants' }, (ent.variants || []).map((v) => h('li', { class: 'variant' }, v)))),
    section('entity-docs', 'المقالات التي تذكره', h('ul', null, (ent.documents || []).map((id) => h('li', null, docLink(id))))),
    section('entity-quotes', 'الأقوال المنسوبة', (ent.quotes || []).length
      ? h('ul', { class: 'quotes' }, ent.quotes.map((q) => h('li', { class: `quote ${q.kind || ''}` },
        h('blockquote', null, q.kind === 'direct' ? `«${q.text}»` : q.text),
        h('div', { class: 'quote-meta' }, h('span', { class: 'badge' }, quoteKind(q.kind)), ' ', docLink(q.doc, q.span)))))
      : h('p', { class: 'muted' }, 'لا أقوال منسوبة.'))));
}
