// NER: golden sentences (written for these tests) through the shipped model, the conlleval
// scoring rules on tiny synthetic tag sequences, and `isnad eval ner` on a slice of ANERcorp.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "extract/ner_eval.h"
#include "extract/ner_internal.h"
#include "isnad/ner.h"
#include "isnad/normalize.h"

namespace {

using isnad::EntityMention;
using isnad::EntityType;
using isnad::NerModel;
using isnad::ner::Chunk;
using isnad::ner::conll_chunks;
using isnad::ner::NerScorer;

const NerModel& model() {
  static const NerModel m = [] {
    auto loaded = NerModel::load(std::string(ISNAD_SOURCE_DIR) + "/data/ner");
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return *loaded;
  }();
  return m;
}

struct Tagged {
  std::string text;
  std::vector<EntityMention> mentions;
};

Tagged tag(const std::string& sentence) {
  Tagged t{isnad::normalize_string(sentence), {}};
  t.mentions = model().tag(t.text);
  return t;
}

// ---- golden sentences ----------------------------------------------------------------------
struct GoldenCase {
  const char* sentence;
  const char* entity;  // as written in the sentence (normalized before comparing)
  EntityType type;
  const char* role;    // expected role text, "" for none
};

const GoldenCase kGolden[] = {
    // title kept apart from a multi-word Western name
    {"وقال الرئيس الفرنسي إيمانويل ماكرون إن بلاده مستعدة للحوار.", "إيمانويل ماكرون", EntityType::kPer,
     "الرئيس الفرنسي"},
    {"وصرح وزير الخارجية الأمريكي أنتوني بلينكن للصحفيين بأن المحادثات مستمرة.", "أنتوني بلينكن", EntityType::kPer,
     "وزير الخارجية الأمريكي"},
    {"وأكد المتحدث باسم الحكومة محمد عبد الرحمن أن الوزارة تتابع الملف.", "محمد عبد الرحمن", EntityType::kPer,
     "المتحدث باسم الحكومة"},
    {"التقى الملك عبدالله الثاني بالوفد في عمان صباح اليوم.", "عبدالله الثاني", EntityType::kPer, "الملك"},
    // clitics outside the span
    {"وأعلنت الحكومة أن وزيرها سيزور ولبنان والأردن الأسبوع المقبل.", "الأردن", EntityType::kGpe, ""},
    {"وتوجه الوفد إلى بغداد ثم عاد للقاهرة مساء الخميس.", "بغداد", EntityType::kGpe, ""},
    {"وقالت وزارة الخارجية الفرنسية في بيان إن باريس ترحب بالاتفاق.", "وزارة الخارجية الفرنسية", EntityType::kOrg,
     ""},
    // organizations and places
    {"وعقد مجلس الأمن الدولي جلسة طارئة في نيويورك لبحث الأزمة.", "مجلس الأمن الدولي", EntityType::kOrg, ""},
    {"وذكرت وكالة رويترز أن الأمم المتحدة أرسلت مساعدات إلى السودان.", "الأمم المتحدة", EntityType::kOrg, ""},
    {"وذكرت وكالة رويترز أن الأمم المتحدة أرسلت مساعدات إلى السودان.", "السودان", EntityType::kGpe, ""},
    {"وشهدت مناطق في شمال العراق أمطارا غزيرة هذا الأسبوع.", "العراق", EntityType::kGpe, ""},
    // title + place + person: the place belongs to the role, not to the name
    {"وزار محافظ وادي الريم ماجد العطار المصابين في المستشفى.", "ماجد العطار", EntityType::kPer,
     "محافظ وادي الريم"},
    {"وقال محافظ وادي الريم ماجد العطار للصحفيين إن الوضع مستقر.", "ماجد العطار", EntityType::kPer,
     "محافظ وادي الريم"},
    {"وأعلن محافظ جبل السراة سامر الخطيب إغلاق الطرق المؤدية إلى القرى.", "سامر الخطيب", EntityType::kPer,
     "محافظ جبل السراة"},
    {"وقال رئيس بلدية وادي النخيل كمال الحسيني إن أعمال الصيانة مستمرة.", "كمال الحسيني", EntityType::kPer,
     "رئيس بلدية وادي النخيل"},
};

class NerGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(NerGolden, FindsEntityWithTypeAndRole) {
  const GoldenCase& c = GetParam();
  const Tagged t = tag(c.sentence);
  const std::string want = isnad::normalize_string(c.entity);
  std::string seen;
  for (const EntityMention& m : t.mentions) {
    const std::string text(m.span.of(t.text));
    seen += std::string(isnad::to_string(m.type)) + ":" + text + " ";
    if (text != want) continue;
    EXPECT_EQ(m.type, c.type) << seen;
    EXPECT_EQ(std::string(m.role.of(t.text)), isnad::normalize_string(c.role)) << c.sentence;
    return;
  }
  ADD_FAILURE() << "no mention \"" << c.entity << "\" in: " << c.sentence << "\nfound: " << seen;
}

INSTANTIATE_TEST_SUITE_P(Sentences, NerGolden, ::testing::ValuesIn(kGolden));

// Names with attached proclitics: the span starts after them.
TEST(Ner, CliticsStayOutsideTheSpan) {
  for (const char* sentence : {"وقال الرئيس الفرنسي إيمانويل ماكرون إن الحوار ممكن. ولماكرون رأي آخر في المسألة.",
                               "وزار الوفد الأردن ثم بغداد. وفي بغداد التقى المسؤولين."}) {
    const Tagged t = tag(sentence);
    for (const EntityMention& m : t.mentions) {
      const std::string text(m.span.of(t.text));
      EXPECT_NE(text.rfind("\xD9\x88\xD9\x84", 0), 0u) << text;                   // no leading ول
      EXPECT_NE(text.rfind("\xD9\x88\xD9\x81\xD9\x8A", 0), 0u) << text;           // no وفي
    }
  }
  const Tagged t = tag("وكانت لبغداد مكانة خاصة في قلوب الزوار.");
  bool found = false;
  for (const EntityMention& m : t.mentions)
    found |= m.span.of(t.text) == isnad::normalize_string("بغداد") && m.type == EntityType::kGpe;
  EXPECT_TRUE(found) << "لبغداد should yield GPE بغداد";
}

TEST(Ner, SpansMapBackToOriginalBytes) {
  const std::string original = "قال الرئيسُ الأمريكيُّ جو بايدن إنَّ الاتفاقَ قريب.";
  auto norm = isnad::normalize(original);
  ASSERT_TRUE(norm);
  const auto mentions = model().tag(norm->text());
  bool found = false;
  for (const EntityMention& m : mentions) {
    if (m.type != EntityType::kPer) continue;
    const isnad::Span o = norm->to_original(m.span);
    EXPECT_EQ(original.substr(o.begin, o.size()), "جو بايدن");
    found = true;
  }
  EXPECT_TRUE(found);
}

// The title + place + person repair on fixed label sequences, independent of the weights.
struct SplitCase {
  const char* phrase;
  std::vector<const char*> labels;  // per token, before
  std::vector<const char*> want;    // per token, after
};

const SplitCase kSplit[] = {
    // the whole place + name tagged PER
    {"محافظ وادي الريم ماجد العطار", {"O", "B-PER", "I-PER", "I-PER", "I-PER"},
     {"O", "B-LOC", "I-LOC", "B-PER", "I-PER"}},
    // the place's head noun left out, the rest tagged PER
    {"محافظ وادي الريم ماجد العطار", {"O", "O", "B-PER", "I-PER", "I-PER"},
     {"O", "B-LOC", "I-LOC", "B-PER", "I-PER"}},
    // a political place head takes GPE
    {"محافظ مدينة الواحة ماجد العطار", {"O", "B-PER", "I-PER", "I-PER", "I-PER"},
     {"O", "B-GPE", "I-GPE", "B-PER", "I-PER"}},
    // no known given name: head + one word, the person keeps two words
    {"محافظ وادي الريم زهوان العطار", {"O", "B-PER", "I-PER", "I-PER", "I-PER"},
     {"O", "B-LOC", "I-LOC", "B-PER", "I-PER"}},
    // too short to hold a place and a two-word name: left alone
    {"محافظ وادي الريم العطار", {"O", "B-PER", "I-PER", "I-PER"}, {"O", "B-PER", "I-PER", "I-PER"}},
    // no title in front: left alone
    {"وادي الريم ماجد العطار", {"B-PER", "I-PER", "I-PER", "I-PER"}, {"B-PER", "I-PER", "I-PER", "I-PER"}},
    // an ordinary titled name: left alone
    {"الرئيس ماجد العطار", {"O", "B-PER", "I-PER"}, {"O", "B-PER", "I-PER"}},
};

// Runs a label-repair rule on fixed labels (the model is loaded only for tokens and gazetteers)
// and checks every row's labels afterwards.
template <class Rule>
void check_label_rule(std::span<const SplitCase> cases, Rule rule) {
  static const isnad::ner::ModelData data = [] {
    isnad::ner::ModelData d;
    const std::string dir = std::string(ISNAD_SOURCE_DIR) + "/data/ner";
    EXPECT_TRUE(isnad::ner::load_model(dir + "/ner.model", d.lex, d.stats, d.weights));
    EXPECT_TRUE(isnad::ner::load_gazetteer_words(dir + "/gazetteers", d.gaz));
    isnad::ner::extend_lexicon(d.gaz, d.lex);
    isnad::ner::build_gazetteer(d.lex, d.gaz);
    return d;
  }();
  for (const SplitCase& c : cases) {
    const std::string text = isnad::normalize_string(c.phrase);
    isnad::ner::Scratch s;
    isnad::ner::prepare_tokens(data, text, s);
    ASSERT_EQ(s.tokens.size(), c.labels.size()) << c.phrase;
    s.labels.clear();
    for (const char* l : c.labels) s.labels.push_back(static_cast<std::uint8_t>(isnad::ner::label_from_name(l)));
    rule(text, s);
    std::vector<std::string> got, want;
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
      got.push_back(isnad::ner::label_name(s.labels[i]));
      want.emplace_back(c.want[i]);
    }
    EXPECT_EQ(got, want) << c.phrase;
  }
}

