#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"
#include "extract/claim_lexicon.h"
#include "extract/claim_test_support.h"
#include "isnad/analyze.h"
#include "isnad/claims.h"
#include "isnad/dates.h"
#include "isnad/normalize.h"
#include "isnad/numbers.h"
#include "isnad/sentences.h"

namespace isnad {
namespace {

// One claim as a short string: type[=value][~qualifier][!rev][#hint], statements with (actor>target).
std::string describe(const Claim& c, std::string_view text) {
  std::string s(to_string(c.type));
  if (c.value) s += "=" + std::to_string(static_cast<long long>(*c.value));
  if (c.qualifier != Qualifier::kExact) s += "~" + std::string(to_string(c.qualifier));
  if (c.revision) s += "!rev";
  if (!c.event_hint.empty()) s += "#" + c.event_hint;
  if (!is_figure(c.type)) s += "(" + std::string(c.actor.of(text)) + ">" + std::string(c.target.of(text)) + ")";
  return s;
}

std::string describe_all(std::string_view original, int year = 2024) {
  const std::string t = normalize_string(original);
  std::string out;
  for (const Claim& c : test::claims_simple(t, year)) {
    if (!out.empty()) out += " | ";
    out += describe(c, t);
  }
  return out;
}

struct Row {
  const char* name;
  const char* text;
  const char* expected;  // normalized spelling in actor/target/hints
};

// Golden table: one row per case. Texts are our own; places and people are invented.
const Row kRows[] = {
    // number after the trigger, before it, and both figures of one sentence
    {"killed_noun_after", "قُتل 12 شخصاً في الانفجار.", "killed=12"},
    {"killed_count_noun", "خلّف الهجوم 12 قتيلاً.", "killed=12"},
    {"two_figures", "أسفر الهجوم عن مقتل 12 شخصاً وإصابة 30 آخرين.", "killed=12 | injured=30"},
    {"two_count_nouns", "وسقط في الهجوم 8 قتلى و25 جريحاً.", "killed=8 | injured=25"},
    {"toll_noun_before", "وبلغت حصيلة القتلى 12 حتى مساء الأحد.", "killed=12"},
    {"verb_after_noun", "وقال الدفاع المدني إن 9 أشخاص لقوا حتفهم.", "killed=9"},
    {"verb_after_count", "وأكدت الشرطة أن 4 أشخاص أصيبوا بجروح طفيفة.", "injured=4"},
    {"active_verb_object", "وقتل المسلحون 7 مدنيين قبل أن يفروا.", "killed=7"},
    {"injured_passive", "وأصيب 15 شرطياً خلال المواجهات.", "injured=15"},
    {"arrested_police", "واعتقلت الشرطة 11 شخصاً للاشتباه في تورطهم.", "arrested=11"},
    {"arrested_qabd", "وألقت قوات الأمن القبض على 3 مشتبهين.", "arrested=3"},
    {"arrested_mawqufin", "وارتفع عدد الموقوفين إلى 6.", "arrested=6!rev"},
    {"missing_adad", "ولا يزال 5 أشخاص في عداد المفقودين.", "missing=5"},
    {"missing_count", "وتحدثت فرق الإنقاذ عن 20 مفقوداً تحت الأنقاض.", "missing=20"},
    // hedges come from the number
    {"hedge_at_least_before", "قُتل ما لا يقل عن 40 شخصاً.", "killed=40~at_least"},
    {"hedge_at_least_after", "وأسفر القصف عن مقتل 40 شخصاً على الأقل.", "killed=40~at_least"},
    {"hedge_about", "وأصيب نحو 60 شخصاً.", "injured=60~about"},
    {"hedge_more_than", "واعتُقل أكثر من 200 متظاهر.", "arrested=200~more_than"},
    {"vague_tens", "وأصيب عشرات المدنيين بحالات اختناق.", "injured=10~vague"},
    // revisions
    {"revision_toll", "وارتفعت حصيلة القتلى إلى 137 بحسب وزارة الصحة.", "killed=137!rev"},
    {"revision_injured_second", "وارتفع عدد القتلى إلى 20 والجرحى إلى 41.", "killed=20!rev | injured=41!rev"},
    {"no_revision_plain", "وبلغ عدد الجرحى 41.", "injured=41"},
    // attackers
    {"attackers_count", "وقتلت القوات الخاصة 4 مسلحين.", "attackers_killed=4"},
    {"attackers_min", "وقُتل 3 من المهاجمين في تبادل لإطلاق النار.", "attackers_killed=3"},
    {"attackers_definite_number", "وأعلن الجيش مقتل المهاجمين الأربعة.", "attackers_killed=4"},
    {"attackers_no_number", "وأكدت السلطات مقتل المسلحين بعد حصار دام ساعات.", "attackers_killed"},
    {"arrest_of_attackers_is_arrest", "وتمكنت الشرطة من اعتقال المهاجمين الثلاثة.", "arrested=3"},
    // duals and singular people
    {"dual_count_noun", "وأسفر الانفجار عن سقوط قتيلين.", "killed=2"},
    {"dual_after_trigger", "وأدى الحريق إلى مقتل شخصين.", "killed=2"},
    {"singular_after_trigger", "وأعلنت الشرطة مقتل شرطي في الاشتباك.", "killed=1"},
    // numbers that are not counts of people
    {"age_not_count", "وقُتل المشتبه به الذي يبلغ من العمر 30 عاماً.", ""},
    {"duration_not_count", "واعتُقل الرجل بعد مطاردة استمرت خلال 20 ساعة.", ""},
    {"money_not_count", "وقُدرت خسائر الهجوم بنحو 30 مليون دولار.", ""},
    {"percent_not_count", "وأصيب الاقتصاد بتراجع نسبته 12 %.", ""},
    {"year_not_count", "ولم يُقتل أحد في الحادث الذي وقع عام 2019 في سوق المدينة.", ""},
    {"subset_not_figure", "وقُتل 12 شخصاً بينهم 3 أطفال.", "killed=12"},
    {"no_trigger_no_claim", "وحضر 500 شخص حفل التأبين.", ""},
    {"time_not_count", "وانفجرت العبوة في الساعة 8 صباحاً.", ""},
    // statements
    {"responsibility_classic", "وأعلن تنظيم الفجر الأسود مسؤوليته عن الهجوم.",
     "responsibility(تنظيم الفجر الاسود>الهجوم)"},
    {"responsibility_adopt", "وتبنّت جماعة الرايات الهجوم في بيان.", "responsibility(جماعه الرايات>الهجوم)"},
    {"responsibility_negated", "ولم تعلن أي جهة مسؤوليتها عن التفجير حتى الآن.", ""},
    {"accusation_two_names", "واتهمت حكومة بلدافيا سوران بالوقوف وراء الهجوم.",
     "accusation(حكومه بلدافيا>سوران)"},
    {"accusation_definite_target", "واتهمت موسكو الحكومة الأوكرانية بتدبير الهجوم.",
     "accusation(موسكو>الحكومه الاوكرانيه)"},
    {"accusation_pluperfect_subject", "وكانت الحكومة قد اتهمت المعارضة بالتحريض.",
     "accusation(الحكومه>المعارضه)"},
    {"accusation_blame", "وألقى الرئيس باللوم على أجهزة الاستخبارات.",
     "accusation(الرئيس>اجهزه الاستخبارات)"},
    {"accusation_hammala", "وحمّلت الحكومة المعارضة المسؤولية عن الفوضى.", "accusation(الحكومه>المعارضه)"},
    {"denial", "ونفت حركة النهضة أي علاقة لها بالهجوم.", "denial(حركه النهضه>اي علاقه لها بالهجوم)"},
    {"denial_negated", "ولا تنفي الوزارة صحة التقارير.", ""},
    {"denial_medium_skipped", "ونفت شركة الأفق للنقل في بيان أن تكون الحافلة قديمة.",
     "denial(شركه الافق للنقل>ان تكون الحافله قديمه)"},
    {"warning", "وحذرت السفارة من هجمات جديدة في العاصمة.", "warning(السفاره>هجمات جديده في العاصمه)"},
    {"warning_in_statement", "وحذر وزير الداخلية في بيان من تكرار الهجوم.", "warning(وزير الداخليه>تكرار الهجوم)"},
    {"revision_long_noun_phrase", "وارتفع عدد قتلى انهيار السد القديم في وادي الحجارة شمال البلاد إلى 33.",
     "killed=33!rev"},
    {"dual_after_subject", "واعتقلت الشرطة رجلين في موقع الحادث.", "arrested=2"},
    {"singular_after_preposition", "وألقت الشرطة القبض على شخص يشتبه في تورطه.", "arrested=1"},
    {"accusation_masdar_charge", "واتهم الوزير عصابات محلية بإطلاق النار.", "accusation(الوزير>عصابات محليه)"},
    {"statement_inherits_actor", "ونفت الشرطة استخدام القوة، واتهمت مخربين بالتحريض.",
     "denial(الشرطه>استخدام القوه) | accusation(الشرطه>مخربين)"},
    {"verb_hedge_exceeds", "وتجاوز عدد الجرحى 90 بحلول المساء.", "injured=90~more_than"},
    {"verb_hedge_negated", "وقالت مصادر إن عدد القتلى لا يتجاوز 7.", "killed=7~at_most"},
    {"range_of_ages", "وتتراوح أعمار الموقوفين بين 19 و35 عاماً.", ""},
    {"arrest_qabd_not_blame", "وألقت الشرطة القبض على 2 من المشتبه بهم.", "arrested=2"},
    // The people after بعد explain the revision: inside the new total, not a figure (nor injured).
    {"revision_increment_not_a_figure", "وارتفعت حصيلة القتلى إلى 15، بعد وفاة ثلاثة مصابين متأثرين بجروحهم.",
     "killed=15!rev"},
    {"that_clause_ends_left_window", "وقالت إن 50 عاملا أصيبوا، وإن ثلاثة عمال على الأقل ما زالوا مفقودين.",
     "injured=50 | missing=3~at_least"},
    {"conjoined_verb_ends_right_window", "وخطف مسلحون سبعة عمال وقتلوا حارسين.", "killed=2"},
    // Parts of people counted elsewhere are not figures of their own.
    {"partitive_of_the_wounded", "وتوفي اثنان من الجرحى في المستشفى صباح اليوم.", ""},
    {"part_of_them", "وأصيب 30 شخصا، حالة أربعة منهم حرجة.", "injured=30"},
    {"partitive_group_relative", "وشيّع الأهالي ثلاثة من رجال الإطفاء الذين قتلوا في الحريق.", ""},
    {"definite_group_relative", "وكانت الجدة ترعى الأطفال الأربعة الذين توفوا في الحادث.", ""},
    {"one_house_is_not_a_count", "ولقي خمسة أشخاص من بيت واحد حتفهم في الحريق.", "killed=5"},
    // Statements: a subject before the verb, a verb that continues the subject, whoever.
    {"subject_after_anna", "غير أن وزارة الدفاع اتهمت جماعة الرمال بتنفيذ الهجوم.", "accusation(وزاره الدفاع>جماعه الرمال)"},
    {"verb_continues_subject", "ونفت الجماعة أي صلة لها بالهجوم، واتهمت الحكومة بـ\"الكذب\".",
     "denial(الجماعه>اي صله لها بالهجوم) | accusation(الجماعه>الحكومه)"},
    {"whoever_denies", "ولا يهم من يتبنى ومن ينفي.", ""},
    {"revision_increment_person", "وارتفع عدد قتلى الانهيار إلى 9، بعد وفاة رجل متأثرا بجروحه.", "killed=9!rev"},
    {"revision_increment_dual", "وارتفع عدد قتلى الانهيار إلى 9 بعد انتشال جثتين من تحت الركام.", "killed=9!rev"},
    // Bodies recovered in one step of a search: a lower bound, beside a toll too (the bodies may be
    // of another group than the toll counts).
    {"recovered_bodies_alone", "وانتشلت فرق الإنقاذ 12 جثة من تحت أنقاض العمارة.", "killed=12~at_least"},
    {"recovered_bodies_verb_after", "وقال الضابط إن 4 جثث انتشلت فجر اليوم من النهر.", "killed=4~at_least"},
    {"recovered_dual", "وعثرت الشرطة على جثتين قرب الطريق الصحراوي.", "killed=2~at_least"},
    {"recovered_beside_toll", "لقي 16 شخصا حتفهم في الانهيار. وقال المسعفون إن 5 جثث انتشلت صباح اليوم.",
     "killed=16 | killed=5~at_least"},
    {"bodies_without_recovery", "وشيع الأهالي 5 جثامين إلى المقبرة.", "killed=5"},
};

class ClaimsGolden : public ::testing::TestWithParam<Row> {};

TEST_P(ClaimsGolden, Matches) {
  const Row& row = GetParam();
  EXPECT_EQ(describe_all(row.text), normalize_string(row.expected)) << row.text;
}

INSTANTIATE_TEST_SUITE_P(Rows, ClaimsGolden, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& p) { return std::string(p.param.name); });

// Event hints: texts that mix the current event with earlier ones.
const Row kEventRows[] = {
    {"similar_attack_year", "وكان هجوم مماثل في عام 2015 قد أسفر عن مقتل 130 شخصاً.", "killed=130#2015"},
    {"past_year_before", "وفي عام 2016، قُتل 86 شخصاً في هجوم بشاحنة.", "killed=86#2016"},
    {"past_year_after_same_clause", "وقُتل 52 شخصاً في تفجيرات قطارات العاصمة عام 2005.", "killed=52#2005"},
    {"deadliest_since_current", "وقُتل 60 شخصاً في الهجوم الأكثر دموية منذ عام 2004.", "killed=60"},
    {"deadliest_since_other",
     "وهو الهجوم الأكثر دموية منذ حصار المدرسة عام 2004 الذي قُتل فيه أكثر من 330 شخصاً.",
     "killed=330~more_than#2004"},
    {"like_attack", "على غرار هجوم مسرح الأوبرا الذي خلّف 40 قتيلاً.", "killed=40#هجوم مسرح الاوبرا"},
    {"previous_incident", "وفي حادثة سابقة، أصيب 14 شخصاً في انفجار مماثل.", "injured=14#other"},
    {"last_year", "وكان العام الماضي قد شهد مقتل 9 أشخاص في هجوم على سوق.", "killed=9#2023"},
    {"another_attack", "وفي هجوم آخر، قُتل جنديان في الجنوب.", "killed=2#other"},
    {"current_year_is_current", "وقُتل 12 شخصاً في 22 مارس 2024.", "killed=12"},
    {"earlier_today_is_current", "وكانت الشرطة قد أعلنت في وقت سابق مقتل 12 شخصاً.", "killed=12"},
    {"pluperfect_recap_is_current", "وكان الهجوم قد أسفر عن مقتل 12 شخصاً.", "killed=12"},
    {"since_attack_is_current", "ومنذ الهجوم، اعتقلت الشرطة 11 شخصاً.", "arrested=11"},
    {"latest_toll_is_current", "وبحسب آخر حصيلة، ارتفع عدد القتلى إلى 140.", "killed=140!rev"},
    {"mixed_sentences",
     "قُتل 20 شخصاً في تفجير بسوق المدينة. وكان هجوم مماثل عام 2017 قد أودى بحياة 35 شخصاً.",
     "killed=20 | killed=35#2017"},
    {"weeks_ago_other", "وكان الهجوم الذي وقع قبل أسبوعين قد أسفر عن مقتل 14 جندياً.", "killed=14#other"},
    {"hours_ago_current", "وأسفر الهجوم الذي وقع قبل ساعات عن مقتل 14 جندياً.", "killed=14"},
    {"anniversary", "وأحيا السكان ذكرى الهجوم الذي قتل فيه 40 شخصاً.", "killed=40#الهجوم"},
    {"responsibility_past", "وكان التنظيم قد أعلن مسؤوليته عن هجوم مماثل عام 2015.",
     "responsibility#2015(التنظيم>هجوم مماثل عام 2015)"},
    // بعد names an earlier incident; its figure sits in a relative clause on it.
    {"weeks_after_other_flood", "وتأتي الأمطار بعد نحو شهرين من سيول نهر العاصي التي أودت بحياة 12 شخصا.",
     "killed=12#سيول نهر العاصي"},
    {"days_after_the_fire_is_current", "وبعد أيام من الحريق الذي أودى بحياة 6 أشخاص، بدأت التحقيقات.", "killed=6"},
    {"hours_after_blast_main_clause_current", "وبعد ساعات من انفجار ضخم هز الميناء، ارتفعت الحصيلة إلى 20 قتيلا.",
     "killed=20!rev"},
    {"third_fire_names_an_earlier_one",
     "وهو ثالث حريق تشهده المدينة هذا الشهر، بعد حريق مخزن الأخشاب الذي قتل فيه 4 عمال.",
     "killed=4#حريق مخزن الاخشاب"},
    {"mourning_after_blast_is_current", "وأعلنت البلدية الحداد بعد انفجار المصنع الذي أودى بحياة 9 أشخاص.", "killed=9"},
    {"last_month", "وكانت العاصفة التي ضربت الساحل الشهر الماضي قد أودت بحياة 5 أشخاص.", "killed=5#الشهر الماضي"},
    {"separate_fire", "وشهدت المدينة قبل أيام حريقا منفصلا أودى بحياة 3 أشخاص.", "killed=3#other"},
    // A year farther after the figure, or past a comma, outside the lead and with nothing before it
    // about the article's own event (a definite incident, a date of the last days).
    {"far_year_past_commas",
     "قتل 20 شخصا في انفجار بالعاصمة. وألهم التنظيم مسلحين في بلدان أخرى، ومنهم الرجل الذي قتل 12 شخصا "
     "داخل ملهى ليلي في مدينة ساحلية، شمال البلاد، في عام 2011.",
     "killed=20 | killed=12#2011"},
    {"far_year_long_clause",
     "قتل 20 شخصا في انفجار بالعاصمة. وتبنى فرع التنظيم في الصحراء هجوما قتل 9 جنود قرب معبر حدودي أثناء "
     "عملية إجلاء واسعة للرعايا الأجانب من العاصمة في مارس 2019.",
     "killed=20 | killed=9#2019"},
    {"far_year_after_definite_incident_is_current",
     "قتل 20 شخصا في انفجار بالعاصمة. وأسفر الانفجار عن مقتل 15 عاملا في المصنع الذي تأسس على أطراف المدينة "
     "الصناعية الجديدة، في عام 1998.",
     "killed=20 | killed=15"},
    {"far_year_in_the_lead_is_current",
     "قتل 15 شخصا في حريق داخل مصنع للنسيج تأسس على أطراف المدينة، في عام 1998.", "killed=15"},
};

class ClaimsEvents : public ::testing::TestWithParam<Row> {};

TEST_P(ClaimsEvents, Hint) {
  const Row& row = GetParam();
  EXPECT_EQ(describe_all(row.text), normalize_string(row.expected)) << row.text;
}

INSTANTIATE_TEST_SUITE_P(Rows, ClaimsEvents, ::testing::ValuesIn(kEventRows),
                         [](const ::testing::TestParamInfo<Row>& p) { return std::string(p.param.name); });

// Dates need the whole pipeline (the simple inputs above find none): a month of this year weeks
// before publication is another event's time; a date of the last days is the article's own.
TEST(Claims, DateWeeksBeforePublicationIsAnotherEvent) {
  const std::string text =
      "قتل 7 أشخاص في انفجار بمصنع للأسمدة. غير أن تفجيرا انتحاريا في فبراير أسفر عن مقتل 27 شخصا في سوق شعبية. "
      "وفي 10 يونيو قتل 4 عمال في حادث داخل المصنع. وأسفر هجوم يوم الأربعاء عن مقتل 6 حراس عند بوابة افتتحت، "
      "بحضور الوزير، في عام 2019.";
  AnalyzeOptions options;
  options.published = CivilDate{2024, 6, 14};
  auto a = analyze(text, options);
  ASSERT_TRUE(a.ok()) << a.error().message;
  std::vector<std::string> got;
  for (const Claim& c : a->claims) {
    if (c.value) got.push_back(std::to_string(static_cast<int>(*c.value)) + (c.event_hint.empty() ? ":own" : ":other"));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"7:own", "27:other", "4:own", "6:own"}));
}

