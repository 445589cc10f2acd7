// isnad/span.h — half-open byte ranges.
//
// Every output of isnad points back into the text it came from with a `Span` [begin, end) of
// byte offsets. Inside the pipeline spans refer to the *normalized* text; at the edges they are
// mapped back to the *original* input with `NormalizedText::to_original` (see normalize.h).
#pragma once

#include <cstdint>
#include <string_view>

namespace isnad {

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  constexpr std::uint32_t size() const { return end - begin; }
  constexpr bool empty() const { return begin == end; }
  constexpr bool contains(Span other) const { return begin <= other.begin && other.end <= end; }
  constexpr bool overlaps(Span other) const { return begin < other.end && other.begin < end; }
  std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
  friend constexpr bool operator==(Span, Span) = default;
};

}  // namespace isnad
