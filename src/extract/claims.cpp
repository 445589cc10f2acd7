// Event claims, sentence by sentence. See include/isnad/claims.h for the rules; the lexicon is in
// claim_lexicon.cpp, the source finder in claim_source.cpp, statements in claim_statements.cpp.
#include "isnad/claims.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "extract/claim_internal.h"
#include "extract/claim_lexicon.h"

namespace isnad {

namespace {
constexpr std::array<std::string_view, kClaimTypeCount> kTypeNames = {
    "killed", "injured", "arrested", "missing", "attackers_killed", "responsibility", "accusation", "denial", "warning"};
}  // namespace

std::string_view to_string(ClaimType t) { return kTypeNames[static_cast<std::size_t>(t)]; }

std::optional<ClaimType> claim_type_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i)
    if (kTypeNames[i] == name) return static_cast<ClaimType>(i);
  return std::nullopt;
}

namespace claims_internal {
namespace {

// How far a trigger may stand before its number ("اعتقلت الشرطه في المدينه 5 اشخاص"), and how far
// a verb after it ("12 شخصا لقوا حتفهم").
constexpr std::size_t kLeftWindow = 6;
constexpr std::size_t kLeftWindowRevision = 10;
constexpr std::size_t kRevisionReach = 16;
constexpr std::size_t kRightWindow = 4;

bool year_like(double v) { return v >= 1900 && v <= 2100 && v == std::floor(v); }

// The index of the first word that starts at or after `pos`.
std::size_t word_at_or_after(std::span<const Word> words, std::uint32_t pos) {
  return static_cast<std::size_t>(
      std::partition_point(words.begin(), words.end(), [pos](const Word& w) { return w.span.begin < pos; }) -
      words.begin());
}

}  // namespace

void SentenceContext::figures(std::vector<Claim>& out) const {
  std::uint32_t revision_end = 0;  // end of this sentence's revised figure, 0 when none
  for (std::size_t k = num_begin; k < num_end; ++k) {
    const NumberMention& n = in.numbers[k];
    if (n.ordinal || in_date(n.span)) continue;
    const std::size_t first = word_at_or_after(words, n.span.begin);  // first word of the number
    if (first < words.size() && number_at[first] < 0) continue;          // an adjective (reset)
    // "ارتفعت الحصيلة إلى 15، بعد وفاة ثلاثة مصابين": the people after بعد are the increment that
    // explains the revision, already inside the new total — not a figure of their own.
    if (increment_after(revision_end, first)) continue;
    const std::size_t after = word_at_or_after(words, n.span.end);
    const std::size_t noun = counted_noun(first, after);
    const Word* prev = first > 0 ? &words[first - 1] : nullptr;

    if (noun < words.size() && words[noun].has(kUnit)) continue;
    if (prev != nullptr && prev->has(kUnitBefore | kSubset | kYearWord | kSince)) continue;
    if (part_of_counted(after)) continue;
    if (followed_by_percent(n.span.end)) continue;
    const bool counted = noun < words.size() && words[noun].has(kCountNoun | kPeople | kAttackerNoun | kPersonNoun);
    if (year_like(n.value) && n.qualifier == Qualifier::kExact && !counted) continue;

    std::optional<Figure> fig = classify(k, first, after, noun);
    if (!fig) continue;
    Claim c;
    c.type = fig->type;
    c.value = n.value;
    c.qualifier = n.qualifier == Qualifier::kExact ? verb_hedge(fig->trigger, first) : n.qualifier;
    c.revision = fig->revision;
    c.sentence = sentence;
    c.span = Span{std::min(fig->trigger.begin, n.span.begin), std::max(fig->end, n.span.end)};
    if (c.type == ClaimType::kKilled && about_attackers(fig->trigger, n.span.begin, noun)) c.type = ClaimType::kAttackersKilled;
    if (c.revision) revision_end = c.span.end;
    // "انتشلت ثلاث جثث": the bodies found so far, one step of a search; a toll is at least that.
    if (c.type == ClaimType::kKilled && c.qualifier == Qualifier::kExact && recovered_bodies(first, noun))
      c.qualifier = Qualifier::kAtLeast;
    out.push_back(std::move(c));
  }
  people_without_number(out);
}

// "انتشلت فرق الانقاذ ثلاث جثث", "ثلاث جثث انتشلت من تحت الركام": bodies counted as they are
// brought out, a verb of recovery in the clause before the number or right after the bodies.
bool SentenceContext::recovered_bodies(std::size_t first, std::size_t noun) const {
  constexpr std::size_t kBefore = 6, kAfter = 3;
  if (noun >= words.size() || !words[noun].has(kBodyNoun)) return false;
  for (std::size_t d = 1; d <= kBefore && d <= first; ++d) {
    const std::size_t j = first - d;
    if (words[j].has(kRecovery)) return true;
    if (words[j + 1].strong_break || number_at[j] >= 0) break;
  }
  for (std::size_t j = noun + 1; j < words.size() && j <= noun + kAfter && !words[j].break_before; ++j)
    if (words[j].has(kRecovery)) return true;
  return false;
}

bool SentenceContext::increment_after(std::uint32_t revision_end, std::size_t word) const {
  if (revision_end == 0) return false;
  for (std::size_t j = word_at_or_after(words, revision_end); j < word; ++j)
    if (stem_is(words[j], text, "بعد")) return true;
  return false;
}

bool SentenceContext::after_revision(const std::vector<Claim>& out, std::size_t word) const {
  for (const Claim& c : out)
    if (c.revision && sentence.contains(c.span) && increment_after(c.span.end, word)) return true;
  return false;
}

// "تجاوز عدد الجرحي 1200" is more than 1200, "لا يتجاوز 7" at most 7: a hedge the number
// recognizer cannot see, because the counted noun stands between the verb and the number.
Qualifier SentenceContext::verb_hedge(Span trigger, std::size_t number) const {
  const std::size_t t = word_at_or_after(words, trigger.begin);
  const std::size_t from = std::min(t, number) >= 2 ? std::min(t, number) - 2 : 0;
  for (std::size_t j = from; j < number; ++j) {
    if (!words[j].has(kExceed)) continue;
    return j > 0 && words[j - 1].has(kNegation) ? Qualifier::kAtMost : Qualifier::kMoreThan;
  }
  return Qualifier::kExact;
}

// The noun a number counts: the first word after its digits or number words, which the number's
// span covers when a hedge follows it ("12 قتيلا علي الاقل"). words.size() when there is none.
// In a range ("بين 19 و35 عاما") the first number counts what the second does.
std::size_t SentenceContext::counted_noun(std::size_t first, std::size_t after) const {
  for (std::size_t j = first; j < after; ++j)
    if (words[j].has(kCountNoun | kPeople | kAttackerNoun | kPersonNoun | kUnit)) return j;
  // "و35" scans as two words, و and 35.
  const std::size_t second = after + 1;
  if (second < words.size() && words[after].span.of(text) == "و" && number_at[second] >= 0 &&
      !words[after].break_before) {
    const NumberMention& n = in.numbers[static_cast<std::size_t>(number_at[second])];
    return counted_noun(second, word_at_or_after(words, n.span.end));
  }
  // A clitic starts a new phrase: in "الي 20 والجرحي" the 20 does not count the wounded.
  if (after < words.size() && !words[after].break_before && words[after].stem == 0) return after;
  return words.size();
}

std::optional<Figure> SentenceContext::classify(std::size_t k, std::size_t first, std::size_t after,
                                                std::size_t noun) const {
  const NumberMention& n = in.numbers[k];
  // A count noun right after the number decides: "12 قتيلا".
  if (noun < words.size() && words[noun].has(kCountNoun)) {
    const Word& w = words[noun];
    return Figure{w.lex->type, w.span, w.span.end, revision_before(first, first)};
  }
  // A trigger a few words before: "مقتل 12", "حصيله القتلي الي 137".
  // "عدد قتلي الهجوم علي محطه الحافلات ارتفع الي 47": a revision verb reaches further back.
  std::optional<std::size_t> left = trigger_after_revision(first);
  std::size_t window = left ? 0 : kLeftWindow;
  for (std::size_t d = 1; d <= window && d <= first; ++d) {
    const std::size_t j = first - d;
    const Word& w = words[j];
    if (number_at[j] >= 0 || w.has(kSubset)) break;
    // "أصيبوا، وإن ثلاثة عمال": إن/أن opens a new clause; a trigger before it is not this number's.
    if (stem_is(w, text, "ان") || stem_is(w, text, "بان")) break;
    if (w.has(kLeftTrigger)) {
      left = j;
      break;
    }
    if (words[j + 1].strong_break) break;
    if (w.has(kRevision)) {
      // "ارتفع عدد قتلي انفجار المستودع في الميناء الي 26": the figure is named right after the verb.
      window = kLeftWindowRevision;
      for (std::size_t m = j + 1; m < first && !left; ++m)
        if (words[m].has(kLeftTrigger)) left = m;
      if (left) break;
    }
  }
  // A verb after the counted noun: "12 شخصا لقوا حتفهم", "في عداد المفقودين".
  std::optional<std::size_t> right;
  for (std::size_t j = after, counted = 0; j < words.size() && counted < kRightWindow; ++j) {
    const Word& w = words[j];
    if (w.break_before || number_at[j] >= 0) break;
    // "خطف مسلحون سبعة عمال وقتلوا حارسين": a verb joined by و has the sentence's subject.
    if (w.has(kAfterVerb) && w.stem > 0 && w.span.of(text).starts_with("و")) break;
    if (!w.has(kStill | kNegation | kSourceSkip | kStop)) ++counted;
    if (w.has(kAfterVerb)) {
      right = j;
      break;
    }
  }
  if (right && (!left || first - *left > 2)) {
    // "اربعه من عناصر الامن الذين قتلوا", "الاطفال الثلاثه الذين توفوا": a group named by a
    // partitive or a definite noun, then told apart by a relative clause, is some of the dead,
    // not the toll.
    const bool partitive = after < *right && stem_is(words[after], text, "من");
    const bool definite_group = first > 0 && !words[first].break_before &&
                                words[first - 1].span.of(text).substr(words[first - 1].stem).starts_with("ال");
    if (partitive || definite_group)
      for (std::size_t j = after; j < *right; ++j)
        if (words[j].has(kRelative)) return std::nullopt;
    const Word& w = words[*right];
    return Figure{w.lex->type, n.span, w.span.end, false};
  }
  if (left) {
    const Word& w = words[*left];
    std::uint32_t end = n.span.end;
    if (noun < words.size() && words[noun].has(kPeople | kAttackerNoun)) end = std::max(end, words[noun].span.end);
    return Figure{w.lex->type, Span{w.span.begin + w.stem, w.span.end}, end, revision_before(*left, first)};
  }
  return std::nullopt;
}

// "ارتفع عدد قتلي انفجار المستودع في ميناء راس الملح الي 26": when "الي N" ends a revision, the
// figure is named right after the revision verb, however long the noun phrase between them.
std::optional<std::size_t> SentenceContext::trigger_after_revision(std::size_t first) const {
  if (first == 0 || !stem_is(words[first - 1], text, "الي")) return std::nullopt;
  for (std::size_t d = 2; d <= kRevisionReach && d <= first; ++d) {
    const std::size_t j = first - d;
    if (number_at[j] >= 0 || words[j + 1].strong_break) break;
    if (!words[j].has(kRevision)) continue;
    for (std::size_t m = j + 1; m + 1 < first; ++m)
      if (words[m].has(kLeftTrigger)) return m;
    break;
  }
  return std::nullopt;
}

bool SentenceContext::revision_before(std::size_t trigger, std::size_t number) const {
  // "ارتفعت حصيله القتلي الي 137": the revision word sits just before the trigger, or — for the
  // later figures of "ارتفع عدد القتلي الي 20 والجرحي الي 41" — anywhere before a "الي N".
  const bool to = number > 0 && stem_is(words[number - 1], text, "الي");
  const std::size_t from = to ? 0 : (trigger >= 3 ? trigger - 3 : 0);
  bool found = false;
  for (std::size_t j = from; j < number; ++j) {
    if (words[j].strong_break) found = false;
    if (words[j].has(kRevision)) found = true;
  }
  return found;
}

bool SentenceContext::about_attackers(Span trigger, std::uint32_t number_begin, std::size_t noun) const {
  // "مقتل 4 مسلحين", "قتل 4 من المهاجمين", "مقتل المهاجمين الاربعه".
  for (std::size_t j = noun; j < words.size() && j < noun + 2; ++j) {
    if (j > noun && words[j].break_before) break;
    if (words[j].has(kAttackerNoun)) return true;
    if (!stem_is(words[j], text, "من")) break;
  }
  for (std::size_t j = word_at_or_after(words, trigger.end); j < words.size() && words[j].span.end <= number_begin;
       ++j)
    if (words[j].has(kAttackerNoun)) return true;
  return false;
}

void SentenceContext::people_without_number(std::vector<Claim>& out) const {
  for (std::size_t j = 0; j < words.size(); ++j) {
    const Word& w = words[j];
    if (number_at[j] >= 0) continue;
    // Duals that count themselves: قتيلان, جريحين.
    if (w.has(kCountNoun) && w.lex->count == 2 && (j == 0 || number_at[j - 1] < 0)) {
      if (after_revision(out, j)) continue;
      push_figure(out, w.lex->type, 2, w.span, j, j);
      if (w.lex->type == ClaimType::kKilled && recovered_bodies(j, j)) out.back().qualifier = Qualifier::kAtLeast;
      continue;
    }
    if (!w.has(kLeftTrigger)) continue;
    // "ارتفع عدد الضحايا الي سته، بعد وفاه امراه": the increment inside the revised total.
    if (after_revision(out, j)) continue;
    // "القبض علي شخص": one preposition may stand between the trigger and the person.
    // "اعتقلت الشرطه شابين": so may the subject of a verb, a definite word of no role.
    std::size_t m = j + 1;
    if (m < words.size() && (stem_is(words[m], text, "علي") ||
                             (words[m].roles == 0 && words[m].span.of(text).starts_with("ال"))))
      ++m;
    if (m >= words.size() || words[m].break_before) continue;
    const Word& noun = words[m];
    const bool number_follows = m + 1 < words.size() && number_at[m + 1] >= 0;
    if (number_follows || number_at[m] >= 0) continue;
    const ClaimType type = w.lex->type;
    if (noun.has(kPersonNoun) && noun.lex->count > 0 && is_figure(type)) {
      push_figure(out, type, noun.lex->count, Span{w.span.begin + w.stem, noun.span.end}, j, m);
    } else if ((type == ClaimType::kKilled || type == ClaimType::kAttackersKilled) && noun.has(kAttackerNoun) &&
               noun.span.of(text).substr(noun.stem).starts_with("ال")) {
      // "مقتل المهاجمين": a figure without a value, still worth a row in the dossier.
      Claim c;
      c.type = ClaimType::kAttackersKilled;
      c.sentence = sentence;
      c.span = Span{w.span.begin + w.stem, noun.span.end};
      out.push_back(std::move(c));
    }
  }
}

void SentenceContext::push_figure(std::vector<Claim>& out, ClaimType type, double value, Span span,
                                  std::size_t trigger, std::size_t last) const {
  Claim c;
  c.type = type;
  c.value = value;
  c.sentence = sentence;
  c.span = span;
  c.revision = revision_before(trigger, last);
  out.push_back(std::move(c));
}

// "اثنان منهم", "اثنين من الجرحي": a part of people counted elsewhere (the wounded, the dead), which
// a report gives beside the total ("لا يزال 9 من المصابين في المستشفي، اثنان منهم في العنايه").
bool SentenceContext::part_of_counted(std::size_t after) const {
  if (after >= words.size() || words[after].break_before) return false;
  if (words[after].has(kSubset)) return true;
  return stem_is(words[after], text, "من") && after + 1 < words.size() && !words[after + 1].break_before &&
         words[after + 1].has(kCountNoun);
}

bool SentenceContext::in_date(Span s) const {
  for (const DateMention& d : in.dates)
    if (d.span.overlaps(s)) return true;
  return false;
}

bool SentenceContext::followed_by_percent(std::uint32_t pos) const {
  while (pos < sentence.end && text[pos] == ' ') ++pos;
  return pos < sentence.end && text[pos] == '%';
}

}  // namespace claims_internal

std::vector<Claim> find_claims(const ClaimInput& input) {
  using namespace claims_internal;
  std::vector<Claim> out;
  if (input.text.empty()) return out;
  const Span whole{0, static_cast<std::uint32_t>(input.text.size())};
  const std::span<const Span> sentences = input.sentences.empty() ? std::span<const Span>(&whole, 1) : input.sentences;

  DocumentContext doc(input, sentences);
  SentenceContext ctx(input, doc);
  std::size_t num = 0;
  for (const Span s : sentences) {
    while (num < input.numbers.size() && input.numbers[num].span.begin < s.begin) ++num;
    std::size_t num_end = num;
    while (num_end < input.numbers.size() && input.numbers[num_end].span.end <= s.end) ++num_end;
    ctx.reset(s, num, num_end);
    const std::size_t before = out.size();
    ctx.figures(out);
    ctx.statements(out);
    ctx.finish(out, before);
    num = num_end;
  }
  std::stable_sort(out.begin(), out.end(), [](const Claim& a, const Claim& b) { return a.span.begin < b.span.begin; });
  return out;
}

}  // namespace isnad
