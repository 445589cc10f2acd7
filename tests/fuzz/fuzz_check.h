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
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad::fuzz {

// Between 0 and `max_length` random bytes: the smoke tests' stand-in for libFuzzer's inputs.
inline std::string random_bytes(std::mt19937& rng, int max_length) {
  std::uniform_int_distribution<int> length(0, max_length);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string input(static_cast<std::size_t>(length(rng)), '\0');
  for (char& c : input) c = static_cast<char>(byte(rng));
  return input;
}

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
