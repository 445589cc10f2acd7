// Test helper shared by the clusterer and store tests: a reproducible stream of event features.
// Every 5 days a new set of 6 topics (own words) starts, so events begin and end; common words,
// places and names are shared across topics, so events overlap in many combinations. Dates move
// a day every `per_day` documents.
#pragma once

#include <fmt/format.h>

#include <random>
#include <string>
#include <vector>

#include "isnad/dates.h"
#include "isnad/events.h"

namespace isnad::testing {

inline std::vector<EventFeatures> event_stream(std::size_t count, std::size_t per_day, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<EventFeatures> docs;
  for (std::size_t i = 0; i < count; ++i) {
    EventFeatures f;
    const long day = static_cast<long>(i / per_day);
    f.published = civil_from_days(days_from_civil({2024, 1, 1}) + day);
    const long topic = day / 5 * 6 + static_cast<long>(rng() % 6);
    f.terms[fmt::format("t{}a", topic)] += 1 + rng() % 3;
    f.terms[fmt::format("t{}b", topic)] += 1 + rng() % 2;
    for (int k = 0; k < 3; ++k) f.terms[fmt::format("common{}", rng() % 20)] += 1;
    if (rng() % 2) f.places.push_back(fmt::format("place{}", rng() % 4));
    if (rng() % 3 == 0) f.names.push_back(fmt::format("name{}", rng() % 3));
    docs.push_back(std::move(f));
  }
  return docs;
}

}  // namespace isnad::testing
