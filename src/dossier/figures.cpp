#include "isnad/figures.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "isnad/events.h"

namespace isnad {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Interval {
  double low;
  double high;
  bool hard;  // false for "about": a soft figure informs `best` but cannot contradict
};

Interval interval_of(const FigureReport& r) {
  const double v = r.value;
  switch (r.qualifier) {
    case Qualifier::kExact: return {v, v, true};
    case Qualifier::kAtLeast: return {v, kInfinity, true};
    case Qualifier::kMoreThan: return {v + 1, kInfinity, true};
    case Qualifier::kUpTo:
    case Qualifier::kAtMost: return {0, v, true};
    case Qualifier::kLessThan: return {0, v - 1, true};
    case Qualifier::kAbout: return {std::floor(v * 0.85), std::ceil(v * 1.15), false};
    case Qualifier::kVague: return {v, v * 10 - 1, true};
  }
  return {v, v, true};
}

// Is `later` reported after `earlier`, so that it may supersede it?
bool is_later(const FigureReport& later, const FigureReport& earlier) {
  if (later.published && earlier.published) {
    const long a = days_from_civil(*later.published);
    const long b = days_from_civil(*earlier.published);
    if (a != b) return a > b;
  }
  return later.revision && later.order > earlier.order;
}

std::string format_value(double v) {
  if (v == kInfinity) return "∞";
  if (std::floor(v) == v && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

FigureSummary reconcile_figure(const std::vector<FigureReport>& reports) {
  FigureSummary s;
  const std::size_t n = reports.size();
  s.superseded.assign(n, false);
  if (n == 0) return s;

  std::vector<Interval> intervals;
  intervals.reserve(n);
  for (const FigureReport& r : reports) intervals.push_back(interval_of(r));

  // A report is superseded by a later hard report that it cannot agree with (a toll that rose:
  // 115 then 137), or by a later exact count that settles a bound or estimate. Reports that
  // agree (at least 12, then 15) both stay in force.
  auto disjoint = [](const Interval& a, const Interval& b) { return a.high < b.low || b.high < a.low; };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n && !s.superseded[i]; ++j) {
      if (i == j || !intervals[j].hard || !is_later(reports[j], reports[i])) continue;
      const bool settles = reports[j].qualifier == Qualifier::kExact && reports[i].qualifier != Qualifier::kExact;
      if (disjoint(intervals[i], intervals[j]) || settles) s.superseded[i] = true;
    }
  }

  // Intersect the hard intervals still in force.
  double low = -kInfinity;
  double high = kInfinity;
  for (std::size_t i = 0; i < n; ++i) {
    if (s.superseded[i] || !intervals[i].hard) continue;
    low = std::max(low, intervals[i].low);
    high = std::min(high, intervals[i].high);
  }
  s.consistent = low <= high;
  if (!s.consistent) {
    for (std::size_t i = 0; i < n; ++i) {
      if (s.superseded[i] || !intervals[i].hard) continue;
      // A report conflicts when it excludes some other report in force.
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i || s.superseded[j] || !intervals[j].hard) continue;
        if (intervals[i].high < intervals[j].low || intervals[j].high < intervals[i].low) {
          s.conflicting.push_back(i);
          break;
        }
      }
    }
  }

  // best: latest exact in force; else highest lower bound; else latest soft figure; else max.
  auto later_index = [&](std::optional<std::size_t> a, std::size_t b) {
    if (!a) return b;
    const FigureReport& ra = reports[*a];
    const FigureReport& rb = reports[b];
    if (ra.published && rb.published && days_from_civil(*ra.published) != days_from_civil(*rb.published)) {
      return days_from_civil(*rb.published) > days_from_civil(*ra.published) ? b : *a;
    }
    return rb.value > ra.value ? b : *a;  // same day: the larger count is the more complete one
  };
  std::optional<std::size_t> exact, bound, soft;
  for (std::size_t i = 0; i < n; ++i) {
    if (s.superseded[i]) continue;
    switch (reports[i].qualifier) {
      case Qualifier::kExact: exact = later_index(exact, i); break;
      case Qualifier::kAtLeast:
      case Qualifier::kMoreThan:
        if (!bound || reports[i].value > reports[*bound].value) bound = i;
        break;
      case Qualifier::kAbout: soft = later_index(soft, i); break;
      default: break;
    }
  }
  s.low = reports[0].value;
  s.high = reports[0].value;
  for (const FigureReport& r : reports) {
    s.low = std::min(s.low, r.value);
    s.high = std::max(s.high, r.value);
  }

  const std::size_t sources = n;
  std::size_t in_force = 0;
  for (bool b : s.superseded) in_force += b ? 0 : 1;
  std::string why;
  if (exact) {
    s.best = reports[*exact].value;
    why = fmt::format("{} is the latest exact figure ({})", format_value(s.best), reports[*exact].document);
  } else if (bound) {
    s.best = reports[*bound].value;
    why = fmt::format("no source gives an exact figure; {} is the highest lower bound ({})", format_value(s.best),
                      reports[*bound].document);
  } else if (soft) {
    s.best = reports[*soft].value;
    why = fmt::format("only approximate figures; {} is the latest ({})", format_value(s.best), reports[*soft].document);
  } else {
    s.best = s.high;
    why = fmt::format("only upper bounds or vague quantities; {} is the largest", format_value(s.best));
  }
  s.rationale = fmt::format("{} of {} reports in force; {}", in_force, sources, why);
  if (in_force < sources) s.rationale += "; earlier figures were superseded by later reports";
  if (!s.consistent) {
    std::vector<std::string> docs;
    for (std::size_t i : s.conflicting) {
      docs.push_back(fmt::format("{} ({} {})", reports[i].document, to_string(reports[i].qualifier),
                                 format_value(reports[i].value)));
    }
    s.rationale += fmt::format("; sources of the same day contradict each other: {}", fmt::join(docs, ", "));
  }
  return s;
}

}  // namespace isnad
