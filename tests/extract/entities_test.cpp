// keep_name_initial_letters on hand-made tagger output: each row gives a text and the PER
// mentions the tagger would report (as substrings, clitic letters already taken off), and the
// mentions expected after the rule. Invented names; no model needed.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "isnad/entities.h"
#include "isnad/normalize.h"

namespace isnad {
namespace {

struct Row {
  const char* name;
  const char* text;
  std::vector<const char*> tagged;    // PER mentions in text order, each found after the previous
  std::vector<const char*> expected;  // the same after the rule
};

// Spans of `names` found in order in `text`; a name is found at a word's end (after any clitic).
std::vector<EntityMention> mentions_of(std::string_view text, const std::vector<const char*>& names) {
  std::vector<EntityMention> out;
  std::size_t from = 0;
  for (const char* n : names) {
    const std::size_t at = text.find(n, from);
    EXPECT_NE(at, std::string_view::npos) << n;
    if (at == std::string_view::npos) break;
    from = at + std::string_view(n).size();
    out.push_back({Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(from)}, EntityType::kPer, {}});
  }
  return out;
}

TEST(KeepNameInitialLetters, Table) {
  const Row rows[] = {
      {"surname_with_ba_after_given_name_and_alone",
       "وقال المدير ماركوس بلانكيت إن العمل توقف. وأضاف بلانكيت أن التحقيق بدأ.",
       {"ماركوس", "لانكيت", "لانكيت"},
       {"ماركوس بلانكيت", "بلانكيت"}},
      {"surname_with_lam",
       "قالت الخبيرة كلوديا لوفيت إن المياه ملوثة. وتابعت لوفيت أن العينات أرسلت.",
       {"كلوديا", "وفيت", "وفيت"},
       {"كلوديا لوفيت", "لوفيت"}},
      {"surname_with_fa_behind_a_conjunction_alone",
       "صرح الطبيب إدغار فيلدمان للصحفيين. وفيلدمان يعمل هنا منذ عامين.",
       {"إدغار", "يلدمان", "يلدمان"},
       {"إدغار فيلدمان", "فيلدمان"}},
      // The name is written without the letter elsewhere: the letter is a preposition.
      {"bare_name_elsewhere",
       "اتصل الوزير سامر بتيرنر أمس. وقال تيرنر إن الاتصال كان وديا. ورحب بتيرنر الجميع.",
       {"سامر", "تيرنر", "تيرنر", "تيرنر"},
       {"سامر", "تيرنر", "تيرنر", "تيرنر"}},
      // و between two names is "and", even with the evidence a name's own letter would have.
      {"conjunction_is_not_a_name_letter",
       "التقى الوزيران سامر وهيلموت في العاصمة. وقال الحاضرون إن سامر وهيلموت اتفقا. وهيلموت يزور البلاد.",
       {"سامر", "هيلموت", "سامر", "هيلموت", "هيلموت"},
       {"سامر", "هيلموت", "سامر", "هيلموت", "هيلموت"}},
      // A full name after the letter: the letter is a preposition, not the start of a surname.
      {"full_name_after_the_letter",
       "اتصل الوزير سامر بكارل يونغ أمس، ثم أشاد الوزير بكارل يونغ في بيان.",
       {"سامر", "كارل يونغ", "كارل يونغ"},
       {"سامر", "كارل يونغ", "كارل يونغ"}},
      // Once is no evidence: the letter may be the preposition of a verb.
      {"one_occurrence",
       "اتصل الرئيس سامر بكارلسون صباح اليوم.",
       {"سامر", "كارلسون"},
       {"سامر", "كارلسون"}},
      // Alone, but never after a given name: kept as it is, nothing to join.
      {"never_after_a_name",
       "رحب الحضور بكارلسون في الافتتاح، ثم أشادوا بكارلسون مرة أخرى.",
       {"كارلسون", "كارلسون"},
       {"كارلسون", "كارلسون"}},
      // ل before ل is "to the": للهاشمي is ل + الهاشمي, whatever the tagger took off.
      {"lam_before_a_contracted_article",
       "أبلغ الوزير سامر للهاشمي رسالة. ونقل الوفد للهاشمي موقف الحكومة.",
       {"سامر", "لهاشمي", "لهاشمي"},
       {"سامر", "لهاشمي", "لهاشمي"}},
      // A name does not run across a line break.
      {"line_break_between",
       "المدير ماركوس\nبلانكيت يقول إن العمل توقف. وأضاف بلانكيت أن التحقيق بدأ. وقال ماركوس بلانكيت ذلك.",
       {"ماركوس", "لانكيت", "لانكيت", "ماركوس", "لانكيت"},
       {"ماركوس", "بلانكيت", "بلانكيت", "ماركوس بلانكيت"}},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    std::vector<EntityMention> m = mentions_of(r.text, r.tagged);
    keep_name_initial_letters(r.text, m);
    std::vector<std::string> got;
    for (const EntityMention& e : m) got.emplace_back(e.span.of(r.text));
    EXPECT_EQ(got, std::vector<std::string>(r.expected.begin(), r.expected.end()));
  }
}

TEST(KeepNameInitialLetters, UntaggedSurnameAfterTheGivenNameJoinsIt) {
  const std::string text = "قال مدير التحرير ماركوس بلانكيت إن الصحيفة ستطعن. وقال بلانكيت إن الحكم متوقع.";
  const auto given = static_cast<std::uint32_t>(text.find("ماركوس"));
  const auto alone = static_cast<std::uint32_t>(text.rfind("لانكيت"));
  std::vector<EntityMention> m = {{Span{given, given + 12}, EntityType::kPer, {}},
                                  {Span{alone, alone + 12}, EntityType::kPer, {}}};
  keep_name_initial_letters(text, m);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].span.of(text), "ماركوس بلانكيت");
  EXPECT_EQ(m[1].span.of(text), "بلانكيت");
}

