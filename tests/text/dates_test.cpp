#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "isnad/dates.h"
#include "isnad/normalize.h"

namespace isnad {
namespace {

// Golden tables (tests/golden/*.tsv), one case per line, tab-separated:
//   text · reference date (YYYY-MM-DD or -) · expected · [options] · [note]
// expected is "-" for no mention, else mentions in text order separated by " | ", each
// "ISO" or "ISO=span text" (span written unnormalized; granularity follows from the ISO form).
// options: comma list of "future" (Lean::kFuture) and "deictic" (sequence_words_are_deictic).
// note: "known-miss: reason" marks a case the recognizer is known to get wrong; it must fail,
// so that a fix shows up as a test to update.
struct Case {
  int line = 0;
  std::string text, reference, expected, options, note;
};

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t p; (p = s.find(sep, start)) != std::string::npos; start = p + sep.size()) {
    out.push_back(s.substr(start, p - start));
  }
  out.push_back(s.substr(start));
  return out;
}

std::vector<Case> load(const std::string& name) {
  std::ifstream in(std::string(ISNAD_TEST_DIR) + "/golden/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<Case> cases;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, "\t");
    EXPECT_GE(cols.size(), 3u) << name << ":" << n;
    if (cols.size() < 3) continue;
    cols.resize(5);
    cases.push_back(Case{n, cols[0], cols[1], cols[2], cols[3], cols[4]});
  }
  return cases;
}

std::string granularity_of_iso(const std::string& iso) {
  return iso.size() == 4 ? "year" : iso.size() == 7 ? "month" : "day";
}

// Runs one case; returns "" when it matches, else what differed.
std::string check(const Case& c) {
  DateOptions options;
  for (const std::string& o : split(c.options, ",")) {
    if (o == "future") options.lean = Lean::kFuture;
    if (o == "deictic") options.sequence_words_are_deictic = true;
  }
  std::optional<CivilDate> ref;
  if (c.reference != "-") {
    ref = parse_iso_date(c.reference);
    if (!ref) return "bad reference date " + c.reference;
  }
  auto norm = normalize(c.text);
  if (!norm) return "normalize failed";
  const std::string_view text = norm->text();
  const auto found = find_dates(text, ref, options);

  std::ostringstream got;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i) got << " | ";
    got << found[i].iso() << "=" << found[i].span.of(text);
    if (i && found[i - 1].span.end > found[i].span.begin) return "overlapping or unordered mentions: " + got.str();
    if (to_string(found[i].granularity) != granularity_of_iso(found[i].iso())) return "granularity mismatch";
  }
  std::vector<std::string> want;
  if (c.expected != "-") want = split(c.expected, " | ");
  bool ok = want.size() == found.size();
  for (std::size_t i = 0; ok && i < want.size(); ++i) {
    const auto eq = want[i].find('=');
    const std::string iso = want[i].substr(0, eq);
    if (found[i].iso() != iso) ok = false;
    if (eq != std::string::npos && found[i].span.of(text) != normalize_string(want[i].substr(eq + 1))) ok = false;
  }
  if (ok) return "";
  return "want [" + c.expected + "] got [" + got.str() + "]";
}

struct Tally {
  int rows = 0, passing = 0, known_misses = 0;
};

Tally run_table(const std::string& name) {
  Tally t;
  for (const Case& c : load(name)) {
    ++t.rows;
    const std::string diff = check(c);
    const bool known_miss = c.note.starts_with("known-miss");
    if (diff.empty()) ++t.passing;
    if (known_miss) {
      ++t.known_misses;
      EXPECT_FALSE(diff.empty()) << name << ":" << c.line << " now passes; drop its known-miss mark: " << c.text;
    } else {
      EXPECT_TRUE(diff.empty()) << name << ":" << c.line << ": " << c.text << "\n  " << diff;
    }
  }
  return t;
}

