// Statements about the event: responsibility, accusation, denial, warning. Arabic news puts the
// verb first (VSO), so the actor is the noun phrase right after the verb and the target follows it;
// prepositions (عن, علي, من, ب…) mark where one ends and the other starts.
#include <algorithm>

#include "extract/claim_internal.h"

namespace isnad::claims_internal {
namespace {

constexpr std::size_t kMaxActorWords = 6;
constexpr std::size_t kMaxTargetWords = 8;
constexpr std::size_t kVerbReach = 8;  // words between a verb and the noun that completes it

bool has_article(const Word& w, std::string_view text) { return w.span.of(text).substr(w.stem).starts_with("ال"); }

// "بالوقوف", "بتنفيذ", "باطلاق": the charge of an accusation starts here. Past the first word after
// the verb, ب + a verbal noun of the forms تفعيل/افعال is taken as a charge too (a name such as
// باريس rarely stands there).
bool starts_charge(const Word& w, std::string_view text, bool first) {
  const std::string_view s = w.span.of(text);
  if (!s.starts_with("ب")) return false;
  if (s == "ب") return true;  // بـ"…": the charge is quoted
  if (s.starts_with("بال") || w.has(kCharge)) return true;
  return !first && s.size() >= 8 && (s.starts_with("بت") || s.starts_with("با"));
}

}  // namespace

bool SentenceContext::negated(std::size_t verb) const {
  if (verb >= 1 && words[verb - 1].has(kNegation) && number_at[verb - 1] < 0) return true;
  // دون ان تعلن
  return verb >= 2 && stem_is(words[verb - 1], text, "ان") &&
         (stem_is(words[verb - 2], text, "دون") || stem_is(words[verb - 2], text, "بدون"));
}

std::size_t SentenceContext::find_word(std::size_t from, std::size_t limit, std::uint64_t roles) const {
  limit = std::min(limit, words.size());
  for (std::size_t j = from; j < limit; ++j) {
    if (j > from && words[j].strong_break) break;
    if (words[j].has(roles)) return j;
  }
  return words.size();
}

Span SentenceContext::entity_in(Span region, std::size_t nth) const {
  for (const EntityMention& e : in.entities) {
    const Span whole = e.role.empty() || e.role.begin > e.span.begin ? e.span : Span{e.role.begin, e.span.end};
    if (!region.contains(e.span)) continue;
    if (nth-- == 0) return region.contains(whole) ? whole : e.span;
  }
  return {};
}

void SentenceContext::split_actor_target(std::size_t first, std::size_t limit, Span& actor, Span& target) const {
  actor = target = {};
  if (limit <= first) return;
  const Span region{words[first].span.begin, words[limit - 1].span.end};
  if (!in.entities.empty()) {
    actor = entity_in(region, 0);
    target = entity_in(region, 1);
    if (!actor.empty()) return;
  }
  if (limit - first == 1) {  // "واتهمت كييف ب…": the subject was named before.
    target = region;
    return;
  }
  // "اتهمت الحكومه جماعه الوادي", "اتهمت وزاره الداخليه حركه الصخره": an indefinite word after a
  // definite one starts a new noun phrase (a construct's head), the target.
  for (std::size_t m = first + 1; m < limit; ++m) {
    if (has_article(words[m - 1], text) && !has_article(words[m], text) && words[m].roles == 0 &&
        !words[m].break_before) {
      actor = Span{words[first].span.begin, words[m - 1].span.end};
      target = Span{words[m].span.begin, words[limit - 1].span.end};
      return;
    }
  }
  // The target is the last noun phrase: its last word, and the definite adjectives before it when
  // it is definite too ("موسكو الحكومه الاوكرانيه"). At least one word stays for the actor.
  std::size_t t = limit - 1;
  while (t > first + 1 && has_article(words[t], text) && has_article(words[t - 1], text)) --t;
  // An indefinite noun with its nisba adjective after a definite actor: "الوزير عصابات محليه".
  const std::string_view last = words[limit - 1].span.of(text);
  if (t == limit - 1 && t > first + 1 && !has_article(words[t], text) && !has_article(words[t - 1], text) &&
      has_article(words[t - 2], text) && (last.ends_with("يه") || last.ends_with("ي") || last.ends_with("يين")))
    --t;
  actor = Span{words[first].span.begin, words[t - 1].span.end};
  target = Span{words[t].span.begin, words[limit - 1].span.end};
}

// "وكان التنظيم قد اعلن …": the subject stands between كان and قد, before the verb.
// "غير ان الميليشيا نفت …", "لكن السلطات اتهمت …": a definite noun right after ان/لكن is the
// subject too.
Span SentenceContext::subject_before(std::size_t verb) const {
  // "غير ان وزاره الداخليه اتهمت": up to three role-less words, the last one definite.
  if (verb >= 2 && has_article(words[verb - 1], text) && !words[verb].break_before) {
    for (std::size_t first = verb - 1; first >= 1 && verb - first <= 3; --first) {
      if (words[first].roles != 0 || (first + 1 < verb && words[first + 1].break_before)) break;
      if (stem_is(words[first - 1], text, "ان") || stem_is(words[first - 1], text, "لكن"))
        return Span{words[first].span.begin, words[verb - 1].span.end};
    }
  }
  if (verb < 2 || !words[verb - 1].has(kQad)) return {};
  for (std::size_t d = 2; d <= kMaxActorWords && d <= verb; ++d) {
    if (words[verb - d + 1].strong_break) break;
    if (words[verb - d].has(kKana)) return phrase_from(words, verb - d + 1, verb - 1, 0, kMaxActorWords);
  }
  return {};
}

bool SentenceContext::continues_statement(const std::vector<Claim>& out) const {
  for (std::size_t k = out.size(); k-- > 0 && out[k].sentence == sentence;)
    if (!is_figure(out[k].type) && !out[k].actor.empty()) return true;
  return false;
}

// The charge after ب speaks of the event: a charge word (الوقوف وراء, تنفيذ) or an incident.
bool SentenceContext::charge_names_event(std::size_t b) const {
  constexpr std::size_t kChargeWords = 6;
  for (std::size_t j = b; j < words.size() && j < b + kChargeWords; ++j) {
    if (j > b && words[j].strong_break) break;
    if (words[j].has(kCharge | kEventNoun | kIncidentNoun)) return true;
    // "بالوقوف", "بتنفيذ": the charge word behind the ب.
    std::uint32_t skip = 0;
    const std::string_view s = words[j].span.of(text);
    if (j == b && s.size() > 2)
      if (const LexEntry* e = lookup(s.substr(2), skip); e != nullptr && (e->roles & (kCharge | kEventNoun | kIncidentNoun)))
        return true;
  }
  return false;
}

void SentenceContext::push_statement(std::vector<Claim>& out, ClaimType type, std::size_t verb, Span actor,
                                     Span target, std::uint32_t end) const {
  Claim c;
  c.type = type;
  c.actor = actor.empty() ? subject_before(verb) : actor;
  // "ونفت الوزاره …، واتهمت …": a verb without a subject continues the previous one's.
  for (std::size_t k = out.size(); c.actor.empty() && k-- > 0 && out[k].sentence == sentence;)
    if (!is_figure(out[k].type)) c.actor = out[k].actor;
  c.target = target;
  c.sentence = sentence;
  c.span = Span{words[verb].span.begin + words[verb].stem, std::max({end, words[verb].span.end, target.end})};
  out.push_back(std::move(c));
}

void SentenceContext::statements(std::vector<Claim>& out) const {
  const std::size_t n = words.size();
  auto clause_from = [&](std::size_t first, std::size_t max_words) -> Span {
    if (first >= n) return {};
    std::size_t last = first;
    while (last + 1 < n && last + 1 - first < max_words && !words[last + 1].break_before) ++last;
    return Span{words[first].span.begin, words[last].span.end};
  };
  auto refine = [&](Span guess) {
    if (guess.empty() || in.entities.empty()) return guess;
    const Span e = entity_in(guess, 0);
    return e.empty() ? guess : e;
  };

  for (std::size_t i = 0; i < n; ++i) {
    const Word& w = words[i];
    if (number_at[i] >= 0) continue;
    // "لا يهمها من يتبني ومن ينفي": whoever does it, nobody in particular.
    if (i > 0 && stem_is(words[i - 1], text, "من") && !w.break_before) continue;

    // اعلن X مسؤوليته عن Y
    if (w.has(kRespNoun)) {
      std::size_t v = n;
      for (std::size_t d = 1; d <= kVerbReach && d <= i; ++d) {
        if (words[i - d + 1].strong_break || words[i - d].has(kBlameVerb)) break;
        if (words[i - d].has(kRespVerb)) {
          v = i - d;
          break;
        }
      }
      if (v == n || negated(v)) continue;
      const Span actor = refine(phrase_from(words, v + 1, i, kRespNoun, kMaxActorWords));
      Span target;
      if (i + 2 < n && stem_is(words[i + 1], text, "عن") && !words[i + 1].break_before)
        target = phrase_from(words, i + 2, n, 0, kMaxActorWords);
      push_statement(out, ClaimType::kResponsibility, v, actor, target, w.span.end);
      continue;
    }

    // تبني X الهجوم · اعلن X تبنيه الهجوم
    if (w.has(kAdopt) && !negated(i)) {
      const std::string_view stem = w.span.of(text).substr(w.stem);
      const bool noun = stem == "تبنيه" || stem == "تبنيها";
      Span actor;
      std::size_t verb = i;
      if (noun) {
        const std::size_t from = i > kVerbReach ? i - kVerbReach : 0;
        for (std::size_t j = i; j-- > from;)
          if (words[j].has(kRespVerb)) {
            if (!negated(j)) verb = j;
            break;
          }
        if (verb == i) continue;
        actor = refine(phrase_from(words, verb + 1, i, 0, kMaxActorWords));
      } else {
        actor = refine(phrase_from(words, i + 1, n, kEventNoun, kMaxActorWords));
      }
      const std::size_t k = find_word(i + 1, i + 1 + kVerbReach, kEventNoun);
      if (k == n || words[k].break_before) continue;
      push_statement(out, ClaimType::kResponsibility, verb, actor, phrase_from(words, k, n, 0, 4), words[k].span.end);
      continue;
    }

    // اتهم X Y ب…
    if (w.has(kAccuseVerb) && !negated(i)) {
      std::size_t b = i + 1;
      while (b < n && b <= i + kVerbReach && !words[b].break_before && !words[b].has(kStop) &&
             !starts_charge(words[b], text, b == i + 1))
        ++b;
      Span actor = subject_before(i), target;
      // "نفت الحركه …، واتهمت الحكومه ب…": the subject is the earlier statement's; one phrase
      // before the charge is the accused.
      const bool continues = actor.empty() && w.stem > 0 && b > i + 1 && b <= i + 3 && continues_statement(out);
      if (!actor.empty() || continues) {
        if (b > i + 1) target = Span{words[i + 1].span.begin, words[b - 1].span.end};
      } else {
        split_actor_target(i + 1, b, actor, target);
      }
      if (actor.empty() && target.empty()) continue;
      const bool charged = b < n && starts_charge(words[b], text, b == i + 1);
      const std::uint32_t end = charged ? words[b].span.end : 0;
      push_statement(out, ClaimType::kAccusation, i, actor, target, end);
      out.back().charge_elsewhere = charged && !charge_names_event(b);
      continue;
    }

    // حمل X Y المسؤوليه · القي X باللوم علي Y
    if (w.has(kBlameVerb) && !negated(i)) {
      const std::size_t k = find_word(i + 1, i + 1 + kVerbReach, kBlameNoun | kRespNoun);
      if (k == n || words[k].break_before) continue;
      Span actor, target;
      if (words[k].has(kBlameNoun)) {
        actor = refine(phrase_from(words, i + 1, k, 0, kMaxActorWords));
        if (k + 2 < n && stem_is(words[k + 1], text, "علي")) target = phrase_from(words, k + 2, n, 0, kMaxActorWords);
      } else {
        split_actor_target(i + 1, k, actor, target);
        // حملت الحكومه المسؤوليه لـ X
        if (target.empty() || actor.empty()) {
          if (k + 1 < n && words[k + 1].span.of(text).starts_with("ل") && !words[k + 1].break_before) {
            actor = target.empty() ? actor : target;
            target = phrase_from(words, k + 1, n, 0, kMaxActorWords);
          }
        }
      }
      if (actor.empty() && target.empty()) continue;
      push_statement(out, ClaimType::kAccusation, i, actor, target, words[k].span.end);
      continue;
    }

    // نفي X اي علاقه …
    if (w.has(kDenyVerb) && !negated(i)) {
      const Span actor = refine(phrase_from(words, i + 1, n, kDenyObject, kMaxActorWords));
      Span actor_found = actor;
      std::size_t k = find_word(i + 1, i + 1 + kVerbReach, kDenyObject);
      // "نفت الشركه في بيان ان …": the medium ("في بيان", "خلال مؤتمر صحفي", "عبر حسابها") is
      // where the denial was made; the actor ends before it and what is denied is the أن clause.
      if (k == n) {
        for (std::size_t p = i + 2; p < n && p <= i + kVerbReach && !words[p].strong_break && k == n; ++p) {
          if (!stem_is(words[p], text, "في") && !stem_is(words[p], text, "خلال") && !stem_is(words[p], text, "عبر"))
            continue;
          for (std::size_t m = p + 1; m < n && m <= p + 4 && !words[m].strong_break; ++m)
            if (stem_is(words[m], text, "ان") || stem_is(words[m], text, "بان")) {
              actor_found = refine(Span{words[i + 1].span.begin, words[p - 1].span.end});
              k = m;
              break;
            }
        }
      }
      if (k == n) {
        // "ونفي الجيش استهداف المدنيين": what is denied starts at the first indefinite noun after
        // the definite actor.
        k = i + 1;
        while (k < n && words[k].span.end <= actor.end) ++k;
        for (std::size_t m = i + 2; m < n && m < k; ++m)
          if (has_article(words[m - 1], text) && !has_article(words[m], text) && words[m].roles == 0) {
            actor_found = Span{words[i + 1].span.begin, words[m - 1].span.end};
            k = m;
            break;
          }
      }
      const Span target = clause_from(k, kMaxTargetWords);
      if (actor_found.empty() && target.empty()) continue;
      push_statement(out, ClaimType::kDenial, i, actor_found, target, target.end);
      continue;
    }

    // حذر X من Y
    if (w.has(kWarnVerb) && !negated(i)) {
      std::size_t k = i + 1;
      while (k < n && k <= i + kVerbReach && !words[k].strong_break && !stem_is(words[k], text, "من") &&
             !stem_is(words[k], text, "ان"))
        ++k;
      if (k >= n || k > i + kVerbReach || words[k].strong_break) continue;
      const Span actor = refine(phrase_from(words, i + 1, k, 0, kMaxActorWords));
      const Span target = clause_from(k + 1, kMaxTargetWords);
      if (target.empty()) continue;
      push_statement(out, ClaimType::kWarning, i, actor, target, target.end);
    }
  }
}

}  // namespace isnad::claims_internal
