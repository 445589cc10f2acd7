// isnad/claims.h — event claims: casualty and legal figures, responsibility, accusation, denial,
// warning, each with who reports it and whether it belongs to the article's own event.
//
// Claims are found sentence by sentence over *normalized* text (normalize.h). The recognizer does
// not split, count or date anything itself: it takes the outputs of the earlier stages, so a test
// can hand it exactly the inputs it wants and the analyzer runs each stage once.
//
//   auto norm = isnad::normalize(bytes);
//   std::string_view t = norm->text();
//   auto sentences = isnad::split_sentences(t);
//   auto numbers = isnad::find_numbers(t);
//   auto dates = isnad::find_dates(t, published);
//   isnad::ClaimInput in{t, sentences, numbers, dates, entities /* may be empty */, published};
//   for (const isnad::Claim& c : isnad::find_claims(in)) { ... c.span.of(t) ... }
//
// Figures (killed, injured, arrested, missing, attackers_killed). A number mention becomes a figure
// when a trigger ties it to people: a count noun right after it ("12 قتيلا", "30 جريحا"), a trigger
// a few words before it in the same clause ("مقتل 12 شخصا", "اعتقلت الشرطه 5 اشخاص", "حصيله القتلي
// الي 137"), or a verb right after its noun ("12 شخصا لقوا حتفهم"). Numbers followed by a unit (عاما,
// ساعه, دولار, %, …), numbers inside a date mention, ordinals and subsets ("بينهم 3 اطفال") are not
// figures, nor are parts of people counted elsewhere ("اثنان منهم", "اثنين من الجرحي", "اربعه من
// عناصر الامن الذين قتلوا", "الاطفال الثلاثه الذين توفوا"). "ارتفع/ارتفعت … الي N" sets `revision`;
// people introduced by بعد after it in the same sentence ("بعد وفاه ثلاثه مصابين", "بعد وفاه امراه")
// are the increment inside the new total, not a figure. Duals
// (قتيلان, شخصين) give value 2, and a singular person noun right after a trigger ("مقتل شرطي")
// gives value 1. Bodies counted as they are recovered ("انتشلت ثلاث جثث", "العثور علي جثتين") are
// the bodies found so far, one step of a search: a lower bound of the toll (kAtLeast), never an
// exact toll that a final count would contradict.
//
// Other events. Articles cite earlier attacks for comparison; such figures must not reach the
// event's dossier. A figure gets a non-empty `event_hint` when, before its trigger in the same
// sentence, there is a comparison cue (مماثل, على غرار, ذكري, مرور, سابق/اخر/منفصل next to an event
// noun, "كان … قد" around an indefinite هجوم or a year, منذ + a year or an indefinite هجوم,
// superlative + منذ, قبل + weeks/years, العام/الشهر الماضي, and "بعد [مده من] <indefinite incident>"
// for the figures of a relative clause on that incident: "بعد نحو شهر من فيضانات … التي اودت بحياه
// 7"; without a span of time only in a sentence that counts incidents, "ثاني حريق … بعد حريق السوق
// الذي …") or a year other than the current one (the publication year,
// else the latest year the document mentions); a year right after the figure in its clause counts too. The hint is that year, else the place or name after
// the cue, else "other". Figures of the article's own event have an empty hint.
//
// Statements. Responsibility ("اعلن X مسؤوليته عن Y", "تبني X Y"), accusation ("اتهم X Y ب…", "حمل X Y
// المسؤوليه", "القي X باللوم علي Y"), denial ("نفي X Y"), warning ("حذر X من Y"). Negated verbs (لم,
// لا, لن) and verbs after "من" (whoever: "لا يهمها من ينفي") produce no claim. A subject before the
// verb ("غير ان وزاره الداخليه اتهمت حركه الصخره") leaves all after the verb to the target, and so
// does a verb joined by و to an earlier statement of the sentence ("نفت الحركه …، واتهمت الحكومه
// ب…"), whose subject it continues. Actor and target are the words after the verb up to a preposition or
// comma; when entity mentions are given, an entity inside that stretch replaces the guess.
//
// Attribution ("قال مسؤولون روس", "وفقا للسلطات", "بحسب وزاره الصحه", "افادت وكاله …") is found per
// sentence by a small cue detector of its own; quotes.h will offer the shared one.
//
// Cost: one pass over the words of each sentence; lexicon lookups hash string_views into static
// tables (no allocation per word). Output strings are only the event hints.
// Pitfalls: all spans are normalized offsets — map them with NormalizedText::to_original before
// showing them. Without sentence spans the whole text is one sentence, which lets comparison cues
// leak between sentences.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/dates.h"
#include "isnad/entities.h"
#include "isnad/numbers.h"
#include "isnad/span.h"

namespace isnad {

enum class ClaimType : unsigned char {
  kKilled,
  kInjured,
  kArrested,
  kMissing,
  kAttackersKilled,
  kResponsibility,
  kAccusation,
  kDenial,
  kWarning,
};
inline constexpr int kClaimTypeCount = 9;
std::string_view to_string(ClaimType t);                         // "killed", "attackers_killed", …
std::optional<ClaimType> claim_type_from_string(std::string_view name);
constexpr bool is_figure(ClaimType t) { return t <= ClaimType::kAttackersKilled; }

struct Claim {
  ClaimType type = ClaimType::kKilled;
  std::optional<double> value;                // figures only; none for "مقتل المهاجمين"
  Qualifier qualifier = Qualifier::kExact;    // from the number's hedge
  Span actor;                                 // statements: who claims/accuses/denies/warns
  Span target;                                // statements: of what / whom
  Span attributed_to;                         // who reports it ("مسؤولون روس"), empty when unsaid
  std::string event_hint;                     // empty: the article's own event
  bool revision = false;                      // "ارتفعت الحصيله الي …"
  // Accusations whose charge is something else than the event ("اتهمت الحكومه بالبحث عن شماعه"):
  // the target is not said to be behind the event.
  bool charge_elsewhere = false;
  Span sentence;
  Span span;                                  // trigger + figure, or verb + target
};

struct ClaimInput {
  std::string_view text;                       // normalized
  std::span<const Span> sentences;             // empty: the whole text is one sentence
  std::span<const NumberMention> numbers;      // in text order
  std::span<const DateMention> dates = {};
  std::span<const EntityMention> entities = {};
  std::optional<CivilDate> published = {};
};

// All claims, in text order.
std::vector<Claim> find_claims(const ClaimInput& input);

}  // namespace isnad
