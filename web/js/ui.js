// Small building blocks shared by the pages.
import { h, clear } from './dom.js';

export function loading(root, what = 'جارٍ التحميل…') {
  clear(root).appendChild(h('p', { class: 'loading', role: 'status' }, what));
}

export function errorBox(err) {
  const status = err && err.status ? ` (${err.status})` : '';
  let title = 'حدث خطأ';
  if (err && err.status === 404) title = 'غير موجود';
  else if (err && err.status === 0) title = 'تعذّر الاتصال بالخادم';
  return h('div', { class: 'error', role: 'alert' },
    h('strong', null, `${title}${status}: `),
    h('span', { class: 'error-message' }, err && err.message ? err.message : String(err)));
}

export function showError(root, err) {
  clear(root).appendChild(errorBox(err));
}

// A page's data: shows "loading" in `root` meanwhile, and the error instead of the page when the
// request fails (then null).
export async function loadPage(root, fetchData) {
  loading(root);
  try {
    return await fetchData();
  } catch (err) {
    showError(root, err);
    return null;
  }
}

export function section(id, title, ...children) {
  return h('section', { id, class: 'block', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), ...children);
}

// "label: value" pairs as a <dl>.
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) =>
    h('div', null, h('dt', null, k), h('dd', null, v))));
}

export function conflictBadge(count) {
  if (count > 0) return h('span', { class: 'badge conflict-badge', 'data-conflicts': String(count) }, `⚠ تعارض (${count})`);
  return h('span', { class: 'badge ok-badge', 'data-conflicts': '0' }, 'لا تعارض');
}

export function setTitle(text) {
  document.title = text ? `${text} — إسناد` : 'إسناد';
}
