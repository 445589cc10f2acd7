// Golden clitic table (tests/golden/tokens_clitics.tsv) plus token kinds, spans and the lexicon.
#include "isnad/tokenize.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "isnad/normalize.h"

namespace isnad {
namespace {

struct CliticRow {
  std::string surface, proclitics, stem, enclitic;
  int line;
};

std::vector<CliticRow> load_rows() {
  std::ifstream in(std::string(ISNAD_TEST_DIR) + "/golden/tokens_clitics.tsv");
  std::vector<CliticRow> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    CliticRow r;
    r.line = n;
    std::getline(fields, r.surface, '\t');
    std::getline(fields, r.proclitics, '\t');
    std::getline(fields, r.stem, '\t');
    std::getline(fields, r.enclitic, '\t');
    rows.push_back(r);
  }
  return rows;
}

std::string proclitic_string(std::uint8_t bits) {
  static constexpr std::pair<Proclitic, const char*> kOrder[] = {
      {kConjWa, "و"}, {kConjFa, "ف"}, {kPrepBi, "ب"}, {kPrepLi, "ل"}, {kPrepKa, "ك"}, {kFutureSa, "س"}, {kArticle, "ال"}};
  std::string out;
  for (const auto& [bit, letters] : kOrder) {
    if (!(bits & bit)) continue;
    if (!out.empty()) out += '+';
    out += letters;
  }
  return out.empty() ? "-" : out;
}

std::vector<Token> tokenize(const std::string& normalized, Tokenizer& tok) {
  tok.reset(normalized);
  std::vector<Token> out;
  for (Token t; tok.next(t);) out.push_back(t);
  return out;
}

TEST(TokenizeGolden, CliticTable) {
  const auto rows = load_rows();
  ASSERT_GE(rows.size(), 40u) << "golden table missing";
  ASSERT_GT(Lexicon::builtin().size(), 10000u) << "data/lexicon/words.tsv not loaded";
  Tokenizer tok;
  for (const CliticRow& r : rows) {
    SCOPED_TRACE("tokens_clitics.tsv:" + std::to_string(r.line) + " " + r.surface);
    const std::string norm = normalize_string(r.surface);
    const auto tokens = tokenize(norm, tok);
    ASSERT_EQ(tokens.size(), 1u);
    const Token& t = tokens[0];
    EXPECT_EQ(t.kind, TokenKind::kArabic);
    EXPECT_EQ(t.span, (Span{0, static_cast<std::uint32_t>(norm.size())}));
    const Analysis& a = t.best();
    EXPECT_EQ(proclitic_string(a.proclitics), r.proclitics);
    EXPECT_EQ(a.stem.of(norm), r.stem);
    const std::string_view enc = to_string(a.enclitic);
    EXPECT_EQ(enc.empty() ? "-" : std::string(enc), r.enclitic);
    // Surface = proclitic bytes + stem + enclitic bytes, always.
    EXPECT_EQ(a.enclitic_span(t.span).of(norm), enc);
    EXPECT_TRUE(t.span.contains(a.stem));
  }
}

TEST(Tokenize, CachedAnalysisEqualsFresh) {
  Tokenizer tok;
  const std::string norm = normalize_string("وبالحكومة قال وبالحكومة");
  const auto tokens = tokenize(norm, tok);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].best().stem.of(norm), "حكومه");
  EXPECT_EQ(tokens[2].best().stem.of(norm), "حكومه");
  EXPECT_EQ(tokens[2].best().proclitics, tokens[0].best().proclitics);
  EXPECT_EQ(tokens[2].best().stem.begin - tokens[2].span.begin, tokens[0].best().stem.begin - tokens[0].span.begin);
}

TEST(Tokenize, AlternativesKeepTheRejectedSplit) {
  Tokenizer tok;
  const std::string norm = normalize_string("وزير");
  const auto tokens = tokenize(norm, tok);
  ASSERT_EQ(tokens.size(), 1u);
  const Token& t = tokens[0];
  ASSERT_GE(t.analysis_count, 2);
  bool found = false;
  for (std::size_t i = 1; i < t.analysis_count; ++i)
    found = found || (t.analyses[i].has(kConjWa) && t.analyses[i].stem.of(norm) == "زير");
  EXPECT_TRUE(found);
}

TEST(Tokenize, AlternativesCanBeTurnedOff) {
  TokenizerOptions options;
  options.alternatives = false;
  Tokenizer tok(Lexicon::builtin(), options);
  const std::string norm = normalize_string("وزير");
  const auto tokens = tokenize(norm, tok);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].analysis_count, 1);
}

