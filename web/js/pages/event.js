// #/events/{id} — the dossier of one event (GET /api/events/{id}, the CLI's dossier JSON).
import { h, clear, dateEl, docHref } from '../dom.js';
import { getJSON } from '../api.js';
import { figureBlock, chartLegend } from '../chart.js';
import { conflictField, conflictValue, quoteKind, quoteCount, sourceKind, entityTypes, figureKind } from '../labels.js';
import { loadPage, showError, section, setTitle, conflictBadge } from '../ui.js';

// Document id (the dossier's string id) → {document, outlet, title, published, url, duplicate_of}
function documentMap(body) {
  const map = new Map();
  for (const d of body.documents || []) map.set(d.id, d);
  return map;
}

function sourceName(docs, id) {
  const d = docs.get(id);
  return (d && (d.outlet || d.title)) || id;
}

// A link "[outlet]" to the cited bytes of a document.
function cite(docs, id, span, label) {
  const d = docs.get(id);
  const href = docHref(d && d.document, span);
  const text = label || sourceName(docs, id);
  return href ? h('a', { class: 'cite', href, 'data-doc': id }, text) : h('span', { class: 'cite', 'data-doc': id }, text);
}

function docLinks(docs, ids) {
  const out = [];
  (ids || []).forEach((id, i) => {
    if (i) out.push('، ');
    out.push(cite(docs, id, null));
  });
  return out;
}

function sourcesBlock(ev, docs) {
  const items = (ev.documents || []).map((id) => {
    const d = docs.get(id) || { id };
    const href = docHref(d.document);
    return h('li', { class: 'source', 'data-doc': id },
      h('span', { class: 'outlet' }, d.outlet || 'مصدر غير مسمّى'),
      ' — ',
      href ? h('a', { href }, d.title || id) : h('span', null, d.title || id),
      ' ', d.published ? dateEl(d.published, { class: 'muted' }) : null,
      d.duplicate_of ? h('span', { class: 'badge copy-badge' }, `نسخة من ${sourceName(docs, d.duplicate_of)}`) : null);
  });
  return section('sources', `المصادر (${items.length})`, h('ul', { class: 'sources' }, items));
}

function conflictsBlock(ev, docs) {
  const conflicts = ev.conflicts || [];
  if (!conflicts.length) return section('conflicts', 'التعارضات', h('p', { class: 'ok' }, 'لا تتعارض المصادر في التاريخ ولا في الأرقام.'));
  const items = conflicts.map((c) => {
    const sides = Array.isArray(c.sides) && c.sides.length
      ? c.sides
      : (c.values || []).map((v) => ({ value: v, docs: [] }));
    return h('li', { class: 'conflict', 'data-field': c.field },
      h('h3', null, `⚠ ${conflictField(c.field)}`),
      h('ul', { class: 'sides' }, sides.map((side) => h('li', { class: 'side' },
        h('strong', { class: 'side-value' }, c.field === 'date' ? dateEl(side.value) : conflictValue(c.field, side.value)),
        side.docs && side.docs.length ? [' — ', docLinks(docs, side.docs)] : null))),
      c.note ? h('details', null, h('summary', null, 'ملاحظة المحرّك'), h('p', { dir: 'ltr', lang: 'en' }, c.note)) : null);
  });
  return section('conflicts', `التعارضات (${conflicts.length})`, h('ul', { class: 'conflicts' }, items));
}

function dateBlock(ev, docs) {
  const date = ev.date || {};
  const reports = date.reports || [];
  if (!reports.length) return null;
  return h('div', { class: `date-reports${date.conflict ? ' has-conflict' : ''}` },
    h('h3', null, 'تاريخ الحدث بحسب كل مصدر', date.conflict ? h('span', { class: 'badge conflict-badge' }, '⚠ تواريخ متعارضة') : null),
    h('ul', null, reports.map((r) => h('li', { class: r.value === date.best ? 'date-report agrees' : 'date-report differs', 'data-doc': r.doc },
      dateEl(r.value), ' — ', cite(docs, r.doc, r.span), r.text ? h('span', { class: 'muted' }, ` («${r.text}»)`) : null))));
}

