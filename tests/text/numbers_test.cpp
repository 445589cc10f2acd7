#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "isnad/normalize.h"
#include "isnad/numbers.h"

namespace isnad {
namespace {

std::vector<std::string> split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + sep.size();
  }
}

// Non-comment, non-empty lines of a golden file, split on tabs.
std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    rows.push_back(split(line, "\t"));
  }
  return rows;
}

bool same_value(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

std::string describe(std::string_view text, const std::vector<NumberMention>& found) {
  std::ostringstream os;
  os << found.size() << " mention(s):";
  for (const NumberMention& m : found) {
    os << " [" << m.span.of(text) << " = " << m.value << " " << to_string(m.qualifier) << (m.ordinal ? " ordinal" : "")
       << (m.percent ? " percent" : "") << "]";
  }
  return os.str();
}

// The whole string is one number of the expected value.
bool whole_string_is(std::string_view text, double value, bool ordinal, std::string* why) {
  const auto found = find_numbers(text);
  const bool ok = found.size() == 1 && found[0].span == Span{0, static_cast<std::uint32_t>(text.size())} &&
                  same_value(found[0].value, value) && found[0].ordinal == ordinal &&
                  found[0].qualifier == Qualifier::kExact;
  if (!ok) *why = describe(text, found);
  return ok;
}

void run_duckling(const std::string& file, bool ordinal) {
  const auto rows = read_tsv(std::string(ISNAD_TEST_DIR) + "/golden/" + file);
  ASSERT_GT(rows.size(), 20u) << file;
  int passed = 0;
  int xfailed = 0;
  for (const auto& row : rows) {
    ASSERT_GE(row.size(), 2u);
    const double value = std::stod(row[0]);
    const std::string text = normalize_string(row[1]);
    const bool xfail = row.size() > 2 && row[2].starts_with("xfail:");
    std::string why;
    const bool ok = whole_string_is(text, value, ordinal, &why);
    if (xfail) {
      ++xfailed;
      EXPECT_FALSE(ok) << row[1] << " now passes: remove its xfail mark in tools/port-duckling-numbers";
    } else {
      passed += ok ? 1 : 0;
      EXPECT_TRUE(ok) << row[1] << " expected " << row[0] << ", got " << why;
    }
  }
  std::printf("%s: %d/%zu pass, %d known failures\n", file.c_str(), passed, rows.size(), xfailed);
}

TEST(NumbersDuckling, Numerals) { run_duckling("duckling_numerals.tsv", false); }
TEST(NumbersDuckling, Ordinals) { run_duckling("duckling_ordinals.tsv", true); }

struct Expected {
  std::string surface;
  double value;
  std::string qualifier;
  bool ordinal = false;
  bool percent = false;
};

// "surface = value qualifier [ordinal] [percent]", several joined by " | ", or "-" for none.
std::vector<Expected> parse_expected(const std::string& cell) {
  std::vector<Expected> out;
  if (cell == "-") return out;
  for (const std::string& item : split(cell, " | ")) {
    const std::size_t eq = item.rfind(" = ");
    EXPECT_NE(eq, std::string::npos) << item;
    if (eq == std::string::npos) continue;
    Expected e;
    e.surface = normalize_string(item.substr(0, eq));
    std::istringstream rest(item.substr(eq + 3));
    rest >> e.value >> e.qualifier;
    for (std::string flag; rest >> flag;) {
      if (flag == "ordinal") e.ordinal = true;
      else if (flag == "percent") e.percent = true;
      else ADD_FAILURE() << "unknown flag " << flag;
    }
    out.push_back(e);
  }
  return out;
}

TEST(NumbersGolden, Sentences) {
  const auto rows = read_tsv(std::string(ISNAD_TEST_DIR) + "/golden/numbers.tsv");
  ASSERT_GT(rows.size(), 50u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u) << "name, sentence, expected: " << row[0];
    const std::string text = normalize_string(row[1]);
    const auto expected = parse_expected(row[2]);
    const auto found = find_numbers(text);
    bool ok = found.size() == expected.size();
    for (std::size_t i = 0; ok && i < found.size(); ++i) {
      const NumberMention& f = found[i];
      const Expected& e = expected[i];
      ok = f.span.of(text) == e.surface && same_value(f.value, e.value) && to_string(f.qualifier) == e.qualifier &&
           f.ordinal == e.ordinal && f.percent == e.percent;
    }
    EXPECT_TRUE(ok) << row[0] << ": " << row[1] << "\n  expected: " << row[2] << "\n  got " << describe(text, found);
  }
}

