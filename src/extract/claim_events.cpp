// Which event a claim belongs to. News recalls earlier attacks to compare ("وكان هجوم مماثل عام
// 2015 قد اسفر عن مقتل 130 شخصا"); their figures must not be counted for the article's own event.
// A claim is another event's when a comparison cue stands before it in its sentence, or when its
// sentence names a year other than the current one (before it, or right after it in the same
// clause — "قتل 130 شخصا في باريس عام 2015" — unless the year follows منذ: "الاسوا منذ 2004" only
// measures the present event against the past).
//
// "كان … قد" alone is not a cue: news uses the pluperfect to recap its own event ("وكان الهجوم قد
// اسفر عن …"). It counts only around an indefinite event noun or a year ("وكان هجوم … قد").
//
// "بعد" names an earlier incident as a point in time: "بعد نحو شهر من فيضانات …، التي اودت بحياة 7"
// and, when the sentence counts incidents ("وهو ثاني حريق … خلال اسبوع"), "بعد حريق السوق الذي اودي
// بحياة 11". The figure of that incident sits in a relative clause on it; the figures of the main
// clause stay the article's ("بعد ايام من انفجار هز الميناء، ارتفعت الحصيله الي 20" is a follow-up of
// its own event), and a definite incident ("بعد ايام من الحريق") is the article's own.
#include <algorithm>
#include <string>

#include "extract/claim_internal.h"

namespace isnad::claims_internal {
namespace {

constexpr std::size_t kKanaReach = 8;
constexpr std::size_t kYearAfterReach = 8;
constexpr std::size_t kHintWords = 4;
// A dated mention that ended this long before publication is not when the article's event
// happened (news reports its own event within days), and a date this close to publication is.
constexpr long kOldDays = 30;
constexpr long kRecentDays = 7;

int parse_year(std::string_view s) {
  if (s.size() != 4) return 0;
  int y = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return 0;
    y = y * 10 + (c - '0');
  }
  return y >= 1900 && y <= 2100 ? y : 0;
}

bool ends_with_year_word(std::string_view text, std::uint32_t pos) {
  std::string_view before = text.substr(0, pos);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return before.ends_with("عام") || before.ends_with("سنه") || before.ends_with("عامي");
}

bool definite(const Word& w, std::string_view text) {
  const std::string_view s = w.span.of(text).substr(w.stem);
  return s.starts_with("ال") || s.starts_with("لل");
}

bool indefinite_event(const Word& w, std::string_view text) { return w.has(kEventNoun) && !definite(w, text); }

bool incident(const Word& w) { return w.has(kEventNoun | kIncidentNoun); }

// The word as written, clitics included ("وبعد" is not بعد here: the cues below were written and
// tested for bare words only).
bool written_as(const Word& w, std::string_view text, std::string_view s) { return w.span.of(text) == s; }

// The last day a date mention covers (a month's last day for "في يناير"); nullopt for a year.
std::optional<long> last_day(const DateMention& d) {
  if (d.granularity == Granularity::kDay) return days_from_civil(CivilDate{d.year, d.month, d.day});
  if (d.granularity != Granularity::kMonth) return std::nullopt;
  const CivilDate next = d.month == 12 ? CivilDate{d.year + 1, 1, 1} : CivilDate{d.year, d.month + 1, 1};
  return days_from_civil(next) - 1;
}

// A span of time after بعد: شهر, اسبوعين, ايام (hours are the same day's).
bool time_span(const Word& w, std::string_view text) {
  return w.has(kLongAgo) || written_as(w, text, "ايام") || written_as(w, text, "يوم") || written_as(w, text, "يومين");
}

}  // namespace

DocumentContext::DocumentContext(const ClaimInput& input, std::span<const Span> sentences) {
  if (!sentences.empty()) lead = sentences.front();
  if (input.published) {
    current_year = input.published->year;
    published_day = days_from_civil(*input.published);
    return;
  }
  // Without a publication date, the latest year the lead names is taken as the article's own.
  // Not one of the body's: an article may name only the years of the earlier events it recalls
  // (2016 and 2021 beside an attack whose year it never writes), and then none is its own.
  const Span where = sentences.empty() ? Span{0, static_cast<std::uint32_t>(input.text.size())} : lead;
  for (const DateMention& d : input.dates) {
    if (where.contains(d.span)) current_year = std::max(current_year, d.year);
  }
  for (const NumberMention& n : input.numbers) {
    const int y = parse_year(n.span.of(input.text));
    if (y != 0 && where.contains(n.span) && ends_with_year_word(input.text, n.span.begin)) {
      current_year = std::max(current_year, y);
    }
  }
}