TEST(DatesGolden, OwnTable) {
  const Tally t = run_table("dates.tsv");
  EXPECT_GT(t.rows, 50);
  EXPECT_EQ(t.known_misses, 0);
  std::printf("dates.tsv: %d rows, %d passing\n", t.rows, t.passing);
}

// Inputs found by fuzzing (tests/fuzz/regressions/dates/), as rows of the golden format. A dotted
// date part has at most four digits; a longer run is no date (it once overflowed an int).
TEST(DatesGolden, FuzzFindings) {
  const Case rows[] = {
      {1, "صدر القرار 22.3.20200000000 في الجريدة", "2024-03-24", "-", "", ""},
      {2, "صدر القرار 22.3.2020 في الجريدة", "2024-03-24", "2020-03-22=22.3.2020", "", ""},
      {3, "صدر القرار 22.30000000000.2020 في الجريدة", "-", "-", "", ""},
      {4, "صدر القرار 22222222222.3.2020 في الجريدة", "-", "-", "", ""},
  };
  for (const Case& c : rows) EXPECT_EQ(check(c), "") << "row " << c.line << ": " << c.text;
}

TEST(DatesGolden, DucklingTimeCorpus) {
  const Tally t = run_table("duckling_time.tsv");
  EXPECT_GT(t.rows, 40);
  std::printf("duckling_time.tsv: %d ported, %d passing, %d known misses\n", t.rows, t.passing, t.known_misses);
}

TEST(Dates, ParseIsoDate) {
  EXPECT_EQ(parse_iso_date("2024-03-22"), (CivilDate{2024, 3, 22}));
  EXPECT_EQ(parse_iso_date("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_FALSE(parse_iso_date("2024-13-01"));
  EXPECT_FALSE(parse_iso_date("2024-3-22"));
  EXPECT_FALSE(parse_iso_date("2024/03/22"));
  EXPECT_FALSE(parse_iso_date(""));
}

TEST(Dates, IsoFollowsGranularity) {
  DateMention m;
  m.year = 987;
  m.month = 3;
  m.day = 5;
  EXPECT_EQ(m.iso(), "0987-03-05");
  m.granularity = Granularity::kMonth;
  EXPECT_EQ(m.iso(), "0987-03");
  m.granularity = Granularity::kYear;
  EXPECT_EQ(m.iso(), "0987");
  EXPECT_EQ(to_string(Granularity::kDay), "day");
  EXPECT_EQ(to_string(Granularity::kMonth), "month");
  EXPECT_EQ(to_string(Granularity::kYear), "year");
}

TEST(Dates, FieldsMatchGranularity) {
  auto norm = normalize("وصل في 22 مارس 2024 ثم غادر في أكتوبر 2023 وعاد عام 2025");
  ASSERT_TRUE(norm.ok());
  const auto found = find_dates(norm->text(), std::nullopt);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].granularity, Granularity::kDay);
  EXPECT_EQ(found[0].day, 22);
  EXPECT_FALSE(found[0].relative);
  EXPECT_EQ(found[1].granularity, Granularity::kMonth);
  EXPECT_EQ(found[1].month, 10);
  EXPECT_EQ(found[1].day, 0);
  EXPECT_EQ(found[2].granularity, Granularity::kYear);
  EXPECT_EQ(found[2].month, 0);
}

TEST(Dates, RelativeFlagAndReference) {
  auto norm = normalize("قال أمس إن الاجتماع في 22 مارس 2024");
  ASSERT_TRUE(norm.ok());
  const auto found = find_dates(norm->text(), CivilDate{2024, 3, 1});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_TRUE(found[0].relative);
  EXPECT_EQ(found[0].iso(), "2024-02-29");  // across a leap day
  EXPECT_FALSE(found[1].relative);
}

