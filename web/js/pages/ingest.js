// #/ingest — add articles: paste one (with optional title/outlet/date), or upload files
// (.txt → {id: file name without extension, text}; .json/.jsonl sent as they are).
// Each file is one POST /api/documents with its own progress bar and per-item results.
import { h, clear, docHref } from '../dom.js';
import { postDocuments } from '../api.js';
import { setTitle } from '../ui.js';

function stem(name) {
  const base = String(name).replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function extension(name) {
  const dot = String(name).lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

// The request body for one file, or throws an Error with an Arabic message.
async function bodyOf(file) {
  const text = await file.text();
  const ext = extension(file.name);
  if (ext === 'txt') return JSON.stringify({ id: stem(file.name), text });
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson') return text;
  throw new Error('نوع ملف غير مدعوم (txt أو json أو jsonl)');
}

function resultList(body) {
  const items = [];
  for (const a of body.accepted || []) {
    const dup = a.duplicate_of !== null && a.duplicate_of !== undefined;
    items.push(h('li', { class: `result ${dup ? 'duplicate' : 'accepted'}`, 'data-item': String(a.item ?? ''), 'data-id': a.id ?? '' },
      h('span', { class: 'badge' }, dup ? 'مكرر' : 'قُبل'), ' ',
      h('a', { href: docHref(a.document) }, a.id || `#${a.document}`),
      a.event !== null && a.event !== undefined ? [' ← ', h('a', { href: `#/events/${encodeURIComponent(a.event)}`, class: 'event-link' }, `الحدث #${a.event}`)] : null,
      dup ? h('span', { class: 'muted' }, ` (النص موجود مسبقاً: `, h('a', { href: docHref(a.duplicate_of) }, `#${a.duplicate_of}`), ')') : null,
      a.id_reused ? h('span', { class: 'muted' }, ' (المعرّف مستخدم من قبل)') : null));
  }
  for (const r of body.rejected || []) {
    items.push(h('li', { class: 'result rejected', 'data-item': String(r.item ?? '') },
      h('span', { class: 'badge conflict-badge' }, 'رُفض'), ' ',
      r.item !== undefined ? `العنصر ${r.item}: ` : '',
      h('span', { class: 'error-message', dir: 'auto' }, r.error || '')));
  }
  return h('ul', { class: 'results' }, items);
}

// A row with a progress bar; returns {row, progress(fraction), done(body|error)}.
function uploadRow(list, label) {
  const bar = h('progress', { max: '1', value: '0' });
  const status = h('span', { class: 'status' }, 'في الانتظار');
  const details = h('div', { class: 'details' });
  const row = h('li', { class: 'upload pending', 'data-file': label }, h('div', { class: 'upload-head' }, h('span', { class: 'file-name', dir: 'auto' }, label), bar, status), details);
  list.appendChild(row);
  return {
    start() { row.className = 'upload sending'; status.textContent = 'جارٍ الإرسال…'; },
    progress(f) { bar.value = f; if (f >= 1) status.textContent = 'جارٍ التحليل…'; },
    done(result) {
      bar.value = 1;
      const accepted = (result.body.accepted || []).length;
      const rejected = (result.body.rejected || []).length;
      row.className = `upload done ${rejected && !accepted ? 'failed' : ''}`.trim();
      status.textContent = `قُبل ${accepted}، رُفض ${rejected}`;
      details.appendChild(resultList(result.body));
    },
    fail(err) {
      row.className = 'upload failed';
      status.textContent = 'فشل';
      details.appendChild(h('p', { class: 'error', role: 'alert' }, h('span', { class: 'error-message' }, err && err.message ? err.message : String(err))));
    },
  };
}

export function ingestPage(root) {
  setTitle('إضافة مقالات');
  const uploads = h('ol', { class: 'uploads', 'aria-live': 'polite' });
  const counter = h('p', { class: 'counter', role: 'status' });

  // Paste one article.
  const field = (label, input) => h('label', { class: 'field' }, h('span', null, label), input);
  const title = h('input', { type: 'text', name: 'title', autocomplete: 'off' });
  const outlet = h('input', { type: 'text', name: 'outlet', autocomplete: 'off' });
  const published = h('input', { type: 'date', name: 'published' });
  const url = h('input', { type: 'url', name: 'url', dir: 'ltr', autocomplete: 'off' });
  const docId = h('input', { type: 'text', name: 'id', dir: 'ltr', autocomplete: 'off' });
  const text = h('textarea', { name: 'text', rows: '10', required: true, placeholder: 'الصق نص المقال هنا…' });
  const pasteForm = h('form', { class: 'paste-form' },
    field('نص المقال', text),
    h('div', { class: 'field-row' },
      field('العنوان (اختياري)', title),
      field('الوسيلة الإعلامية (اختياري)', outlet),
      field('تاريخ النشر (اختياري)', published)),
    h('details', null, h('summary', null, 'حقول أخرى'), h('div', { class: 'field-row' }, field('الرابط', url), field('المعرّف', docId))),
    h('button', { type: 'submit' }, 'إرسال المقال'));
  pasteForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    const record = { text: text.value };
    if (title.value.trim()) record.title = title.value.trim();
    if (outlet.value.trim()) record.outlet = outlet.value.trim();
    if (published.value) record.published = published.value;
    if (url.value.trim()) record.url = url.value.trim();
    if (docId.value.trim()) record.id = docId.value.trim();
    const row = uploadRow(uploads, record.title || record.id || 'مقال ملصوق');
    const button = pasteForm.querySelector('button');
    button.disabled = true;
    row.start();
    try {
      row.done(await postDocuments(JSON.stringify(record), (f) => row.progress(f)));
      pasteForm.reset();
    } catch (err) {
      row.fail(err);
    } finally {
      button.disabled = false;
    }
  });

  // Upload files, one request each, in order.
  const files = h('input', { type: 'file', name: 'files', multiple: true, accept: '.txt,.json,.jsonl,.ndjson,text/plain,application/json' });
  const fileForm = h('form', { class: 'file-form' },
    field('ملفات (txt أو json أو jsonl)', files),
    h('p', { class: 'muted' }, 'يصبح كل ملف txt مقالاً معرّفه اسم الملف؛ ملفات json و jsonl تُرسل كما هي (سجل لكل سطر).'),
    h('button', { type: 'submit' }, 'رفع الملفات'));
  fileForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const list = [...files.files];
    if (!list.length) return;
    const button = fileForm.querySelector('button');
    button.disabled = true;
    let done = 0;
    counter.textContent = `تم 0 من ${list.length} ملفات`;
    const rows = list.map((f) => uploadRow(uploads, f.name));
    for (let i = 0; i < list.length; ++i) {
      rows[i].start();
      try {
        rows[i].done(await postDocuments(await bodyOf(list[i]), (f) => rows[i].progress(f)));
      } catch (err) {
        rows[i].fail(err);
      }
      counter.textContent = `تم ${++done} من ${list.length} ملفات`;
    }
    fileForm.reset();
    button.disabled = false;
  });

  clear(root).append(
    h('h1', null, 'إضافة مقالات'),
    h('div', { class: 'ingest-grid' },
      h('section', { class: 'block', id: 'paste' }, h('h2', null, 'لصق مقال'), pasteForm),
      h('section', { class: 'block', id: 'upload' }, h('h2', null, 'رفع ملفات'), fileForm)),
    h('section', { class: 'block', id: 'progress' }, h('h2', null, 'التقدّم والنتائج'), counter, uploads,
      h('p', null, h('a', { href: '#/events' }, 'عرض الأحداث ←'))));
}
