// One SVG bar chart per figure kind: a row per source report, bars growing from the
// right (zero) towards the left, as Arabic reads. The qualifier decides the drawing:
//   exact                        solid bar
//   at_least, more_than          solid bar, then a fading open extension towards higher values, "≥"/">"
//   up_to, at_most, less_than    bar fading towards zero (open lower end), a cap at the bound, "≤"/"<"
//   about                        lighter bar with a ±15% whisker, "≈"
//   vague                        hatched bar (the value is an order of magnitude), "~"
// A shaded band marks the reconciled range [low, high] and a dashed line the best value.
import { s, h, numberText, docHref } from './dom.js';
import { figureKind, qualifier, qualifierMark, valueWithQualifier } from './labels.js';

let chartCounter = 0;

function niceStep(max, ticks) {
  const raw = max / ticks;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

function truncate(text, maxChars) {
  const t = String(text ?? '');
  return t.length > maxChars ? `${t.slice(0, Math.max(1, maxChars - 1))}…` : t;
}

const finite = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));

// figure: {kind, best, low, high, consistent, rationale, reports[]}
// docs: Map from the dossier's document id to {document, outlet, title}
// width: pixels available (the chart is drawn at that size and scales with its box).
export function figureChart(figure, docs, width) {
  const id = `c${++chartCounter}`;
  const reports = Array.isArray(figure.reports) ? figure.reports : [];
  const W = Math.max(300, Math.round(width || 600));
  const labelW = Math.min(200, Math.round(W * 0.36));
  const valueW = 64;
  const axisH = 26;
  const rowH = 40;
  const H = axisH + rowH * Math.max(1, reports.length) + 8;
  const x0 = W - labelW - 10;          // value 0
  const xEnd = valueW + 6;             // the largest value on the axis
  const values = reports.map((r) => Number(r.value)).filter(Number.isFinite);
  if (finite(figure.high)) values.push(Number(figure.high));
  const top = Math.max(1, ...values) * 1.3;
  const step = niceStep(top, W < 420 ? 3 : 5);
  const maxV = Math.ceil(top / step) * step;
  const xv = (v) => x0 - (Math.max(0, Math.min(v, maxV)) / maxV) * (x0 - xEnd);

  const svg = s('svg', {
    class: 'figure-chart', viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img',
    'aria-label': `${figureKind(figure.kind)}: ${reports.length} تقارير`,
    'data-kind': figure.kind, 'data-consistent': String(figure.consistent !== false),
    preserveAspectRatio: 'xMidYMin meet',
  });

  svg.appendChild(s('defs', null,
    s('linearGradient', { id: `${id}-open-high`, x1: '1', y1: '0', x2: '0', y2: '0' },
      s('stop', { offset: '0', class: 'stop-strong' }), s('stop', { offset: '1', class: 'stop-clear' })),
    s('linearGradient', { id: `${id}-open-low`, x1: '0', y1: '0', x2: '1', y2: '0' },
      s('stop', { offset: '0', class: 'stop-strong' }), s('stop', { offset: '1', class: 'stop-clear' })),
    s('pattern', { id: `${id}-hatch`, width: '6', height: '6', patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: '6', height: '6', class: 'hatch-bg' }),
      s('line', { x1: '0', y1: '0', x2: '0', y2: '6', class: 'hatch-line' }))));

  // Axis and grid.
  const axis = s('g', { class: 'axis' });
  for (let v = 0; v <= maxV + 1e-9; v += step) {
    const x = xv(v);
    axis.appendChild(s('line', { x1: x, y1: axisH - 4, x2: x, y2: H - 4, class: 'grid' }));
    axis.appendChild(s('text', { x, y: axisH - 10, 'text-anchor': 'middle', direction: 'ltr', class: 'tick' }, numberText(v)));
  }
  svg.appendChild(axis);

  // Reconciled range and best value.
  if (finite(figure.low) || finite(figure.high)) {
    const lo = finite(figure.low) ? Number(figure.low) : 0;
    const hi = finite(figure.high) ? Number(figure.high) : maxV;
    svg.appendChild(s('rect', {
      class: 'range-band', x: xv(hi), y: axisH - 4, width: Math.max(2, xv(lo) - xv(hi)), height: H - axisH,
    }, s('title', null, `المدى المعقول: ${numberText(lo)} – ${finite(figure.high) ? numberText(hi) : '∞'}`)));
  }
  if (finite(figure.best)) {
    const xb = xv(Number(figure.best));
    svg.appendChild(s('line', { class: 'best-line', x1: xb, y1: axisH - 4, x2: xb, y2: H - 4 },
      s('title', null, `القيمة الأرجح: ${numberText(figure.best)}`)));
  }

  reports.forEach((r, i) => {
    const y = axisH + i * rowH;
    const v = Number(r.value);
    const info = docs.get(r.doc) || {};
    const href = docHref(info.document, r.span);
    const q = r.qualifier || 'exact';
    const classes = ['bar', `q-${q}`];
    if (r.superseded) classes.push('superseded');
    if (r.independent === false) classes.push('copy');
    const row = s(href ? 'a' : 'g', {
      class: classes.join(' '), href: href || undefined,
      'data-value': finite(v) ? String(v) : '', 'data-qualifier': q, 'data-doc': r.doc,
    });
    const source = info.outlet || r.doc;
    const tags = [r.superseded ? 'سابق' : null, r.independent === false ? 'نسخة' : null].filter(Boolean);
    row.appendChild(s('title', null,
      `${source}: ${valueWithQualifier(numberText(v), q)} (${qualifier(q)})${r.attributed_to ? ` — بحسب ${r.attributed_to}` : ''}\n${r.sentence || ''}`));
    row.appendChild(s('rect', { class: 'row-bg', x: 0, y, width: W, height: rowH }));
    row.appendChild(s('text', { x: W - 4, y: y + 17, 'text-anchor': 'start', direction: 'rtl', class: 'row-label' },
      truncate(source, Math.floor(labelW / 7.5))));
    const sub = [r.attributed_to ? `بحسب ${r.attributed_to}` : null, tags.length ? `(${tags.join('، ')})` : null].filter(Boolean).join(' ');
    if (sub) {
      row.appendChild(s('text', { x: W - 4, y: y + 32, 'text-anchor': 'start', direction: 'rtl', class: 'row-sub' },
        truncate(sub, Math.floor(labelW / 6))));
    }

    const by = y + 10;
    const bh = 18;
    if (finite(v)) {
      const xvV = xv(v);
      const len = Math.max(1, x0 - xvV);
      switch (q) {
        case 'at_least':
        case 'more_than':
          row.appendChild(s('rect', { class: 'bar-fill', x: xvV, y: by, width: len, height: bh }));
          row.appendChild(s('rect', {
            class: 'bar-open', x: xEnd, y: by, width: Math.max(0, xvV - xEnd), height: bh, fill: `url(#${id}-open-high)`,
          }));
          break;
        case 'up_to':
        case 'at_most':
        case 'less_than':
          row.appendChild(s('rect', { class: 'bar-open', x: xvV, y: by, width: len, height: bh, fill: `url(#${id}-open-low)` }));
          row.appendChild(s('line', { class: 'bar-cap', x1: xvV, y1: by - 3, x2: xvV, y2: by + bh + 3 }));
          break;
        case 'about': {
          row.appendChild(s('rect', { class: 'bar-fill bar-soft', x: xvV, y: by, width: len, height: bh }));
          const wl = xv(Math.floor(v * 0.85));
          const wh = xv(Math.ceil(v * 1.15));
          const my = by + bh / 2;
          row.appendChild(s('g', { class: 'whisker' },
            s('line', { x1: wh, y1: my, x2: wl, y2: my }),
            s('line', { x1: wh, y1: my - 6, x2: wh, y2: my + 6 }),
            s('line', { x1: wl, y1: my - 6, x2: wl, y2: my + 6 })));
          break;
        }
        case 'vague':
          row.appendChild(s('rect', { class: 'bar-hatch', x: xvV, y: by, width: len, height: bh, fill: `url(#${id}-hatch)` }));
          break;
        default:
          row.appendChild(s('rect', { class: 'bar-fill', x: xvV, y: by, width: len, height: bh }));
      }
      const mark = qualifierMark(q);
      if (mark && q !== 'exact') {
        row.appendChild(s('text', { x: xvV - 3, y: by + 14, 'text-anchor': 'end', direction: 'ltr', class: 'bar-mark' }, mark));
      }
    }
    row.appendChild(s('text', { x: 4, y: by + 14, 'text-anchor': 'start', direction: 'ltr', class: 'bar-value' },
      `${q === 'exact' ? '' : `${qualifierMark(q)} `}${numberText(v)}`));
    svg.appendChild(row);
  });

  return svg;
}

