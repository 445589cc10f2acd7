// isnad/numbers.h — numbers in normalized Arabic text: digits, number words, hedges.
//
//   auto norm = isnad::normalize(bytes);
//   for (const isnad::NumberMention& n : isnad::find_numbers(norm->text())) {
//     // n.value, n.qualifier, norm->to_original(n.span)
//   }
//
// What is recognized (input must be normalize()d: ASCII digits, one alef, ي for ى, ه for ة):
//   digits     137, 1,500 (a comma followed by exactly three digits groups thousands), 1.5,
//              1.500.000, -3, .75, 77/100; "1,5" is a decimal only before a scale word
//              (1,5 مليون), otherwise two numbers. Digit groups joined by '/' or ':' (dates,
//              times, scores, seasons) are not quantities and yield nothing, except x/100 and
//              x/1000. Digits glued to Latin letters (F-16, G20) are model names, not numbers.
//   words      units to millions in every gender and case (ثلاث/ثلاثه/ثلاثين/ثلاثون, مائه/مئه,
//              الف/الاف/الفا/الفين, مليون/ملايين), teens, duals, compounds joined by و
//              (مائه وسبعه وعشرون), digits with scale words (1.5 مليون, 3 الاف), halves and
//              quarters of a scale (نصف مليون, مليون ونصف), "فاصله" decimals, and the common
//              Egyptian forms (تلتميه, اتناشر). Proclitics و ف ب ل ك and ال are stripped.
//   ordinals   الاول … العاشر, الحادي عشر, الحادي والعشرين, التسعون (`ordinal` = true). Not
//              inside month names (كانون الثاني, تشرين الاول, ربيع الاول, جمادي الاولي), and
//              not ثانيه right after a number (a second of time).
//   vague      عشرات 10, مئات 100, الاف 1000 (alone), ملايين 1e6, عشرات الالاف 1e4,
//              مئات الالاف 1e5, عده/بضع الاف 1000: `qualifier` = kVague, `value` = magnitude.
//   hedges     before: ما لا يقل عن, اكثر من, نحو, حوالي, قرابه, ما يصل الي, حتي, اقل من,
//              لا يزيد عن …; after (directly, or after one counted noun): علي الاقل, تقريبا,
//              علي الاكثر, كحد اقصي, او اكثر. The span covers the hedge. حتي hedges only a
//              number directly after it and never a year (حتي 2030 is "until").
//   percent    50%, 50 في المائه, 50 بالمئه: `percent` = true, the span covers the sign/words.
// Not recognized on purpose: احد/احدي alone (احد المسؤولين is "one of"), الاحد and الاثنين
// (weekdays), standalone ميه and متين (water, solid), الف right before an ال word (the verb
// ألّف), نصف/ربع/ثلث away from a scale word.
// Pitfalls: without vowels some readings are guesses. الفا and مليونا alone are read as the
// accusative singular (1000), not the dual construct (2000); a definite tens word alone
// (العشرين) is an ordinal, as in القرن العشرين, though السنوات العشرين means twenty years.
//
// Mentions are in text order and never overlap; `span` starts after a conjunction or
// preposition clitic (ونحو 40 → "نحو 40") but keeps ال.
//
// Cost: one pass over the words with a flat-hash lexicon lookup per word (a few for words that
// start with a clitic letter); one allocation for the word buffer and the result per call. The
// lexicon is built once, thread-safely, on first use.
#pragma once

#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad {

// How a figure is hedged in the text. Names match the JSON contract.
enum class Qualifier : unsigned char { kExact, kAtLeast, kAtMost, kAbout, kMoreThan, kLessThan, kUpTo, kVague };
std::string_view to_string(Qualifier q);

struct NumberMention {
  Span span;          // normalized offsets, hedge included
  double value = 0;   // for kVague: the order of magnitude (عشرات → 10, مئات الآلاف → 100000)
  Qualifier qualifier = Qualifier::kExact;
  bool ordinal = false;  // الثالث, الحادي عشر
  bool percent = false;  // 40%, 40 في المائه: `value` is the percentage (40)
};

// All number mentions in normalized text, in text order, non-overlapping.
std::vector<NumberMention> find_numbers(std::string_view normalized);

}  // namespace isnad
