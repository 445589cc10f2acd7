#include <gtest/gtest.h>

#include <algorithm>

#include "isnad/resolve.h"

namespace isnad {
namespace {

constexpr auto PER = EntityType::kPer;
constexpr auto ORG = EntityType::kOrg;

struct AlikeRow {
  const char* a;
  const char* b;
  bool alike;
};

TEST(WordsAlike, Table) {
  const AlikeRow rows[] = {
      {"كريموف", "كاريموف", true},    // transliteration: vowel letter dropped
      {"كريموف", "كريمف", true},
      {"سيتي", "ستي", false},        // 4 letters: too short for the skeleton rule on its own
      {"هاوس", "هاوز", false},        // 4 letters: a one-letter difference is a different word
      {"ميرزايف", "ميرزاييف", true},  // doubled letter
      {"بارتلوميو", "بارثلوميو", true},  // typo, one substitution
      {"سعيد", "سعد", false},         // two different names
      {"احمد", "حامد", false},
      {"مدينة", "مدينه", true},       // folded by normalization before comparison in practice
  };
  for (const AlikeRow& r : rows) {
    EXPECT_EQ(words_alike(r.a, r.b), r.alike) << r.a << " ~ " << r.b;
  }
}

const ResolvedEntity* find(const std::vector<ResolvedEntity>& es, const std::string& variant) {
  for (const auto& e : es) {
    if (std::find(e.variants.begin(), e.variants.end(), variant) != e.variants.end()) return &e;
  }
  return nullptr;
}

TEST(ResolveEntities, SpellingVariantsAndSurnameMergeIntoOnePerson) {
  const std::vector<NameMention> m = {
      {"يوسف كريموف", PER, "d1"}, {"كريموف", PER, "d1"}, {"يوسف كاريموف", PER, "d2"},
      {"يوسف كريموف", PER, "d3"}, {"كريمف", PER, "d3"},
  };
  const auto es = resolve_entities(m);
  ASSERT_EQ(es.size(), 1u);
  EXPECT_EQ(es[0].id, "p1");
  EXPECT_EQ(es[0].name, "يوسف كريموف");
  EXPECT_EQ(es[0].variants.size(), 4u);
  EXPECT_EQ(es[0].documents, (std::vector<std::string>{"d1", "d2", "d3"}));
}

TEST(ResolveEntities, DistinctPeopleWithTheSameSurnameStayApart) {
  const std::vector<NameMention> m = {
      {"احمد الزين", PER, "d1"}, {"محمود الزين", PER, "d2"}, {"الزين", PER, "d2"},
      {"سعيد النجار", PER, "d1"}, {"سعد النجار", PER, "d2"},
  };
  const auto es = resolve_entities(m);
  const auto* ahmad = find(es, "احمد الزين");
  const auto* mahmoud = find(es, "محمود الزين");
  const auto* bare = find(es, "الزين");
  ASSERT_TRUE(ahmad && mahmoud && bare);
  EXPECT_NE(ahmad, mahmoud);
  EXPECT_NE(bare, ahmad) << "an ambiguous surname must not be guessed";
  EXPECT_NE(bare, mahmoud);
  EXPECT_NE(find(es, "سعيد النجار"), find(es, "سعد النجار"));
}

TEST(ResolveEntities, OrganisationLongShortAndAcronym) {
  const std::vector<NameMention> m = {
      {"وزارة الخارجية الروسية", ORG, "d1"},
      {"الخارجية الروسية", ORG, "d2"},
      {"الدولة الإسلامية في العراق والشام", ORG, "d1"},
      {"داعش", ORG, "d2"},
      {"وزارة الداخلية", ORG, "d3"},
  };
  const auto es = resolve_entities(m);
  EXPECT_EQ(find(es, "وزارة الخارجية الروسية"), find(es, "الخارجية الروسية"));
  EXPECT_EQ(find(es, "الدولة الإسلامية في العراق والشام"), find(es, "داعش"));
  EXPECT_NE(find(es, "وزارة الداخلية"), find(es, "وزارة الخارجية الروسية"));
  EXPECT_EQ(es.size(), 3u);
  EXPECT_EQ(find(es, "داعش")->name, "الدولة الإسلامية في العراق والشام");
  EXPECT_EQ(find(es, "داعش")->id, "o2");
}

TEST(ResolveEntities, TypesNeverMix) {
  const std::vector<NameMention> m = {{"الساحل", EntityType::kGpe, "d1"}, {"الساحل", ORG, "d2"}};
  EXPECT_EQ(resolve_entities(m).size(), 2u);
}

}  // namespace
}  // namespace isnad