// The whole figure block: heading with best/low/high, conflict mark, the chart, the rationale.
export function figureBlock(figure, docs, width) {
  const conflict = figure.consistent === false;
  const range = finite(figure.low) || finite(figure.high)
    ? `${numberText(figure.low)} – ${finite(figure.high) ? numberText(figure.high) : '∞'}` : '—';
  return h('section', { class: `figure${conflict ? ' has-conflict' : ''}`, 'data-kind': figure.kind },
    h('header', { class: 'figure-head' },
      h('h3', null, figureKind(figure.kind)),
      h('dl', { class: 'figure-stats' },
        h('div', null, h('dt', null, 'الأرجح'), h('dd', { class: 'best' }, numberText(figure.best))),
        h('div', null, h('dt', null, 'الأدنى'), h('dd', { class: 'low' }, numberText(figure.low))),
        h('div', null, h('dt', null, 'الأعلى'), h('dd', { class: 'high' }, finite(figure.high) ? numberText(figure.high) : '∞'))),
      conflict ? h('span', { class: 'badge conflict-badge', title: 'تقارير لا يمكن أن تصح كلها معاً' }, '⚠ أرقام متعارضة')
        : h('span', { class: 'badge ok-badge' }, 'متّسقة'),
      h('span', { class: 'sr-only' }, `المدى: ${range}`)),
    figureChart(figure, docs, width),
    figure.rationale ? h('details', { class: 'rationale' }, h('summary', null, 'كيف اختيرت القيمة'),
      h('p', { dir: 'ltr', lang: 'en' }, figure.rationale)) : null);
}

export function chartLegend() {
  // The symbols are isolated left-to-right: in Arabic text "≥" would be mirrored.
  const item = (cls, label, mark, note) => h('li', null, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), label,
    mark ? [' (', h('bdi', { dir: 'ltr' }, mark), note ? `، ${note}` : '', ')'] : null);
  return h('ul', { class: 'chart-legend' },
    item('sw-exact', 'رقم محدد'),
    item('sw-at-least', 'حدّ أدنى', '≥', 'مفتوح نحو الأعلى'),
    item('sw-up-to', 'حدّ أعلى', '≤', 'مفتوح نحو الصفر'),
    item('sw-about', 'تقريبي', '≈', 'مع هامش'),
    item('sw-vague', 'غير محدد (عشرات، مئات)'),
    item('sw-band', 'المدى المعقول والقيمة الأرجح (خط متقطع)'));
}
