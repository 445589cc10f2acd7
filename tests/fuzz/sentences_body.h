// Fuzz body: isnad::split_sentences on normalized input, and on raw bytes. See fuzz_check.h.
#pragma once

#include "fuzz/fuzz_check.h"
#include "isnad/chars.h"
#include "isnad/normalize.h"
#include "isnad/sentences.h"
#include "isnad/utf8.h"

namespace isnad::fuzz {

inline bool fuzz_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

inline void check_sentences(std::string_view t, const std::vector<Span>& spans) {
  check_ordered_spans(spans, t.size(), [](Span s) { return s; });
  for (const Span s : spans) {
    check(!fuzz_blank(t[s.begin]) && !fuzz_blank(t[s.end - 1]), "sentences are trimmed");
    check(s.of(t).find('\n') == std::string_view::npos, "no sentence crosses a newline");
  }
}

inline int sentences_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw = as_text(data, size);
  // The splitter's contract is normalized text, but garbage must not make it read out of bounds.
  check_sentences(raw, split_sentences(raw));

  auto norm = normalize(raw);
  if (!norm) return 0;
  const std::string_view t = norm->text();
  const std::vector<Span> spans = split_sentences(t);
  check_sentences(t, spans);
  check(spans == split_sentences(t), "splitting is deterministic");

  // Only blanks, marks and list markers are dropped: every letter is inside some sentence.
  std::size_t s = 0;
  for (std::uint32_t k = 0; k < t.size();) {
    const DecodedChar d = decode_utf8(t, k);
    if (is_arabic_letter(d.cp) || is_latin_letter(d.cp)) {
      while (s < spans.size() && spans[s].end <= k) ++s;
      check(s < spans.size() && spans[s].begin <= k, "every letter is inside a sentence");
    }
    k += d.length;
  }
  for (const Span sp : spans) {
    const Span o = norm->to_original(sp);
    check(o.begin <= o.end && o.end <= size, "sentences map back inside the original");
  }
  return 0;
}

}  // namespace isnad::fuzz