TEST(Claims, WithoutPublicationTheLeadsYearIsCurrent) {
  const std::string t = normalize_string("وقُتل 12 شخصاً عام 2024. وكان هجوم مماثل عام 2015 قد أسفر عن مقتل 30.");
  const auto claims = test::claims_simple(t, 0);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].event_hint, "");
  EXPECT_EQ(claims[1].event_hint, "2015");
}

TEST(Claims, WithoutPublicationAYearOnlyTheBodyNamesIsAnotherEvents) {
  const std::string t = normalize_string(
      "وقُتل 12 شخصاً في هجوم على سوق المدينة. وفي عام 2019 قُتل 30 شخصاً في هجوم بالمنطقة نفسها.");
  const auto claims = test::claims_simple(t, 0);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].event_hint, "");
  EXPECT_EQ(claims[1].event_hint, "2019");
}

TEST(Claims, SourceOfTheSentence) {
  struct SourceRow {
    const char* text;
    const char* source;
  };
  const SourceRow rows[] = {
      {"وقال مسؤولون محليون إن 12 شخصاً قُتلوا.", "مسؤولون محليون"},
      {"وقُتل 12 شخصاً وفقاً للسلطات.", "للسلطات"},
      {"وبحسب وزارة الصحة، أصيب 30 شخصاً.", "وزاره الصحه"},
      {"وأصيب 30 شخصاً، بحسب ما أفادت وكالة الأنباء الرسمية.", "وكاله الانباء الرسميه"},
      {"ونقلت وكالة النجم عن مصدر أمني أن 7 أشخاص اعتقلوا.", "مصدر امني"},
      {"وأصيب 30 شخصاً في الانفجار.", ""},
      {"وأصيب 30 شخصاً، بحسب ما أفادت به مصادر طبية.", "مصادر طبية"},
  };
  for (const SourceRow& r : rows) {
    const std::string t = normalize_string(r.text);
    const auto claims = test::claims_simple(t);
    ASSERT_EQ(claims.size(), 1u) << r.text;
    EXPECT_EQ(claims[0].attributed_to.of(t), normalize_string(r.source)) << r.text;
  }
}

