// The analyzer chain: terms, positions, original spans, configuration and custom filters.
#include "isnad/analyzer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace isnad {
namespace {

struct Collected {
  std::string text;
  Span original;
  std::uint32_t position;
};

std::vector<Collected> terms(Analyzer& a, std::string_view original) {
  std::vector<Collected> out;
  auto n = a.analyze(original, [&](const Term& t) { out.push_back({std::string(t.text), t.original, t.position}); });
  EXPECT_TRUE(n.ok());
  if (n.ok()) {
    EXPECT_EQ(*n, out.size());
  }
  return out;
}

std::vector<std::string> texts(const std::vector<Collected>& c) {
  std::vector<std::string> out;
  for (const auto& t : c) out.push_back(t.text);
  return out;
}

TEST(Analyzer, DefaultChainStopsAndStems) {
  Analyzer a;
  const std::string text = "وقالت الحكومة في بيان لها إن المسؤولين وصلوا إلى BBC.";
  const auto got = terms(a, text);
  EXPECT_EQ(texts(got), (std::vector<std::string>{"قالت", "حكوم", "بيان", "مسؤول", "وصلوا", "bbc"}));
  // Positions count dropped stopwords; original spans cover the whole surface word.
  EXPECT_EQ(got[2].position, 3u);
  EXPECT_EQ(got[1].original.of(text), "الحكومة");
  EXPECT_EQ(got[0].original.of(text), "وقالت");
}

TEST(Analyzer, ConfiguredWithoutStemOrStopwords) {
  AnalyzerOptions options;
  options.stopwords = false;
  options.stem = false;
  Analyzer a(options);
  EXPECT_EQ(texts(terms(a, "في الحكومات")), (std::vector<std::string>{"في", "حكومات"}));
}

TEST(Analyzer, CustomFilterRunsLast) {
  class DropShort final : public TermFilter {
   public:
    bool apply(std::string_view, const Token&, Term& t) override { return t.text.size() > 6; }
  };
  Analyzer a;
  a.add_filter(std::make_unique<DropShort>());
  EXPECT_EQ(texts(terms(a, "قال المسؤولون")), (std::vector<std::string>{"مسؤول"}));
}

TEST(Analyzer, InvalidUtf8IsAnError) {
  Analyzer a;
  auto n = a.analyze("abc\xff", [](const Term&) {});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, ErrorCode::kInvalidUtf8);
}

TEST(Analyzer, NormalizedInputKeepsSpans) {
  Analyzer a;
  const std::string q = normalize_string("بالحكومات");
  std::vector<Span> spans;
  a.run_normalized(q, [&](const Term& t) { spans.push_back(t.original); });
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (Span{0, static_cast<std::uint32_t>(q.size())}));
}

}  // namespace
}  // namespace isnad