TEST(Ner, SplitsPlaceFromTitledName) {
  check_label_rule(kSplit, [](std::string_view, isnad::ner::Scratch& s) { isnad::ner::split_place_from_name(s); });
}

// Settlement and landform nouns before an untagged definite word (labels fixed, rule only).
const SplitCase kPlaceAfterCue[] = {
    {"غمرت المياه بلدة الصنوبر", {"O", "O", "O", "O"}, {"O", "O", "O", "B-GPE"}},
    {"عند سفح جبل الكحيل", {"O", "O", "O", "O"}, {"O", "O", "O", "B-LOC"}},
    {"وفي مخيم الزهور", {"O", "O", "O"}, {"O", "O", "B-GPE"}},
    // the cue itself definite: an adjective follows, not a name
    {"المدينة الصناعية", {"O", "O"}, {"O", "O"}},
    // a cue noun with another sense is not used
    {"من ناحية الأمن", {"O", "O", "O"}, {"O", "O", "O"}},
    // indefinite word after the cue: no name
    {"مدينة كبيرة", {"O", "O"}, {"O", "O"}},
    // already tagged by the model: left alone
    {"بلدة المنارة", {"O", "B-LOC"}, {"O", "B-LOC"}},
};

TEST(Ner, PlaceAfterSettlementOrLandformNoun) {
  check_label_rule(kPlaceAfterCue, [](std::string_view text, isnad::ner::Scratch& s) { isnad::ner::place_after_cue(text, s); });
}