TEST(Dates, SpansMapBackToOriginalBytes) {
  const std::string original = "أُعلن في ٢٢ آذار/مارس ٢٠٢٤ عن الاتفاق";
  auto norm = normalize(original);
  ASSERT_TRUE(norm.ok());
  const auto found = find_dates(norm->text(), std::nullopt);
  ASSERT_EQ(found.size(), 1u);
  const Span in_original = norm->to_original(found[0].span);
  EXPECT_EQ(in_original.of(original), "٢٢ آذار/مارس ٢٠٢٤");
}

TEST(Dates, LeanChangesUnderspecifiedDatesOnly) {
  auto norm = normalize("يوم الجمعة وفي 4 يونيو وفي 22 مارس 2024");
  ASSERT_TRUE(norm.ok());
  const CivilDate tuesday{2013, 2, 12};
  DateOptions future;
  future.lean = Lean::kFuture;
  const auto past = find_dates(norm->text(), tuesday);
  const auto next = find_dates(norm->text(), tuesday, future);
  ASSERT_EQ(past.size(), 3u);
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(past[0].iso(), "2013-02-08");
  EXPECT_EQ(next[0].iso(), "2013-02-15");
  EXPECT_EQ(past[1].iso(), "2012-06-04");
  EXPECT_EQ(next[1].iso(), "2013-06-04");
  EXPECT_EQ(past[2].iso(), next[2].iso());
}

// Umm al-Qura anchors, checked against a table independent of ICU: if ICU's data or the
// calendar's construction changes, this fails before any golden row does.
TEST(Dates, HijriAnchorsFollowUmmAlQura) {
  const std::pair<const char*, const char*> anchors[] = {
      {"1/9/1445هـ", "2024-03-11"},   // 1 Ramadan 1445
      {"1/10/1436هـ", "2015-07-17"},  // 1 Shawwal 1436
      {"1/1/1447هـ", "2025-06-26"},   // 1 Muharram 1447
      {"29/9/1436هـ", "2015-07-16"},  // Ramadan 1436 had 29 days…
      {"30/8/1436هـ", "2015-06-17"},  // …Sha'ban 1436 had 30
  };
  for (const auto& [text, iso] : anchors) {
    auto norm = normalize(text);
    ASSERT_TRUE(norm.ok());
    const auto found = find_dates(norm->text(), std::nullopt);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].iso(), iso) << text;
  }
  auto norm = normalize("30/9/1436هـ");
  ASSERT_TRUE(norm.ok());
  EXPECT_TRUE(find_dates(norm->text(), std::nullopt).empty());
}

// The real articles in ../shared/seeds are read at run time (never copied): every mention must be
// well-formed, ordered and non-overlapping, and the recognizer must find at least one date.
TEST(Dates, SeedArticlesProduceWellFormedMentions) {
  const std::string dir = std::string(ISNAD_SHARED_DIR) + "/seeds/";
  int total = 0;
  for (const char* file : {"000_5bfb3748b12469b5.txt", "001_1bb80959d61ae11a.txt", "003_b6229d39e8ec2691.txt"}) {
    std::ifstream in(dir + file);
    if (!in) GTEST_SKIP() << "seeds not available at " << dir;
    std::stringstream buf;
    buf << in.rdbuf();
    auto norm = normalize(buf.str());
    ASSERT_TRUE(norm.ok()) << file;
    const auto found = find_dates(norm->text(), CivilDate{2024, 3, 24});
    for (std::size_t i = 0; i < found.size(); ++i) {
      EXPECT_LE(found[i].span.end, norm->text().size());
      EXPECT_LT(found[i].span.begin, found[i].span.end);
      if (found[i].granularity == Granularity::kDay) {
        EXPECT_TRUE(parse_iso_date(found[i].iso())) << found[i].iso();
      }
      if (i) {
        EXPECT_LE(found[i - 1].span.end, found[i].span.begin) << file;
      }
    }
    total += static_cast<int>(found.size());
  }
  EXPECT_GT(total, 0);
}

}  // namespace
}  // namespace isnad