function summaryBlock(ev, docs) {
  const summary = ev.summary || [];
  if (!summary.length) return null;
  return section('summary', 'الملخص', h('ol', { class: 'summary' }, summary.map((c) =>
    h('li', null, h('span', { class: 'sentence' }, c.text), ' ', cite(docs, c.doc, c.span, `[${sourceName(docs, c.doc)}]`)))));
}

function figuresBlock(ev, docs, width) {
  const figures = ev.figures || [];
  if (!figures.length) return section('figures', 'الأرقام', h('p', { class: 'muted' }, 'لم تذكر المصادر أرقاماً لهذا الحدث.'));
  return section('figures', 'الأرقام بحسب كل مصدر', chartLegend(), figures.map((f) => figureBlock(f, docs, width)));
}

function chain(q) {
  const c = q.chain || {};
  const links = [c.outlet, c.cited_medium, c.speaker || q.speaker].filter(Boolean);
  if (!links.length) return null;
  return h('ol', { class: 'chain', 'aria-label': 'سلسلة النقل' }, links.map((l) => h('li', null, l)));
}

function quotesBlock(ev, docs, eventId) {
  const quotes = ev.quotes || [];
  if (!quotes.length) return section('quotes', 'من قال ماذا', h('p', { class: 'muted' }, 'لا اقتباسات.'));
  const groups = new Map();
  for (const q of quotes) {
    const key = q.entity ? `e:${q.entity}` : `s:${q.speaker || ''}`;
    if (!groups.has(key)) groups.set(key, { speaker: q.speaker, entity: q.entity, role: q.role, source: q.source, quotes: [] });
    const g = groups.get(key);
    if (!g.role && q.role) g.role = q.role;
    g.quotes.push(q);
  }
  const ordered = [...groups.values()].sort((a, b) => b.quotes.length - a.quotes.length);
  return section('quotes', 'من قال ماذا', ordered.map((g) => {
    const name = g.speaker || 'متحدث غير معروف';
    const title = g.entity
      ? h('a', { href: `#/entities/${encodeURIComponent(`${eventId}.${g.entity}`)}` }, name)
      : h('span', null, name);
    return h('article', { class: 'speaker-group', 'data-speaker': name },
      h('h3', null, title, g.role ? h('span', { class: 'role' }, ` (${g.role})`) : null,
        g.source ? h('span', { class: 'badge kind-badge' }, sourceKind(g.source)) : null,
        h('span', { class: 'muted count' }, ` — ${quoteCount(g.quotes.length)}`)),
      h('ul', { class: 'quotes' }, g.quotes.map((q) => h('li', { class: `quote ${q.kind || ''}`, 'data-doc': q.doc },
        h('blockquote', null, q.kind === 'direct' ? `«${q.text}»` : q.text),
        h('div', { class: 'quote-meta' },
          h('span', { class: 'badge' }, quoteKind(q.kind)),
          q.cue ? h('span', { class: 'cue' }, q.cue) : null,
          chain(q),
          cite(docs, q.doc, q.span, 'في النص'))))));
  }));
}

function claimsBlock(ev, docs) {
  const claims = ev.claims || [];
  if (!claims.length) return null;
  return section('claims', 'ادعاءات ونفي', h('ul', { class: 'claims' }, claims.map((c) => h('li', { class: `claim claim-${c.type}` },
    h('strong', null, figureKind(c.type)), ': ',
    c.actor ? h('span', { class: 'actor' }, c.actor) : null,
    c.target ? [' ← ', h('span', { class: 'target' }, c.target)] : null,
    ' — ', docLinks(docs, c.docs),
    c.denied_by && c.denied_by.length ? h('span', { class: 'denied' }, ` (نفاه: ${c.denied_by.join('، ')})`) : null,
    (c.evidence || []).length ? h('ul', { class: 'evidence' }, c.evidence.map((e) => h('li', null, e.sentence || '', ' ', cite(docs, e.doc, e.span)))) : null))));
}

