// isnad/numbers.h — numbers in normalized Arabic text: digits, number words, hedges.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad {

// How a figure is hedged in the text. Names match the JSON contract.
enum class Qualifier : unsigned char { kExact, kAtLeast, kAtMost, kAbout, kMoreThan, kLessThan, kUpTo, kVague };
std::string_view to_string(Qualifier q);

struct NumberMention {
  Span span;          // normalized offsets, hedge included
  double value = 0;   // for kVague: the order of magnitude (عشرات → 10, مئات الآلاف → 100000)
  Qualifier qualifier = Qualifier::kExact;
  bool ordinal = false;  // الثالث, الحادي عشر
};

// All number mentions in normalized text, in text order, non-overlapping.
std::vector<NumberMention> find_numbers(std::string_view normalized);

}  // namespace isnad