// Title + lone given name + a definite word left outside: the word is the family name (labels
// fixed, rule only).
const SplitCase kFamilyName[] = {
    {"وقال المحافظ ماجد العودة", {"O", "O", "B-PER", "O"}, {"O", "O", "B-PER", "I-PER"}},
    {"الوزير ماجد الحلبي", {"O", "B-PER", "O"}, {"O", "B-PER", "I-PER"}},
    // no title in front: a given name may be the subject of a verb with a definite object
    {"وزار ماجد المستشفى", {"O", "B-PER", "O"}, {"O", "B-PER", "O"}},
    // the word after the name carries a clitic: a new phrase (للصحفيين), not a family name
    {"المحافظ ماجد للصحفيين", {"O", "B-PER", "O"}, {"O", "B-PER", "O"}},
    // indefinite word after the name: left alone
    {"المحافظ ماجد أمس", {"O", "B-PER", "O"}, {"O", "B-PER", "O"}},
    // the model already gave the person two words: left alone
    {"المحافظ ماجد العطار اليوم", {"O", "B-PER", "I-PER", "O"}, {"O", "B-PER", "I-PER", "O"}},
    // not a known given name: left alone
    {"المحافظ زهوان العودة", {"O", "B-PER", "O"}, {"O", "B-PER", "O"}},
};

