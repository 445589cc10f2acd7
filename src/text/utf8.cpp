#include "isnad/utf8.h"

#include <fmt/format.h>

namespace isnad {

Status validate_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::kInvalidUtf8, std::string("invalid UTF-8: ") + std::string(why), i);
  };
  while (i < n) {
    // ASCII fast path: most of an Arabic news file is spaces, digits and punctuation between
    // two-byte letters, so skipping 8 ASCII bytes at a time pays off.
    while (i + 8 <= n) {
      std::uint64_t word;
      __builtin_memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char b0 = p[i];
    if (b0 < 0x80) { ++i; continue; }
    std::size_t len;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else return bad(b0 >= 0x80 && b0 < 0xC0 ? "unexpected continuation byte" : "invalid lead byte");
    if (i + len > n) return bad("truncated sequence at end of input");
    char32_t cp = b0 & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return bad("truncated sequence");
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min) return bad("overlong encoding");
    if (cp >= 0xD800 && cp <= 0xDFFF) return bad("encoded surrogate");
    if (cp > 0x10FFFF) return bad("code point beyond U+10FFFF");
    i += len;
  }
  return {};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::uint32_t utf8_length_before(std::string_view bytes, std::size_t pos) {
  std::uint32_t len = 0;
  while (pos > 0 && len < 4) {
    --pos;
    ++len;
    if ((static_cast<unsigned char>(bytes[pos]) & 0xC0) != 0x80) break;
  }
  return len;
}

}  // namespace isnad
