// isnad web interface: a hash-routed single page (the server only serves files and the
// JSON API of docs/api.md). Routes:
//   #/events[?q=&from=&to=&offset=]   event list
//   #/events/{id}                      event dossier
//   #/documents/{id}[?b=&e=]           document with highlights, focused on bytes [b, e)
//   #/search?q=…                        full-text search
//   #/ingest                            add articles
//   #/entities/{event}.{entity}         one entity of an event
import { h, clear } from './js/dom.js';
import { getJSON } from './js/api.js';
import { eventsPage } from './js/pages/events.js';
import { eventPage } from './js/pages/event.js';
import { documentPage } from './js/pages/document.js';
import { searchPage } from './js/pages/search.js';
import { ingestPage } from './js/pages/ingest.js';
import { entityPage } from './js/pages/entity.js';
import { setTitle } from './js/ui.js';

export { byteToIndex, byteIndexer } from './js/dom.js';

export function parseRoute(hash) {
  const raw = String(hash || '').replace(/^#/, '');
  const [pathPart, query = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  return { parts, params: new URLSearchParams(query) };
}

const root = document.getElementById('main');
let generation = 0;

function markNav(section) {
  for (const a of document.querySelectorAll('.site-nav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render() {
  const { parts, params } = parseRoute(location.hash);
  const gen = ++generation;
  // Each page renders into a fresh container; a slower earlier page never overwrites a later one.
  const page = h('div', { class: 'page' });
  const mount = () => { if (gen === generation) clear(root).appendChild(page); };
  mount();
  const [section, id] = parts;
  markNav(section || 'events');
  document.body.dataset.route = section || 'events';
  if (!section || (section === 'events' && !id)) await eventsPage(page, params);
  else if (section === 'events') await eventPage(page, id);
  else if (section === 'documents' && id) await documentPage(page, id, params);
  else if (section === 'search') await searchPage(page, params);
  else if (section === 'ingest') ingestPage(page);
  else if (section === 'entities' && id) await entityPage(page, id);
  else {
    setTitle('غير موجود');
    clear(page).appendChild(h('div', { class: 'error', role: 'alert' }, 'الصفحة غير موجودة. ', h('a', { href: '#/events' }, 'العودة إلى الأحداث')));
  }
  if (gen === generation) {
    page.dataset.ready = 'true';
    document.body.dataset.ready = 'true';
  }
}

async function health() {
  const el = document.getElementById('health');
  try {
    const hz = await getJSON('/healthz');
    el.textContent = `المقالات: ${hz.documents ?? '—'} · الأحداث: ${hz.events ?? '—'}`;
  } catch (err) {
    el.textContent = 'الخادم غير متاح';
  }
}

window.addEventListener('hashchange', () => {
  document.body.dataset.ready = 'false';
  window.scrollTo(0, 0);
  render();
  health();
});

document.getElementById('search-box').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = e.target.elements.q.value.trim();
  if (q) location.hash = `#/search?${new URLSearchParams({ q }).toString()}`;
});

if (!location.hash) history.replaceState(null, '', '#/events');
render();
health();
