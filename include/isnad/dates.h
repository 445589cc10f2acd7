// isnad/dates.h — calendar dates in normalized Arabic text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  friend constexpr bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<CivilDate> parse_iso_date(std::string_view text);

enum class Granularity : unsigned char { kDay, kMonth, kYear };
std::string_view to_string(Granularity g);

struct DateMention {
  Span span;  // normalized offsets
  int year = 0;
  int month = 0;  // 0 when granularity is year
  int day = 0;    // 0 unless granularity is day
  Granularity granularity = Granularity::kDay;
  std::string iso() const;  // 2024-03-22, 2022-02 or 2015
};

// All date mentions, in text order. Weekdays and relative words (أمس, اليوم) resolve against
// `published`; without it they are not reported.
std::vector<DateMention> find_dates(std::string_view normalized, std::optional<CivilDate> published);

}  // namespace isnad
