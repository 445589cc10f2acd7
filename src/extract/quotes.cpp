// Pass 2 of quote extraction: attach quote marks and bullets to attributions, resolve speakers.
#include "isnad/quotes.h"

#include <algorithm>

#include "extract/quote_internal.h"
#include "extract/quote_lexicon.h"

namespace isnad {
namespace {

namespace qi = quote_internal;
namespace lx = quote_lexicon;

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Used only when the caller has no sentence splitter: lines, then . ? ! before a blank.
std::vector<Span> rough_sentences(std::string_view t) {
  std::vector<Span> out;
  const auto n = static_cast<std::uint32_t>(t.size());
  std::uint32_t b = 0;
  const auto push = [&](std::uint32_t e) {
    while (b < e && blank(t[b])) ++b;
    std::uint32_t x = e;
    while (x > b && blank(t[x - 1])) --x;
    if (x > b) out.push_back({b, x});
    b = e;
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    if (t[i] == '\n') push(i);
    else if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && (i + 1 == n || blank(t[i + 1]))) push(i + 1);
  }
  push(n);
  return out;
}

// Only blanks and punctuation (no letters, at most `max_newlines` line breaks) in [from, to).
bool only_punct(std::string_view t, std::uint32_t from, std::uint32_t to, int max_newlines) {
  if (from > to) return false;
  int newlines = 0;
  for (std::uint32_t k = from; k < to; ++k) {
    const auto c = static_cast<unsigned char>(t[k]);
    if (c == '\n' && ++newlines > max_newlines) return false;
    if (c >= 0x80 || (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) return false;
    if (c >= '0' && c <= '9') return false;
  }
  return true;
}

// Bytes of a bullet marker (* - • ** 1. 2)) at the start of a line, 0 if none.
std::uint32_t bullet_marker(std::string_view t, std::uint32_t line) {
  std::uint32_t k = line;
  while (k < t.size() && (t[k] == ' ' || t[k] == '\t')) ++k;
  const std::uint32_t start = k;
  if (k < t.size() && (t[k] == '*' || t[k] == '-')) {
    while (k < t.size() && (t[k] == '*' || t[k] == '-')) ++k;
  } else if (t.substr(k, 3) == "\xE2\x80\xA2") {
    k += 3;
  } else {
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
    if (k == start || k >= t.size() || (t[k] != '.' && t[k] != ')')) return 0;
    ++k;
  }
  if (k >= t.size() || !blank(t[k])) return 0;
  while (k < t.size() && (t[k] == ' ' || t[k] == '\t')) ++k;
  return k - line;
}

// "المتحدث باسم الشرطة" names a post, not a person: it is not a full name to resolve to.
bool starts_with_role(std::string_view text, Span name) {
  const auto words = qi::name_words(text, name);
  if (words.empty()) return false;
  std::string_view w = words.front();
  if (w.starts_with("\xD8\xA7\xD9\x84")) w.remove_prefix(4);
  return (lx::classes(words.front()) | lx::classes(w)) & lx::kRole;
}

struct Speaker {
  Span name;
  Span role;
  SourceKind kind = SourceKind::kUnknown;
  std::uint32_t pos = 0;  // where it was last used or mentioned
  bool valid() const { return kind != SourceKind::kUnknown; }
};

class Resolver {
 public:
  Resolver(std::string_view text, std::span<const Span> sentences, std::span<const EntityMention> entities)
      : t_(text), entities_(entities) {
    std::vector<Span> rough;
    if (sentences.empty() && !text.empty()) {
      rough = rough_sentences(text);
      sentences = rough;
    }
    regions_ = qi::find_quote_regions(text, Span{0, static_cast<std::uint32_t>(text.size())});
    used_.assign(regions_.size(), false);
    std::vector<qi::Word> words;
    std::size_t r0 = 0;
    for (const Span s : sentences) {
      if (s.end > text.size() || s.empty()) continue;
      while (r0 < regions_.size() && regions_[r0].outer.end <= s.begin) ++r0;
      std::size_t r1 = r0;
      while (r1 < regions_.size() && regions_[r1].outer.begin < s.end) ++r1;
      qi::parse_sentence(text, s, std::span(regions_).subspan(r0, r1 - r0), entities, words, attrs_, &people_);
    }
    for (const EntityMention& e : entities)
      if (e.type == EntityType::kPer) people_.push_back(e.span);
  }

  std::vector<Quote> run() {
    for (const Attribution& a : attrs_) handle(a);
    std::sort(out_.begin(), out_.end(), [](const Quote& x, const Quote& y) { return x.text.begin < y.text.begin; });
    return std::move(out_);
  }

 private:
  bool inside_quote(std::uint32_t pos) const {
    return std::any_of(out_.begin(), out_.end(), [&](const Quote& q) { return q.text.begin <= pos && pos < q.text.end; });
  }

  // The fullest earlier name containing the partial name at `mention` (a family name, or a
  // first name + family name), cut after the matching words: "الكردي" + "إياد الكردي استقالته" →
  // "إياد الكردي". Candidates are earlier speakers and people named after a role noun or by NER.
  Span full_name_for(Span mention, std::uint32_t before) const {
    const auto mw = qi::name_words(t_, mention);
    if (mw.empty() || mw.size() > 2) return {};
    Span best;
    std::uint32_t best_pos = 0;
    const auto consider = [&](Span cand) {
      if (cand.begin >= before || cand.overlaps(mention) || (!best.empty() && cand.begin < best_pos)) return;
      const auto kw = qi::name_words(t_, cand);
      for (std::size_t end = mw.size(); end <= kw.size(); ++end) {
        if (end == mw.size() && end == kw.size()) break;  // the same name, nothing gained
        if (end < 2) continue;
        if (!std::equal(mw.begin(), mw.end(), kw.begin() + static_cast<std::ptrdiff_t>(end - mw.size()))) continue;
        const auto last = kw[end - 1];
        best = Span{cand.begin, static_cast<std::uint32_t>(last.data() - t_.data() + last.size())};
        best_pos = cand.begin;
        return;
      }
    };
    for (const Speaker& k : known_) consider(k.name);
    for (const Span p : people_) consider(p);
    return best;
  }

  // Latest person a subject-less cue at `pos` can refer to.
  Speaker antecedent(std::uint32_t pos, bool& carried) const {
    Speaker best = last_;
    carried = best.valid();
    for (const EntityMention& e : entities_) {
      if (e.type != EntityType::kPer || e.span.end > pos || (best.valid() && e.span.begin <= best.pos)) continue;
      if (inside_quote(e.span.begin) || in_region(e.span.begin)) continue;
      best = Speaker{e.span, e.role, SourceKind::kPerson, e.span.begin};
      carried = false;
      if (const Span full = full_name_for(e.span, e.span.begin); !full.empty()) best.name = full;
    }
    for (const Span p : people_) {
      if (p.end > pos || (best.valid() && p.begin <= best.pos) || inside_quote(p.begin) || in_region(p.begin)) continue;
      best = Speaker{p, {}, SourceKind::kPerson, p.begin};
      carried = false;
    }
    if (last_mention_.valid() && (!best.valid() || last_mention_.pos > best.pos) && last_mention_.pos < pos) {
      best = last_mention_;
      carried = false;
    }
    return best;
  }

  bool in_region(std::uint32_t pos) const {
    return std::any_of(regions_.begin(), regions_.end(), [&](const qi::QuoteRegion& r) { return r.inner.begin <= pos && pos < r.inner.end; });
  }

  void resolve(const Attribution& a, Quote& q) {
    q.cue = a.cue;
    q.outlet = a.outlet;
    if (!a.source.empty()) {
      q.speaker = q.speaker_span = a.name;
      q.role = a.role;
      q.source = a.kind;
      q.resolution = Resolution::kNamed;
      if (a.kind == SourceKind::kAnonymous) return;
      if (const Span full = full_name_for(a.name, a.cue.begin); !full.empty()) {
        q.speaker = full;
        q.source = SourceKind::kPerson;
        q.resolution = Resolution::kCoreference;
        for (const Speaker& k : known_)
          if (k.name.contains(full) && q.role.empty()) q.role = k.role;
        return;
      }
      // "وصف السعدي الجلسة بأنها": a known family name followed by the verb's object.
      if (const auto words = qi::name_words(t_, a.name); words.size() == 2 && a.role.empty()) {
        const auto w0 = words[0];
        const Span first{a.name.begin, static_cast<std::uint32_t>(w0.data() - t_.data() + w0.size())};
        if (const Span full = full_name_for(first, a.cue.begin); !full.empty()) {
          q.speaker = full;
          q.speaker_span = first;
          q.resolution = Resolution::kCoreference;
          return;
        }
      }
      const bool role_only = a.name == a.source && a.role.empty() && starts_with_role(t_, a.name);
      if (a.kind == SourceKind::kPerson && !role_only && qi::name_words(t_, a.name).size() >= 2)
        known_.push_back(Speaker{a.name, a.role, a.kind, a.name.begin});
      return;
    }
    bool carried = false;
    const Speaker s = antecedent(a.cue.begin, carried);
    if (!s.valid() || (a.plural && s.kind == SourceKind::kPerson)) return;
    q.speaker = s.name;
    q.role = s.role;
    q.source = s.kind;
    q.speaker_span = a.pronoun;
    q.resolution = carried && a.pronoun.empty() ? Resolution::kCarried : Resolution::kPronoun;
  }

  void emit(Quote q, std::uint32_t pos) {
    if (q.source != SourceKind::kUnknown) last_ = Speaker{q.speaker, q.role, q.source, pos};
    out_.push_back(q);
  }

  int region_at(std::uint32_t begin) const {
    for (std::size_t r = 0; r < regions_.size(); ++r)
      if (!used_[r] && regions_[r].outer.begin == begin) return static_cast<int>(r);
    return -1;
  }
  int region_after(std::uint32_t pos, int max_newlines) const {
    for (std::size_t r = 0; r < regions_.size(); ++r) {
      if (regions_[r].outer.begin < pos) continue;
      if (!used_[r] && only_punct(t_, pos, regions_[r].outer.begin, max_newlines)) return static_cast<int>(r);
      return -1;
    }
    return -1;
  }
  int region_before(std::uint32_t pos) const {
    for (std::size_t r = regions_.size(); r-- > 0;) {
      if (regions_[r].outer.end > pos) continue;
      if (!used_[r] && only_punct(t_, regions_[r].outer.end, pos, 0)) return static_cast<int>(r);
      return -1;
    }
    return -1;
  }

  void direct(const Quote& base, int r, Span attribution) {
    used_[static_cast<std::size_t>(r)] = true;
    Quote q = base;
    q.kind = QuoteKind::kDirect;
    q.text = regions_[static_cast<std::size_t>(r)].inner;
    q.span = Span{std::min(attribution.begin, regions_[static_cast<std::size_t>(r)].outer.begin),
                  std::max(attribution.end, regions_[static_cast<std::size_t>(r)].outer.end)};
    emit(q, attribution.end);
    continuations(base, q.span.end);
  }

  // “…”. “…” and quotes reopened on the next paragraph keep the speaker.
  void continuations(Quote base, std::uint32_t from) {
    base.cue = {};
    for (int r = region_after(from, 2); r >= 0; r = region_after(from, 2)) {
      used_[static_cast<std::size_t>(r)] = true;
      Quote q = base;
      q.kind = QuoteKind::kDirect;
      q.text = regions_[static_cast<std::size_t>(r)].inner;
      q.span = regions_[static_cast<std::size_t>(r)].outer;
      emit(q, q.span.begin);
      from = q.span.end;
    }
  }

  // The lines after "بحسب X:" — bullets, or one paragraph of unquoted speech.
  void after_colon(const Quote& base, const Attribution& a) {
    std::uint32_t line = a.whole.end;
    while (line < t_.size() && t_[line] != '\n') ++line;
    if (!only_punct(t_, a.whole.end, line, 0)) return;  // the colon is not at the end of its line
    bool any = false;
    while (line < t_.size()) {
      ++line;  // past '\n'
      std::uint32_t end = line;
      while (end < t_.size() && t_[end] != '\n') ++end;
      const std::uint32_t marker = bullet_marker(t_, line);
      if (marker == 0 || line + marker >= end) {
        if (!any && a.type != CueType::kAccordingTo && end > line && !only_punct(t_, line, end, 0)) {
          Quote q = base;
          q.kind = QuoteKind::kDirect;
          q.text = Span{line, end};
          q.span = Span{a.whole.begin, end};
          emit(q, a.whole.end);
        }
        return;
      }
      Quote q = base;
      q.kind = QuoteKind::kIndirect;
      q.text = Span{line + marker, end};
      while (q.text.end > q.text.begin && blank(t_[q.text.end - 1])) --q.text.end;
      q.span = Span{line, q.text.end};
      emit(q, a.whole.end);
      any = true;
      line = end;
    }
  }

  void handle(const Attribution& a) {
    if (inside_quote(a.cue.begin)) return;
    Quote q;
    resolve(a, q);
    if (q.resolution == Resolution::kNamed && q.source == SourceKind::kPerson)
      last_mention_ = Speaker{q.speaker, q.role, q.source, a.cue.begin};
    if (!a.content.empty()) {
      if (const int r = region_at(a.content.begin); r >= 0) return direct(q, r, a.whole);
      q.kind = a.ends_with_colon && a.type == CueType::kSpeechVerb ? QuoteKind::kDirect : QuoteKind::kIndirect;
      q.text = a.content;
      q.span = Span{std::min(a.whole.begin, a.content.begin), std::max(a.whole.end, a.content.end)};
      return emit(q, a.whole.end);
    }
    if (a.ends_with_colon) {
      if (const int r = region_after(a.whole.end, 1); r >= 0) return direct(q, r, a.whole);
      return after_colon(q, a);
    }
    const std::uint32_t front = a.pronoun.empty() ? a.whole.begin : a.pronoun.begin;
    if (const int r = region_before(std::min(front, a.cue.begin)); r >= 0 && (!a.source.empty() || !a.pronoun.empty() || q.resolution != Resolution::kUnresolved)) {
      used_[static_cast<std::size_t>(r)] = true;
      Quote d = q;
      d.kind = QuoteKind::kDirect;
      d.text = regions_[static_cast<std::size_t>(r)].inner;
      d.span = Span{regions_[static_cast<std::size_t>(r)].outer.begin, a.whole.end};
      emit(d, a.whole.end);
      return continuations(q, a.whole.end);
    }
    if (const int r = region_after(a.whole.end, 0); r >= 0) return direct(q, r, a.whole);
  }

  std::string_view t_;
  std::span<const EntityMention> entities_;
  std::vector<qi::QuoteRegion> regions_;
  std::vector<bool> used_;
  std::vector<Attribution> attrs_;
  std::vector<Quote> out_;
  std::vector<Speaker> known_;  // named speakers, in text order
  std::vector<Span> people_;    // people named after a role noun or tagged PER
  Speaker last_;          // speaker of the latest quote
  Speaker last_mention_;  // latest person named by a cue, quote or not
};

}  // namespace

std::vector<Quote> extract_quotes(std::string_view normalized, std::span<const Span> sentences,
                                  std::span<const EntityMention> entities) {
  const auto people = qi::refine_people(normalized, entities);
  return Resolver(normalized, sentences, people).run();
}

}  // namespace isnad
