// Invariant checks shared by the libFuzzer targets (tests/fuzz/*_fuzz.cpp) and the GoogleTest
// smoke run over the same bodies (tests/text/fuzz_smoke_test.cpp).
//
// A broken invariant prints where and what, then aborts: libFuzzer saves the input as a crash
// file, and the smoke test dies with the message. Bodies never throw and never return non-zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad::fuzz {

// __builtin_FILE/LINE rather than std::source_location: clang 14 with libstdc++ 12 lacks the latter.
inline void check(bool ok, const char* what, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// Spans of any recognizer: non-empty, inside the text, in order, not overlapping.
template <typename T, typename SpanOf>
void check_ordered_spans(const std::vector<T>& items, std::size_t text_size, SpanOf span_of) {
  std::uint32_t previous_end = 0;
  for (const T& item : items) {
    const Span s = span_of(item);
    check(s.begin < s.end, "span is non-empty");
    check(s.end <= text_size, "span ends inside the text");
    check(s.begin >= previous_end, "spans are ordered and do not overlap");
    previous_end = s.end;
  }
}

}  // namespace isnad::fuzz