TEST(Claims, SpansCoverTriggerAndFigure) {
  const std::string t = normalize_string("أسفر الهجوم عن مقتل 12 شخصاً وإصابة 30 آخرين.");
  const auto claims = test::claims_simple(t);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].span.of(t), normalize_string("مقتل 12 شخصاً"));
  EXPECT_EQ(claims[1].span.of(t), normalize_string("إصابة 30 آخرين"));
  EXPECT_EQ(claims[0].sentence, (Span{0, static_cast<std::uint32_t>(t.size())}));
}

TEST(Claims, EntitiesRefineActorAndTarget) {
  const std::string t = normalize_string("واتهم الرئيس الكرملي سامر فاضل حكومة مارديا بتدبير الهجوم.");
  const auto name = [&](std::string_view s) {
    const auto pos = static_cast<std::uint32_t>(t.find(normalize_string(s)));
    return Span{pos, pos + static_cast<std::uint32_t>(normalize_string(s).size())};
  };
  const EntityMention entities[] = {{name("سامر فاضل"), EntityType::kPer, name("الرئيس الكرملي")},
                                    {name("مارديا"), EntityType::kGpe, {}}};
  const auto claims = test::claims_simple(t, 2024, entities);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].type, ClaimType::kAccusation);
  EXPECT_EQ(claims[0].actor.of(t), normalize_string("الرئيس الكرملي سامر فاضل"));
  EXPECT_EQ(claims[0].target.of(t), normalize_string("مارديا"));
}

