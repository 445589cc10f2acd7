// isnad/sentences.h — sentence splitting of normalized Arabic news text.
//
//   auto norm = isnad::normalize(bytes);
//   for (isnad::Span s : isnad::split_sentences(norm->text())) {
//     std::string_view sentence = s.of(norm->text());       // claims, quotes, NER work per sentence
//     isnad::Span shown = norm->to_original(s);             // what a user is shown
//   }
//
// Input must be normalize()d: Arabic ، ؛ ؟ are already , ; ? and ۔ is '.', which is what the
// rules below are written against. Spans are in text order, never overlap, never empty, and are
// trimmed of white space. A stretch with no letter or digit (a lone "*", "---", "«»") is dropped.
//
// Where a sentence ends
//   lines      every newline ends a sentence: paragraphs, and headlines or "X:" lead-ins that
//              carry no final punctuation. Nothing (not even an open quote) crosses a newline.
//   . ? !      end a sentence when white space follows (after any closing ) ] » ” " right behind
//              them, which stay in the sentence), or when an Arabic letter or an opening quote is
//              glued on ("انتهى.وقال" is common in scraped text). , ; : never end one.
//   bullets    a line starting with * - • ● ▪ ■ ◦, "1." "2)" or "3-" is one item; the marker is not
//              part of the sentence. A • in mid-line (after a space) starts a new item too.
// Where it does not
//   numbers    '.' glued to what follows: 1.5 مليون, 22.3.2024, www.site.com, name@mail.org.
//   ellipsis   "..." (three or more dots, or …) is a pause; "...?" and "..!" still end.
//   abbrev.    a single letter before '.': Arabic د. م. ص. ج. ا. (Dr., page, part, initials; also
//              chained ا.د.) and Latin initials J. / U.S.; Latin titles Mr. Dr. Prof. Gen. No. vs.;
//              any '.' followed by a lowercase Latin word. Exception: م. and ه. right after a
//              number are era markers (1990 م.) and do end a sentence.
//   quotes     inside a quotation closed on the same line (« » “ ” „ ", any closer closes any
//              opener), terminators do not split: "قال: «الوضع صعب. سنرد.»" stays one sentence
//              so the speaker stays with the words. Openers never closed on their line count as
//              nothing. A quotation holding more than kMaxQuotedBoundaries breaks is split like
//              plain text, so a mispaired mark costs at most that many merged sentences.
//
// Pitfalls: hard-wrapped text (newlines inside sentences) is split at every line; undo the wrap
// before normalizing. Ellipses never split, so "... وقال" continues the sentence.
//
// Cost: one pass over the bytes (plus memchr for newlines); per call, the result and three small
// scratch vectors that are reused across lines. No regex, no allocation per character or word.
// Texts over 4 GiB (which normalize() refuses) yield no sentences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad {

// A quotation with more internal sentence breaks than this is split inside (see above).
inline constexpr std::size_t kMaxQuotedBoundaries = 4;

// Sentence spans of normalized text, in order, trimmed, non-empty, non-overlapping.
std::vector<Span> split_sentences(std::string_view normalized);

// Where the text of a sentence starts once a wire dateline is skipped: "المدينه (وكاله X) - ",
// "المدينه - ", "المدينه، 5 مايو (X) -". Only a sentence at the start of a line can carry one,
// and only a short lead-in before a spaced dash counts (up to 3 words, or up to 10 ending in a
// parenthesised outlet). Returns `sentence.begin` when there is none. Quotes and summaries use it
// so "X said" does not swallow the dateline; the sentence span itself keeps it.
std::uint32_t dateline_end(std::string_view normalized, Span sentence);

}  // namespace isnad