TEST(Tokenize, KindsAndSpans) {
  Tokenizer tok;
  const std::string norm = normalize_string("قتل 1,500 شخص (BBC) في 2.5 ساعة!");
  const auto tokens = tokenize(norm, tok);
  std::vector<std::pair<TokenKind, std::string>> got;
  for (const Token& t : tokens) got.emplace_back(t.kind, std::string(t.span.of(norm)));
  const std::vector<std::pair<TokenKind, std::string>> want{
      {TokenKind::kArabic, "قتل"}, {TokenKind::kNumber, "1,500"}, {TokenKind::kArabic, "شخص"},
      {TokenKind::kPunct, "("},    {TokenKind::kLatin, "BBC"},    {TokenKind::kPunct, ")"},
      {TokenKind::kArabic, "في"},  {TokenKind::kNumber, "2.5"},   {TokenKind::kArabic, "ساعه"},
      {TokenKind::kPunct, "!"}};
  EXPECT_EQ(got, want);
}

TEST(Tokenize, PunctuationCanBeSkipped) {
  TokenizerOptions options;
  options.punctuation = false;
  Tokenizer tok(Lexicon::builtin(), options);
  const std::string norm = normalize_string("«قال» : نعم، café 12.");
  std::vector<std::string> got;
  for (const Token& t : tokenize(norm, tok)) got.emplace_back(t.span.of(norm));
  EXPECT_EQ(got, (std::vector<std::string>{"قال", "نعم", "café", "12"}));
}

TEST(Tokenize, SpansMapBackToOriginal) {
  const std::string original = "وَالحُكُومَةُ قالت";
  auto norm = normalize(original);
  ASSERT_TRUE(norm.ok());
  Tokenizer tok;
  tok.reset(norm->text());
  Token t;
  ASSERT_TRUE(tok.next(t));
  const Span orig = norm->to_original(t.span);
  EXPECT_EQ(orig.of(original), "وَالحُكُومَةُ");
}

TEST(Tokenize, WithoutLexiconOnlyUnambiguousSplits) {
  const Lexicon empty;
  Tokenizer tok(empty);
  const std::string norm = normalize_string("والحكومة وزير للبيت منه");
  const auto tokens = tokenize(norm, tok);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].best().stem.of(norm), "حكومه");  // وال… is always a split
  EXPECT_EQ(tokens[0].best().proclitics, kConjWa | kArticle);
  EXPECT_EQ(tokens[1].best().stem.of(norm), "وزير");   // nothing known: stays whole
  EXPECT_EQ(tokens[2].best().stem.of(norm), "بيت");
  EXPECT_EQ(tokens[3].best().stem.of(norm), "منه");
}

TEST(Tokenize, CustomLexiconDecidesSplits) {
  // With زير made frequent, the same word now splits: the lexicon, not a list, decides.
  auto lex = Lexicon::parse("وزير\t10\t\nزير\t500\t\n");
  ASSERT_TRUE(lex.ok());
  Tokenizer tok(*lex);
  const std::string norm = normalize_string("وزير");
  const auto tokens = tokenize(norm, tok);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_TRUE(tokens[0].best().has(kConjWa));
  EXPECT_EQ(tokens[0].best().stem.of(norm), "زير");
}

TEST(Lexicon, ParseAndFind) {
  auto lex = Lexicon::parse("# comment\nحكومه\t797\tt\nالمانيا\t459\th\nعلي\t5\ty\n");
  ASSERT_TRUE(lex.ok());
  EXPECT_EQ(lex->size(), 3u);
  EXPECT_EQ(lex->count("حكومه"), 797u);
  EXPECT_EQ(lex->find("حكومه").flags, Lexicon::kTehMarbuta);
  EXPECT_EQ(lex->find("المانيا").flags, Lexicon::kHamzaAlef);
  EXPECT_EQ(lex->find("علي").flags, Lexicon::kAlefMaqsura);
  EXPECT_EQ(lex->count("غير"), 0u);
}

TEST(Lexicon, ParseErrorsCarryOffsets) {
  auto bad = Lexicon::parse("حكومه\t797\n\tx\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kParse);
  ASSERT_TRUE(bad.error().offset.has_value());
  EXPECT_EQ(*bad.error().offset, std::string("حكومه\t797\n").size());
  EXPECT_FALSE(Lexicon::parse("كلمه\tabc\n").ok());
  EXPECT_FALSE(Lexicon::parse("كلمه\t3\tq\n").ok());
  EXPECT_FALSE(Lexicon::load("/nonexistent/words.tsv").ok());
}

}  // namespace
}  // namespace isnad
