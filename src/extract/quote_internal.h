// Internals shared by attribution.cpp and quotes.cpp (see quotes.h for the behaviour).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "isnad/entities.h"
#include "isnad/quotes.h"
#include "isnad/span.h"

namespace isnad::quote_internal {

// A top-level stretch between quote marks. `inner` excludes the marks; an unclosed quote ends at
// the paragraph end (closed = false).
struct QuoteRegion {
  Span outer;
  Span inner;
  bool closed = true;
};

// Top-level quote regions inside `range`, in order.
std::vector<QuoteRegion> find_quote_regions(std::string_view text, Span range);

enum Gap : std::uint16_t {
  kGapComma = 1,
  kGapColon = 2,
  kGapStop = 4,     // . ? ! ;
  kGapNewline = 8,
  kGapQuote = 16,   // any quote mark
  kGapOther = 32,   // ( ) - / and other punctuation
};

struct Word {
  Span span;              // the word as written, clitics included
  std::uint32_t cls = 0;  // quote_lexicon classes after an optional و/ف
  std::uint32_t strip = 0;  // bytes of و/ف stripped for `cls`
  std::uint16_t gap = 0;  // punctuation between the previous word (or sentence start) and this one
  bool masked = false;    // inside a quote region
};

// Words of `sentence`; `tail_gap` receives the punctuation after the last word.
void split_words(std::string_view text, Span sentence, std::span<const QuoteRegion> regions,
                 std::vector<Word>& words, std::uint16_t& tail_gap);

// Pass 1 of extract_quotes and the body of find_attributions. `regions` covers at least the
// sentence (sorted); `words` is scratch space reused across sentences.
// `people`, when given, receives names that follow a role noun anywhere in the sentence
// ("قدم وزير النقل إياد الكردي استقالته" → "إياد الكردي استقالته", at most 3 words): candidates
// for resolving a later bare family name or pronoun.
void parse_sentence(std::string_view text, Span sentence, std::span<const QuoteRegion> regions,
                    std::span<const EntityMention> entities, std::vector<Word>& words,
                    std::vector<Attribution>& out, std::vector<Span>* people = nullptr);

// Bytes of a leading ل/ب clitic on a source word ("لمارك" → 2; "للسلطات" → 4, article elided).
std::uint32_t leading_particle(std::string_view word);

// Entity mentions with PER mentions cleaned for speaker use: dropped when they hold a speech verb
// or a complementizer, leading definite words and a place before the name cut off ("وادي الريم
// ماجد العطار" → "ماجد العطار"), a kunya in front taken in ("أم خالد").
std::vector<EntityMention> refine_people(std::string_view text, std::span<const EntityMention> entities);

// Words of a span (names are short: used for coreference, not on the hot path).
std::vector<std::string_view> name_words(std::string_view text, Span name);

}  // namespace isnad::quote_internal
