// #/events — events newest first, with a filter (full-text query and a date range).
import { h, clear, dateEl, numberText } from '../dom.js';
import { getJSON } from '../api.js';
import { figureKind } from '../labels.js';
import { loading, showError, conflictBadge, setTitle } from '../ui.js';

const PAGE = 20;

function filterForm(params) {
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') || '', placeholder: 'كلمات في المقالات…', 'aria-label': 'بحث في الأحداث' });
  const from = h('input', { type: 'date', name: 'from', value: params.get('from') || '', 'aria-label': 'من تاريخ' });
  const to = h('input', { type: 'date', name: 'to', value: params.get('to') || '', 'aria-label': 'إلى تاريخ' });
  const form = h('form', { class: 'filters', role: 'search' },
    h('label', null, 'تصفية ', q),
    h('label', null, 'من ', from),
    h('label', null, 'إلى ', to),
    h('button', { type: 'submit' }, 'تطبيق'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (q.value.trim()) next.set('q', q.value.trim());
    if (from.value) next.set('from', from.value);
    if (to.value) next.set('to', to.value);
    const qs = next.toString();
    location.hash = qs ? `#/events?${qs}` : '#/events';
  });
  return form;
}

function eventCard(ev) {
  // `date` is the day the sources give for the event; first/last span its articles.
  const when = ev.date ? h('span', { class: 'event-date' }, 'وقع في ', dateEl(ev.date)) : null;
  const dates = ev.first && ev.last && ev.first !== ev.last
    ? h('span', { class: 'dates' }, 'النشر: ', dateEl(ev.first), ' – ', dateEl(ev.last))
    : h('span', { class: 'dates' }, 'النشر: ', dateEl(ev.first || ev.last));
  const figures = (ev.figures || []).map((f) => h('li', { class: f.consistent === false ? 'fig conflict' : 'fig', 'data-kind': f.kind },
    `${figureKind(f.kind)}: ${numberText(f.best)}`,
    (f.low !== f.high && f.low !== null && f.low !== undefined) ? ` (${numberText(f.low)}–${f.high === null || f.high === undefined ? '∞' : numberText(f.high)})` : '',
    f.consistent === false ? ' ⚠' : ''));
  return h('li', { class: 'event-card', 'data-event': String(ev.id) },
    h('h2', null, h('a', { href: `#/events/${encodeURIComponent(ev.id)}` }, ev.title || `حدث ${ev.id}`)),
    h('div', { class: 'event-meta' },
      when,
      dates,
      h('span', { class: 'sources-count', 'data-sources': String(ev.sources ?? '') }, `المصادر: ${ev.sources ?? '—'}`),
      h('span', { class: 'documents-count' }, `المقالات: ${ev.documents ?? '—'}`),
      conflictBadge(Number(ev.conflicts) || 0)),
    ev.outlets && ev.outlets.length ? h('p', { class: 'outlets' }, ev.outlets.join('، ')) : null,
    figures.length ? h('ul', { class: 'fig-list' }, figures) : null);
}

export async function eventsPage(root, params) {
  setTitle('الأحداث');
  loading(root);
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  let body;
  try {
    body = await getJSON('/api/events', { q: params.get('q'), from: params.get('from'), to: params.get('to'), limit: PAGE, offset });
  } catch (err) {
    clear(root).appendChild(h('h1', null, 'الأحداث'));
    root.appendChild(filterForm(params));
    const box = h('div');
    root.appendChild(box);
    showError(box, err);
    return;
  }
  const events = body.events || [];
  const total = Number(body.total) || events.length;
  clear(root);
  root.appendChild(h('h1', null, 'الأحداث'));
  root.appendChild(filterForm(params));
  root.appendChild(h('p', { class: 'muted count' }, `عدد الأحداث: ${total}`));
  if (!events.length) {
    root.appendChild(h('p', { class: 'empty' }, 'لا توجد أحداث. ', h('a', { href: '#/ingest' }, 'أضف مقالات'), ' لتكوين الأحداث.'));
    return;
  }
  root.appendChild(h('ul', { class: 'event-list' }, events.map(eventCard)));
  const link = (off, label) => {
    const p = new URLSearchParams(params);
    p.set('offset', String(off));
    return h('a', { href: `#/events?${p.toString()}`, class: 'pager-link' }, label);
  };
  const pager = h('nav', { class: 'pager', 'aria-label': 'الصفحات' });
  if (offset > 0) pager.appendChild(link(Math.max(0, offset - PAGE), '→ الأحدث'));
  if (offset + events.length < total) pager.appendChild(link(offset + PAGE, 'الأقدم ←'));
  if (pager.childNodes.length) root.appendChild(pager);
}
