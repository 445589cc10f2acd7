// Pass 1 of quote extraction: quote marks, words, and the "who says so" phrases of one sentence.
#include <algorithm>

#include "extract/quote_internal.h"
#include "extract/quote_lexicon.h"
#include "isnad/chars.h"
#include "isnad/sentences.h"

namespace isnad {

namespace lx = quote_lexicon;
namespace qi = quote_internal;

std::string_view to_string(QuoteKind k) { return k == QuoteKind::kDirect ? "direct" : "indirect"; }

std::string_view to_string(SourceKind k) {
  switch (k) {
    case SourceKind::kPerson: return "person";
    case SourceKind::kInstitution: return "institution";
    case SourceKind::kAnonymous: return "anonymous";
    case SourceKind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(Resolution r) {
  switch (r) {
    case Resolution::kNamed: return "named";
    case Resolution::kCoreference: return "coreference";
    case Resolution::kCarried: return "carried";
    case Resolution::kPronoun: return "pronoun";
    case Resolution::kUnresolved: return "unresolved";
  }
  return "unresolved";
}

namespace quote_internal {
namespace {

enum class Mark : unsigned char { kNone, kOpen, kOpenGuillemet, kClose, kCloseGuillemet, kAscii };

// Quote mark at `i` and its length in bytes.
Mark mark_at(std::string_view t, std::size_t i, std::uint32_t& len) {
  const auto b = [&](std::size_t k) { return k < t.size() ? static_cast<unsigned char>(t[k]) : 0u; };
  len = 1;
  if (b(i) == '"') return Mark::kAscii;
  if (b(i) == 0xC2) {
    len = 2;
    if (b(i + 1) == 0xAB) return Mark::kOpenGuillemet;
    if (b(i + 1) == 0xBB) return Mark::kCloseGuillemet;
  }
  if (b(i) == 0xE2 && b(i + 1) == 0x80) {
    len = 3;
    if (b(i + 2) == 0x9C || b(i + 2) == 0x9E) return Mark::kOpen;
    if (b(i + 2) == 0x9D) return Mark::kClose;
  }
  return Mark::kNone;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

std::vector<QuoteRegion> find_quote_regions(std::string_view text, Span range) {
  std::vector<QuoteRegion> out;
  std::vector<Mark> stack;
  std::uint32_t start = 0;  // offset of the top-level opener
  std::uint32_t start_len = 0;
  const auto emit = [&](std::uint32_t close_begin, std::uint32_t close_end, bool closed) {
    const Span inner{start + start_len, close_begin};
    if (!inner.empty()) out.push_back({Span{start, close_end}, inner, closed});
    stack.clear();
  };
  for (std::uint32_t i = range.begin; i < range.end;) {
    if (text[i] == '\n') {
      if (!stack.empty()) emit(i, i, false);
      ++i;
      continue;
    }
    // Every mark starts with one of these bytes; the rest of the text (Arabic letters above
    // all) is passed over without decoding.
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != '"' && c != 0xC2 && c != 0xE2) {
      ++i;
      continue;
    }
    std::uint32_t len = 1;
    const Mark m = mark_at(text, i, len);
    if (m == Mark::kNone) {
      ++i;
      continue;
    }
    const bool space_before = i == range.begin || is_blank(text[i - 1]);
    const bool space_after = i + len >= range.end || is_blank(text[i + len]) ||
                             std::string_view(".,:;?!)").find(text[i + len]) != std::string_view::npos;
    const auto push = [&](Mark kind) {
      if (stack.empty()) {
        start = i;
        start_len = len;
      }
      stack.push_back(kind);
    };
    const auto close = [&](Mark opener) {
      // Any closer closes any opener ("“…»"), but a closer that matches a deeper opener closes
      // the inner ones left open too.
      auto it = std::find(stack.rbegin(), stack.rend(), opener);
      if (it == stack.rend()) it = stack.rbegin();
      stack.erase(std::prev(it.base()), stack.end());
      if (stack.empty()) emit(i, i + len, true);
    };
    switch (m) {
      case Mark::kOpen:
      case Mark::kOpenGuillemet:
        push(m);
        break;
      case Mark::kClose:
      case Mark::kCloseGuillemet:
        if (!stack.empty()) {
          close(m == Mark::kClose ? Mark::kOpen : Mark::kOpenGuillemet);
        } else if (space_before && !space_after) {
          push(m == Mark::kClose ? Mark::kOpen : Mark::kOpenGuillemet);  // a reversed mark used as opener
        }
        break;
      case Mark::kAscii:
        if (!stack.empty() && (stack.back() == Mark::kAscii || (!space_before && space_after))) {
          close(Mark::kAscii);
        } else {
          push(Mark::kAscii);
        }
        break;
      case Mark::kNone:
        break;
    }
    i += len;
  }
  if (!stack.empty()) emit(range.end, range.end, false);
  return out;
}

void split_words(std::string_view text, Span sentence, std::span<const QuoteRegion> regions,
                 std::vector<Word>& words, std::uint16_t& tail_gap) {
  words.clear();
  const auto gap_of = [&](std::uint32_t from, std::uint32_t to) {
    std::uint16_t g = 0;
    for (std::uint32_t k = from; k < to; ++k) {
      const char c = text[k];
      std::uint32_t len = 1;
      if (c == ',') g |= kGapComma;
      else if (c == ':') g |= kGapColon;
      else if (c == '.' || c == '?' || c == '!' || c == ';') g |= kGapStop;
      else if (c == '\n') g |= kGapNewline;
      else if (mark_at(text, k, len) != Mark::kNone) g |= kGapQuote, k += len - 1;
      else if (c != ' ' && c != '\t') g |= kGapOther;
    }
    return g;
  };
  const std::string_view bounded = text.substr(0, sentence.end);
  WordScanner scanner(bounded, sentence.begin);
  std::uint32_t prev_end = sentence.begin;
  std::size_t r = 0;
  for (Span s; scanner.next(s);) {
    Word w;
    w.span = s;
    w.cls = lx::classes_conj(s.of(text), w.strip);
    w.gap = gap_of(prev_end, s.begin);
    while (r < regions.size() && regions[r].inner.end <= s.begin) ++r;
    w.masked = r < regions.size() && regions[r].inner.begin <= s.begin;
    // Punctuation inside a quoted title ("كتاب “حرب: …”") is not the sentence's own.
    if (w.masked && !words.empty() && words.back().masked && regions[r].inner.begin <= prev_end) w.gap &= kGapQuote;
    words.push_back(w);
    prev_end = s.end;
  }
  tail_gap = gap_of(prev_end, sentence.end);
}

std::uint32_t leading_particle(std::string_view word) {
  // ل U+0644 = D9 84, ب U+0628 = D8 A8
  const auto at = [&](std::size_t k, unsigned char a, unsigned char b) {
    return word.size() > k + 1 && static_cast<unsigned char>(word[k]) == a && static_cast<unsigned char>(word[k + 1]) == b;
  };
  if (word.size() <= 4) return 0;
  if (at(0, 0xD9, 0x84) && at(2, 0xD9, 0x84)) return 4;  // لل: the article's alef is elided
  if (at(0, 0xD9, 0x84) || at(0, 0xD8, 0xA8)) return 2;
  return 0;
}

std::vector<std::string_view> name_words(std::string_view text, Span name) {
  std::vector<std::string_view> out;
  WordScanner scanner(text.substr(0, name.end), name.begin);
  for (Span s; scanner.next(s);) out.push_back(s.of(text));
  return out;
}

namespace {

constexpr std::uint16_t kBreak = kGapComma | kGapColon | kGapStop | kGapNewline | kGapQuote | kGapOther;

bool starts_with_al(std::string_view w) {
  return w.size() > 4 && static_cast<unsigned char>(w[0]) == 0xD8 && static_cast<unsigned char>(w[1]) == 0xA7 &&
         static_cast<unsigned char>(w[2]) == 0xD9 && static_cast<unsigned char>(w[3]) == 0x84;
}

// Classes `c` of a word, adding those of its indefinite form for role/institution/outlet words.
std::uint32_t with_indefinite(std::string_view core, std::uint32_t c) {
  if (starts_with_al(core))
    c |= lx::classes(core.substr(4)) & (lx::kRole | lx::kInstitution | lx::kOutlet | lx::kStatement | lx::kNotSource);
  return c;
}
std::uint32_t classes_def(std::string_view core) { return with_indefinite(core, lx::classes(core)); }

class SentenceParser {
 public:
  SentenceParser(std::string_view text, Span sentence, std::span<const QuoteRegion> regions,
                 std::span<const EntityMention> entities, std::vector<Word>& words)
      : t_(text), sentence_(sentence), regions_(regions), entities_(entities), w_(words) {
    split_words(text, sentence, regions, w_, tail_gap_);
  }

  void people(std::vector<Span>& found) const {
    for (std::uint32_t i = 0; i + 1 < n(); ++i) {
      if (w_[i].masked || !(cls_def(i) & lx::kRole)) continue;
      Attribution p;
      const std::uint32_t k = source_end(i, 0);
      if (!classify(i, k, 0, p) || p.name == p.source || p.kind != SourceKind::kPerson) continue;
      std::uint32_t first = i;
      while (w_[first].span.begin < p.name.begin) ++first;
      // Three words at most, and a third word with a pronoun or teh marbuta ending (استقالته،
      // ثلاثة) is not part of the name.
      std::uint32_t last = std::min(k, first + 3);
      if (last == first + 3 && core(first + 2).ends_with("\xD9\x87")) --last;
      if (last > first + 1) found.push_back(Span{p.name.begin, w_[last - 1].span.end});
    }
  }

  void run(std::vector<Attribution>& out) {
    const std::size_t first = out.size();
    for (std::uint32_t i = 0; i < n(); ++i) {
      if (w_[i].masked) continue;
      const std::uint32_t c = w_[i].cls;
      // A speech verb inside the reported content of an earlier cue is reported speech in
      // reported speech, unless it opens a new clause ("، وأضاف أن").
      if ((c & lx::kCueVerb) && out.size() > first && out.back().content.contains(w_[i].span) &&
          !(w_[i].strip && (w_[i].gap & kGapComma)))
        continue;
      Attribution a;
      bool ok = false;
      if (c & lx::kCueVerb) ok = speech_verb(i, a);
      else if (c & lx::kAccording) ok = according(i, a, out, first);
      else if (c & lx::kParticiple) ok = participle(i, a, out, first);
      if (ok) out.push_back(a);
    }
    // Content stops where the next attribution of the sentence begins.
    for (std::size_t k = first; k + 1 < out.size(); ++k) {
      const std::uint32_t next = out[k + 1].whole.begin;
      Span& c = out[k].content;
      if (c.begin < next && next < c.end) c.end = trim_back(c.begin, next);
    }
  }

 private:
  std::uint32_t n() const { return static_cast<std::uint32_t>(w_.size()); }
  std::string_view core(std::uint32_t i) const { return w_[i].span.of(t_).substr(w_[i].strip); }
  // The word's classes are those of its core already (classes_conj strips only what it looked up).
  std::uint32_t cls_def(std::uint32_t i) const { return with_indefinite(core(i), w_[i].cls); }

  std::uint32_t trim_back(std::uint32_t begin, std::uint32_t end) const {
    while (end > begin && std::string_view(" \t\n.,;:!?").find(t_[end - 1]) != std::string_view::npos) --end;
    return end;
  }
  std::uint32_t content_end() const { return trim_back(sentence_.begin, sentence_.end); }

  const QuoteRegion* region_starting_before(std::uint32_t i) const {
    for (const QuoteRegion& r : regions_)
      if (r.inner.begin <= w_[i].span.begin && w_[i].span.begin < r.inner.end) return &r;
    return nullptr;
  }
  std::uint32_t first_word_after(std::uint32_t pos) const {
    std::uint32_t k = 0;
    while (k < n() && w_[k].span.begin < pos) ++k;
    return k;
  }

  // Index one past the source phrase starting at word j (whose first `skip` bytes are a particle).
  std::uint32_t source_end(std::uint32_t j, std::uint32_t skip) const {
    if (j >= n() || w_[j].masked) return j;
    const std::string_view head = w_[j].span.of(t_).substr(skip ? skip : w_[j].strip);
    const std::uint32_t hc = skip ? classes_def(head) : cls_def(j);
    if ((hc & (lx::kComplementizer | lx::kPrep | lx::kTime | lx::kRelative | lx::kCueVerb | lx::kBlocksThat |
               lx::kNegation | lx::kParticiple | lx::kPronoun)) &&
        !(hc & (lx::kRole | lx::kInstitution | lx::kAnonymous)))
      return j;
    std::uint32_t k = j + 1;
    for (; k < n() && k - j < 8; ++k) {
      if ((w_[k].gap & kBreak) || w_[k].masked) break;
      const std::uint32_t c = cls_def(k);
      const bool after_quantifier = w_[k - 1].cls & lx::kQuantifier;
      if ((c & (lx::kComplementizer | lx::kTime | lx::kRelative | lx::kCueVerb | lx::kParticiple | lx::kAccording |
                lx::kBlocksThat | lx::kNegation | lx::kDiscourse | lx::kSaying)) ||
          (w_[k].cls & lx::kOutlet) ||
          ((c & lx::kPrep) && !after_quantifier))
        break;
      const std::string_view wd = w_[k].span.of(t_);
      if (const std::uint32_t p = leading_particle(wd)) {
        const bool genitive_of_statement = k == j + 1 && (lx::classes(head) & lx::kStatement);  // تقرير لنقابة …
        // "الرئيس التنفيذي للشركة", "الهيئة العليا للانتخابات": لل after a role or institution is a
        // genitive, unless it names the audience (للصحفيين) or an outlet.
        const bool genitive_of_head = p == 4 && (hc & (lx::kRole | lx::kInstitution)) &&
                                      !(lx::classes(wd) & (lx::kAudience | lx::kOutlet)) &&
                                      !(classes_def(wd.substr(p)) & lx::kOutlet);
        if (genitive_of_head) continue;
        if (!genitive_of_statement &&
            (p == 4 || (classes_def(wd.substr(p)) & (lx::kOutlet | lx::kInstitution | lx::kRole | lx::kStatement))))
          break;
      }
    }
    return k;
  }

  // Fills source/name/role/kind of `a` from words [j, k); returns false for non-sources.
  bool classify(std::uint32_t j, std::uint32_t k, std::uint32_t skip, Attribution& a) const {
    if (j >= k) return false;
    const std::uint32_t b = w_[j].span.begin + (skip ? skip : w_[j].strip);
    Span src{b, w_[k - 1].span.end};
    // A PER mention inside the phrase fixes where the name is; ORG/GPE at its start is the source.
    for (const EntityMention& e : entities_) {
      if (!src.contains(e.span)) continue;
      if (e.type == EntityType::kPer) {
        a.source = Span{b, e.span.end};
        a.name = e.span;
        if (e.span.begin > b) a.role = Span{b, trim_back(b, e.span.begin)};
        a.kind = SourceKind::kPerson;
        return true;
      }
      if (e.span.begin == b && (e.type == EntityType::kOrg || e.type == EntityType::kGpe)) {
        a.source = a.name = e.span;
        a.kind = SourceKind::kInstitution;
        return true;
      }
    }
    std::uint32_t h = j;
    std::string_view head = t_.substr(b, w_[j].span.end - b);
    std::uint32_t hc = classes_def(head);
    if ((hc & (lx::kNotSource | lx::kConditional)) || (skip == 0 && lone_demonstrative(j))) return false;
    if ((hc & lx::kStatement) && j + 1 < k &&
        (leading_particle(w_[j + 1].span.of(t_)) || starts_with_al(core(j + 1)))) {  // "بيان الكرملين", "تقرير لنقابة المهندسين"
      h = j + 1;
      const std::uint32_t p = leading_particle(w_[h].span.of(t_));
      src.begin = w_[h].span.begin + (p ? p : w_[h].strip);
      head = src.of(t_).substr(0, w_[h].span.end - src.begin);
      hc = classes_def(head);
    }
    const bool quantified = (hc & lx::kQuantifier) && h + 1 < k;  // بعض الخبراء، معظم المحللين
    if (quantified) {
      ++h;
      if (h + 1 < k && (w_[h].cls & lx::kPrep)) ++h;  // عدد من
      hc = classes_def(core(h));
    }
    a.source = a.name = src;
    if ((hc & lx::kAnonymous) && !starts_with_al(core(h))) {
      a.kind = SourceKind::kAnonymous;
      // "خبير أمن المعلومات البريطاني ديفيد كلارك": an indefinite role closed by a definite word,
      // then two or three unknown bare words — a name.
      std::uint32_t last_al = k;
      for (std::uint32_t r = h + 1; r < k; ++r)
        if (starts_with_al(core(r))) last_al = r;
      if (last_al < k && (k - last_al - 1 == 2 || k - last_al - 1 == 3) && bare_names(last_al + 1, k)) {
        a.kind = SourceKind::kPerson;
        a.role = Span{src.begin, w_[last_al].span.end};
        a.name = Span{w_[last_al + 1].span.begin, src.end};
      }
    } else if ((hc & lx::kRole) || (starts_with_al(core(h)) && !(hc & lx::kInstitution) && has_bare_word(h + 1, k))) {
      // A role noun, or an unknown definite noun before a name (المزارع سليم الأحمد).
      std::uint32_t r = h + 1;
      while (r < k) {
        const std::uint32_t rc = cls_def(r);
        const bool linked = w_[r - 1].cls & lx::kRoleLink;
        const std::string_view rw = w_[r].span.of(t_);
        const bool conjoined_role = rw.size() > 6 && rw.substr(0, 2) == "\xD9\x88" && starts_with_al(rw.substr(2));  // والباحث
        const bool genitive = leading_particle(rw) == 4;  // الرئيس التنفيذي للشركة
        if (linked || conjoined_role || genitive || (rc & (lx::kRoleLink | lx::kInstitution | lx::kRole)) ||
            starts_with_al(core(r)))
          ++r;
        else break;
      }
      a.kind = SourceKind::kPerson;
      if (r < k) r = name_start(r, k);
      if (r < k) {
        a.role = Span{src.begin, w_[r - 1].span.end};
        a.name = Span{w_[r].span.begin, src.end};
      } else if (r == h + 1 && !starts_with_al(core(h))) {
        a.kind = SourceKind::kAnonymous;  // "مهندسة في فريق التصميم": a role without a name
      }
    } else if (quantified) {
      a.kind = SourceKind::kAnonymous;
    } else if ((hc & lx::kInstitution) || starts_with_al(core(h))) {
      a.kind = SourceKind::kInstitution;
    } else {
      a.kind = SourceKind::kPerson;
    }
    return true;
  }

  // Words [from, to) look like a name: no article, no known class.
  bool bare_names(std::uint32_t from, std::uint32_t to) const {
    for (std::uint32_t r = from; r < to; ++r)
      if (starts_with_al(core(r)) || cls_def(r) || w_[r].masked) return false;
    return true;
  }

  // Words [from, to) look like a personal name: a bare first word, no known class.
  bool name_like(std::uint32_t from, std::uint32_t to) const {
    if (from >= to || starts_with_al(core(from))) return false;
    for (std::uint32_t r = from; r < to; ++r)
      if (cls_def(r) || w_[r].masked || leading_particle(w_[r].span.of(t_))) return false;
    return true;
  }

  // Where the name starts in [r, k) after a role: after a title inside the stretch ("مدير صحة
  // المحافظة الدكتور عادل منصور"), else at a bare word that follows a definite one when the
  // stretch is long enough to hold a place and a name ("محافظ وادي الريم ماجد العطار").
  std::uint32_t name_start(std::uint32_t r, std::uint32_t k) const {
    for (std::uint32_t x = k - 1; x > r; --x)
      if ((w_[x - 1].cls & lx::kTitle) && !(cls_def(x) & lx::kRole)) return x;
    if (k - r >= 4)
      for (std::uint32_t x = k - 2; x > r; --x)
        if (starts_with_al(core(x - 1)) && !(w_[x].cls & lx::kKunya) && name_like(x, k) && k - x <= 3)
          return x;
    return r;
  }

  // A word without the article in [from, to): where a name can start.
  bool has_bare_word(std::uint32_t from, std::uint32_t to) const {
    for (std::uint32_t r = from; r < to; ++r)
      if (!starts_with_al(core(r)) && !(cls_def(r) & (lx::kRoleLink | lx::kInstitution | lx::kRole))) return true;
    return false;
  }

  // "، الزميل المشارك في …" after a name: the apposition is the role. Returns the next index.
  std::uint32_t apposition(std::uint32_t k, Attribution& a) const {
    for (int rounds = 0; rounds < 2 && k < n(); ++rounds) {
      if (!(w_[k].gap & kGapComma) || (w_[k].gap & (kGapStop | kGapNewline | kGapColon)) || w_[k].masked) break;
      const std::uint32_t c = cls_def(k);
      std::uint32_t e = k + 1;
      while (e < n() && e - k < 14 && !(w_[e].gap & (kGapComma | kGapColon | kGapStop | kGapNewline)) &&
             !(w_[e].cls & (lx::kComplementizer | lx::kCueVerb | lx::kParticiple)))
        ++e;
      const bool role_only = a.name == a.source && a.role.empty();
      // "الناطق باسم الحكومة، طارق عيسى،": a bare name closed by a comma after a role.
      const bool bare_name = role_only && a.kind != SourceKind::kInstitution && e - k >= 2 && e - k <= 3 &&
                             e < n() && (w_[e].gap & kGapComma) && name_like(k, e);
      const bool opens = bare_name || (c & lx::kRole) || starts_with_al(core(k)) || (c & lx::kRelative) ||
                         core(k) == "يدعي" || core(k) == "تدعي";
      if (!opens || (c & (lx::kCueVerb | lx::kParticiple | lx::kComplementizer))) break;
      const bool called = (c & lx::kCalled);
      Attribution inner;
      if (bare_name) {
        a.role = a.source;
        a.name = Span{w_[k].span.begin, w_[e - 1].span.end};
        a.kind = SourceKind::kPerson;
      } else if (called && k + 1 < e) {  // "أحد المشجعين، ويدعى خالد ناصر"
        a.role = a.source;
        a.name = Span{w_[k + 1].span.begin, w_[e - 1].span.end};
        a.kind = SourceKind::kPerson;
      } else if (role_only && ((c & lx::kRole) || starts_with_al(core(k))) && classify(k, std::min(e, source_end(k, 0)), 0, inner) &&
                 inner.name != inner.source) {  // "المتحدث باسم الشرطة، العقيد منير حداد"
        a.role = a.source;
        a.name = inner.name;
        a.kind = SourceKind::kPerson;
      } else if (((c & lx::kRole) || starts_with_al(core(k))) && !(c & lx::kAnonymous) &&
                 classify(k, std::min(e, source_end(k, 0)), 0, inner) && inner.kind == SourceKind::kPerson &&
                 !inner.role.empty() && inner.name != inner.source && name_words(t_, inner.name).size() >= 2 &&
                 name_like(first_word_after(inner.name.begin), first_word_after(inner.name.end))) {
        // "مديرة مستشفى المدينة العام، الدكتورة هالة يوسف،": a title and a name after the comma
        // name the person; what stood before is the role, whatever it was split into.
        a.role = Span{a.source.begin, a.source.end};
        a.name = inner.name;
        a.kind = SourceKind::kPerson;
      } else if (a.role.empty() && !(c & lx::kRelative)) {
        a.role = Span{w_[k].span.begin + w_[k].strip, w_[e - 1].span.end};
      }
      // A masked word inside means a quoted title: keep going, the span still ends at a break.
      k = e;
    }
    return k;
  }

  // After the source: outlet, prepositional phrases, then إن/أن, ':' or a quote.
  void tail(std::uint32_t m, Attribution& a) const {
    const std::uint32_t limit = std::min(n(), m + 14);
    for (; m < limit; ++m) {
      const Word& wd = w_[m];
      if (wd.gap & (kGapStop | kGapNewline)) return;
      if (wd.gap & kGapColon) {
        a.ends_with_colon = true;
        if (!wd.masked) a.content = Span{wd.span.begin, content_end()};
        return;
      }
      if (wd.masked) {
        const QuoteRegion* r = region_starting_before(m);
        const std::uint32_t after = first_word_after(r ? r->outer.end : wd.span.end);
        const std::string_view before = m > 0 ? w_[m - 1].span.of(t_) : std::string_view{};
        const std::uint32_t bp = leading_particle(before);
        const bool titled = m > 0 && (core(m - 1).size() <= 2 || (cls_def(m - 1) & (lx::kOutlet | lx::kStatement)) ||
                                      (bp && (classes_def(before.substr(bp)) & lx::kOutlet)));
        const bool colon_follows = r && r->outer.end < t_.size() && t_[r->outer.end] == ':';
        if (r && (titled || colon_follows) && after > m) {
          if (a.outlet.empty() && titled) a.outlet = r->inner;
          a.whole.end = r->outer.end;
          m = after - 1;
          if (colon_follows) {
            a.ends_with_colon = true;
            if (after < n() && !w_[after].masked) a.content = Span{w_[after].span.begin, content_end()};
            return;
          }
          continue;
        }
        return;  // the quote itself: pass 2 attaches it
      }
      const std::uint32_t c = wd.cls;
      if (c & lx::kComplementizer) {
        if (m > 0 && (w_[m - 1].cls & lx::kBlocksThat)) return;
        name_before(m, a);
        const std::string_view cw = core(m);
        const bool bare = cw.size() <= 6;  // ان / بان: the content starts after it
        const std::uint32_t begin = bare ? (m + 1 < n() ? w_[m + 1].span.begin : wd.span.end) : wd.span.begin + wd.strip;
        a.whole.end = bare ? wd.span.end : wd.span.begin;
        // A quote right after إن: content begins at its opening mark.
        const std::uint32_t mark = bare ? wd.span.end : wd.span.begin;
        std::uint32_t content_begin = begin;
        for (const QuoteRegion& r : regions_)
          if (r.outer.begin >= mark && r.outer.begin <= begin) content_begin = r.outer.begin;
        if (content_begin < content_end()) a.content = Span{content_begin, content_end()};
        return;
      }
      if (c & (lx::kCueVerb | lx::kAccording | lx::kParticiple)) return;
      a.whole.end = wd.span.end;
      if (a.outlet.empty()) outlet_at(m, a);
    }
    if (m == n() && (tail_gap_ & kGapColon)) a.ends_with_colon = true;
  }

  // لصحيفة X، لوكالة رويترز، مع قناة X، شبكة CNN; للصحفيين is an audience and kept whole.
  // "منسق الإغاثة في المخيم بشير القاضي إن": a role-only source whose name comes after a
  // prepositional phrase, right before إن.
  void name_before(std::uint32_t m, Attribution& a) const {
    if (a.kind != SourceKind::kPerson || a.name != a.source || a.role.empty() == false || a.source.empty()) return;
    std::uint32_t b = m;
    while (b > 0 && w_[b - 1].span.begin >= a.source.end && !w_[b - 1].masked && !(w_[b].gap & kBreak) &&
           !(cls_def(b - 1) & (lx::kPrep | lx::kTime | lx::kOutlet | lx::kInstitution | lx::kStatement)) &&
           leading_particle(w_[b - 1].span.of(t_)) != 4 && m - b < 3)
      --b;
    while (b < m && (m - b > 2 || starts_with_al(core(b)))) ++b;
    if (m - b < 2 || w_[b].span.begin <= a.source.end) return;
    a.role = a.source;
    a.name = Span{w_[b].span.begin, w_[m - 1].span.end};
    a.source = Span{a.source.begin, a.name.end};
  }

  void outlet_at(std::uint32_t m, Attribution& a) const {
    const std::string_view wd = w_[m].span.of(t_);
    const std::uint32_t p = leading_particle(wd);
    if (p == 4 && (lx::classes(wd) & lx::kOutlet)) {
      a.outlet = w_[m].span;
      return;
    }
    std::uint32_t begin = 0;
    if (p == 2 && (classes_def(wd.substr(p)) & lx::kOutlet)) begin = w_[m].span.begin + p;
    else if (cls_def(m) & lx::kOutlet) begin = w_[m].span.begin + w_[m].strip;
    else return;
    std::uint32_t e = m + 1;
    while (e < n() && e - m < 5 && !(w_[e].gap & (kBreak & ~kGapQuote)) &&
           !(w_[e].cls & (lx::kComplementizer | lx::kPrep | lx::kTime | lx::kCueVerb)))
      ++e;
    a.outlet = Span{begin, w_[e - 1].span.end};
  }

  bool speech_verb(std::uint32_t i, Attribution& a) const {
    a.type = CueType::kSpeechVerb;
    a.cue = w_[i].span;
    a.female = w_[i].cls & lx::kCueFemale;
    const std::string_view verb = core(i);
    a.plural = verb.size() > 6 && (verb.ends_with("وا") || verb.ends_with("ون"));
    a.whole = a.cue;
    if (i > 0 && !(w_[i].gap & kBreak) && (w_[i - 1].cls & lx::kPronoun) && !w_[i - 1].masked) {
      a.pronoun = w_[i - 1].span;
      a.whole.begin = a.pronoun.begin;
    }
    // Negated verbs ("لم يذكر") report nothing.
    if (i > 0 && (w_[i - 1].cls & lx::kNegation)) return false;
    if (thing_indicates(i)) return false;
    std::uint32_t j = i + 1;
    // "نقلت صحيفة X عن مسؤول … قوله إن": the outlet relays, the speaker follows عن.
    if (core(i).starts_with("نقل") || core(i).starts_with("ينقل") || core(i).starts_with("تنقل")) {
      std::uint32_t on = j;
      while (on < n() && on < j + 8 && core(on) != "عن" &&
             !(w_[on].gap & (kGapComma | kGapColon | kGapStop | kGapNewline)) &&
             !(w_[on].cls & (lx::kComplementizer | lx::kCueVerb)))
        ++on;
      if (on >= n() || core(on) != "عن" || on + 1 >= n()) return false;
      if (on > j) {
        const std::uint32_t p = leading_particle(w_[j].span.of(t_));
        a.outlet = Span{w_[j].span.begin + (p ? p : w_[j].strip), w_[on - 1].span.end};
        for (const QuoteRegion& r : regions_)
          if (r.outer.begin < a.outlet.end && a.outlet.end < r.outer.end) a.outlet.end = r.outer.end;
      }
      j = on + 1;
    }
    // "كما ذكر ذلك رئيس القسم": the demonstrative is the object, the speaker comes after it.
    const std::uint32_t verb_next = j;
    if (j == i + 1 && j + 1 < n() && lone_demonstrative(j) && !(w_[j + 1].gap & kBreak) && !w_[j + 1].masked &&
        !(cls_def(j + 1) & (lx::kParticiple | lx::kComplementizer | lx::kPrep | lx::kCueVerb | lx::kTime)))
      ++j;
    std::uint32_t k = extend_to_person(j, source_end(j, 0));
    if (k > j && classify(j, k, 0, a)) {
      a.whole.end = w_[k - 1].span.end;
      k = quoted_name(k, a);
      const std::uint32_t before = k;
      k = apposition(k, a);
      if (k == before) k = apposition_after_modifier(k, a);
      if (k > 0) a.whole.end = std::max(a.whole.end, w_[k - 1].span.end);
    } else if (verb_next > i + 1) {
      return false;
    } else {
      k = i + 1;
      if (a.pronoun.empty()) svo_subject(i, a);
    }
    tail(k, a);
    return !a.content.empty() || a.ends_with_colon || !a.source.empty() || !a.pronoun.empty() ||
           (k < n() && w_[k].masked) || i + 1 == n();
  }

  // "هذا قد يشير إلى أن", "كما يشير ذلك إلى أن", "تشير حقيقة أن … إلى": the subject of the verb is
  // a thing (a demonstrative, an abstract noun), so nothing is said by anyone. Before the verb the
  // thing is its subject when only قد stands between them, the verb has no و/ف ("هذا وتؤكد
  // النقابة" is the connector هذا), and it opens its clause: هذا/هذه anywhere, ذلك/تلك and nouns
  // at a clause start, after و/ف or after أن ("إلى ذلك نفى الرئيس" and "في ظل هذا الواقع يعتبر"
  // are adverbials, and the speaker follows the verb). After the verb, إن/أن or إلى must follow
  // the thing, since in "أكد ذلك المتحدث" the demonstrative is the object.
  bool thing_indicates(std::uint32_t i) const {
    auto thing = [&](std::uint32_t k) { return !w_[k].masked && ((cls_def(k) & lx::kNotSource) || lone_demonstrative(k)); };
    std::uint32_t b = i;
    while (b > 0 && !(w_[b].gap & kBreak) && w_[b - 1].strip == 0 && core(b - 1) == "\xD9\x82\xD8\xAF" /* قد */) --b;
    if (w_[i].strip == 0 && b > 0 && !(w_[b].gap & kBreak) && thing(b - 1)) {
      const std::uint32_t t = b - 1;
      const bool this_one = lone_demonstrative(t) && core(t).starts_with("\xD9\x87");  // هذا, هذه
      const bool opens = t == 0 || (w_[t].gap & kBreak) || w_[t].strip > 0 ||
                         (w_[t - 1].cls & (lx::kComplementizer | lx::kDiscourse));
      if (this_one || opens) return true;
    }
    const std::uint32_t j = i + 1;
    if (j + 1 >= n() || (w_[j].gap & kBreak) || (w_[j + 1].gap & kBreak) || !thing(j)) return false;
    return (w_[j + 1].cls & lx::kComplementizer) || core(j + 1) == "\xD8\xA7\xD9\x84\xD9\x8A" /* الي */;
  }

  // هذا/ذلك not followed by the definite noun it would point at ("هذا المسؤول" is a source).
  bool lone_demonstrative(std::uint32_t k) const {
    if (!(w_[k].cls & lx::kDemonstrative)) return false;
    return k + 1 >= n() || (w_[k + 1].gap & kBreak) || w_[k + 1].masked || !starts_with_al(core(k + 1)) ||
           (w_[k + 1].cls & (lx::kPrep | lx::kComplementizer));  // إلى looks definite
  }

  // "بحسب صحيفة “الملاعب”", "أعلنت شركة “الأفق”": the quoted name of an outlet or institution is
  // part of the source, not a quote. Returns the index after it.
  std::uint32_t quoted_name(std::uint32_t k, Attribution& a) const {
    if (k == 0 || k >= n() || !w_[k].masked || !(w_[k].gap & kGapQuote) ||
        !(cls_def(k - 1) & (lx::kOutlet | lx::kInstitution)))
      return k;
    const QuoteRegion* r = region_starting_before(k);
    if (r == nullptr || r->inner.size() >= 60) return k;
    if (a.name == a.source) a.name.end = r->outer.end;
    a.source.end = r->outer.end;
    a.whole.end = r->outer.end;
    return first_word_after(r->outer.end);
  }

  // "قائد فرق الدفاع المدني في المنطقة الغربية، العميد منير الخطيب", "مديرة مستشفى المدينة العام،
  // الدكتورة …": a name given as an apposition a few words after the source phrase; the words
  // between join the role.
  std::uint32_t apposition_after_modifier(std::uint32_t k, Attribution& a) const {
    if (a.kind == SourceKind::kInstitution || k >= n()) return k;
    const std::string_view first = w_[k].span.of(t_);
    if (lx::classes(first) & (lx::kAudience | lx::kOutlet)) return k;
    std::uint32_t c = k + 1;
    for (; c < n() && c < k + 8; ++c) {
      if (w_[c].masked || (w_[c].gap & (kGapColon | kGapStop | kGapNewline | kGapQuote))) return k;
      if (w_[c].gap & kGapComma) break;
      if (w_[c].cls & (lx::kComplementizer | lx::kCueVerb | lx::kParticiple | lx::kOutlet)) return k;
    }
    if (c >= n() || c >= k + 8) return k;
    Attribution b = a;
    const std::uint32_t after = apposition(c, b);
    if (b.name == b.source || after == c || b.name == a.name) return k;
    a.role = Span{a.source.begin, w_[c - 1].span.end};
    a.name = b.name;
    a.kind = SourceKind::kPerson;
    return after;
  }

  // With entity mentions, a source phrase cut at a preposition goes on to a PER mention a few
  // words later ("محلل الأسواق في شركة البوصلة ياسر حمدان").
  std::uint32_t extend_to_person(std::uint32_t j, std::uint32_t k) const {
    if (entities_.empty() || k <= j || k >= n()) return k;
    for (std::uint32_t e = k; e < n() && e < k + 6; ++e) {
      if ((w_[e].gap & kBreak) || w_[e].masked || (w_[e].cls & (lx::kComplementizer | lx::kCueVerb))) break;
      for (const EntityMention& m : entities_)
        if (m.type == EntityType::kPer && m.span.begin >= w_[e].span.begin && m.span.begin < w_[e].span.end) {
          std::uint32_t x = e;
          while (x < n() && w_[x].span.begin < m.span.end) ++x;
          return x;
        }
    }
    return k;
  }

  // "لكن معظم الخبراء، …، قالوا إن": the subject stands before the verb.
  void svo_subject(std::uint32_t i, Attribution& a) const {
    if (i == 0) return;
    std::uint32_t j = 0;
    while (j < i && (w_[j].cls & lx::kDiscourse)) ++j;
    // "أما النائب العام، فقال": the topic before the comma is the subject.
    if (core(0) == "اما" && i > 1 && core(i).size() + 2 == w_[i].span.size() && w_[i].span.of(t_).starts_with("ف")) {
      std::uint32_t e = 1;
      while (e < i && !(w_[e].gap & kBreak)) ++e;
      Attribution s;
      if (e == i && classify(1, e, 0, s)) {
        a.source = s.source, a.name = s.name, a.role = s.role, a.kind = s.kind;
        a.whole.begin = s.source.begin;
      }
      return;
    }
    // "غير أن سكانا … قالوا": أن after a discourse word introduces the subject.
    if (j > 0 && j < i && (core(j) == "ان" || core(j) == "الا")) ++j;
    if (j < i && core(j) == "ان" && j > 0 && core(j - 1) == "الا") ++j;
    if (j >= i) return;
    for (std::uint32_t k = j; k <= i; ++k)
      if (w_[k].masked || (k > j && (w_[k].gap & (kGapStop | kGapNewline | kGapQuote | kGapColon)))) return;
    const std::uint32_t e = std::min(source_end(j, 0), i);
    Attribution s;
    if (e > j && classify(j, e, 0, s)) {
      a.source = s.source;
      a.name = s.name;
      a.role = s.role;
      a.kind = s.kind;
      a.whole.begin = s.source.begin;
    }
  }

  bool according(std::uint32_t i, Attribution& a, const std::vector<Attribution>& out, std::size_t first) const {
    a.type = CueType::kAccordingTo;
    a.cue = w_[i].span;
    a.whole = a.cue;
    const std::string_view c = core(i);
    const auto is = [&](std::uint32_t k, const char* s) { return k < n() && core(k) == s; };
    std::uint32_t j = i + 1;
    std::uint32_t skip = 0;
    if (c == "وفقا" || c == "طبقا") {
      if (is(j, "ل")) ++j;
      else if (j < n() && leading_particle(w_[j].span.of(t_))) skip = leading_particle(w_[j].span.of(t_));
      else return false;
    } else if (c == "نقلا") {
      if (!is(j, "عن")) return false;
      ++j;
    } else if (c == "استنادا") {
      if (!is(j, "الي")) return false;
      ++j;
    } else if (c == "لسان") {
      if (i == 0 || core(i - 1) != "علي") return false;
      a.cue.begin = a.whole.begin = w_[i - 1].span.begin;
    } else if (c == "حسبما" || ((c == "حسب" || c == "بحسب" || c == "وفق") && is(j, "ما"))) {
      if (c != "حسبما") ++j;
      if (j < n() && ((w_[j].cls & lx::kCueVerb) || cue_with_pronoun(j))) ++j;
      // "بحسب ما أفادت به مصادر طبية": the resumptive pronoun points back to ما.
      if (j < n() && (w_[j].cls & lx::kResumptive)) ++j;
    }
    if (j >= n() || (w_[j].gap & (kGapStop | kGapNewline | kGapColon))) return false;
    std::uint32_t k = source_end(j, skip);
    if (k <= j || !classify(j, k, skip, a)) return false;
    a.whole.end = w_[k - 1].span.end;
    k = quoted_name(k, a);
    const std::uint32_t after = apposition(k, a);
    if (after > k) a.whole.end = w_[after - 1].span.end;
    // The content is the rest of the sentence on the side the phrase does not stand at, after
    // any wire dateline ("المدينه (وكاله X) - …، بحسب مصادر").
    const std::uint32_t body = dateline_end(t_, sentence_);
    std::uint32_t p = 0;
    while (p < i && w_[p].span.begin < body) ++p;
    while (p < i && (w_[p].cls & lx::kDiscourse)) ++p;
    const bool leads = p == i || (c == "لسان" && p + 1 == i);
    if (!leads) {
      // "قال السائق إن …، حسبما أفاد مصدر": the verb already carries the quote.
      for (std::size_t x = first; x < out.size(); ++x)
        if (out[x].type == CueType::kSpeechVerb && !out[x].content.empty()) return false;
      const std::uint32_t end = trim_back(sentence_.begin, a.whole.begin);
      if (end > w_[p].span.begin) a.content = Span{w_[p].span.begin, end};
      return true;
    }
    if (after < n() && (w_[after].gap & kGapColon) && w_[after].masked) {
      a.ends_with_colon = true;
    } else if (after < n()) {
      a.ends_with_colon = w_[after].gap & kGapColon;
      a.content = Span{w_[after].span.begin, content_end()};
      for (const QuoteRegion& r : regions_)
        if (r.outer.begin < w_[after].span.begin && r.inner.begin >= a.whole.end) a.content.begin = r.outer.begin;
    } else {
      a.ends_with_colon = tail_gap_ & kGapColon;
    }
    return true;
  }

  // "ذكرته", "أعلنته": a speech verb carrying the resumptive pronoun of "وفق ما".
  bool cue_with_pronoun(std::uint32_t j) const {
    const std::string_view w = core(j);
    return w.size() > 4 && w.ends_with("\xD9\x87") && (lx::classes(w.substr(0, w.size() - 2)) & lx::kCueVerb);
  }

  bool participle(std::uint32_t i, Attribution& a, const std::vector<Attribution>& out, std::size_t first) const {
    a.type = CueType::kParticiple;
    a.cue = a.whole = w_[i].span;
    bool found = false;
    // The nearest earlier subject: an attribution's source or a role + name ("رفض الرئيس … X …،
    // قائلا") — whichever is closer to the participle.
    for (std::size_t k = out.size(); k-- > first && !found;) {
      if (!out[k].source.empty() && out[k].cue.begin < a.cue.begin) {
        a.source = out[k].source, a.name = out[k].name, a.role = out[k].role, a.kind = out[k].kind;
        found = true;
      }
    }
    for (std::uint32_t r = i; r-- > 0;) {
      if (found && w_[r].span.end <= a.source.end) break;
      if (w_[r].masked || !(cls_def(r) & lx::kRole)) continue;
      Attribution p;
      if (classify(r, std::min(source_end(r, 0), i), 0, p) && p.name != p.source &&
          name_words(t_, p.name).size() >= 2) {
        a.source = p.source, a.name = p.name, a.role = p.role, a.kind = p.kind;
        found = true;
        break;
      }
    }
    for (const EntityMention& e : entities_) {
      if (found) break;
      if (e.type == EntityType::kPer && e.span.begin >= sentence_.begin && e.span.end <= a.cue.begin) {
        a.source = a.name = e.span, a.kind = SourceKind::kPerson;
        found = true;
      }
    }
    if (!found) {
      // VSO: the subject follows the sentence's first word; SVO: it is the first word.
      std::uint32_t j = 0;
      while (j < i && (w_[j].cls & lx::kDiscourse)) ++j;
      if (j < i && !(starts_with_al(core(j)) || (cls_def(j) & (lx::kRole | lx::kInstitution | lx::kAnonymous)))) ++j;
      const std::uint32_t e = std::min(source_end(j, 0), i);
      Attribution s;
      if (e > j && classify(j, e, 0, s)) {
        a.source = s.source, a.name = s.name, a.role = s.role, a.kind = s.kind;
        apposition(e, a);
      }
    }
    tail(i + 1, a);
    return !a.content.empty() || a.ends_with_colon;
  }

  std::string_view t_;
  Span sentence_;
  std::span<const QuoteRegion> regions_;
  std::span<const EntityMention> entities_;
  std::vector<Word>& w_;
  std::uint16_t tail_gap_ = 0;
};

}  // namespace

void parse_sentence(std::string_view text, Span sentence, std::span<const QuoteRegion> regions,
                    std::span<const EntityMention> entities, std::vector<Word>& words,
                    std::vector<Attribution>& out, std::vector<Span>* people) {
  SentenceParser parser(text, sentence, regions, entities, words);
  parser.run(out);
  if (people) parser.people(*people);
}

std::vector<EntityMention> refine_people(std::string_view text, std::span<const EntityMention> entities) {
  std::vector<EntityMention> out;
  out.reserve(entities.size());
  std::vector<Span> w;
  for (EntityMention e : entities) {
    if (e.type != EntityType::kPer) {
      out.push_back(e);
      continue;
    }
    w.clear();
    WordScanner scanner(text.substr(0, e.span.end), e.span.begin);
    for (Span s; scanner.next(s);) w.push_back(s);
    // A speech verb or a complementizer inside is a tagging slip ("خطوة قال"), not a name.
    const bool verbal = std::any_of(w.begin(), w.end(), [&](Span s) {
      std::uint32_t strip = 0;
      return (lx::classes_conj(s.of(text), strip) & (lx::kCueVerb | lx::kComplementizer | lx::kAccording | lx::kParticiple)) != 0;
    });
    if (verbal || w.empty()) continue;
    std::size_t first = 0;
    // "الزهراء كريم الشامي" after "رئيس بلدية": a leading definite word belongs to the role.
    while (first + 2 < w.size() && starts_with_al(w[first].of(text)) && !starts_with_al(w[first + 1].of(text))) ++first;
    // "وادي الريم ماجد العطار": a place and a name tagged as one person; the name is the last
    // bare word after a definite one.
    if (w.size() - first >= 4)
      for (std::size_t x = w.size() - 2; x > first; --x)
        if (!starts_with_al(w[x].of(text)) && starts_with_al(w[x - 1].of(text)) &&
            !(lx::classes(w[x].of(text)) & lx::kKunya)) {
          first = x;
          break;
        }
    e.span.begin = w[first].begin;
    // "بشير القاضي إن" tagged as "بشير": a definite family name right before إن/أن or punctuation.
    if (e.span.end + 1 < text.size() && text[e.span.end] == ' ') {
      WordScanner next(text, e.span.end);
      Span f, g;
      if (next.next(f) && f.begin == e.span.end + 1 && starts_with_al(f.of(text)) && !lx::classes(f.of(text))) {
        const bool closes = !next.next(g) || g.begin > f.end + 1 ||
                            (lx::classes(g.of(text)) & lx::kComplementizer);
        if (closes) e.span.end = f.end;
      }
    }
    // "أم خالد": the kunya before a tagged first name is part of the name.
    if (first == 0 && e.span.begin > 1 && text[e.span.begin - 1] == ' ') {
      std::uint32_t b = e.span.begin - 1;
      while (b > 0 && text[b - 1] != ' ' && text[b - 1] != '\n') --b;
      std::uint32_t strip = 0;
      if (lx::classes_conj(text.substr(b, e.span.begin - 1 - b), strip) & lx::kKunya) e.span.begin = b + strip;
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace quote_internal

std::vector<Attribution> find_attributions(std::string_view normalized, Span sentence,
                                           std::span<const EntityMention> entities) {
  std::vector<Attribution> out;
  if (sentence.end > normalized.size() || sentence.empty()) return out;
  const auto regions = qi::find_quote_regions(normalized, sentence);
  std::vector<qi::Word> words;
  const auto people = qi::refine_people(normalized, entities);
  qi::parse_sentence(normalized, sentence, regions, people, words, out);
  return out;
}

}  // namespace isnad
