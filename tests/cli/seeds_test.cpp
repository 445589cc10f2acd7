// Structural invariants of `isnad analyze` on real articles (../shared/seeds, read at run time,
// never copied): the output is valid JSONL in the contract's shape, every span lies inside the
// file on UTF-8 character boundaries, quotes the file's own bytes, sentences are ordered and
// disjoint, and every number, cut out of the file and analyzed alone, has the same value.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "isnad/analyze.h"

namespace fs = std::filesystem;
using isnad::testing::CliResult;
using isnad::testing::run_cli;
using isnad::testing::slurp;
using ordered_json = nlohmann::ordered_json;

namespace {

std::vector<fs::path> seed_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(ISNAD_SHARED_DIR) / "seeds", ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// A span as [begin, end) inside `text`, on character boundaries; returns it for further checks.
std::pair<std::size_t, std::size_t> check_span(const ordered_json& span, const std::string& text,
                                               const std::string& where) {
  EXPECT_TRUE(span.is_array() && span.size() == 2 && span[0].is_number_unsigned() && span[1].is_number_unsigned())
      << where << ": " << span.dump();
  if (!span.is_array() || span.size() != 2) return {0, 0};
  const auto begin = span[0].get<std::size_t>();
  const auto end = span[1].get<std::size_t>();
  EXPECT_LT(begin, end) << where;
  EXPECT_LE(end, text.size()) << where;
  if (begin >= end || end > text.size()) return {0, 0};
  EXPECT_FALSE(is_continuation(static_cast<unsigned char>(text[begin]))) << where << " begins inside a character";
  if (end < text.size()) {
    EXPECT_FALSE(is_continuation(static_cast<unsigned char>(text[end]))) << where << " ends inside a character";
  }
  return {begin, end};
}

class Seeds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = seed_files();
    std::vector<std::string> args{"analyze"};
    for (const auto& f : files_) args.push_back(f.string());
    result_ = run_cli(args);
  }
  static std::vector<fs::path> files_;
  static CliResult result_;
};
std::vector<fs::path> Seeds::files_;
CliResult Seeds::result_;

TEST_F(Seeds, AllAcceptedOneLinePerDocument) {
  ASSERT_FALSE(files_.empty()) << "no seeds under " << ISNAD_SHARED_DIR;
  EXPECT_EQ(result_.exit_code, 0) << result_.err;
  EXPECT_EQ(result_.out_lines().size(), files_.size());
}

TEST_F(Seeds, ContractShape) {
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(result_.out, ok);
  ASSERT_TRUE(ok) << "stdout is not JSON Lines";
  ASSERT_EQ(docs.size(), files_.size());
  const std::vector<std::string> keys{"schema", "id",       "published", "sentences", "numbers",
                                      "dates",  "entities", "quotes",    "claims"};
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto& doc = docs[i];
    std::vector<std::string> got;
    for (const auto& item : doc.items()) got.push_back(item.key());
    // The contract's keys come first and in its order; later additions may follow.
    ASSERT_GE(got.size(), keys.size());
    EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(keys.size())), keys);
    EXPECT_EQ(doc["schema"], "isnad/1");
    EXPECT_EQ(doc["id"], files_[i].stem().string());
    EXPECT_TRUE(doc["published"].is_null() || doc["published"].is_string());
    for (const char* k : {"sentences", "numbers", "dates", "entities", "quotes", "claims"}) {
      EXPECT_TRUE(doc[k].is_array()) << k;
    }
  }
}

TEST_F(Seeds, SentencesCoverTheArticleInOrder) {
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(result_.out, ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(docs.size(), files_.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const std::string text = slurp(files_[i]);
    const auto& sentences = docs[i]["sentences"];
    // Each seed is a multi-paragraph article: it has several sentences.
    EXPECT_GE(sentences.size(), 3U) << files_[i];
    std::size_t previous_end = 0;
    for (std::size_t s = 0; s < sentences.size(); ++s) {
      const std::string where = files_[i].filename().string() + " sentence " + std::to_string(s);
      const auto [begin, end] = check_span(sentences[s]["span"], text, where);
      EXPECT_GE(begin, previous_end) << where << " overlaps or precedes the previous one";
      previous_end = end;
      // Trimmed: no white space at either end.
      if (end > begin) {
        EXPECT_NE(text[begin], ' ') << where;
        EXPECT_NE(text[end - 1], '\n') << where;
      }
    }
  }
}

TEST_F(Seeds, NumbersQuoteTheFileAndReanalyzeToTheSameValue) {
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(result_.out, ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(docs.size(), files_.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const std::string text = slurp(files_[i]);
    std::size_t previous_end = 0;
    for (const auto& n : docs[i]["numbers"]) {
      const std::string where = files_[i].filename().string() + " number " + n.dump();
      const auto [begin, end] = check_span(n["span"], text, where);
      EXPECT_GE(begin, previous_end) << where;
      previous_end = end;
      const std::string quoted = text.substr(begin, end - begin);
      EXPECT_EQ(n["text"], quoted) << where;
      ASSERT_TRUE(n["value"].is_number()) << where;
      const double value = n["value"].get<double>();
      if (value == static_cast<double>(static_cast<long long>(value))) {
        EXPECT_TRUE(n["value"].is_number_integer()) << where << ": integral values are printed as integers";
      }
      static const std::vector<std::string> kQualifiers{"exact",     "at_least",  "at_most", "about",
                                                        "more_than", "less_than", "up_to",   "vague"};
      EXPECT_NE(std::find(kQualifiers.begin(), kQualifiers.end(), n["qualifier"].get<std::string>()),
                kQualifiers.end())
          << where;

      const auto again = isnad::analyze(quoted);
      ASSERT_TRUE(again.ok()) << where;
      const bool same = std::any_of(again->numbers.begin(), again->numbers.end(),
                                    [&](const isnad::NumberMention& m) { return m.value == value; });
      EXPECT_TRUE(same) << where << ": analyzed alone, the span does not yield " << value;
    }
  }
}

TEST_F(Seeds, DatesQuoteTheFile) {
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(result_.out, ok);
  ASSERT_TRUE(ok);
  for (std::size_t i = 0; i < docs.size() && i < files_.size(); ++i) {
    const std::string text = slurp(files_[i]);
    for (const auto& d : docs[i]["dates"]) {
      const std::string where = files_[i].filename().string() + " date " + d.dump();
      const auto [begin, end] = check_span(d["span"], text, where);
      EXPECT_EQ(d["text"], text.substr(begin, end - begin)) << where;
      const std::string g = d["granularity"].get<std::string>();
      const std::string v = d["value"].get<std::string>();
      const std::size_t expected_length = g == "day" ? 10 : g == "month" ? 7 : g == "year" ? 4 : 0;
      EXPECT_EQ(v.size(), expected_length) << where;
    }
  }
}

// Same input, same bytes out: no hidden state between documents or runs.
TEST_F(Seeds, OutputIsDeterministicAndPerDocument) {
  for (const auto& f : files_) {
    const CliResult alone = run_cli({"analyze", f.string()});
    ASSERT_EQ(alone.exit_code, 0);
    const auto lines = result_.out_lines();
    EXPECT_NE(std::find(lines.begin(), lines.end(), alone.out.substr(0, alone.out.size() - 1)), lines.end())
        << f << " analyzed alone differs from the batch";
  }
}

}  // namespace
