#include <gtest/gtest.h>

#include "isnad/events.h"

namespace isnad {
namespace {

EventFeatures features(const char* date, std::initializer_list<const char*> terms,
                       std::vector<std::string> places = {}, std::vector<std::string> names = {}) {
  EventFeatures f;
  f.published = parse_iso_date(date);
  for (const char* t : terms) f.terms[t] += 1;
  f.places = std::move(places);
  f.names = std::move(names);
  return f;
}

TEST(BCubed, PerfectAndDegenerateClusterings) {
  const std::vector<std::string> gold = {"a", "a", "b", "b", "b"};
  const BCubed perfect = bcubed(gold, {0, 0, 1, 1, 1});
  EXPECT_DOUBLE_EQ(perfect.f1, 1.0);
  const BCubed one_cluster = bcubed(gold, {0, 0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(one_cluster.recall, 1.0);
  EXPECT_NEAR(one_cluster.precision, (2 * 0.4 + 3 * 0.6) / 5, 1e-12);
  const BCubed singletons = bcubed(gold, {0, 1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(singletons.precision, 1.0);
  EXPECT_NEAR(singletons.recall, (2 * 0.5 + 3 * (1.0 / 3)) / 5, 1e-12);
}

TEST(EventClusterer, ReportsOfOneEventJoinAndOtherEventsStayApart) {
  EventClusterer c;
  const auto fire1 = c.add(features("2024-05-02", {"حريق", "مستودع", "كيميائي", "اطفاء", "عمال"}, {"الساحل"}));
  const auto flood = c.add(features("2024-05-02", {"فيضان", "امطار", "سيول", "قري", "اجلاء"}, {"الوادي"}));
  const auto fire2 = c.add(features("2024-05-03", {"حريق", "مستودع", "دخان", "اصابه", "عمال"}, {"الساحل"}));
  EXPECT_EQ(fire1, fire2);
  EXPECT_NE(fire1, flood);
  EXPECT_EQ(c.events().size(), 2u);
}

TEST(EventClusterer, SameTopicOutsideTheWindowIsANewEvent) {
  EventClusterer c;
  const auto may = c.add(features("2024-05-02", {"حريق", "مستودع", "كيميائي"}, {"الساحل"}));
  const auto september = c.add(features("2024-09-20", {"حريق", "مستودع", "كيميائي"}, {"الساحل"}));
  EXPECT_NE(may, september);
}

TEST(EventClusterer, SharedPlaceAloneDoesNotMerge) {
  EventClusterer c;
  const auto a = c.add(features("2024-05-02", {"انتخابات", "بلديه", "مرشحين", "اقتراع"}, {"الساحل"}));
  const auto b = c.add(features("2024-05-02", {"مباراه", "فريق", "هدف", "دوري"}, {"الساحل"}));
  EXPECT_NE(a, b);
}

TEST(CivilDays, RoundTrip) {
  for (long day = -800000; day < 800000; day += 997) {
    EXPECT_EQ(days_from_civil(civil_from_days(day)), day);
  }
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(civil_from_days(days_from_civil({2024, 2, 29})), (CivilDate{2024, 2, 29}));
}

TEST(EventClusterer, RestoredStateContinuesLikeTheOriginal) {
  EventClusterer whole;
  const auto f1 = features("2024-05-02", {"حريق", "مستودع", "كيميائي"}, {"الساحل"});
  const auto f2 = features("2024-05-02", {"فيضان", "امطار", "سيول"}, {"الوادي"});
  const auto f3 = features("2024-05-03", {"حريق", "مستودع", "دخان"}, {"الساحل"});
  (void)whole.add(f1);
  (void)whole.add(f2);
  EventClusterer resumed;
  std::unordered_map<std::string, int> df;
  for (const auto* f : {&f1, &f2}) {
    for (const auto& [t, w] : f->terms) ++df[t];
  }
  resumed.restore(whole.events(), df, 2);
  EXPECT_EQ(resumed.add(f3), whole.add(f3));
}

}  // namespace
}  // namespace isnad