TEST(Ner, FamilyNameAfterTitledGivenName) {
  check_label_rule(kFamilyName,
                   [](std::string_view, isnad::ner::Scratch& s) { isnad::ner::family_name_after_titled_given_name(s); });
}

// A weekday drawn into a person or organization ends it ("on Thursday"), unless a given name
// stands before it: then it is a family name (labels fixed, rule only).
const SplitCase kWeekdayEndsName[] = {
    {"وقال المتحدث ماجد العطار الخميس إن", {"O", "O", "B-PER", "I-PER", "I-PER", "O"}, {"O", "O", "B-PER", "I-PER", "O", "O"}},
    {"وأعلنت شركة النسيم الجمعة", {"O", "B-ORG", "I-ORG", "I-ORG"}, {"O", "B-ORG", "I-ORG", "O"}},
    // the span goes on after the weekday: the rest is not part of the name either
    {"أعلن زهوان الأحد السابق", {"O", "B-PER", "I-PER", "I-PER"}, {"O", "B-PER", "O", "O"}},
    // a given name before it: a family name
    {"وقال ماجد الخميس", {"O", "B-PER", "I-PER"}, {"O", "B-PER", "I-PER"}},
    {"التقت سلمى الجمعة بالوفد", {"O", "B-PER", "I-PER", "O"}, {"O", "B-PER", "I-PER", "O"}},
    // places keep it: a market named for its day
    {"في سوق الأحد", {"O", "B-LOC", "I-LOC"}, {"O", "B-LOC", "I-LOC"}},
    // a weekday with a clitic is another word's phrase, and not a bare weekday: left alone
    {"زهوان والخميس", {"B-PER", "I-PER"}, {"B-PER", "I-PER"}},
};

TEST(Ner, WeekdayEndsName) {
  check_label_rule(kWeekdayEndsName, [](std::string_view text, isnad::ner::Scratch& s) { isnad::ner::weekday_ends_name(text, s); });
}

// Well-known people (gazetteers/per_name.txt) are a gazetteer kind of their own; a title in front
// of a listed name stays outside the name (the list holds no titles).
TEST(Ner, PersonNameListIsLoadedWithoutTitles) {
  isnad::ner::Gazetteer gaz;
  ASSERT_TRUE(isnad::ner::load_gazetteer_words(std::string(ISNAD_SOURCE_DIR) + "/data/ner/gazetteers", gaz));
  const std::string kind = std::to_string(static_cast<int>(isnad::ner::Gaz::kPerName)) + "\t";
  std::size_t names = 0;
  for (const std::string& entry : gaz.words) {
    if (entry.rfind(kind, 0) != 0) continue;
    ++names;
    for (const char* title : {"الملك ", "الشيخ ", "الامير ", "الرئيس "})
      EXPECT_NE(entry.find(isnad::normalize_string(title)), kind.size()) << entry;
  }
  EXPECT_GT(names, 100u);
}

// A headline ending in a place, then the dateline naming it again: the tagger may chain the two
// lines into one name; a mention never spans a line break.
TEST(Ner, NoMentionRunsAcrossALineBreak) {
  const std::string texts[] = {
      "افتتاح مستشفى جديد في مدينة الزهراء\n\nالزهراء (وكالة الأنباء) - افتتح وزير الصحة مستشفى جديدا.",
      "وصول الرئيس إلى بير الماء\nبير الماء - وصل الرئيس خالد السامر صباح اليوم.",
      "مقتل ثلاثة في حادث سير قرب تل العين\n\n\nتل العين (رويترز) - قتل ثلاثة أشخاص.",
  };
  for (const std::string& text : texts) {
    for (const auto& m : model().tag(text)) {
      EXPECT_EQ(m.span.of(text).find('\n'), std::string_view::npos) << m.span.of(text);
    }
  }
}

TEST(Ner, EmptyAndPunctuationOnlyInputs) {
  EXPECT_TRUE(model().tag("").empty());
  EXPECT_TRUE(model().tag(" . , ! ").empty());
}

