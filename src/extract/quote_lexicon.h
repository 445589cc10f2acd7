// Word classes used by the quote and attribution scanners (quotes.h). Internal to src/extract.
//
// Entries are written in ordinary Arabic and normalized once, on first use, with the default
// NormalizeOptions, so lookups compare normalized words. Lookups take a string_view into the
// document and never allocate.
#pragma once

#include <cstdint>
#include <string_view>

namespace isnad::quote_lexicon {

enum : std::uint32_t {
  kCueVerb = 1u << 0,        // قال، أكد، أضاف … (any conjugation)
  kCueFemale = 1u << 1,      // قالت، تقول …
  kCueCarry = 1u << 2,       // أضاف، تابع، أوضح، أردف: usually continue the previous speaker
  kParticiple = 1u << 3,     // قائلا، مضيفا …
  kAccording = 1u << 4,      // بحسب، حسب، وفقا، طبقا، نقلا، حسبما، لسان، استنادا
  kComplementizer = 1u << 5, // إن، أن، أنه، بأن …
  kPrep = 1u << 6,           // في، خلال، عبر، أمام، على، عن، من، إلى، مع …
  kTime = 1u << 7,           // يوم، اليوم، أمس، مساء، weekdays …
  kRelative = 1u << 8,       // الذي، التي، وهو، حيث …
  kRole = 1u << 9,           // وزير، المتحدث، الرئيس، الباحث …
  kInstitution = 1u << 10,   // وزارة، الكرملين، الشرطة، جهاز …
  kAnonymous = 1u << 11,     // مسؤول، مصدر، شهود … (indefinite only)
  kStatement = 1u << 12,     // بيان، تصريحات، تقرير: "according to the statement of X"
  kOutlet = 1u << 13,        // صحيفة، وكالة، قناة، شبكة …
  kPronoun = 1u << 14,       // هو، هي، هم
  kDiscourse = 1u << 15,     // لكن، كما، بينما … (skipped before an SVO subject)
  kNotSource = 1u << 16,     // سياسة، القانون، الخطة …: "وفقا للقانون" is not a source
  kQuantifier = 1u << 17,    // بعض، أحد، معظم، عدد
  kBlocksThat = 1u << 18,    // بعد، قبل، منذ، حتى، رغم، دون: "بعد أن" is not reported speech
  kRoleLink = 1u << 19,      // باسم، لشؤون: the role goes on with the next word
  kNegation = 1u << 20,      // لم، لا، لن، ما
  kCalled = 1u << 21,        // يدعى، تدعى: "أحد المشجعين، ويدعى خالد ناصر"
  kSaying = 1u << 22,        // قوله، قولها: "نقلت X عن Y قوله إن" (ends the source phrase)
  kResumptive = 1u << 23,    // به، عنه: "بحسب ما أفادت به مصادر" (the pronoun is not the source)
  kKunya = 1u << 24,         // أبو، أم، ابن: the name goes on ("أم خالد")
  kTitle = 1u << 26,         // الدكتور، العميد، القاضي: a title right before a name
  kAudience = 1u << 25,      // للصحفيين، للوكالة: who was spoken to, not a genitive of the source
  kDemonstrative = 1u << 27, // هذا، ذلك: alone a thing ("هذا يشير إلى"), before a definite noun a determiner
  kConditional = 1u << 28,   // إذا، لو: opens a condition, never a source
};

// Classes of a normalized word as written (no clitic stripping). 0 when unknown.
std::uint32_t classes(std::string_view word);

// Classes of the word after an optional و/ف conjunction; `stripped` gets the bytes removed (0 or 2).
std::uint32_t classes_conj(std::string_view word, std::uint32_t& stripped);

}  // namespace isnad::quote_lexicon
