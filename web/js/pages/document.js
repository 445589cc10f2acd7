// #/documents/{id}?b=&e= — one stored document with its entities, quotes, claims and
// dates highlighted; b/e (byte offsets) focus a cited span.
import { h, clear, byteIndexer, dateEl, docHref, numberText } from '../dom.js';
import { getJSON } from '../api.js';
import { entityType, figureKind, valueWithQualifier, quoteKind } from '../labels.js';
import { loadPage, setTitle, facts } from '../ui.js';

// Builds the highlighted text. Entities are atomic <mark class="ent"> elements (never
// split); quotes, claims, dates and the focus span become classes on the pieces of text
// they cover, so overlapping layers all show.
export function highlightedText(text, analysis, focus) {
  const toIndex = byteIndexer(text);
  const conv = (span) => (Array.isArray(span) && span.length === 2 ? [toIndex(span[0]), toIndex(span[1])] : null);
  const layers = [];
  const add = (span, cls, title) => {
    const r = conv(span);
    if (r && r[1] > r[0]) layers.push({ b: r[0], e: r[1], cls, title });
  };
  for (const q of analysis.quotes || []) {
    add(q.span, 'hl-quote', `${quoteKind(q.kind)}${q.speaker ? ` — ${q.speaker}` : ''}`);
    add(q.speaker_span, 'hl-speaker', 'المتحدث');
  }
  for (const c of analysis.claims || []) {
    add(c.span, 'hl-claim', c.value !== null && c.value !== undefined
      ? `${figureKind(c.type)}: ${valueWithQualifier(numberText(c.value), c.qualifier)}` : figureKind(c.type));
  }
  for (const d of analysis.dates || []) add(d.span, 'hl-date', `تاريخ: ${d.value}`);
  if (focus) add(focus, 'focus', 'الجملة المستشهد بها');

  const entities = [];
  for (const e of analysis.entities || []) {
    const r = conv(e.span);
    if (r && r[1] > r[0]) entities.push({ b: r[0], e: r[1], type: e.type, text: e.text });
  }
  entities.sort((a, b) => a.b - b.b || b.e - a.e);
  const atomic = [];
  for (const e of entities) if (!atomic.length || e.b >= atomic[atomic.length - 1].e) atomic.push(e);

  const cuts = new Set([0, text.length]);
  for (const l of layers) { cuts.add(l.b); cuts.add(l.e); }
  for (const e of atomic) { cuts.add(e.b); cuts.add(e.e); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);

  const out = h('div', { class: 'doc-text', dir: 'auto', lang: 'ar' });
  let entityIdx = 0;
  let container = out;
  let openEntity = null;
  for (let i = 0; i + 1 < points.length; ++i) {
    const p = points[i];
    const q = points[i + 1];
    while (entityIdx < atomic.length && atomic[entityIdx].e <= p) ++entityIdx;
    if (!openEntity && entityIdx < atomic.length && atomic[entityIdx].b === p) {
      openEntity = atomic[entityIdx];
      container = h('mark', { class: `ent ent-${openEntity.type}`, 'data-type': openEntity.type, title: entityType(openEntity.type) });
      out.appendChild(container);
    }
    const covering = layers.filter((l) => l.b <= p && l.e >= q);
    const piece = text.slice(p, q);
    if (!covering.length) container.appendChild(document.createTextNode(piece));
    else {
      const classes = [...new Set(covering.map((l) => l.cls))];
      const titles = [...new Set(covering.map((l) => l.title).filter(Boolean))];
      container.appendChild(h('span', { class: classes.join(' '), title: titles.join('\n') }, piece));
    }
    if (openEntity && q >= openEntity.e) {
      openEntity = null;
      container = out;
      ++entityIdx;
    }
  }
  return out;
}