TEST(Ner, MissingModelIsAnError) {
  auto m = NerModel::load("/nonexistent/isnad-ner");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, isnad::ErrorCode::kIo);
}

// ---- conlleval rules -----------------------------------------------------------------------
TEST(NerScoring, ChunksFollowConllevalRules) {
  struct Row {
    std::vector<std::string> tags;
    std::vector<Chunk> chunks;
  };
  const Row rows[] = {
      {{"B-PER", "I-PER", "O"}, {{0, 2, "PER"}}},
      {{"I-LOC", "I-LOC"}, {{0, 2, "LOC"}}},                     // stray I- starts a chunk
      {{"B-LOC", "B-LOC"}, {{0, 1, "LOC"}, {1, 2, "LOC"}}},      // B- always starts a new one
      {{"B-PER", "I-ORG"}, {{0, 1, "PER"}, {1, 2, "ORG"}}},      // type change splits
      {{"O", "B-ORG", "I-ORG", "I-ORG"}, {{1, 4, "ORG"}}},       // open at the end
      {{"PERS", "PERS", "O"}, {{0, 2, "PERS"}}},                 // no prefix = I-
      {{"O", "O"}, {}},
  };
  for (const Row& r : rows) EXPECT_EQ(conll_chunks(r.tags), r.chunks);
}

TEST(NerScoring, ExactMatchOfBoundariesAndType) {
  NerScorer s;
  //          gold                                   predicted
  s.add({"B-PER", "I-PER", "O", "B-LOC"}, {"B-PER", "I-PER", "O", "B-ORG"});  // PER right, LOC typed ORG
  s.add({"B-ORG", "I-ORG", "I-ORG"}, {"B-ORG", "I-ORG", "O"});                // boundary wrong
  s.add({"O", "O"}, {"B-PER", "O"});                                          // spurious
  const auto& t = s.per_type();
  EXPECT_EQ(t.at("PER").gold, 1);
  EXPECT_EQ(t.at("PER").predicted, 2);
  EXPECT_EQ(t.at("PER").correct, 1);
  EXPECT_EQ(t.at("ORG").correct, 0);
  EXPECT_EQ(t.at("LOC").predicted, 0);
  const auto all = s.all();
  EXPECT_EQ(all.gold, 3);
  EXPECT_EQ(all.predicted, 4);
  EXPECT_EQ(all.correct, 1);
  EXPECT_DOUBLE_EQ(all.precision(), 0.25);
  EXPECT_DOUBLE_EQ(all.recall(), 1.0 / 3);
  EXPECT_NEAR(all.f1(), 2 * 0.25 * (1.0 / 3) / (0.25 + 1.0 / 3), 1e-12);
  EXPECT_EQ(s.micro({"LOC"}).gold, 1);
  EXPECT_DOUBLE_EQ(s.micro({"LOC"}).f1(), 0.0);
}

// ---- isnad eval ner ------------------------------------------------------------------------

