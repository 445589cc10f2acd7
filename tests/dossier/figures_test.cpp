#include <gtest/gtest.h>

#include "isnad/figures.h"

namespace isnad {
namespace {

FigureReport report(const char* doc, double value, Qualifier q, const char* published, bool revision = false) {
  static std::size_t order = 0;
  FigureReport r;
  r.document = doc;
  r.value = value;
  r.qualifier = q;
  r.published = parse_iso_date(published);
  r.revision = revision;
  r.order = ++order;
  return r;
}

constexpr auto kExact = Qualifier::kExact;
constexpr auto kAtLeast = Qualifier::kAtLeast;

struct Row {
  const char* name;
  std::vector<FigureReport> reports;
  double best, low, high;
  bool consistent;
  std::vector<bool> superseded;
};

TEST(ReconcileFigure, Table) {
  const std::vector<Row> rows = {
      {"lower bound is not contradicted by a larger exact value",
       {report("a", 93, kAtLeast, "2024-03-23"), report("b", 137, kExact, "2024-03-23")},
       137, 93, 137, true, {false, false}},
      {"toll rises over days: the later exact value supersedes",
       {report("a", 115, kExact, "2024-03-23"), report("b", 137, kExact, "2024-03-24")},
       137, 115, 137, true, {true, false}},
      {"two exact values on the same day contradict",
       {report("a", 12, kExact, "2024-05-02"), report("b", 15, kExact, "2024-05-02")},
       15, 12, 15, false, {false, false}},
      {"same day, the later sentence says it is a revision",
       {report("a", 12, kExact, "2024-05-02"), report("b", 15, kExact, "2024-05-02", true)},
       15, 12, 15, true, {true, false}},
      {"lower bound above an exact value of the same day contradicts",
       {report("a", 40, kAtLeast, "2024-05-02"), report("b", 30, kExact, "2024-05-02")},
       30, 30, 40, false, {false, false}},
      {"only lower bounds: best is the highest",
       {report("a", 60, kAtLeast, "2024-05-02"), report("b", 80, Qualifier::kMoreThan, "2024-05-02")},
       80, 60, 80, true, {false, false}},
      {"about never contradicts on its own",
       {report("a", 20, Qualifier::kAbout, "2024-05-02"), report("b", 15, kExact, "2024-05-02")},
       15, 15, 20, true, {false, false}},
      {"up to and an exact value inside it agree",
       {report("a", 50, Qualifier::kUpTo, "2024-05-02"), report("b", 42, kExact, "2024-05-02")},
       42, 42, 50, true, {false, false}},
      {"exact value above an upper bound of the same day contradicts",
       {report("a", 50, Qualifier::kLessThan, "2024-05-02"), report("b", 60, kExact, "2024-05-02")},
       60, 50, 60, false, {false, false}},
      {"vague tens agree with 37",
       {report("a", 10, Qualifier::kVague, "2024-05-02"), report("b", 37, kExact, "2024-05-02")},
       37, 10, 37, true, {false, false}},
      {"a later lower bound that agrees does not supersede an exact value",
       {report("a", 15, kExact, "2024-05-15"), report("b", 15, kAtLeast, "2024-05-16")},
       15, 15, 15, true, {false, false}},
      {"a later exact count settles an earlier estimate",
       {report("a", 20, Qualifier::kAbout, "2024-05-15"), report("b", 18, kExact, "2024-05-16")},
       18, 18, 20, true, {true, false}},
      {"an old report does not overrule a newer one",
       {report("a", 137, kExact, "2024-03-25"), report("b", 93, kAtLeast, "2024-03-23")},
       137, 93, 137, true, {false, true}},
  };
  for (const Row& row : rows) {
    const FigureSummary s = reconcile_figure(row.reports);
    EXPECT_EQ(s.best, row.best) << row.name;
    EXPECT_EQ(s.low, row.low) << row.name;
    EXPECT_EQ(s.high, row.high) << row.name;
    EXPECT_EQ(s.consistent, row.consistent) << row.name << ": " << s.rationale;
    EXPECT_EQ(s.superseded, row.superseded) << row.name;
    EXPECT_FALSE(s.rationale.empty()) << row.name;
  }
}

TEST(ReconcileFigure, ConflictNamesTheContradictingSources) {
  const FigureSummary s = reconcile_figure(
      {report("wire", 12, kExact, "2024-05-02"), report("daily", 15, kExact, "2024-05-02"),
       report("weekly", 10, kAtLeast, "2024-05-02")});
  EXPECT_FALSE(s.consistent);
  EXPECT_EQ(s.conflicting, (std::vector<std::size_t>{0, 1}));
  EXPECT_NE(s.rationale.find("wire"), std::string::npos);
  EXPECT_NE(s.rationale.find("daily"), std::string::npos);
  EXPECT_EQ(s.rationale.find("weekly ("), std::string::npos) << s.rationale;
}

}  // namespace
}  // namespace isnad
