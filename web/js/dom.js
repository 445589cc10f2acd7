// DOM helpers. Every piece of text that comes from the API goes through text nodes
// (h() children, textContent): nothing here ever assigns innerHTML, so an article
// containing "<script>" is displayed, not run.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

// h('a', {href: '#/events/3', class: 'x'}, 'text', child, [more]) → HTMLElement
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  return append(node, children);
}

// Same for SVG elements (namespaced).
export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return append(node, children);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// Spans in the API are UTF-8 byte offsets into the original text; JS strings index
// UTF-16 code units. byteIndexer(text) returns a function mapping a byte offset to the
// string index of the character that starts there (an offset inside a character maps to
// the next character boundary; offsets past the end clamp to text.length).
export function byteIndexer(text) {
  const bytes = new TextEncoder().encode(text);
  const map = new Uint32Array(bytes.length + 1);
  let unit = 0;
  let b = 0;
  while (b < bytes.length) {
    const lead = bytes[b];
    const len = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    map[b] = unit;
    for (let k = 1; k < len && b + k <= bytes.length; ++k) map[b + k] = unit + (len === 4 ? 2 : 1);
    unit += len === 4 ? 2 : 1;
    b += len;
  }
  map[bytes.length] = unit;
  return (offset) => {
    if (!Number.isFinite(offset) || offset <= 0) return 0;
    if (offset >= bytes.length) return unit;
    return map[offset];
  };
}

// One-off conversion; use byteIndexer() when converting many offsets of one text.
export function byteToIndex(text, offset) {
  return byteIndexer(text)(offset);
}

const MONTHS = ['كانون الثاني/يناير', 'شباط/فبراير', 'آذار/مارس', 'نيسان/أبريل', 'أيار/مايو', 'حزيران/يونيو',
  'تموز/يوليو', 'آب/أغسطس', 'أيلول/سبتمبر', 'تشرين الأول/أكتوبر', 'تشرين الثاني/نوفمبر', 'كانون الأول/ديسمبر'];

// "2024-05-14" → <time datetime="2024-05-14">14 أيار/مايو 2024</time>; month and year
// granularity ("2024-05", "2024") are written as such.
export function dateText(iso) {
  if (!iso) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(iso));
  if (!m) return String(iso);
  const [, y, mo, d] = m;
  if (!mo) return y;
  const month = MONTHS[Number(mo) - 1] ?? mo;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

export function dateEl(iso, attrs = {}) {
  if (!iso) return h('span', { class: 'muted' }, 'تاريخ غير معروف');
  return h('time', { datetime: iso, ...attrs }, dateText(iso));
}

export function numberText(v) {
  if (v === null || v === undefined || !Number.isFinite(Number(v))) return '—';
  const n = Number(v);
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

// Link to the document view, optionally focused on a byte span of its text.
export function docHref(documentId, span) {
  if (documentId === null || documentId === undefined) return null;
  let href = `#/documents/${encodeURIComponent(documentId)}`;
  if (Array.isArray(span) && span.length === 2) href += `?b=${span[0]}&e=${span[1]}`;
  return href;
}
