// isnad/chars.h — character classes of *normalized* text.
//
// After normalize() the alphabet is small: Arabic letters U+0621–U+064A plus a few extended
// letters, ASCII digits, Latin letters, and unified punctuation. These predicates and the
// `WordScanner` are shared by every recognizer so that "what is a word" is decided once.
#pragma once

#include <cstdint>
#include <string_view>

#include "isnad/span.h"
#include "isnad/utf8.h"

namespace isnad {

constexpr bool is_arabic_letter(char32_t c) {
  return (c >= 0x0621 && c <= 0x063A) || (c >= 0x0641 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) ||
         (c >= 0x06FA && c <= 0x06FF);
}
constexpr bool is_ascii_digit(char32_t c) { return c >= '0' && c <= '9'; }
constexpr bool is_latin_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x00C0 && c <= 0x024F);
}
constexpr bool is_word_char(char32_t c) { return is_arabic_letter(c) || is_ascii_digit(c) || is_latin_letter(c); }
constexpr bool is_space(char32_t c) { return c == ' ' || c == '\n' || c == '\t'; }

// Iterates maximal runs of one script: Arabic letters, ASCII digits (with internal , . as in
// 1,500 or 1.5), or Latin letters. Everything else separates words.
//
//   WordScanner words(norm.text());
//   for (Span w; words.next(w);) { ... }
class WordScanner {
 public:
  explicit WordScanner(std::string_view text, std::uint32_t start = 0) : text_(text), pos_(start) {}
  bool next(Span& word);
  std::uint32_t position() const { return pos_; }

 private:
  std::string_view text_;
  std::uint32_t pos_;
};

}  // namespace isnad
