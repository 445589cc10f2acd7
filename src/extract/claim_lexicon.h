// Internal to the claims recognizer: the trigger lexicon and the words of a sentence.
//
// Every entry is written in normalized form (ا for أ/إ/آ, ي for ى, ه for ة, no tashkeel); a unit
// test checks that normalize_string leaves each entry unchanged. One word can play several roles
// (القتلي counts people after a number and names the figure before one), so roles are bits.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "isnad/claims.h"
#include "isnad/span.h"

namespace isnad::claims_internal {

enum Role : std::uint64_t {
  kLeftTrigger = 1ull << 0,    // names a figure before its number: مقتل, اعتقلت, حصيله
  kCountNoun = 1ull << 1,      // counts people right after a number: قتيلا, جريحا
  kAfterVerb = 1ull << 2,      // says what happened after the counted noun: قتلوا, حتفهم
  kAttackerNoun = 1ull << 3,   // makes a killed figure attackers_killed: المسلحين, المهاجمين
  kPersonNoun = 1ull << 4,     // a person without a number: شخص (count 1), شخصين (count 2)
  kUnit = 1ull << 5,           // after a number, not people: عاما, ساعه, دولار
  kUnitBefore = 1ull << 6,     // before a number, not people: الساعه, رقم
  kSubset = 1ull << 7,         // a part of a figure already given: بينهم, منهم
  kRevision = 1ull << 8,       // ارتفع … الي
  kCompare = 1ull << 9,        // another event: مماثل, غرار, سابق
  kSince = 1ull << 10,         // منذ
  kSuperlative = 1ull << 11,   // الاسوا, الاكثر (دمويه) … منذ
  kKana = 1ull << 12,          // كان/كانت (… قد)
  kQad = 1ull << 13,           // قد
  kEventNoun = 1ull << 14,     // هجوم, تفجير: what a responsibility is for; indefinite after منذ
  kYearWord = 1ull << 15,      // عام, سنه: the next number is a year
  kAttribVerb = 1ull << 16,    // قال, افادت: the subject reports
  kAttribPrep = 1ull << 17,    // وفقا, بحسب: the object reports
  kNegation = 1ull << 18,      // لم, لا, لن
  kRespVerb = 1ull << 19,      // اعلن, ادعي (… مسؤوليته)
  kRespNoun = 1ull << 20,      // مسؤوليته, المسؤوليه
  kAdopt = 1ull << 21,         // تبني X الهجوم
  kAccuseVerb = 1ull << 22,    // اتهم
  kBlameVerb = 1ull << 23,     // حمل (… المسؤوليه)
  kBlameNoun = 1ull << 24,     // باللوم (القي … باللوم علي)
  kDenyVerb = 1ull << 25,      // نفي
  kWarnVerb = 1ull << 26,      // حذر
  kStop = 1ull << 27,          // ends an actor or source phrase: في, من, ان, عن
  kDenyObject = 1ull << 28,    // starts what is denied: اي, علاقه, تورط
  kPast = 1ull << 29,          // الماضي (العام الماضي)
  kSourceSkip = 1ull << 30,    // skipped after a source preposition: بحسب ما افادت
  kCompareNearEvent = 1ull << 31,  // another event only next to an event noun: هجوم اخر, حادثه سابقه
  kCharge = 1ull << 32,        // what an accusation is of, after ب: تنفيذ, تدبير, الوقوف
  kPeople = 1ull << 33,        // counted people after a number: شخصا, اشخاص, اخرين
  kStill = 1ull << 34,         // "لا يزال N في عداد …": not counted in the window after a number
  kExceed = 1ull << 35,        // تجاوز عدد الجرحي N: more than N (at most when negated)
  kLongAgo = 1ull << 36,       // after قبل, a span that puts an event in the past: قبل اسبوعين
  kBefore = 1ull << 37,        // قبل
  // Incidents that are not attacks (حريق, سيول, زلزال) and accusative forms (حريقا, هجوما): only
  // the other-event cues read them, so they never become a responsibility's object or mark
  // "كان … قد" the way the attack nouns above do.
  kIncidentNoun = 1ull << 38,
  kOrdinal = 1ull << 39,       // ثاني, ثالث: "ثاني حريق … خلال اسبوع" — the sentence weighs several events
  kAbout = 1ull << 40,         // نحو, حوالي before a span of time ("بعد نحو شهر من …")
  kRelative = 1ull << 41,      // الذي, التي, الذين: a relative clause opens
  kBodyNoun = 1ull << 42,      // جثه, جثث: dead people counted as bodies
  kRecovery = 1ull << 43,      // انتشال, العثور: bodies brought out, one step of a search
};

struct LexEntry {
  std::uint64_t roles = 0;
  ClaimType type = ClaimType::kKilled;  // for figure roles
  std::uint8_t count = 0;               // kPersonNoun / dual count nouns: 1 or 2
};

// Entry of a normalized word, trying it whole, then without a leading و/ف, then without ب/ل
// (وبمقتل → مقتل). `stem_skip` receives the bytes of clitics stripped. Null when unknown.
const LexEntry* lookup(std::string_view word, std::uint32_t& stem_skip);

// Every entry's spelling, for the test that they are in normalized form.
std::vector<std::string_view> lexicon_words();

struct Word {
  Span span;                 // the whole word
  std::uint32_t stem = 0;    // bytes of clitics before the matched entry
  std::uint64_t roles = 0;
  const LexEntry* lex = nullptr;
  bool break_before = false;   // , ; : . ? ! ( ) between the previous word and this one
  bool strong_break = false;   // . ; : ? ! between the previous word and this one
  bool has(std::uint64_t role) const { return (roles & role) != 0; }
};

// The word without the clitics its lexicon entry was found behind is `s` ("وبعد" reads as بعد).
inline bool stem_is(const Word& w, std::string_view text, std::string_view s) { return w.span.of(text).substr(w.stem) == s; }

// Fills `out` with the words of `sentence` (reusing its storage).
void scan_words(std::string_view text, Span sentence, std::vector<Word>& out);

// Who reports the figures of a sentence: "قال مسؤولون روس ان", "وفقا للسلطات". Empty when unsaid.
Span find_source(std::string_view text, std::span<const Word> words);

// The noun phrase starting at word `first`: up to `max_words` words, ending before a stop word,
// a word with any of `stop_roles`, a punctuation break or `limit` (a word index).
Span phrase_from(std::span<const Word> words, std::size_t first, std::size_t limit, std::uint64_t stop_roles,
                 std::size_t max_words);

}  // namespace isnad::claims_internal