TEST(KeepNameInitialLetters, OtherTypesAndRolesAreKept) {
  const std::string text = "قال الوزير ماركوس بلانكيت في مدينة بلانكيت إن بلانكيت سيعود.";
  std::vector<EntityMention> m = mentions_of(text, {"ماركوس", "لانكيت", "لانكيت", "لانكيت"});
  m[0].role = Span{7, 19};  // "الوزير"
  m[2].type = EntityType::kGpe;
  keep_name_initial_letters(text, m);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].span.of(text), "ماركوس بلانكيت");
  EXPECT_EQ(m[0].role, (Span{7, 19}));
  EXPECT_EQ(m[1].type, EntityType::kGpe);
  EXPECT_EQ(m[1].span.of(text), "لانكيت");
  EXPECT_EQ(m[2].span.of(text), "بلانكيت");
}

// complete_place_names: hand-made tagger output, each mention "TYPE:words" found in text order.
struct PlaceRow {
  const char* name;
  const char* text;
  std::vector<const char*> tagged;
  std::vector<const char*> expected;
};

std::vector<EntityMention> typed_mentions_of(std::string_view text, const std::vector<const char*>& tagged) {
  std::vector<EntityMention> out;
  std::size_t from = 0;
  for (const char* t : tagged) {
    const std::string_view s(t);
    const std::size_t colon = s.find(':');
    const std::string_view type = s.substr(0, colon), words = s.substr(colon + 1);
    const std::size_t at = text.find(words, from);
    EXPECT_NE(at, std::string_view::npos) << words;
    if (at == std::string_view::npos) break;
    from = at + words.size();
    const EntityType ty = type == "PER" ? EntityType::kPer : type == "GPE" ? EntityType::kGpe
                        : type == "LOC" ? EntityType::kLoc : type == "MISC" ? EntityType::kMisc : EntityType::kOrg;
    out.push_back({Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(from)}, ty, {}});
  }
  return out;
}

TEST(CompletePlaceNames, Table) {
  const PlaceRow rows[] = {
      // The dateline's first word missed, the rest read as a person.
      {"dateline_cut",
       "غرق قارب قرب وادي السنابل\n\nوادي السنابل (وكالة الأنباء) - قال الصيادون إن وادي السنابل هادئ.",
       {"LOC:وادي السنابل", "PER:السنابل", "ORG:وكالة الأنباء", "LOC:وادي السنابل"},
       {"LOC:وادي السنابل", "LOC:وادي السنابل", "ORG:وكالة الأنباء", "LOC:وادي السنابل"}},
      // The same words, a place twice and a person once.
      {"same_words_mostly_a_place",
       "وصل الوفد إلى تل الزيتون صباحا. وفي تل الزيتون التقى الأهالي. وغادر تل الزيتون مساء.",
       {"GPE:تل الزيتون", "GPE:تل الزيتون", "PER:تل الزيتون"},
       {"GPE:تل الزيتون", "GPE:تل الزيتون", "GPE:تل الزيتون"}},
      {"same_words_mostly_a_person",
       "قال سالم الحمود إن الحمود لن يترشح. وزار سالم الحمود بلدة سالم الحمود.",
       {"PER:سالم الحمود", "PER:سالم الحمود", "GPE:سالم الحمود"},
       {"PER:سالم الحمود", "PER:سالم الحمود", "GPE:سالم الحمود"}},
      {"lineage_is_a_person",
       "قال ابو سامر إن ابو سامر عاد. وزار ابو سامر المكان.",
       {"GPE:ابو سامر", "GPE:ابو سامر", "PER:ابو سامر"},
       {"GPE:ابو سامر", "GPE:ابو سامر", "PER:ابو سامر"}},
      // The place's first word belongs to another mention, or to a longer word.
      {"head_held_by_another_mention",
       "زار الوزير جمعية وادي السنابل ثم غادر وادي السنابل.",
       {"ORG:جمعية وادي", "PER:السنابل", "LOC:وادي السنابل"},
       {"ORG:جمعية وادي", "PER:السنابل", "LOC:وادي السنابل"}},
      {"head_inside_a_word",
       "مر الموكب بوادي السنابل ثم وصل إلى وادي السنابل.",
       {"PER:السنابل", "LOC:وادي السنابل"},
       {"PER:السنابل", "LOC:وادي السنابل"}},
  };
  auto type_name = [](EntityType t) { return std::string(to_string(t)); };
  for (const PlaceRow& r : rows) {
    SCOPED_TRACE(r.name);
    std::vector<EntityMention> m = typed_mentions_of(r.text, r.tagged);
    complete_place_names(r.text, m);
    std::vector<std::string> got;
    for (const EntityMention& e : m) got.push_back(type_name(e.type) + ":" + std::string(e.span.of(r.text)));
    EXPECT_EQ(got, std::vector<std::string>(r.expected.begin(), r.expected.end()));
  }
}

