// Fuzz body: isnad::find_dates on normalized input, with and without a publication date and in
// both leanings. See fuzz_check.h.
#pragma once

#include "fuzz/fuzz_check.h"
#include "isnad/dates.h"
#include "isnad/normalize.h"

namespace isnad::fuzz {

inline bool fuzz_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline void check_dates(std::string_view t, const std::vector<DateMention>& dates, bool have_reference) {
  check_ordered_spans(dates, t.size(), [](const DateMention& d) { return d.span; });
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (const DateMention& d : dates) {
    switch (d.granularity) {
      case Granularity::kDay:
        check(d.month >= 1 && d.month <= 12, "a day has a month");
        check(d.day >= 1 && d.day <= kDays[d.month - 1], "the day exists in its month");
        check(d.month != 2 || d.day < 29 || fuzz_leap(d.year), "29 February only in leap years");
        break;
      case Granularity::kMonth:
        check(d.month >= 1 && d.month <= 12 && d.day == 0, "a month has a month and no day");
        break;
      case Granularity::kYear:
        check(d.month == 0 && d.day == 0, "a year has no month or day");
        break;
    }
    check(!d.iso().empty(), "every date has an ISO form");
    check(have_reference || !d.relative, "relative dates need a reference date");
  }
}

inline int dates_one(const std::uint8_t* data, std::size_t size) {
  auto norm = normalize(as_text(data, size));
  if (!norm) return 0;
  const std::string_view t = norm->text();
  const CivilDate published{2024, 3, 24};
  check_dates(t, find_dates(t, published), true);
  DateOptions duckling;
  duckling.lean = Lean::kFuture;
  duckling.sequence_words_are_deictic = true;
  check_dates(t, find_dates(t, published, duckling), true);
  check_dates(t, find_dates(t, std::nullopt), false);
  return 0;
}

}  // namespace isnad::fuzz
