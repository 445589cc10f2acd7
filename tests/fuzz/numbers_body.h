// Fuzz body: isnad::find_numbers on normalized input. See fuzz_check.h.
#pragma once

#include <cmath>

#include "fuzz/fuzz_check.h"
#include "isnad/normalize.h"
#include "isnad/numbers.h"

namespace isnad::fuzz {

inline int numbers_one(const std::uint8_t* data, std::size_t size) {
  auto norm = normalize(as_text(data, size));
  if (!norm) return 0;
  const std::string_view t = norm->text();
  const std::vector<NumberMention> numbers = find_numbers(t);
  check_ordered_spans(numbers, t.size(), [](const NumberMention& n) { return n.span; });
  for (const NumberMention& n : numbers) {
    check(!std::isnan(n.value), "a number has a value");
    check(!to_string(n.qualifier).empty(), "every qualifier has a JSON name");
    const Span o = norm->to_original(n.span);
    check(o.begin <= o.end && o.end <= size, "numbers map back inside the original");
  }
  return 0;
}

}  // namespace isnad::fuzz
