// isnad/utf8.h — UTF-8 validation and decoding.
//
// `validate_utf8` checks a whole buffer (overlongs, surrogates, > U+10FFFF and truncated
// sequences are errors) and reports the byte offset of the first bad sequence.
// `decode_utf8` reads one code point from a buffer already validated; it is the hot-path
// primitive every scanner in src/text uses, so it is inline and does no checks beyond bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "isnad/status.h"

namespace isnad {

// OK, or kInvalidUtf8 with `offset` = first byte of the offending sequence.
Status validate_utf8(std::string_view bytes);

struct DecodedChar {
  char32_t cp;
  std::uint32_t length;  // bytes consumed, 1..4
};

// Decodes the code point starting at `bytes[pos]`. Precondition: `bytes` is valid UTF-8 and
// pos < bytes.size(). On a malformed byte returns {U+FFFD, 1} rather than reading past the end.
inline DecodedChar decode_utf8(std::string_view bytes, std::size_t pos) {
  const auto b0 = static_cast<unsigned char>(bytes[pos]);
  if (b0 < 0x80) return {b0, 1};
  const std::size_t left = bytes.size() - pos;
  auto cont = [&](std::size_t i) { return static_cast<unsigned char>(bytes[pos + i]) & 0x3Fu; };
  if ((b0 & 0xE0) == 0xC0 && left >= 2) return {static_cast<char32_t>(((b0 & 0x1Fu) << 6) | cont(1)), 2};
  if ((b0 & 0xF0) == 0xE0 && left >= 3)
    return {static_cast<char32_t>(((b0 & 0x0Fu) << 12) | (cont(1) << 6) | cont(2)), 3};
  if ((b0 & 0xF8) == 0xF0 && left >= 4)
    return {static_cast<char32_t>(((b0 & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3)), 4};
  return {U'\uFFFD', 1};
}

// Appends the UTF-8 encoding of `cp` to `out`.
void append_utf8(std::string& out, char32_t cp);

// Number of bytes of the code point that ends just before `pos` (for scanning backwards).
std::uint32_t utf8_length_before(std::string_view bytes, std::size_t pos);

}  // namespace isnad
