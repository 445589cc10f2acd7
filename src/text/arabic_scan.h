// Private to src/text and the NER scanner: the Arabic-letter test of the tokenizer's hot loop,
// shared with the analyzer, which scans Arabic words itself so a word it has cached costs no
// Tokenizer call.
// After normalize() every Arabic letter is two bytes with lead byte D8–DB (U+0600–U+06FF), so a
// letter is one table lookup on the lead byte's low bits and the trail byte's low six bits.
#pragma once

#include <array>
#include <cstdint>

#include "isnad/chars.h"

namespace isnad::detail {

inline constexpr std::array<bool, 256> kArabicLetterTable = [] {
  std::array<bool, 256> t{};
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = is_arabic_letter(static_cast<char32_t>(0x600 + i));
  return t;
}();

// Whether p[pos] starts an Arabic letter (p[0, n) normalized text). The trail byte is not
// checked for being a continuation byte: normalized text is valid UTF-8.
inline bool arabic_letter_at(const unsigned char* p, std::uint32_t pos, std::uint32_t n) {
  const unsigned lead = p[pos] - 0xD8u;  // wraps for bytes below D8
  return lead < 4 && pos + 1 < n && kArabicLetterTable[(lead << 6) | (p[pos + 1] & 0x3Fu)];
}

// The end of the run of Arabic letters starting at `pos`.
inline std::uint32_t arabic_run_end(const unsigned char* p, std::uint32_t pos, std::uint32_t n) {
  while (pos < n && arabic_letter_at(p, pos, n)) pos += 2;
  return pos;
}

}  // namespace isnad::detail