TEST(Claims, EntityPlaceNamesTheOtherEvent) {
  const std::string t = normalize_string("هجوم على سوق في مدينة راسين. وفي حادثة سابقة في بلدة كارو قُتل 5 أشخاص.");
  const auto pos = static_cast<std::uint32_t>(t.find(normalize_string("كارو")));
  const EntityMention entities[] = {{Span{pos, pos + static_cast<std::uint32_t>(normalize_string("كارو").size())},
                                     EntityType::kGpe, {}}};
  const auto claims = test::claims_simple(t, 2024, entities);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].event_hint, normalize_string("كارو"));
}

TEST(Claims, EmptyAndNumberlessInputs) {
  EXPECT_TRUE(find_claims(ClaimInput{"", {}, {}}).empty());
  const std::string t = normalize_string("قُتل 12 شخصاً.");
  EXPECT_TRUE(find_claims(ClaimInput{t, {}, {}}).empty());  // no number mentions given: no figure
}

TEST(Claims, TypeNamesRoundTrip) {
  for (int i = 0; i < kClaimTypeCount; ++i) {
    const auto t = static_cast<ClaimType>(i);
    EXPECT_EQ(claim_type_from_string(to_string(t)), t);
  }
  EXPECT_FALSE(claim_type_from_string("wounded"));
}

