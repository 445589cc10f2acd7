#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "corpus/event_stream.h"
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
  std::vector<Event> events;
  for (std::size_t e = 0; e < whole.events().size(); ++e) events.push_back(whole.snapshot(e));
  resumed.restore(events, df, 2);
  EXPECT_EQ(resumed.add(f3), whole.add(f3));
}

// The indexed `add` must pick what the direct formula picks: the best candidate in the window at
// or above the threshold, else a new event.
TEST(EventClusterer, IndexedAddAgreesWithTheDirectFormula) {
  const ClusterOptions options;
  EventClusterer c(options);
  std::size_t joined = 0;
  for (const EventFeatures& f : testing::event_stream(600, 40, 7)) {
    double best = -1;
    const long day = days_from_civil(*f.published);
    for (std::size_t e = 0; e < c.events().size(); ++e) {
      const Event event = c.snapshot(e);
      if (day > days_from_civil(*event.last) + options.window_days || day < days_from_civil(*event.first) - options.window_days) continue;
      best = std::max(best, c.similarity(f, event));
    }
    const std::size_t before = c.events().size();
    if (c.add(f) < before) {
      ++joined;
      ASSERT_GE(best, options.threshold - 1e-9);
    } else {
      ASSERT_LT(best, options.threshold + 1e-9);
    }
  }
  EXPECT_GT(joined, 100u);  // the stream exercises joining, not only new events
}

TEST(EventClusterer, JoinedEventHasTheBestScore) {
  const ClusterOptions options;
  EventClusterer c(options);
  for (const EventFeatures& f : testing::event_stream(400, 50, 11)) {
    std::vector<double> scores;
    const long day = days_from_civil(*f.published);
    for (std::size_t e = 0; e < c.events().size(); ++e) {
      const Event event = c.snapshot(e);
      const bool in_window = day <= days_from_civil(*event.last) + options.window_days &&
                             day >= days_from_civil(*event.first) - options.window_days;
      scores.push_back(in_window ? c.similarity(f, event) : -1);
    }
    const std::size_t chosen = c.add(f);
    if (chosen < scores.size()) {
      ASSERT_NEAR(scores[chosen], *std::max_element(scores.begin(), scores.end()), 1e-9);
    }
  }
}

TEST(EventClusterer, RetiredEventsAreNotCandidatesAndMemoryStaysBounded) {
  EventClusterer c;
  const auto docs = testing::event_stream(3000, 30, 3);
  std::size_t most_active = 0;
  for (const EventFeatures& f : docs) {
    const long day = days_from_civil(*f.published);
    for (std::size_t e : c.retire_before(day - 8, true)) EXPECT_TRUE(c.events()[e].documents.empty());
    const std::size_t e = c.add(f);
    ASSERT_FALSE(c.events()[e].documents.empty());  // a live event, not a retired shell
    most_active = std::max(most_active, c.active_events());
  }
  // 100 days of documents, at most ~13 days held: the slots are reused, not grown per day.
  EXPECT_LT(c.events().size(), 2 * most_active + 1);
  EXPECT_LE(most_active, 13u * 30u);
}

TEST(EventClusterer, RetiringMatchesAClustererThatNeverSawTheOldEvents) {
  // After retiring everything before day D, clustering documents from D + window on gives the
  // same partition as a clusterer that kept every event (old ones are out of the window anyway).
  const auto docs = testing::event_stream(1200, 40, 5);
  // Terms are not forgotten here: a forgotten term's document frequency would restart at 0.
  EventClusterer kept, retiring;
  std::vector<std::string> a;
  std::vector<std::size_t> b;
  std::map<std::size_t, std::size_t> generation;  // a reused slot is a new event
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> numbering;
  std::size_t retired = 0;
  for (const EventFeatures& f : docs) {
    const long day = days_from_civil(*f.published);
    for (std::size_t e : retiring.retire_before(day - 2 * ClusterOptions{}.window_days)) {
      ++generation[e];
      ++retired;
    }
    a.push_back(std::to_string(kept.add(f)));
    const std::size_t slot = retiring.add(f);
    b.push_back(numbering.emplace(std::make_pair(slot, generation[slot]), numbering.size()).first->second);
  }
  EXPECT_GE(retired, 20u);
  EXPECT_LT(retiring.active_events(), kept.active_events());
  const BCubed same = bcubed(a, b);
  EXPECT_DOUBLE_EQ(same.f1, 1.0);
}