// The F1 of the eval's last line "F1(PER,LOC,ORG) = 0.XXX", or nullopt when the line has another
// shape. (Not std::regex: GCC 12 warns inside <regex> in sanitizer builds.)
std::optional<double> f1_of_last_line(const std::string& line) {
  const std::string prefix = "F1(PER,LOC,ORG) = ";
  if (line.size() != prefix.size() + 5 || line.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const std::string value = line.substr(prefix.size());
  if ((value[0] != '0' && value[0] != '1') || value[1] != '.') return std::nullopt;
  for (std::size_t i = 2; i < value.size(); ++i) {
    if (value[i] < '0' || value[i] > '9') return std::nullopt;
  }
  return std::stod(value);
}

TEST(NerEvalCli, ScoresOwnConllFile) {
  isnad::testing::TempDir dir;
  const auto file = dir.write("mini.txt",
                              "وقال O\nالرئيس O\nالفرنسي O\nإيمانويل B-PERS\nماكرون I-PERS\nفي O\nنيويورك B-LOC\n. O\n\n"
                              "وعقد O\nمجلس B-ORG\nالأمن I-ORG\nالدولي I-ORG\nجلسة O\n. O\n");
  const auto r = isnad::testing::run_cli({"eval", "ner", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.out_lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(f1_of_last_line(lines.back())) << lines.back();
  EXPECT_NE(r.out.find("2 sentences, 14 tokens"), std::string::npos) << r.out;
}

TEST(NerEvalCli, AnercorpSlice) {
  const std::filesystem::path test_file =
      std::filesystem::path(ISNAD_SHARED_DIR) / "data/ner/anercorp-camel/ANERCorp_CamelLab_test.txt";
  if (!std::filesystem::exists(test_file)) GTEST_SKIP() << "shared data not present";
  const auto r = isnad::testing::run_cli({"eval", "ner", test_file.string(), "--limit", "120"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string last = r.out_lines().back();
  const auto f1 = f1_of_last_line(last);
  ASSERT_TRUE(f1) << last;
  // Far below the full-file figure in docs/NER.md, far above what a broken model scores.
  EXPECT_GT(*f1, 0.45) << r.out;
}

TEST(NerEvalCli, MissingFileIsUsageError) {
  const auto r = isnad::testing::run_cli({"eval", "ner", "/nonexistent/file.txt"});
  EXPECT_EQ(r.exit_code, 2);
}

// ---- the tagger's word-score memo ----------------------------------------------------------
// The runtime scores tokens from per-word sums (WordScoreCache); the trainer and this test use
// the direct definition. Both must give the same scores and labels, also when words evict each
// other from the memo's fixed slots.
std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// More distinct words than the memo has slots, each used twice, mixed with common words.
std::string many_distinct_words() {
  const char* letters[] = {"ب", "ت", "ج", "د", "ر", "س", "ص", "ع", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي"};
  const char* common[] = {"وقال", "الرئيس", "في", "مدينة", "إن", "الحكومة", "محمد", "."};
  std::uint32_t state = 12345;
  auto next = [&state] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7FFF; };
  std::vector<std::string> words;
  for (std::size_t k = 0; k < 2 * isnad::ner::WordScoreCache::kSlots; ++k) {
    std::string w;
    const int len = 3 + static_cast<int>(next() % 4);
    for (int c = 0; c < len; ++c) w += letters[next() % std::size(letters)];
    words.push_back(std::move(w));
  }
  std::string text;
  for (int round = 0; round < 2; ++round) {
    for (std::size_t k = 0; k < words.size(); ++k) {
      text += words[k];
      text += ' ';
      if (k % 3 == 0) {
        text += common[next() % std::size(common)];
        text += ' ';
      }
    }
  }
  return text;
}

TEST(NerWordScores, MemoScoresEqualDirectScores) {
  using namespace isnad::ner;
  ModelData m;
  const std::string dir = std::string(ISNAD_SOURCE_DIR) + "/data/ner";
  ASSERT_TRUE(load_model(dir + "/ner.model", m.lex, m.stats, m.weights));
  ASSERT_TRUE(load_gazetteer_words(dir + "/gazetteers", m.gaz));
  extend_lexicon(m.gaz, m.lex);
  build_gazetteer(m.lex, m.gaz);

  std::vector<std::string> texts{many_distinct_words()};
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(ISNAD_SOURCE_DIR) / "demo/corpus")) {
    texts.push_back(read_file(entry.path()));
  }
  WordScoreCache cache;
  cache.bind(1, m.weights);
  std::size_t tokens = 0, entities = 0;
  for (const std::string& raw : texts) {
    const std::string text = isnad::normalize_string(raw);
    Scratch direct, memo;
    prepare_tokens(m, text, direct);
    prepare_tokens(m, text, memo);
    score_tokens(m.weights, text, direct);
    score_tokens_cached(m.weights, text, memo, cache);
    ASSERT_EQ(direct.scores.size(), memo.scores.size());
    for (std::size_t k = 0; k < direct.scores.size(); ++k) {
      ASSERT_NEAR(direct.scores[k], memo.scores[k], 1e-4f * (1.0f + std::fabs(direct.scores[k])))
          << "token " << k / kLabels << " label " << k % kLabels;
    }
    viterbi(m.weights, direct);
    viterbi(m.weights, memo);
    EXPECT_EQ(direct.labels, memo.labels);
    tokens += direct.tokens.size();
    for (std::uint8_t l : direct.labels) entities += is_b(l) ? 1 : 0;
  }
  EXPECT_GT(tokens, 2 * WordScoreCache::kSlots);
  EXPECT_GT(entities, 20u);  // the demo texts do name people and places
}

}  // namespace