// Inputs found by fuzzing (tests/fuzz/regressions/numbers/), in the row format of numbers.tsv:
// name, sentence, expected. A digit word that is no well-formed number splits into its pieces.
TEST(NumbersGolden, FuzzFindings) {
  const std::string nines(400, '9');
  const std::string tiny = "0." + std::string(400, '0') + "1";
  const std::vector<std::array<std::string, 3>> rows = {
      {"decimal_then_group_splits", "بلغ المجموع 1,207.21,20 في الجدول",
       "1 = 1 exact | 207 = 207 exact | 21 = 21 exact | 20 = 20 exact"},
      {"decimal_then_group_three_digits", "بلغ المجموع 1,207.2,200 في الجدول",
       "1 = 1 exact | 207 = 207 exact | 2 = 2 exact | 200 = 200 exact"},
      {"grouped_decimal_still_one_number", "بلغ المجموع 1,207.21 في الجدول", "1,207.21 = 1207.21 exact"},
      {"grouped_decimal_then_list_comma", "بلغ المجموع 1,207.21, 20 في الجدول",
       "1,207.21 = 1207.21 exact | 20 = 20 exact"},
      {"digits_beyond_double_range", "رقم " + nines + " طويل", "-"},
      {"fraction_below_double_range", "رقم " + tiny + " صغير", "-"},
  };
  for (const auto& [name, sentence, cell] : rows) {
    const std::string text = normalize_string(sentence);
    const auto expected = parse_expected(cell);
    const auto found = find_numbers(text);
    bool ok = found.size() == expected.size();
    for (std::size_t i = 0; ok && i < found.size(); ++i) {
      ok = found[i].span.of(text) == expected[i].surface && same_value(found[i].value, expected[i].value) &&
           to_string(found[i].qualifier) == expected[i].qualifier;
    }
    EXPECT_TRUE(ok) << name << ": " << cell << "\n  got " << describe(text, found);
  }
}

// Every mention found in real articles reads back, alone, as the same number.
TEST(NumbersProperty, SeedMentionsParseBackToTheirValue) {
  const std::filesystem::path dir = std::string(ISNAD_SHARED_DIR) + "/seeds/";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no " << dir;
  std::size_t files = 0;
  std::size_t mentions = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto norm = normalize(buffer.str());
    ASSERT_TRUE(norm.ok()) << entry.path();
    const std::string_view text = norm->text();
    const auto found = find_numbers(text);
    ++files;
    std::uint32_t last_end = 0;
    for (const NumberMention& m : found) {
      ++mentions;
      EXPECT_LE(last_end, m.span.begin) << "overlap or disorder at " << m.span.begin;
      EXPECT_LT(m.span.begin, m.span.end);
      last_end = m.span.end;
      const std::string_view alone = m.span.of(text);
      const auto again = find_numbers(alone);
      ASSERT_EQ(again.size(), 1u) << alone << " → " << describe(alone, again);
      EXPECT_EQ(again[0].span, (Span{0, static_cast<std::uint32_t>(alone.size())})) << alone;
      EXPECT_TRUE(same_value(again[0].value, m.value)) << alone << ": " << again[0].value << " vs " << m.value;
      EXPECT_EQ(again[0].qualifier, m.qualifier) << alone;
      EXPECT_EQ(again[0].ordinal, m.ordinal) << alone;
    }
  }
  EXPECT_GT(files, 0u);
  EXPECT_GT(mentions, 0u);
  std::printf("seeds: %zu files, %zu mentions\n", files, mentions);
}

