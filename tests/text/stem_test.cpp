// Golden stem table (tests/golden/stems.tsv): expected stems and conflation groups.
#include "isnad/stem.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "isnad/normalize.h"

namespace isnad {
namespace {

struct StemRow {
  std::string word, stem, group;
  int line;
};

std::vector<StemRow> load_rows() {
  std::ifstream in(std::string(ISNAD_TEST_DIR) + "/golden/stems.tsv");
  std::vector<StemRow> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    StemRow r;
    r.line = n;
    std::getline(fields, r.word, '\t');
    std::getline(fields, r.stem, '\t');
    std::getline(fields, r.group, '\t');
    rows.push_back(r);
  }
  return rows;
}

TEST(StemGolden, ExpectedStems) {
  const auto rows = load_rows();
  ASSERT_GE(rows.size(), 150u);
  const Stemmer stemmer;
  for (const StemRow& r : rows) {
    SCOPED_TRACE("stems.tsv:" + std::to_string(r.line) + " " + r.word);
    EXPECT_EQ(stem_word(r.word, stemmer), r.stem);
  }
}

TEST(StemGolden, GroupsConflateAndDoNotCollide) {
  const Stemmer stemmer;
  std::map<std::string, std::set<std::string>> stems_of_group, groups_of_stem;
  for (const StemRow& r : load_rows()) {
    const std::string s = stem_word(r.word, stemmer);
    stems_of_group[r.group].insert(s);
    groups_of_stem[s].insert(r.group);
  }
  for (const auto& [group, stems] : stems_of_group) EXPECT_EQ(stems.size(), 1u) << "group " << group << " split";
  for (const auto& [stem, groups] : groups_of_stem) EXPECT_EQ(groups.size(), 1u) << "stem " << stem << " merges groups";
}

TEST(Stem, ResultIsInsideTheAnalysisStem) {
  const std::string norm = normalize_string("وبحكوماتهم والمسؤولين قانون");
  Tokenizer tok;
  tok.reset(norm);
  const Stemmer stemmer;
  std::vector<std::string> stems;
  for (Token t; tok.next(t);) {
    const Span s = stemmer.stem(norm, t.best());
    EXPECT_TRUE(t.best().stem.contains(s));
    EXPECT_FALSE(s.empty());
    stems.emplace_back(s.of(norm));
  }
  EXPECT_EQ(stems, (std::vector<std::string>{"حكوم", "مسؤول", "قانون"}));
}

TEST(Stem, NonArabicWordsPassThrough) {
  EXPECT_EQ(stem_word("BBC"), "BBC");
  EXPECT_EQ(stem_word("٢٠٢٤"), "2024");
  EXPECT_EQ(stem_word(""), "");
}

TEST(Stem, WithoutLexiconFallsBackToLengthRules) {
  const Lexicon empty;
  const Stemmer stemmer(empty);
  const std::string norm = normalize_string("المعلمات موسكو");
  Tokenizer tok(empty);
  tok.reset(norm);
  std::vector<std::string> stems;
  for (Token t; tok.next(t);) stems.emplace_back(stemmer.stem(norm, t.best()).of(norm));
  EXPECT_EQ(stems, (std::vector<std::string>{"معلم", "موسكو"}));
}

}  // namespace
}  // namespace isnad