function entitiesBlock(ev, eventId) {
  const entities = ev.entities || [];
  if (!entities.length) return null;
  const byType = new Map();
  for (const e of entities) {
    if (!byType.has(e.type)) byType.set(e.type, []);
    byType.get(e.type).push(e);
  }
  return section('entities', 'الكيانات وتهجئاتها', h('div', { class: 'entity-groups' }, [...byType].map(([type, list]) =>
    h('div', { class: 'entity-group', 'data-type': type },
      h('h3', null, entityTypes(type)),
      h('ul', null, list.map((e) => {
        const others = (e.variants || []).filter((v) => v !== e.name);
        return h('li', { class: 'entity', 'data-entity': e.id },
          h('a', { href: `#/entities/${encodeURIComponent(`${eventId}.${e.id}`)}` }, e.name),
          h('span', { class: 'muted' }, ` — ${(e.documents || []).length} مصدر`),
          others.length ? h('div', { class: 'variants' }, 'تُكتب أيضاً: ', others.map((v, i) => [i ? '، ' : '', h('span', { class: 'variant' }, v)])) : null);
      }))))));
}

function timelineBlock(ev, docs) {
  const timeline = ev.timeline || [];
  if (!timeline.length) return null;
  return section('timeline', 'التسلسل الزمني', h('ol', { class: 'timeline' }, timeline.map((t) => h('li', null,
    h('div', { class: 'when' }, dateEl(t.date)),
    h('div', { class: 'what' }, t.text, ' ', cite(docs, t.doc, t.span, `[${sourceName(docs, t.doc)}]`))))));
}

export async function eventPage(root, id) {
  setTitle(`الحدث ${id}`);
  const body = await loadPage(root, () => getJSON(`/api/events/${encodeURIComponent(id)}`));
  if (!body) return;
  const ev = (body.events || [])[0];
  if (!ev) {
    showError(root, { status: 404, message: `لا يوجد حدث ${id}` });
    return;
  }
  setTitle(ev.title);
  const docs = documentMap(body);
  clear(root);
  const width = Math.min(Math.max(root.clientWidth - 24, 300), 860);
  const date = ev.date || {};
  root.appendChild(h('article', { class: 'dossier', 'data-event': String(id) },
    h('header', { class: 'dossier-head' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/events' }, 'الأحداث'), ' / ', `#${id}`),
      h('h1', null, ev.title || `حدث ${id}`),
      h('div', { class: 'event-meta' },
        h('span', null, 'التاريخ: ', dateEl(date.best)),
        date.conflict ? h('span', { class: 'badge conflict-badge date-conflict' }, '⚠ تختلف المصادر في التاريخ') : null,
        h('span', null, `المصادر: ${(ev.documents || []).length}`),
        conflictBadge((ev.conflicts || []).length)),
      h('nav', { class: 'toc', 'aria-label': 'أقسام الملف' }, [
        ['summary', 'الملخص'], ['conflicts', 'التعارضات'], ['figures', 'الأرقام'], ['quotes', 'من قال ماذا'],
        ['entities', 'الكيانات'], ['timeline', 'التسلسل الزمني'], ['sources', 'المصادر'],
      ].map(([sid, label]) => h('a', { href: `#/events/${encodeURIComponent(id)}`, 'data-target': sid, class: 'toc-link' }, label)))),
    summaryBlock(ev, docs),
    conflictsBlock(ev, docs),
    h('div', { class: 'block-plain' }, dateBlock(ev, docs)),
    figuresBlock(ev, docs, width),
    quotesBlock(ev, docs, id),
    claimsBlock(ev, docs),
    entitiesBlock(ev, id),
    timelineBlock(ev, docs),
    sourcesBlock(ev, docs)));
  // Section links scroll instead of changing the route.
  for (const a of root.querySelectorAll('.toc-link')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(a.dataset.target);
      if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  }
}
