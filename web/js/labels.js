// Arabic labels for the engine's codes. Unknown codes are shown as they are, so a new
// figure kind or qualifier added to the engine still displays.

const FIGURE_KINDS = {
  killed: 'قتلى',
  injured: 'جرحى',
  arrested: 'معتقلون',
  missing: 'مفقودون',
  attackers_killed: 'قتلى من المهاجمين',
  displaced: 'نازحون',
  responsibility: 'تبنّي المسؤولية',
  accusation: 'اتهام',
  denial: 'نفي',
  warning: 'تحذير',
};

const QUALIFIERS = {
  exact: 'بالضبط',
  at_least: 'على الأقل',
  more_than: 'أكثر من',
  at_most: 'على الأكثر',
  less_than: 'أقل من',
  up_to: 'ما يصل إلى',
  about: 'نحو',
  vague: 'عدد غير محدد',
};

// Short symbol drawn next to a bar.
const QUALIFIER_MARKS = {
  exact: '=',
  at_least: '≥',
  more_than: '>',
  at_most: '≤',
  less_than: '<',
  up_to: '≤',
  about: '≈',
  vague: '~',
};

const ENTITY_TYPES = {
  PER: 'أشخاص',
  ORG: 'منظمات وهيئات',
  LOC: 'أماكن',
  GPE: 'مدن ودول',
  FAC: 'منشآت',
  MISC: 'أخرى',
};

const ENTITY_TYPE_ONE = {
  PER: 'شخص', ORG: 'منظمة', LOC: 'مكان', GPE: 'مدينة/دولة', FAC: 'منشأة', MISC: 'أخرى',
};

const QUOTE_KINDS = { direct: 'اقتباس مباشر', indirect: 'نقل غير مباشر' };

const SOURCE_KINDS = {
  person: 'شخص', institution: 'جهة رسمية', anonymous: 'مصدر مجهول', media: 'وسيلة إعلام',
};

const CONFLICT_FIELDS = { date: 'تاريخ الحدث', place: 'مكان الحدث' };

export function figureKind(kind) { return FIGURE_KINDS[kind] ?? kind; }
export function qualifier(q) { return QUALIFIERS[q] ?? q; }
export function qualifierMark(q) { return QUALIFIER_MARKS[q] ?? ''; }
export function entityTypes(t) { return ENTITY_TYPES[t] ?? t; }
export function entityType(t) { return ENTITY_TYPE_ONE[t] ?? t; }
export function quoteKind(k) { return QUOTE_KINDS[k] ?? k; }
export function sourceKind(k) { return SOURCE_KINDS[k] ?? k; }

// "date" → تاريخ الحدث, "figure:killed" → عدد القتلى
const FIGURE_COUNTS = {
  killed: 'عدد القتلى', injured: 'عدد الجرحى', arrested: 'عدد المعتقلين', missing: 'عدد المفقودين',
  attackers_killed: 'عدد القتلى من المهاجمين', displaced: 'عدد النازحين',
};

export function conflictField(field) {
  if (typeof field === 'string' && field.startsWith('figure:')) {
    const kind = field.slice(7);
    return FIGURE_COUNTS[kind] ?? `عدد ${figureKind(kind)}`;
  }
  return CONFLICT_FIELDS[field] ?? field;
}

const VAGUE = { 10: 'عشرات', 100: 'مئات', 1000: 'آلاف', 1000000: 'ملايين' };

// A reported value with its qualifier, in reading order: "12 على الأقل", "أكثر من 50", "نحو 40".
export function valueWithQualifier(value, q) {
  const v = String(value);
  switch (q) {
    case 'exact': case undefined: case null: return v;
    case 'at_least': case 'at_most': return `${v} ${qualifier(q)}`;
    case 'vague': return VAGUE[v] ?? `عدد غير محدد (~${v})`;
    default: return `${qualifier(q)} ${v}`;
  }
}

// Conflict values of figures come as "<qualifier> <number>" ("exact 9", "at_least 12").
export function conflictValue(field, value) {
  if (typeof field === 'string' && field.startsWith('figure:')) {
    const m = /^([a-z_]+)\s+(.+)$/.exec(String(value));
    if (m) return valueWithQualifier(m[2], m[1]);
  }
  return String(value);
}

export const CLAIM_TYPES = FIGURE_KINDS;

// "3 أقوال": Arabic counted nouns change with the number.
export function quoteCount(n) {
  if (n === 1) return 'قول واحد';
  if (n === 2) return 'قولان';
  if (n >= 3 && n <= 10) return `${n} أقوال`;
  return `${n} قولاً`;
}
