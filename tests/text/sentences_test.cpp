#include "isnad/sentences.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "isnad/chars.h"
#include "isnad/normalize.h"

namespace isnad {
namespace {

std::vector<std::string> sentence_texts(std::string_view text) {
  std::vector<std::string> out;
  for (const Span s : split_sentences(text)) out.emplace_back(s.of(text));
  return out;
}

struct Row {
  const char* name;
  const char* input;  // written as a reporter would; normalized before splitting
  std::vector<const char*> expected;
};

// Golden table: one row per rule of sentences.h. Inputs and expectations both go through
// normalize_string, so rows can be written with ، ؟ أ as in real articles.
const Row kRows[] = {
    // Terminators.
    {"full_stop", "اعلنت الحكومة خطة جديدة للنقل. وقال الوزير إنها تبدأ الشهر المقبل.",
     {"اعلنت الحكومة خطة جديدة للنقل.", "وقال الوزير إنها تبدأ الشهر المقبل."}},
    {"arabic_question_mark", "هل تنجح المفاوضات؟ يرى محللون أن الفرص ضئيلة.",
     {"هل تنجح المفاوضات؟", "يرى محللون أن الفرص ضئيلة."}},
    {"exclamation", "يا له من يوم! احتفل السكان في الشوارع حتى الفجر.",
     {"يا له من يوم!", "احتفل السكان في الشوارع حتى الفجر."}},
    {"question_exclamation_run", "كيف حدث ذلك؟! سأل أحد النواب غاضبا.", {"كيف حدث ذلك؟!", "سأل أحد النواب غاضبا."}},
    {"comma_semicolon_colon_do_not_end", "وصل الوفد، ثم بدأ الاجتماع؛ واستمر ساعتين: بلا نتيجة.",
     {"وصل الوفد، ثم بدأ الاجتماع؛ واستمر ساعتين: بلا نتيجة."}},
    {"no_final_punctuation", "وقال الشهود إن الانفجار كان قويا", {"وقال الشهود إن الانفجار كان قويا"}},
    {"glued_full_stop", "انتهى الاجتماع.وقال المتحدث إن النتائج إيجابية.",
     {"انتهى الاجتماع.", "وقال المتحدث إن النتائج إيجابية."}},
    {"glued_question_mark", "لماذا تأخر الرد؟وأين كانت الفرق؟", {"لماذا تأخر الرد؟", "وأين كانت الفرق؟"}},
    {"glued_after_number", "بلغ عدد المصابين 40.وأكدت المستشفيات استقبالهم.",
     {"بلغ عدد المصابين 40.", "وأكدت المستشفيات استقبالهم."}},
    {"number_ends_sentence", "حل الفريق في المركز 3. وتقدم منافسه إلى الصدارة.",
     {"حل الفريق في المركز 3.", "وتقدم منافسه إلى الصدارة."}},
    {"two_dots_end", "انتهى الأمر.. وبدأت مرحلة جديدة.", {"انتهى الأمر..", "وبدأت مرحلة جديدة."}},
    {"trimmed", "   جملة أولى قصيرة.    جملة ثانية قصيرة   ", {"جملة أولى قصيرة.", "جملة ثانية قصيرة"}},
    {"closing_paren_stays", "(وهو ما نفته الوزارة لاحقا.) وتابع التقرير سرد التفاصيل.",
     {"(وهو ما نفته الوزارة لاحقا.)", "وتابع التقرير سرد التفاصيل."}},

    // Numbers, dates, ellipses.
    {"decimal_number", "بلغت الخسائر 1.5 مليون دولار. وتراجع المؤشر 0.75 نقطة.",
     {"بلغت الخسائر 1.5 مليون دولار.", "وتراجع المؤشر 0.75 نقطة."}},
    {"arabic_decimal_separator", "ارتفع التضخم إلى ٣٫٢ بالمئة. وهو أعلى مستوى منذ عامين.",
     {"ارتفع التضخم إلى 3.2 بالمئة.", "وهو أعلى مستوى منذ عامين."}},
    {"dotted_date", "وقع الحادث في 12.4.2023 مساء. وفتحت الشرطة تحقيقا.",
     {"وقع الحادث في 12.4.2023 مساء.", "وفتحت الشرطة تحقيقا."}},
    {"decimal_at_line_start", "1.5 مليون لاجئ عبروا الحدود منذ الربيع.", {"1.5 مليون لاجئ عبروا الحدود منذ الربيع."}},
    {"ellipsis_is_a_pause", "الحرب... إلى أين تتجه المنطقة؟", {"الحرب... إلى أين تتجه المنطقة؟"}},
    {"ellipsis_character", "انتظر الجميع… ثم جاء الرد متأخرا.", {"انتظر الجميع… ثم جاء الرد متأخرا."}},
    {"ellipsis_then_question", "ماذا بعد...؟ لا أحد يملك الجواب.", {"ماذا بعد...؟", "لا أحد يملك الجواب."}},

    // Abbreviations.
    {"arabic_doctor", "قال د. خالد منصور إن الوضع مستقر.", {"قال د. خالد منصور إن الوضع مستقر."}},
    {"arabic_doctor_glued", "وأوضح د.خالد منصور أن الفحوص سلبية.", {"وأوضح د.خالد منصور أن الفحوص سلبية."}},
    {"chained_professor_doctor", "وشارك أ.د. سمير حداد في الندوة العلمية.", {"وشارك أ.د. سمير حداد في الندوة العلمية."}},
    {"page_and_part", "ورد ذلك في ج. 2 ص. 45 من التقرير السنوي.", {"ورد ذلك في ج. 2 ص. 45 من التقرير السنوي."}},
    {"arabic_initial", "التقى الوزير بالسيد ع. الحسيني أمس في مكتبه.", {"التقى الوزير بالسيد ع. الحسيني أمس في مكتبه."}},
    {"era_after_year_ends", "بني الجسر عام 1990 م. وما زال قائما حتى اليوم.",
     {"بني الجسر عام 1990 م.", "وما زال قائما حتى اليوم."}},
    {"glued_era_after_year_ends", "بني الجسر عام 1990م. وما زال قائما.", {"بني الجسر عام 1990م.", "وما زال قائما."}},
    {"hijri_after_year_ends", "توفي الشاعر سنة 1420 هـ. ودفن في مسقط رأسه.",
     {"توفي الشاعر سنة 1420 هـ.", "ودفن في مسقط رأسه."}},
    {"meem_without_year_is_abbrev", "وأشرف م. رامي يوسف على التنفيذ.", {"وأشرف م. رامي يوسف على التنفيذ."}},
    {"latin_titles", "التقى Dr. Smith بممثلي Mr. Jones في الفندق.", {"التقى Dr. Smith بممثلي Mr. Jones في الفندق."}},
    {"latin_initials", "أرسلت U.S. Army تعزيزات إضافية. ورفض البنتاغون التعليق.",
     {"أرسلت U.S. Army تعزيزات إضافية.", "ورفض البنتاغون التعليق."}},
    {"latin_initial_before_name", "قال J. Smith إن الخطة جاهزة.", {"قال J. Smith إن الخطة جاهزة."}},
    {"latin_letter_before_arabic_ends", "وكتب في منشور على X. وأضاف أن الرد قادم.",
     {"وكتب في منشور على X.", "وأضاف أن الرد قادم."}},
    {"latin_lowercase_next", "The talks ended, etc. and then resumed.", {"The talks ended, etc. and then resumed."}},
    {"latin_word_ends", "وذكرت وكالة Reuters. وأضافت أن الاتصالات مستمرة.",
     {"وذكرت وكالة Reuters.", "وأضافت أن الاتصالات مستمرة."}},
    {"multi_letter_arabic_ends", "وانتهت المباراة بالتعادل. وغادر الجمهور.", {"وانتهت المباراة بالتعادل.", "وغادر الجمهور."}},

    // URLs and e-mail.
    {"url_with_query", "التفاصيل على الموقع https://example.org/ar/news?id=5. وتابع البيان سرد الأرقام.",
     {"التفاصيل على الموقع https://example.org/ar/news?id=5.", "وتابع البيان سرد الأرقام."}},
    {"url_with_arabic_path", "نشر الرابط https://example.org/الأخبار.العاجلة على المنصة.",
     {"نشر الرابط https://example.org/الاخبار.العاجله على المنصة."}},
    {"www_url", "راجعوا www.example.com للاطلاع على البيان.", {"راجعوا www.example.com للاطلاع على البيان."}},
    {"email", "راسلوا المكتب على info@example.org. وسيرد الفريق خلال يومين.",
     {"راسلوا المكتب على info@example.org.", "وسيرد الفريق خلال يومين."}},

    // Lines, headlines, lists.
    {"headline_without_punctuation", "انفجار في الميناء\nهز انفجار قوي الميناء صباح اليوم.",
     {"انفجار في الميناء", "هز انفجار قوي الميناء صباح اليوم."}},
    {"paragraphs", "فقرة أولى تنتهي هنا.\n\nفقرة ثانية بلا نقطة", {"فقرة أولى تنتهي هنا.", "فقرة ثانية بلا نقطة"}},
    {"comma_at_line_end_still_ends", "وصل الرئيس،\nوبدأت القمة.", {"وصل الرئيس،", "وبدأت القمة."}},
    {"colon_lead_in_and_star_bullets", "حصيلة الحادث:\n* سقط عشرة جرحى.\n* توقفت الملاحة ساعات.",
     {"حصيلة الحادث:", "سقط عشرة جرحى.", "توقفت الملاحة ساعات."}},
    {"bullet_glyphs", "• ارتفاع الأسعار\n- تراجع الصادرات\n● زيادة البطالة\n\t▪ عجز الموازنة",
     {"ارتفاع الأسعار", "تراجع الصادرات", "زيادة البطالة", "عجز الموازنة"}},
    {"numbered_list", "1. تعزيز الرقابة على الحدود.\n2) دعم المزارعين.\n3- إصلاح الجمارك.",
     {"تعزيز الرقابة على الحدود.", "دعم المزارعين.", "إصلاح الجمارك."}},
    {"arabic_letter_list_item", "أ. تعزيز الرقابة. ب. دعم المزارعين.", {"ا. تعزيز الرقابة.", "ب. دعم المزارعين."}},
    {"two_sentences_in_bullet", "* وصل الوفد. وبدأت المحادثات.", {"وصل الوفد.", "وبدأت المحادثات."}},
    {"mid_line_bullets", "اقتصاد • رياضة • ثقافة", {"اقتصاد", "رياضة", "ثقافة"}},
    {"bold_is_not_a_bullet", "**عاجل** استقالة رئيس الوزراء", {"**عاجل** استقالة رئيس الوزراء"}},
    {"negative_number_is_not_a_bullet", "-3 درجات هي الحرارة المتوقعة الليلة.", {"-3 درجات هي الحرارة المتوقعة الليلة."}},
    {"year_at_line_start_is_not_a_marker", "2024. عام الانتخابات في العالم.", {"2024.", "عام الانتخابات في العالم."}},
    {"punctuation_only_lines_dropped", "***\nنص الخبر الكامل.\n---\n«»", {"نص الخبر الكامل."}},
    {"empty", "", {}},
    {"blank_lines_only", "   \n\n \t \n", {}},

    // Quotations.
    {"closing_guillemet_stays", "قال المتحدث: «لن نتراجع.» وأضاف أن الحوار مستمر.",
     {"قال المتحدث: «لن نتراجع.»", "وأضاف أن الحوار مستمر."}},
    {"quote_keeps_its_sentences", "قال الوزير: “الوضع صعب. لكننا سنتجاوزه.” ثم غادر القاعة.",
     {"قال الوزير: “الوضع صعب. لكننا سنتجاوزه.”", "ثم غادر القاعة."}},
    {"stop_after_closing_quote", "وقالت: “لا تعليق لدينا”. “سنصدر بيانا لاحقا”.",
     {"وقالت: “لا تعليق لدينا”.", "“سنصدر بيانا لاحقا”."}},
    {"ascii_quote", "وصف المسؤول الاتفاق بأنه \"تاريخي.\" وتوقع توقيعه قريبا.",
     {"وصف المسؤول الاتفاق بأنه \"تاريخي.\"", "وتوقع توقيعه قريبا."}},
    {"ascii_quote_inside", "وقال \"نرحب بالقرار. وننتظر التنفيذ\" في بيان.", {"وقال \"نرحب بالقرار. وننتظر التنفيذ\" في بيان."}},
    {"ascii_quote_closing_earlier_line", "ننتظر التنفيذ.\" وختم البيان بالشكر.", {"ننتظر التنفيذ.\"", "وختم البيان بالشكر."}},
    {"low_opening_quote", "„نحن مستعدون. سنرد فورا“ قال القائد.", {"„نحن مستعدون. سنرد فورا“ قال القائد."}},
    {"mixed_marks_close", "قال: “لن نقبل. أبدا» وغادر.", {"قال: “لن نقبل. أبدا» وغادر."}},
    {"nested_quotes", "قال: «وصفها بأنها \"خطوة. جريئة\" ثم صمت. طويلا.» وانتهى اللقاء.",
     {"قال: «وصفها بأنها \"خطوة. جريئة\" ثم صمت. طويلا.»", "وانتهى اللقاء."}},
    {"glued_opening_quote", "انتهى البيان.«نرفض الاتهامات» قال المتحدث.", {"انتهى البيان.", "«نرفض الاتهامات» قال المتحدث."}},
    {"unclosed_quote_stops_at_paragraph",
     "قال النائب: «هذا غير مقبول. يجب أن نحاسب المسؤولين.\nوفي سياق آخر، ارتفعت الأسعار. وتراجع الطلب.",
     {"قال النائب: «هذا غير مقبول.", "يجب أن نحاسب المسؤولين.", "وفي سياق آخر، ارتفعت الأسعار.", "وتراجع الطلب."}},
    {"quote_at_the_cap_stays_whole", "قال: «نعم أولا. نعم ثانيا. نعم ثالثا. نعم رابعا. نعم خامسا.» ثم سكت.",
     {"قال: «نعم أولا. نعم ثانيا. نعم ثالثا. نعم رابعا. نعم خامسا.»", "ثم سكت."}},
    {"quote_over_the_cap_is_split",
     "قال: «نعم أولا. نعم ثانيا. نعم ثالثا. نعم رابعا. نعم خامسا. نعم سادسا.» ثم سكت.",
     {"قال: «نعم أولا.", "نعم ثانيا.", "نعم ثالثا.", "نعم رابعا.", "نعم خامسا.", "نعم سادسا.»", "ثم سكت."}},
};

TEST(SentencesGolden, Table) {
  for (const Row& row : kRows) {
    const std::string text = normalize_string(row.input);
    std::vector<std::string> expected;
    for (const char* e : row.expected) expected.push_back(normalize_string(e));
    EXPECT_EQ(sentence_texts(text), expected) << row.name;
  }
}

TEST(Sentences, TableCoversEveryRowOnce) {
  // Row names are the failure message: a duplicate would hide which case broke.
  std::vector<std::string_view> names;
  for (const Row& row : kRows) names.emplace_back(row.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

// ---- properties on real articles, read at run time from the shared seeds ----------------------

std::vector<std::string> seed_texts() {
  std::vector<std::string> texts;
  const std::filesystem::path dir = ISNAD_SHARED_DIR "/seeds/";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Invariants every input must satisfy (the fuzz target checks the same on random text).
void expect_well_formed(std::string_view text, const std::vector<Span>& spans) {
  std::uint32_t previous_end = 0;
  for (const Span s : spans) {
    ASSERT_LT(s.begin, s.end);
    ASSERT_LE(s.end, text.size());
    ASSERT_GE(s.begin, previous_end);
    EXPECT_FALSE(blank(text[s.begin]));
    EXPECT_FALSE(blank(text[s.end - 1]));
    EXPECT_EQ(s.of(text).find('\n'), std::string_view::npos);
    previous_end = s.end;
  }
}

TEST(SentencesSeeds, WellFormedAndCoverEveryLetter) {
  const auto seeds = seed_texts();
  if (seeds.empty()) GTEST_SKIP() << "no seeds in " ISNAD_SHARED_DIR "/seeds/";
  for (const std::string& raw : seeds) {
    auto norm = normalize(raw);
    ASSERT_TRUE(norm.ok());
    const std::string_view t = norm->text();
    const auto spans = split_sentences(t);
    expect_well_formed(t, spans);
    // Every Arabic letter is inside a sentence: the splitter drops only blanks and markers.
    std::size_t s = 0;
    for (std::uint32_t k = 0; k < t.size(); ++k) {
      const auto c = static_cast<unsigned char>(t[k]);
      if (c != 0xD8 && c != 0xD9) continue;
      if (!is_arabic_letter(decode_utf8(t, k).cp)) continue;
      while (s < spans.size() && spans[s].end <= k) ++s;
      ASSERT_TRUE(s < spans.size() && spans[s].begin <= k) << "letter at " << k << " outside every sentence";
    }
    // Every span maps back inside the original article.
    for (const Span sp : spans) {
      const Span o = norm->to_original(sp);
      EXPECT_LE(o.begin, o.end);
      EXPECT_LE(o.end, raw.size());
    }
  }
}

TEST(SentencesSeeds, EveryLineIsASentenceAndParagraphsHoldMore) {
  const auto seeds = seed_texts();
  if (seeds.empty()) GTEST_SKIP();
  std::size_t all_lines = 0;
  std::size_t all_sentences = 0;
  for (const std::string& raw : seeds) {
    auto norm = normalize(raw);
    ASSERT_TRUE(norm.ok());
    const std::string_view t = norm->text();
    std::size_t lines = 0;
    for (std::size_t from = 0; from < t.size();) {
      std::size_t nl = t.find('\n', from);
      if (nl == std::string_view::npos) nl = t.size();
      if (nl > from + 10) ++lines;  // a real line, not a stray marker
      from = nl + 1;
    }
    const auto spans = split_sentences(t);
    EXPECT_GE(spans.size(), lines);
    all_lines += lines;
    all_sentences += spans.size();
  }
  // News paragraphs hold several sentences: splitting on lines alone is not enough.
  EXPECT_GT(all_sentences, all_lines + all_lines / 4);
}

TEST(SentencesSeeds, NoBreakInsideDecimalNumbers) {
  const auto seeds = seed_texts();
  if (seeds.empty()) GTEST_SKIP();
  std::size_t decimals = 0;
  for (const std::string& raw : seeds) {
    auto norm = normalize(raw);
    ASSERT_TRUE(norm.ok());
    // Extra decimals glued to the article text make the check bite even if an article has none.
    const std::string text = std::string(norm->text()) + "\nوبلغ المعدل 2.5 بالمئة. وارتفع 10.75 نقطة.";
    const auto spans = split_sentences(text);
    for (std::uint32_t k = 1; k + 1 < text.size(); ++k) {
      if (text[k] != '.' || !is_ascii_digit(static_cast<unsigned char>(text[k - 1])) ||
          !is_ascii_digit(static_cast<unsigned char>(text[k + 1]))) {
        continue;
      }
      ++decimals;
      bool inside = false;
      for (const Span s : spans) inside = inside || (s.begin < k && k + 1 < s.end);
      EXPECT_TRUE(inside) << "decimal point at " << k << " is on a sentence edge";
    }
  }
  EXPECT_GE(decimals, 2 * seeds.size());
}

// Sentence ends the splitter would take outside a quotation: ? or ! before a blank, or '.'
// before a blank after a word of two letters or more (so not an abbreviation).
std::size_t plain_breaks_inside(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t k = 0; k + 1 < s.size(); ++k) {
    if (!blank(s[k + 1])) continue;
    if (s[k] == '?' || s[k] == '!') {
      ++n;
    } else if (s[k] == '.' && k >= 4 && static_cast<unsigned char>(s[k - 2]) >= 0xD8 &&
               static_cast<unsigned char>(s[k - 4]) >= 0xD8) {
      ++n;
    }
  }
  return n;
}

TEST(SentencesSeeds, QuotesDoNotSwallowSentences) {
  const auto seeds = seed_texts();
  if (seeds.empty()) GTEST_SKIP();
  for (const std::string& raw : seeds) {
    auto norm = normalize(raw);
    ASSERT_TRUE(norm.ok());
    // An opening mark never closed, glued in front of the article: it must not merge anything.
    const std::string text = "«" + std::string(norm->text());
    const auto with_stray = split_sentences(text);
    const auto without = split_sentences(norm->text());
    EXPECT_EQ(with_stray.size(), without.size());
    for (const Span s : with_stray) EXPECT_LE(plain_breaks_inside(s.of(text)), kMaxQuotedBoundaries);
  }
}

TEST(Sentences, LongQuotationOnOneLineIsCapped) {
  std::string text = "قال: \"";
  for (int i = 0; i < 50; ++i) text += "سنرد بقوة على الهجوم. ";
  text += "\" ثم غادر.";
  const auto spans = split_sentences(text);
  EXPECT_GE(spans.size(), 50u);
  for (const Span s : spans) EXPECT_LE(plain_breaks_inside(s.of(text)), kMaxQuotedBoundaries);
}

TEST(Sentences, SpansMapBackToOriginalBytes) {
  const std::string raw = "قالَ الوزيرُ: «لن نتراجعَ.»\nوأضافَ أنّ الحوارَ مستمرٌّ؟ نعم.";
  auto norm = normalize(raw);
  ASSERT_TRUE(norm.ok());
  std::vector<std::string> shown;
  for (const Span s : split_sentences(norm->text())) shown.emplace_back(norm->to_original(s).of(raw));
  EXPECT_EQ(shown, (std::vector<std::string>{"قالَ الوزيرُ: «لن نتراجعَ.»", "وأضافَ أنّ الحوارَ مستمرٌّ؟", "نعم."}));
}

// Datelines: the text after the lead-in, or the whole first sentence when there is none.
TEST(Dateline, Table) {
  struct DatelineRow {
    const char* name;
    const char* text;
    const char* body;  // where the first sentence's text starts
  };
  const DatelineRow rows[] = {
      {"place_and_agency", "بلدة النخيل (وكالة الواحة) - أعلنت البلدية إغلاق السوق.", "أعلنت البلدية إغلاق السوق."},
      {"place_only", "الميناء الجديد - وصلت السفينة صباحا.", "وصلت السفينة صباحا."},
      {"place_date_agency", "تل الورد، 3 مارس (الشمال نيوز) – اندلع حريق في مخزن.", "اندلع حريق في مخزن."},
      {"em_dash", "سهل الغاب — بدأ موسم الحصاد.", "بدأ موسم الحصاد."},
      {"no_dash", "أعلنت البلدية إغلاق السوق.", "أعلنت البلدية إغلاق السوق."},
      {"dash_deep_in_sentence", "وقال رئيس البلدية الجديد في المدينة - وهو مهندس - إن العمل بدأ.",
       "وقال رئيس البلدية الجديد في المدينة - وهو مهندس - إن العمل بدأ."},
      {"comma_without_outlet", "وأضاف، كما قال سابقا - إن الوضع هادئ.", "وأضاف، كما قال سابقا - إن الوضع هادئ."},
      {"speech_before_dash", "قال: «نعم» - ثم غادر.", "قال: «نعم» - ثم غادر."},
      {"unspaced_hyphen", "الشمال-الجنوب طريق سريع.", "الشمال-الجنوب طريق سريع."},
  };
  for (const DatelineRow& row : rows) {
    const std::string text = normalize_string(row.text);
    const auto sentences = split_sentences(text);
    ASSERT_FALSE(sentences.empty()) << row.name;
    const Span first = sentences.front();
    const std::string_view body = std::string_view(text).substr(dateline_end(text, first), first.end - dateline_end(text, first));
    EXPECT_EQ(body, normalize_string(row.body)) << row.name;
  }
  // Not at a line start: a sentence in mid-paragraph has no dateline.
  const std::string text = normalize_string("انتهى الاجتماع. المدينة - بدأ العمل.");
  const auto sentences = split_sentences(text);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(dateline_end(text, sentences[1]), sentences[1].begin);
}

}  // namespace
}  // namespace isnad
