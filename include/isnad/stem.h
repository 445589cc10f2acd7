// isnad/stem.h — light Arabic stemming on top of the tokenizer's clitic analysis.
//
// A light stemmer removes inflection, not derivation: the tokenizer has already taken off the
// clitics (و ب ال … ها هم …); the stemmer then removes teh marbuta (ة, folded to ه), the sound
// plural and dual endings (ات ون ين ان), and the ت that teh marbuta becomes before a suffix, so
//   حكومه, الحكومه, حكومات, حكومتها, للحكومتين  → حكوم
//   مسؤول, المسؤولون, مسؤولين, مسؤولان          → مسؤول
// The result is always a sub-span of the analysis stem (no copy, no allocation).
//
//   isnad::Stemmer stemmer;                                   // Lexicon::builtin()
//   isnad::Span s = stemmer.stem(norm.text(), token.best());
//
// How it differs from Lucene's light10 ArabicStemmer (prefixes ال وال بال كال فال لل و, suffixes
// ها ان ات ون ين يه ية ه ة ي, stripped whenever two letters remain):
//   * a suffix comes off only when the lexicon knows a paradigm partner: ين/ون need the other
//     plural (مواطنين ↔ مواطنون) or the dual (ين ↔ ان); ان needs ين; ات needs the singular
//     (حكومات ↔ حكومه, اتصالات ↔ اتصال). So بوتين, فلسطين, لبنان, عمان, تلفزيون, قانون stay whole
//     where light10 gives بوت, فلسط, لبن, عم, تلفز, قان. Unknown words fall back to light10-like
//     rules with one more letter of margin (the remainder must keep 3–4 letters).
//   * a final ه is removed only when the lexicon says the word is written with ة (or does not
//     know it): وجه, اتجاه, مياه, شبه keep their ه.
//   * the nisba ي is kept (سعودي, السعوديه, السعوديين → سعودي), so country and adjective do not
//     collapse onto a shorter root (light10 turns all of them into سعود).
//   * a و is never stripped here: conjunctions are the tokenizer's call (وزير stays, light10
//     gives زير); final و is never a suffix (موسكو).
// Cost: a few lexicon lookups per word; the Analyzer caches results per distinct word.
#pragma once

#include <string>
#include <string_view>

#include "isnad/span.h"
#include "isnad/tokenize.h"

namespace isnad {

class Stemmer {
 public:
  explicit Stemmer(const Lexicon& lexicon = Lexicon::builtin()) : lexicon_(&lexicon) {}

  // The light stem of an Arabic analysis: a non-empty span inside `analysis.stem`.
  Span stem(std::string_view text, const Analysis& analysis) const;

 private:
  bool known(std::string_view word) const;
  const Lexicon* lexicon_;
};

// Convenience for tools and tests (allocates): normalize, take the first word's best analysis,
// stem it. Non-Arabic words come back normalized and unchanged; empty input gives "".
std::string stem_word(std::string_view word, const Stemmer& stemmer = Stemmer{});

}  // namespace isnad