// Text stitched from number words, clitics, hedges and separators (fixed seed): spans stay in
// order inside the text, and each mention read alone gives the same number.
TEST(NumbersProperty, GeneratedTextRoundTrips) {
  const std::vector<std::string> parts = {
      "و", " ", " ", "-", ".", ",", "/", ":", "%", "1", "22", "333", "4,5", "6.7", "ال", "ألف", "آلاف", "مائة",
      "ثلاثة", "عشر", "عشرون", "أحد", "الحادي", "فاصلة", "نصف", "مليون", "نحو", "أكثر", "من", "على", "الأقل",
      "حتى", "كانون", "الثاني", "ثانية", "F", "في", "المئة", "بالمئة", "عشرات", "مئات", "عدة", "لست", "لل",
      "متين", "ما", "لا", "يقل", "عن", "\n", "تقريبا", "أو", "١٢", "٬", "٫", "مارس", "2024"};
  std::mt19937 rng(7);
  std::size_t mentions = 0;
  for (int it = 0; it < 20000; ++it) {
    std::string raw;
    for (unsigned i = rng() % 12; i > 0; --i) raw += parts[rng() % parts.size()];
    const std::string text = normalize_string(raw);
    std::uint32_t last_end = 0;
    for (const NumberMention& m : find_numbers(text)) {
      ++mentions;
      ASSERT_LE(last_end, m.span.begin) << text;
      ASSERT_LT(m.span.begin, m.span.end) << text;
      ASSERT_LE(m.span.end, text.size()) << text;
      last_end = m.span.end;
      const std::string_view alone = m.span.of(text);
      const auto again = find_numbers(alone);
      ASSERT_EQ(again.size(), 1u) << alone << " in " << text << " → " << describe(alone, again);
      EXPECT_TRUE(same_value(again[0].value, m.value)) << alone << " in " << text;
      EXPECT_EQ(again[0].span.size(), m.span.size()) << alone << " in " << text;
      EXPECT_EQ(again[0].qualifier, m.qualifier) << alone << " in " << text;
    }
  }
  EXPECT_GT(mentions, 1000u);
}

TEST(Numbers, QualifierNamesMatchTheContract) {
  const std::pair<Qualifier, std::string_view> names[] = {
      {Qualifier::kExact, "exact"},          {Qualifier::kAtLeast, "at_least"},   {Qualifier::kAtMost, "at_most"},
      {Qualifier::kAbout, "about"},          {Qualifier::kMoreThan, "more_than"}, {Qualifier::kLessThan, "less_than"},
      {Qualifier::kUpTo, "up_to"},           {Qualifier::kVague, "vague"},
  };
  for (const auto& [q, name] : names) EXPECT_EQ(to_string(q), name);
}

TEST(Numbers, EmptyAndNonArabicInput) {
  EXPECT_TRUE(find_numbers("").empty());
  EXPECT_TRUE(find_numbers("   \n").empty());
  EXPECT_TRUE(find_numbers("no numbers here").empty());
  const auto found = find_numbers("page 12 of 40");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].value, 40);
}

TEST(Numbers, SpansMapBackToTheOriginalBytes) {
  const std::string original = "قُتِل ما لا يقلّ عن ٢٥٠ شخصاً";
  auto norm = normalize(original);
  ASSERT_TRUE(norm.ok());
  const auto found = find_numbers(norm->text());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].qualifier, Qualifier::kAtLeast);
  EXPECT_EQ(found[0].value, 250);
  EXPECT_EQ(norm->to_original(found[0].span).of(original), "ما لا يقلّ عن ٢٥٠");
}

}  // namespace
}  // namespace isnad