TEST(CompletePlaceNames, APersonWithARoleIsKept) {
  // Without the role, the dateline's السنابل would become the place (row dateline_cut).
  const std::string text = "غرق قارب قرب وادي السنابل\n\nوادي السنابل (وكالة الأنباء) - قال الصيادون ذلك.";
  std::vector<EntityMention> m = typed_mentions_of(text, {"LOC:وادي السنابل", "PER:السنابل"});
  m[1].role = Span{0, 6};
  complete_place_names(text, m);
  EXPECT_EQ(m[1].type, EntityType::kPer);
}

// separate_dates_from_names: the dates are find_dates' own (reference 2024-05-16, a Thursday),
// the entities hand-made tagger output as above.
TEST(SeparateDatesFromNames, Table) {
  struct DateRow {
    const char* name;
    const char* text;
    std::vector<const char*> tagged;
    std::vector<const char*> entities;  // expected, "TYPE:words"
    std::vector<const char*> dates;     // expected, the words of each date
  };
  const DateRow rows[] = {
      {"family_name_not_a_date", "وقال محمد الخميس مدير الشركة إن الأرباح ارتفعت",
       {"PER:محمد الخميس"}, {"PER:محمد الخميس"}, {}},
      {"time_of_day_not_a_person", "وصل الوفد صباح الجمعة إلى المدينة",
       {"PER:صباح الجمعة"}, {}, {"صباح الجمعة"}},
      {"month_gloss_not_misc", "أعلن المجلس في 2 أبريل (نيسان) 2023 عن خطة",
       {"MISC:نيسان"}, {}, {"2 أبريل (نيسان) 2023"}},
      {"name_runs_into_a_date", "وصل وفد نجران صباح غد إلى الرياض",
       {"ORG:نجران صباح", "GPE:الرياض"}, {"ORG:نجران", "GPE:الرياض"}, {"صباح غد"}},
      {"apart_both_kept", "قال زهوان العطار أمس إن الطريق مغلق",
       {"PER:زهوان العطار"}, {"PER:زهوان العطار"}, {"أمس"}},
  };
  for (const DateRow& r : rows) {
    SCOPED_TRACE(r.name);
    const std::string text = normalize_string(r.text);
    std::vector<std::string> tagged_norm;
    for (const char* t : r.tagged) tagged_norm.push_back(normalize_string(t));
    std::vector<const char*> tagged;
    for (const std::string& t : tagged_norm) tagged.push_back(t.c_str());
    std::vector<EntityMention> m = typed_mentions_of(text, tagged);
    std::vector<DateMention> d = find_dates(text, parse_iso_date("2024-05-16"));
    separate_dates_from_names(text, d, m);
    std::vector<std::string> got_entities, got_dates, want_entities, want_dates;
    for (const EntityMention& e : m) got_entities.push_back(std::string(to_string(e.type)) + ":" + std::string(e.span.of(text)));
    for (const DateMention& x : d) got_dates.emplace_back(x.span.of(text));
    for (const char* e : r.entities) want_entities.push_back(normalize_string(e));
    for (const char* x : r.dates) want_dates.push_back(normalize_string(x));
    EXPECT_EQ(got_entities, want_entities);
    EXPECT_EQ(got_dates, want_dates);
  }
}

}  // namespace
}  // namespace isnad