function toggles(textEl) {
  const box = (cls, label, swatch) => {
    const input = h('input', { type: 'checkbox', checked: true, 'data-layer': cls });
    input.addEventListener('change', () => textEl.classList.toggle(`hide-${cls}`, !input.checked));
    return h('label', { class: 'toggle' }, input, h('span', { class: `swatch ${swatch}`, 'aria-hidden': 'true' }), label);
  };
  return h('div', { class: 'layer-toggles', role: 'group', 'aria-label': 'طبقات التمييز' },
    box('ent', 'الكيانات', 'sw-ent'), box('quote', 'الاقتباسات', 'sw-quote'),
    box('claim', 'الادعاءات والأرقام', 'sw-claim'), box('date', 'التواريخ', 'sw-date'));
}

function sideLists(doc, analysis) {
  const focusLink = (span, label) => h('a', { href: docHref(doc.document, span) }, label);
  const ents = analysis.entities || [];
  const quotes = analysis.quotes || [];
  const claims = analysis.claims || [];
  const dates = analysis.dates || [];
  return h('aside', { class: 'doc-side' },
    ents.length ? h('details', { open: true }, h('summary', null, `الكيانات (${ents.length})`),
      h('ul', null, ents.map((e) => h('li', null, focusLink(e.span, e.text), h('span', { class: 'muted' }, ` — ${entityType(e.type)}`))))) : null,
    quotes.length ? h('details', { open: true }, h('summary', null, `الاقتباسات (${quotes.length})`),
      h('ul', null, quotes.map((q) => h('li', null, h('strong', null, q.speaker || 'غير معروف'), ': ',
        focusLink(q.span, q.text.length > 90 ? `${q.text.slice(0, 89)}…` : q.text))))) : null,
    claims.length ? h('details', { open: true }, h('summary', null, `الادعاءات (${claims.length})`),
      h('ul', null, claims.map((c) => h('li', null, focusLink(c.span, figureKind(c.type)),
        c.value !== null && c.value !== undefined ? `: ${valueWithQualifier(numberText(c.value), c.qualifier)}` : '',
        c.attributed_to ? h('span', { class: 'muted' }, ` — بحسب ${c.attributed_to}`) : null)))) : null,
    dates.length ? h('details', null, h('summary', null, `التواريخ (${dates.length})`),
      h('ul', null, dates.map((d) => h('li', null, focusLink(d.span, d.text), ' ← ', dateEl(d.value))))) : null);
}

export async function documentPage(root, id, params) {
  setTitle(`المقال ${id}`);
  const doc = await loadPage(root, () => getJSON(`/api/documents/${encodeURIComponent(id)}`));
  if (!doc) return;
  setTitle(doc.title || doc.id);
  const b = Number(params.get('b'));
  const e = Number(params.get('e'));
  const focus = params.has('b') && params.has('e') && Number.isFinite(b) && Number.isFinite(e) && e > b ? [b, e] : null;
  const analysis = doc.analysis || {};
  const text = highlightedText(String(doc.text ?? ''), analysis, focus);
  clear(root);
  const dupes = doc.near_duplicates || [];
  root.appendChild(h('article', { class: 'document', 'data-document': String(doc.document ?? id) },
    h('header', null,
      h('p', { class: 'crumbs' },
        h('a', { href: '#/events' }, 'الأحداث'),
        doc.event !== null && doc.event !== undefined ? [' / ', h('a', { href: `#/events/${encodeURIComponent(doc.event)}`, class: 'event-link' }, `الحدث #${doc.event}`)] : null),
      h('h1', null, doc.title || doc.id || `المقال ${id}`),
      facts([
        ['المصدر', doc.outlet || 'غير مسمّى'],
        ['تاريخ النشر', dateEl(doc.published)],
        ['المعرّف', h('code', { dir: 'ltr' }, String(doc.id ?? ''))],
        doc.url ? ['الرابط', h('a', { href: doc.url, rel: 'noopener noreferrer nofollow', target: '_blank', dir: 'ltr', class: 'ext' }, doc.url)] : null,
        dupes.length ? ['نسخ مشابهة', dupes.map((d, i) => [i ? '، ' : '', h('a', { href: docHref(d) }, `#${d}`)])] : null,
      ])),
    toggles(text),
    h('div', { class: 'doc-body' }, text, sideLists(doc, analysis))));
  const target = root.querySelector('.focus');
  if (target) target.scrollIntoView({ block: 'center' });
}
