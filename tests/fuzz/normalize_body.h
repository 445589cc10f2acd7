// Fuzz body: isnad::normalize and its offset map. See fuzz_check.h.
#pragma once

#include "fuzz/fuzz_check.h"
#include "isnad/normalize.h"
#include "isnad/utf8.h"

namespace isnad::fuzz {

inline int normalize_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = as_text(data, size);
  auto norm = normalize(input);
  if (!norm) {
    const Error& e = norm.error();
    if (e.code == ErrorCode::kInvalidUtf8) {
      check(e.offset.has_value() && *e.offset < size, "a UTF-8 error points at a byte of the input");
      check(!validate_utf8(input).ok(), "normalize rejects only what validate_utf8 rejects");
    }
    return 0;
  }
  const std::string_view t = norm->text();
  check(norm->original_size() == size, "original_size is the input size");
  check(validate_utf8(t).ok(), "normalized text is valid UTF-8");
  check(t.find('\r') == std::string_view::npos, "no CR survives");
  check(t.find('\0') == std::string_view::npos, "no NUL survives");
  check(normalize_string(input) == t, "normalize_string agrees with normalize");

  // The offset map: within the original, non-decreasing, and spans map to ordered ranges.
  std::uint32_t previous = 0;
  for (std::uint32_t k = 0; k <= t.size(); ++k) {
    const std::uint32_t o = norm->original_offset(k);
    check(o <= size, "original_offset within the original");
    check(o >= previous, "original_offset is non-decreasing");
    previous = o;
  }
  const auto n = static_cast<std::uint32_t>(t.size());
  Span previous_span{0, 0};
  // Every span of one character, then a few long ones, keeps to the original and to order.
  for (std::uint32_t k = 0; k < n; k += decode_utf8(t, k).length) {
    const Span one = norm->to_original(Span{k, k + decode_utf8(t, k).length});
    check(one.begin <= one.end, "to_original: begin <= end");
    check(one.end <= size, "to_original: inside the original");
    check(one.begin >= previous_span.begin, "to_original: non-decreasing begins");
    previous_span = one;
  }
  for (const Span s : {Span{0, n}, Span{0, n / 2}, Span{n / 2, n}, Span{n, n}}) {
    const Span o = norm->to_original(s);
    check(o.begin <= o.end && o.end <= size, "to_original of a long span stays in range");
  }
  return 0;
}

}  // namespace isnad::fuzz