TEST(ClaimLexicon, EntriesAreNormalized) {
  for (std::string_view w : claims_internal::lexicon_words()) EXPECT_EQ(normalize_string(w), w) << w;
}

// The real pipeline on the shared seed articles: a hedged death toll must come out as a killed
// figure of the current event, with its hedge.
TEST(ClaimsOnSeeds, HedgedTollIsFound) {
  const std::filesystem::path dir = ISNAD_SHARED_DIR "/seeds";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no seeds";
  int hedged = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto norm = normalize(ss.str());
    ASSERT_TRUE(norm.ok());
    const std::string_view t = norm->text();
    auto sentences = split_sentences(t);
    const auto numbers = find_numbers(t);
    const auto dates = find_dates(t, std::nullopt);
    for (const Claim& c : find_claims(ClaimInput{t, sentences, numbers, dates}))
      if (c.type == ClaimType::kKilled && c.event_hint.empty() && c.qualifier == Qualifier::kAtLeast) ++hedged;
  }
  EXPECT_GE(hedged, 2);
}

// `isnad eval claims` on our annotated set: it must run, score every type it predicts, and stay
// above a floor that catches regressions (the figures themselves are in docs/CLAIMS.md).
TEST(EvalClaims, RunsOnTheAnnotatedSet) {
  const auto run = testing::run_cli({"eval", "claims", ISNAD_TEST_DIR "/data/claims"});
  const std::string& out = run.out;
  ASSERT_EQ(run.exit_code, 0) << out << run.err;
  for (const char* type : {"killed", "injured", "arrested", "missing", "attackers_killed", "responsibility",
                           "accusation", "denial", "warning", "micro"})
    EXPECT_NE(out.find(std::string("\n  ") + type + " "), std::string::npos) << type << "\n" << out;
  const auto micro = out.find("  micro ");
  ASSERT_NE(micro, std::string::npos);
  std::istringstream line(out.substr(micro + 8));
  int gold = 0, predicted = 0, matched = 0;
  double p = 0, r = 0, f1 = 0;
  line >> gold >> predicted >> matched >> p >> r >> f1;
  EXPECT_GE(gold, 90);
  EXPECT_GE(f1, 75.0) << out;
}

TEST(EvalClaims, ReportsBadGoldAndMissingDirectory) {
  const testing::TempDir dir;
  dir.write("a.txt", "قُتل 12 شخصاً.\n");
  dir.write("a.jsonl", std::string(R"({"type":"killed","value":12,"text":"not in the article"})") + "\n" +
                           R"({"type":"slain","value":12,"text":"قُتل 12"})" + "\n");
  const auto bad = testing::run_cli({"eval", "claims", dir.path().string()});
  EXPECT_NE(bad.exit_code, 0);
  const std::string out = bad.out + bad.err;
  EXPECT_NE(out.find("claim text not found"), std::string::npos) << out;
  EXPECT_NE(out.find("unknown claim type"), std::string::npos) << out;
  EXPECT_NE(testing::run_cli({"eval", "claims", (dir / "nowhere").string()}).exit_code, 0);
}

}  // namespace
}  // namespace isnad