void SentenceContext::reset(Span s, std::size_t first_number, std::size_t end_number) {
  sentence = s;
  num_begin = first_number;
  num_end = end_number;
  scan_words(text, s, words);
  number_at.assign(words.size(), -1);
  std::size_t j = 0;
  for (std::size_t k = first_number; k < end_number; ++k) {
    const Span ns = in.numbers[k].span;
    while (j < words.size() && words[j].span.end <= ns.begin) ++j;
    for (std::size_t m = j; m < words.size() && words[m].span.begin < ns.end; ++m) number_at[m] = static_cast<int>(k);
  }
  // "خمسه اشخاص من عائله واحده": واحد after "من + noun" says the people share one family, it
  // counts nothing; it must neither become a figure nor end the reach of the number before it.
  // ("وسجين واحد" is a count.)
  for (std::size_t m = 2; m < words.size(); ++m) {
    const std::string_view w = words[m].span.of(text);
    if ((w == "واحد" || w == "واحده") && number_at[m] >= 0 && number_at[m - 1] < 0 && !words[m].break_before &&
        !words[m - 1].break_before && words[m - 2].span.of(text) == "من")
      number_at[m] = -1;
  }
}

int SentenceContext::year_of_number(std::size_t j) const {
  const int y = parse_year(words[j].span.of(text));
  if (y == 0) return 0;
  // "2000 شخص" counts people, not years.
  if (j + 1 < words.size() && words[j + 1].has(kCountNoun | kPeople | kPersonNoun | kAttackerNoun)) return 0;
  return y;
}

// "بعد [نحو] [N] شهر [قليله] من <incident>" or, in a sentence that counts incidents,
// "بعد <incident>": the incident is indefinite, so it is not the article's own.
std::optional<SentenceContext::Cue> SentenceContext::after_other_event(std::size_t j, bool several_events) const {
  const std::size_t n = words.size();
  if (!written_as(words[j], text, "بعد")) return std::nullopt;
  std::size_t m = j + 1;
  if (m < n && words[m].has(kAbout)) ++m;
  if (m < n && number_at[m] >= 0) ++m;
  bool span = false;
  if (m < n && time_span(words[m], text)) {
    span = true;
    ++m;
    if (m < n && written_as(words[m], text, "قليله")) ++m;
    if (m >= n || !written_as(words[m], text, "من")) return std::nullopt;
    ++m;
  }
  if (m >= n || words[m].break_before || !incident(words[m]) || definite(words[m], text)) return std::nullopt;
  if (!span && !several_events) return std::nullopt;
  Cue cue{words[j].span.begin, 0, phrase_from(words, m, n, kLeftTrigger | kRelative, kHintWords), false, false};
  cue.relative_only = true;
  return cue;
}

void SentenceContext::collect_cues(std::vector<Cue>& cues) const {
  const std::size_t n = words.size();
  bool superlative = false, several_events = false;
  for (std::size_t j = 0; j < n; ++j) {
    const Word& w = words[j];
    const std::uint32_t pos = w.span.begin;
    if (w.has(kSuperlative)) superlative = true;
    if (w.has(kOrdinal) && j + 1 < n && incident(words[j + 1])) several_events = true;
    if (auto cue = after_other_event(j, several_events)) {
      cues.push_back(*cue);
    } else if (w.has(kCompare)) {
      cues.push_back({pos, 0, phrase_from(words, j + 1, n, kLeftTrigger, kHintWords), false, false});
    } else if (w.has(kCompareNearEvent)) {
      if (j > 0 && incident(words[j - 1]) && !w.break_before)
        cues.push_back({words[j - 1].span.begin, 0, {}, false, false});
      else if (j + 1 < n && incident(words[j + 1]) && !words[j + 1].break_before)
        cues.push_back({pos, 0, phrase_from(words, j + 1, n, kLeftTrigger, kHintWords), false, false});
    } else if (w.has(kSince) && j + 1 < n) {
      const Word& next = words[j + 1];
      if (superlative || next.has(kYearWord) || year_of_number(j + 1) != 0 || indefinite_event(next, text))
        cues.push_back({pos, 0, phrase_from(words, j + 1, n, kLeftTrigger, kHintWords), false, true});
    } else if (w.has(kKana)) {
      bool marked = false;
      for (std::size_t m = j + 1; m < n && m <= j + kKanaReach && !words[m].strong_break; ++m) {
        if (indefinite_event(words[m], text) || year_of_number(m) != 0) marked = true;
        if (words[m].has(kQad)) {
          if (marked) cues.push_back({pos, 0, {}, false, false});
          break;
        }
      }
    } else if (w.has(kBefore) && j + 1 < n &&
               (words[j + 1].has(kLongAgo) ||
                (j + 2 < n && number_at[j + 1] >= 0 && words[j + 2].has(kLongAgo)))) {
      // قبل اسبوعين, قبل 3 اعوام: an event weeks or years back ("قبل ساعات" is today's).
      cues.push_back({pos, 0, {}, false, false});
    } else if (w.has(kPast) && j > 0 && words[j - 1].span.of(text).ends_with("العام")) {
      cues.push_back({words[j - 1].span.begin, doc.current_year > 0 ? doc.current_year - 1 : 0,
                      Span{words[j - 1].span.begin, w.span.end}, true, false});
    } else if (w.has(kPast) && j > 0 && words[j - 1].span.of(text).ends_with("الشهر")) {
      // "السيول التي ضربت الوادي الشهر الماضي": news reports its own event within days.
      cues.push_back({words[j - 1].span.begin, 0, Span{words[j - 1].span.begin, w.span.end}, false, false});
    }
    const int y = year_of_number(j);
    if (y != 0 && y != doc.current_year) {
      const bool since = (j > 0 && words[j - 1].has(kSince)) ||
                         (j > 1 && words[j - 1].has(kYearWord) && words[j - 2].has(kSince));
      cues.push_back({pos, y, {}, !since, since});
    }
  }
  for (const DateMention& d : in.dates) {
    if (!sentence.contains(d.span) || d.year == 0) continue;
    const std::size_t j = std::min(n, static_cast<std::size_t>(std::partition_point(words.begin(), words.end(),
                                                                                    [&](const Word& x) {
                                                                                      return x.span.begin <
                                                                                             d.span.begin;
                                                                                    }) -
                                                                words.begin()));
    const bool since = j > 0 && words[j - 1].has(kSince);
    if (d.year != doc.current_year) {
      cues.push_back({d.span.begin, d.year, {}, !since, since});
      continue;
    }
    // This year, but weeks before publication: "هجوم … في يناير اسفر عن مقتل 84" in March.
    const std::optional<long> last = last_day(d);
    if (!since && doc.published_day && last && *last < *doc.published_day - kOldDays)
      cues.push_back({d.span.begin, 0, d.span, false, false});
  }
}

