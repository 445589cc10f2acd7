// Who reports the figures of a sentence. A small stand-in for the attribution finder of quotes.h:
// a reporting verb takes its subject ("قال مسؤولون روس ان …"), a source preposition its object
// ("وفقا للسلطات", "بحسب ما افادت وزاره الصحه"), and "نقلت X عن Y" names Y, the nearer source.
#include "extract/claim_lexicon.h"

namespace isnad::claims_internal {
namespace {

// A source phrase ends where the reported content starts.
constexpr std::uint64_t kSourceEnd = kLeftTrigger | kCountNoun | kRevision | kNegation | kRespNoun | kAdopt |
                                     kAttribVerb | kAttribPrep | kDenyObject | kEventNoun;
constexpr std::size_t kMaxSourceWords = 5;

}  // namespace

Span find_source(std::string_view text, std::span<const Word> words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (!w.has(kAttribVerb | kAttribPrep)) continue;
    if (i > 0 && words[i - 1].has(kNegation)) continue;
    std::size_t j = i + 1;
    if (w.has(kAttribPrep)) {
      // بحسب ما افادت X · نقلا عن X
      if (j < words.size() && words[j].has(kSourceSkip)) ++j;
      if (j < words.size() && words[j].has(kAttribVerb)) ++j;
      // "بحسب ما افادت به مصادر طبيه": the resumptive pronoun points back to ما.
      if (j < words.size() && (stem_is(words[j], text, "به") || stem_is(words[j], text, "بها") ||
                               stem_is(words[j], text, "عنه") || stem_is(words[j], text, "عنها")))
        ++j;
      if (j < words.size() && stem_is(words[j], text, "عن")) ++j;
    }
    if (j >= words.size() || words[j].break_before) continue;
    Span source = phrase_from(words, j, words.size(), kSourceEnd, kMaxSourceWords);
    if (source.empty()) continue;
    // وفقا لوزاره الصحه: the source is وزاره الصحه. (للسلطات keeps its لل: dropping one ل would not
    // leave a word.)
    const std::string_view head = source.of(text);
    if (w.has(kAttribPrep) && head.starts_with("ل") && !head.starts_with("لل")) source.begin += 2;
    // نقلت وكاله X عن مصدر امني: the nearer source is the one after عن.
    std::size_t k = j;
    while (k < words.size() && words[k].span.end <= source.end) ++k;
    if (k + 1 < words.size() && stem_is(words[k], text, "عن") && !words[k].break_before) {
      const Span nearer = phrase_from(words, k + 1, words.size(), kSourceEnd, kMaxSourceWords);
      if (!nearer.empty()) source = nearer;
    }
    return source;
  }
  return {};
}

}  // namespace isnad::claims_internal
