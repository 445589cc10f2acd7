// Runs the libFuzzer bodies (tests/fuzz/*_body.h) in the ordinary build: over the seed corpus, the
// saved regression inputs, and a few thousand deterministic pseudo-random inputs. A broken
// invariant aborts the binary with the failing check printed (see tests/fuzz/fuzz_check.h).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/dates_body.h"
#include "fuzz/feed_body.h"
#include "fuzz/html_body.h"
#include "fuzz/normalize_body.h"
#include "fuzz/numbers_body.h"
#include "fuzz/sentences_body.h"

namespace isnad {
namespace {

using Body = int (*)(const std::uint8_t*, std::size_t);

struct Target {
  const char* name;
  Body body;
};

constexpr Target kTargets[] = {
    {"normalize", fuzz::normalize_one},
    {"sentences", fuzz::sentences_one},
    {"numbers", fuzz::numbers_one},
    {"dates", fuzz::dates_one},
};

void run_all(const std::string& input) {
  for (const Target& t : kTargets) {
    EXPECT_EQ(t.body(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0) << t.name;
  }
}

std::vector<std::string> files_under(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out.push_back(buffer.str());
  }
  return out;
}

std::filesystem::path fuzz_dir(const char* kind, const char* target) {
  return std::filesystem::path(ISNAD_TEST_DIR) / "fuzz" / kind / target;
}

// Every target's corpus and regressions go through every body: a date crasher is a fine
// normalizer input too.
std::size_t run_directory(const char* kind, const char* subdir = "") {
  std::size_t files = 0;
  for (const Target& t : kTargets) {
    for (const std::string& input : files_under(fuzz_dir(kind, t.name) / subdir)) {
      run_all(input);
      ++files;
    }
  }
  return files;
}

TEST(FuzzSmoke, SeedCorpus) { EXPECT_GE(run_directory("corpus"), 4u); }

// Crashers found by fuzzing and since fixed: they must stay fixed.
TEST(FuzzSmoke, Regressions) { run_directory("regressions"); }

// The HTML and feed targets' crashers. Their seed corpora run in ingest_html_test and
// ingest_feed_test; the API-body target has its own smoke test (ingest_documents_fuzz_smoke_test).
TEST(FuzzSmoke, IngestRegressions) {
  for (const Target& t : {Target{"html", fuzz::html_one}, Target{"feed", fuzz::feed_one}}) {
    for (const std::string& input : files_under(fuzz_dir("regressions", t.name))) {
      EXPECT_EQ(t.body(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), 0) << t.name;
    }
  }
}

// Crashers in code not yet fixed live in regressions/<target>/open/ (see docs/RELIABILITY.md).
// They would abort this binary, so they run only on request: ISNAD_FUZZ_OPEN=1. Once a fix
// lands, move the file up one level so Regressions keeps it fixed.
TEST(FuzzSmoke, OpenCrashers) {
  std::string open;
  for (const Target& t : kTargets) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(fuzz_dir("regressions", t.name) / "open", ec)) {
      open += fmt::format(" {}/open/{}", t.name, entry.path().filename().string());
    }
  }
  if (open.empty()) return;
  if (std::getenv("ISNAD_FUZZ_OPEN") == nullptr) GTEST_SKIP() << "open crashers, not run:" << open;
  run_directory("regressions", "open");
}

TEST(FuzzSmoke, RandomBytes) {
  std::mt19937 rng(20240324);
  for (int i = 0; i < 2000; ++i) run_all(isnad::fuzz::random_bytes(rng, 256));
}

// Valid UTF-8 built from the pieces the parsers react to, so the random walk reaches deep rules
// (abbreviations, quotes, hedges, month names, clitics) instead of failing UTF-8 validation.
const char* const kPieces[] = {
    "ا", "ب", "ت", "د", "م", "ه", "ص", "ج", "و", "ف", "ل", "ال", "ة", "ى", "أ", "إ", "آ", "ـ", "َ", "ّ",
    "قال", "إن", "أن", "عام", "سنة", "العام", "في", "منذ", "حتى", "يوم", "الجمعة", "الاثنين", "أمس", "اليوم",
    "مارس", "آذار", "شباط", "فبراير", "كانون", "الثاني", "تشرين", "الأول", "جانفي", "الماضي", "المقبل", "شهر",
    "مليون", "ألف", "آلاف", "مائة", "عشرات", "ثلاثة", "عشرون", "الحادي", "عشر", "نحو", "أكثر", "من", "على",
    "الأقل", "تقريبا", "في المائة", "ونصف", "نصف", "هـ", "م.", "د.", "أ.د.", "U.S.", "Dr.", "X", "F-16",
    "0", "1", "2", "3", "9", "12", "22", "137", "1990", "2024", "1.5", "1,500", ".75", "-3", "22/3/2024",
    "2024-03-22", "3/2024", "77/100", "50%", "٢٠٢٤", "١٫٥", "٪", " ", " ", " ", "  ", "\n", "\n\n", "\t",
    "\r\n", ".", ".", "..", "...", "…", "?", "!", "؟", "،", "؛", ",", ";", ":", "(", ")", "\"", "«", "»",
    "“", "”", "„", "'", "•", "●", "*", "- ", "1. ", "2) ", "https://example.org/a?b=1", "www.example.com",
    "a@b.org", "&amp;", "&#1575;", "&laquo;", "\xC2\xA0", "\xE2\x80\x8F", "\xEF\xBB\xBF", "ﻷ", "ﷲ",
};

TEST(FuzzSmoke, RandomArabicMixes) {
  std::mt19937 rng(137);
  std::uniform_int_distribution<int> count(0, 80);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  for (int i = 0; i < 3000; ++i) {
    std::string input;
    for (int k = count(rng); k > 0; --k) input += kPieces[piece(rng)];
    run_all(input);
  }
}

// Long inputs reach paths short ones cannot (quote stacks, long number chains, many lines).
TEST(FuzzSmoke, LongMixes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  for (int i = 0; i < 20; ++i) {
    std::string input;
    for (int k = 0; k < 3000; ++k) input += kPieces[piece(rng)];
    run_all(input);
  }
}

}  // namespace
}  // namespace isnad