// A definite incident ("الهجوم", "الانفجار": the article's own) or a date within a week of
// publication before `pos` in the sentence.
bool SentenceContext::speaks_of_own_event_before(std::uint32_t pos) const {
  for (const Word& w : words) {
    if (w.span.begin >= pos) break;
    if (incident(w) && definite(w, text)) return true;
  }
  if (!doc.published_day) return false;
  for (const DateMention& d : in.dates) {
    if (!sentence.contains(d.span) || d.span.begin >= pos) continue;
    const std::optional<long> last = last_day(d);
    if (last && *last >= *doc.published_day - kRecentDays && *last <= *doc.published_day + 1) return true;
  }
  return false;
}

std::string SentenceContext::hint_for(const Claim& c, const std::vector<Cue>& cues) const {
  bool other = false;
  int year = 0;
  Span named;
  for (const Cue& cue : cues) {
    // A statement's target may itself be dated to another event: "مسؤوليته عن هجوم … عام 2015".
    // Other cues inside a target do not count ("حذرت من هجمات اخري" speaks of the future).
    bool applies = cue.pos < c.span.begin || (cue.year != 0 && !cue.since && !c.target.empty() &&
                                              c.target.begin <= cue.pos && cue.pos < c.target.end);
    if (!applies && cue.year != 0 && cue.after_ok && cue.pos >= c.span.end) {
      // Same clause: no break and only a few words between the claim and the year.
      std::size_t between = 0;
      bool broken = false;
      for (const Word& w : words) {
        if (w.span.begin < c.span.end || w.span.begin > cue.pos) continue;
        ++between;
        broken = broken || w.break_before;
      }
      applies = !broken && between <= kYearAfterReach;
      // Farther on, or past a comma ("الرجل الذي قتل 49 شخصا في ملهى … في مدينة …، في عام
      // 2016"): a figure still belongs to that year when nothing before the year speaks of the
      // article's own event, outside the lead (which is about it).
      if (!applies && c.value && sentence.begin != doc.lead.begin) applies = !speaks_of_own_event_before(cue.pos);
    }
    if (applies && cue.relative_only) {
      applies = false;
      for (const Word& w : words)
        if (w.span.begin > cue.pos && w.span.begin < c.span.begin && w.has(kRelative)) applies = true;
    }
    if (!applies) continue;
    other = true;
    if (cue.year != 0 && (year == 0 || cue.pos < c.span.begin)) year = cue.year;
    if (!cue.hint.empty()) named = cue.hint;
  }
  if (!other) return {};
  if (year != 0) return std::to_string(year);
  // A place the lead does not name is the other event's place.
  const std::string_view lead = doc.lead.of(text);
  for (const EntityMention& e : in.entities) {
    if (!sentence.contains(e.span) || e.span.begin >= c.span.begin) continue;
    if (e.type != EntityType::kGpe && e.type != EntityType::kLoc && e.type != EntityType::kFac) continue;
    const std::string_view name = e.span.of(text);
    if (lead.find(name) == std::string_view::npos) return std::string(name);
  }
  if (!named.empty()) return std::string(named.of(text));
  return "other";
}

void SentenceContext::finish(std::vector<Claim>& out, std::size_t from) const {
  if (out.size() == from) return;
  const Span source = find_source(text, words);
  std::vector<Cue> cues;
  collect_cues(cues);
  for (std::size_t i = from; i < out.size(); ++i) {
    Claim& c = out[i];
    c.sentence = sentence;
    c.attributed_to = source;
    if (!cues.empty()) c.event_hint = hint_for(c, cues);
  }
}

}  // namespace isnad::claims_internal
