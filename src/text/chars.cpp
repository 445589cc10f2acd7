#include "isnad/chars.h"

#include "text/arabic_scan.h"

namespace isnad {

namespace {
enum class Script : std::uint8_t { kNone, kArabic, kDigit, kLatin };

Script script_of(char32_t c) {
  if (is_arabic_letter(c)) return Script::kArabic;
  if (is_ascii_digit(c)) return Script::kDigit;
  if (is_latin_letter(c)) return Script::kLatin;
  return Script::kNone;
}
}  // namespace

bool WordScanner::next(Span& word) {
  const auto n = static_cast<std::uint32_t>(text_.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  while (pos_ < n) {
    // Every recognizer scans the text with this: spaces and Arabic runs (nearly all of a
    // text) take the byte-table path, the rest decodes code points.
    if (p[pos_] == ' ') {
      ++pos_;
      continue;
    }
    if (detail::arabic_letter_at(p, pos_, n)) {
      const std::uint32_t begin = pos_;
      pos_ = detail::arabic_run_end(p, pos_ + 2, n);
      word = Span{begin, pos_};
      return true;
    }
    const DecodedChar d = decode_utf8(text_, pos_);
    const Script s = script_of(d.cp);
    if (s == Script::kNone) {
      pos_ += d.length;
      continue;
    }
    const std::uint32_t begin = pos_;
    pos_ += d.length;
    while (pos_ < n) {
      const DecodedChar e = decode_utf8(text_, pos_);
      if (script_of(e.cp) == s) {
        pos_ += e.length;
        continue;
      }
      // A digit group separator or decimal point belongs to the number when a digit follows.
      if (s == Script::kDigit && (e.cp == ',' || e.cp == '.') && pos_ + 1 < n &&
          is_ascii_digit(static_cast<unsigned char>(text_[pos_ + 1]))) {
        pos_ += 2;
        continue;
      }
      break;
    }
    word = Span{begin, pos_};
    return true;
  }
  return false;
}

}  // namespace isnad