TEST(EventClusterer, UnsavedFrequenciesAreTakenOnceAndKeepTheirTermsUntilThen) {
  EventClusterer c;
  (void)c.add(features("2024-05-02", {"حريق", "مستودع"}));
  (void)c.add(features("2024-05-02", {"حريق", "عمال"}));
  const std::vector<std::pair<std::string, int>> first = c.take_unsaved_frequencies();
  EXPECT_EQ(first, (std::vector<std::pair<std::string, int>>{{"حريق", 2}, {"عمال", 1}, {"مستودع", 1}}));
  EXPECT_TRUE(c.take_unsaved_frequencies().empty());

  // The only event retires; its terms are forgotten except the one still growing unsaved.
  (void)c.add(features("2024-05-02", {"عمال"}));
  c.retire_before(days_from_civil(*parse_iso_date("2024-06-01")), /*forget_terms=*/true);
  EXPECT_FALSE(c.knows_term("حريق"));
  EXPECT_FALSE(c.knows_term("مستودع"));
  EXPECT_TRUE(c.knows_term("عمال"));
  EXPECT_EQ(c.take_unsaved_frequencies(/*forget_terms=*/true), (std::vector<std::pair<std::string, int>>{{"عمال", 1}}));
  EXPECT_FALSE(c.knows_term("عمال"));
}

TEST(EventClusterer, ForgettingManyTermsKeepsEveryOtherTermFindable) {
  // Thousands of terms, so the term table grows and its probe runs collide; then half of them
  // are forgotten (deleted from the table) and every remaining one must still be found.
  auto doc = [](const char* date, char family, int first) {
    EventFeatures f;
    f.published = parse_iso_date(date);
    for (int t = first; t < first + 40; ++t) f.terms[family + std::to_string(t)] += 1;
    return f;
  };
  EventClusterer c;
  for (int d = 0; d < 100; ++d) (void)c.add(doc("2024-05-01", 'a', 40 * d));
  for (int d = 0; d < 100; ++d) (void)c.add(doc("2024-06-20", 'b', 40 * d));
  (void)c.take_unsaved_frequencies();
  c.retire_before(days_from_civil(*parse_iso_date("2024-06-01")), /*forget_terms=*/true);
  for (int t = 0; t < 4000; ++t) {
    ASSERT_FALSE(c.knows_term('a' + std::to_string(t))) << t;
    ASSERT_TRUE(c.knows_term('b' + std::to_string(t))) << t;
  }
  // Forgotten slots are reused without losing the terms already held.
  for (int d = 0; d < 100; ++d) (void)c.add(doc("2024-06-21", 'a', 40 * d));
  for (int t = 0; t < 4000; ++t) {
    ASSERT_TRUE(c.knows_term('a' + std::to_string(t))) << t;
    ASSERT_TRUE(c.knows_term('b' + std::to_string(t))) << t;
  }
}

TEST(EventClusterer, UnknownTermsTakeTheirFrequencyFromTheCaller) {
  // Two clusterers see the same document; one is told "حريق" already has a df of 50, which
  // lowers that term's idf, so the document's vector differs: visible in the event's similarity.
  EventClusterer told, blind;
  std::vector<std::string> asked;
  const EventFeatures f = features("2024-05-02", {"حريق", "مستودع"});
  (void)told.add(f, [&](const std::string& term) {
    asked.push_back(term);
    return term == "حريق" ? 50 : 0;
  });
  (void)blind.add(f);
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(asked, (std::vector<std::string>{"حريق", "مستودع"}));
  const EventFeatures probe = features("2024-05-02", {"حريق"});
  EXPECT_NE(told.similarity(probe, told.snapshot(0)), blind.similarity(probe, blind.snapshot(0)));
  // Known terms are not asked for again.
  asked.clear();
  (void)told.add(f, [&](const std::string& term) {
    asked.push_back(term);
    return 0;
  });
  EXPECT_TRUE(asked.empty());
}

}  // namespace
}  // namespace isnad
