// #/search?q=… — full-text search; the snippet pieces marked `hit` are highlighted.
import { h, clear, dateEl, docHref } from '../dom.js';
import { getJSON } from '../api.js';
import { showError, setTitle } from '../ui.js';

function snippet(pieces) {
  return h('p', { class: 'snippet' }, (pieces || []).map((p) => (p.hit ? h('mark', { class: 'hit' }, p.text) : p.text)));
}

export async function searchPage(root, params) {
  const q = (params.get('q') || '').trim();
  setTitle(q ? `بحث: ${q}` : 'بحث');
  const input = h('input', { type: 'search', name: 'q', value: q, placeholder: 'ابحث في المقالات…', 'aria-label': 'نص البحث', required: true });
  const form = h('form', { class: 'search-form', role: 'search' }, input, h('button', { type: 'submit' }, 'بحث'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = input.value.trim();
    if (v) location.hash = `#/search?${new URLSearchParams({ q: v }).toString()}`;
  });
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' });
  clear(root).append(h('h1', null, 'بحث'), form, results);
  if (!q) {
    results.appendChild(h('p', { class: 'muted' }, 'تجد كل كلمة بأي صيغة من صيغها (التعريف، الضمائر، الجمع).'));
    input.focus();
    return;
  }
  results.appendChild(h('p', { class: 'loading', role: 'status' }, 'جارٍ البحث…'));
  let body;
  try {
    body = await getJSON('/api/search', { q, limit: 50 });
  } catch (err) {
    showError(results, err);
    return;
  }
  const hits = body.hits || [];
  clear(results);
  results.appendChild(h('p', { class: 'muted count' }, `النتائج: ${hits.length}`));
  if (!hits.length) {
    results.appendChild(h('p', { class: 'empty' }, 'لا نتائج.'));
    return;
  }
  results.appendChild(h('ol', { class: 'hits' }, hits.map((hit) => h('li', { class: 'hit-item', 'data-document': String(hit.document) },
    h('h2', null, h('a', { href: docHref(hit.document) }, hit.title || hit.id || `#${hit.document}`)),
    h('div', { class: 'hit-meta' },
      hit.outlet ? h('span', { class: 'outlet' }, hit.outlet) : null,
      hit.published ? dateEl(hit.published) : null,
      hit.event !== null && hit.event !== undefined ? h('a', { href: `#/events/${encodeURIComponent(hit.event)}` }, `الحدث #${hit.event}`) : null,
      typeof hit.score === 'number' ? h('span', { class: 'muted score', title: 'درجة BM25' }, hit.score.toFixed(2)) : null),
    snippet(hit.snippet)))));
}
