// isnad/figures.h — reconciling the figures sources report for one event.
//
// Outlets disagree about tolls, but most disagreements are not contradictions: "at least 93"
// and "137" can both be true, and "115" on Friday is superseded by "137" on Sunday. A careful
// analyst quotes one number, knows the range, and is told only of real conflicts:
//
//   std::vector<isnad::FigureReport> reports = ...;          // one per source sentence
//   isnad::FigureSummary s = isnad::reconcile_figure(reports);
//   s.best, s.low, s.high, s.consistent, s.rationale, s.reports[i].superseded
//
// Rules
// - Each report is an interval of values it allows: exact v = [v, v]; at_least v = [v, ∞);
//   more_than v = (v, ∞); up_to / at_most v = [0, v]; less_than v = [0, v); about v = a soft
//   ±15% band that never makes the set inconsistent on its own; vague (عشرات = 10) = [v, 10v).
// - A report is superseded by a later one (later publication date, or the same date and the
//   later one says it is a revision: "ارتفعت الحصيلة إلى") that it cannot agree with, or by a
//   later exact count that settles a bound. Tolls are revised as bodies are found, so only
//   reports of the same day contradict; reports that agree (at least 12, then 15) stay in force.
// - `consistent` is false when the hard intervals of the reports still in force do not
//   intersect: two exact values of the same day that differ, or a lower bound above an exact value.
// - `best` is the latest exact value in force; failing that the highest lower bound; failing
//   that the latest "about" value; `low`/`high` are the smallest and largest values reported.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "isnad/dates.h"
#include "isnad/numbers.h"

namespace isnad {

struct FigureReport {
  std::string document;  // the reporting document's id
  double value = 0;
  Qualifier qualifier = Qualifier::kExact;
  std::optional<CivilDate> published;  // of the document
  bool revision = false;               // the sentence says the figure was revised/rose
  std::size_t order = 0;               // position in the corpus, for ties on the same day
};

struct FigureSummary {
  double best = 0;
  double low = 0;
  double high = 0;
  bool consistent = true;
  std::string rationale;            // one sentence saying why `best`, and what conflicts
  std::vector<bool> superseded;     // per input report
  std::vector<std::size_t> conflicting;  // indexes of the reports in force that contradict
};

// Precondition: `reports` is not empty.
FigureSummary reconcile_figure(const std::vector<FigureReport>& reports);

}  // namespace isnad
