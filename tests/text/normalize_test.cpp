#include <gtest/gtest.h>

#include "isnad/normalize.h"

namespace isnad {
namespace {

struct Row {
  const char* name;
  const char* input;
  const char* expected;
};

// Golden table: one row per rule of normalize.h.
const Row kRows[] = {
    {"tashkeel", "كَتَبَ الوَلَدُ", "كتب الولد"},
    {"tanween_shadda_sukun", "شُكْرًا جَدًّا", "شكرا جدا"},
    {"tatweel", "الســـلام", "السلام"},
    {"alef_hamza_above", "أحمد", "احمد"},
    {"alef_hamza_below", "إسلام", "اسلام"},
    {"alef_madda", "آذار", "اذار"},
    {"alef_wasla", "ٱلله", "الله"},
    {"alef_maqsura_folded", "مصطفى", "مصطفي"},
    {"teh_marbuta_folded", "مدينة", "مدينه"},
    {"persian_keheh_yeh", "کتاب ی", "كتاب ي"},
    {"presentation_forms_lam_alef", "\xEF\xBB\xBB", "لا"},        // U+FEFB
    {"presentation_forms_letters", "\xEF\xBA\x8D\xEF\xBB\x9F", "ال"},  // U+FE8D U+FEDF
    {"ligature_allah", "\xEF\xB7\xB2", "الله"},                   // U+FDF2
    {"eastern_digits", "٢٠٢٤", "2024"},
    {"persian_digits", "۱۳۷", "137"},
    {"arabic_decimal_separator", "١٫٥", "1.5"},
    {"arabic_thousands_separator", "١٬٥٠٠", "1,500"},
    {"arabic_comma_semicolon_question", "نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"},
    {"percent", "٥٠٪", "50%"},
    {"dashes", "أ–ب—ج", "ا-ب-ج"},
    {"bidi_marks", "\xE2\x80\x8Eنص\xE2\x80\x8F \xD8\x9Cنص", "نص نص"},
    {"zero_width", "ك\xE2\x80\x8Cتاب\xE2\x80\x8B", "كتاب"},
    {"bom_dropped", "\xEF\xBB\xBFنص", "نص"},
    {"crlf", "سطر\r\nسطر\rسطر", "سطر\nسطر\nسطر"},
    {"nbsp", "نص\xC2\xA0نص", "نص نص"},
    {"html_named_entities", "&laquo;نص&raquo; &amp; &quot;x&quot;", "«نص» & \"x\""},
    {"html_numeric_entities", "&#1575;&#x628;", "اب"},
    {"not_an_entity", "AT&T & co;", "AT&T & co;"},
    {"quotes_kept", "“نص” «نص»", "“نص” «نص»"},
    {"latin_untouched", "Crocus City Hall", "Crocus City Hall"},
};

TEST(NormalizeGolden, Table) {
  for (const Row& row : kRows) {
    auto result = normalize(row.input);
    ASSERT_TRUE(result.ok()) << row.name;
    EXPECT_EQ(result->text(), row.expected) << row.name;
    EXPECT_EQ(normalize_string(row.input), row.expected) << row.name;
  }
}

TEST(Normalize, SearchFoldsAreOptions) {
  NormalizeOptions keep;
  keep.fold_yeh = false;
  keep.fold_teh_marbuta = false;
  auto r = normalize("مستشفى المدينة", keep);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text(), "مستشفى المدينة");
}

TEST(Normalize, StrayNulIsDroppedButBinaryIsRejected) {
  std::string text = "نص عربي طويل بما يكفي ليكون نصا حقيقيا وليس ملفا ثنائيا على الإطلاق";
  std::string with_nul = text;
  with_nul.insert(4, 1, '\0');
  auto ok = normalize(with_nul);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->text().find('\0'), std::string_view::npos);

  std::string binary(200, '\0');
  binary += text;
  auto bad = normalize(binary);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBinaryInput);
  EXPECT_EQ(bad.error().offset, 0u);
}

TEST(Normalize, InvalidUtf8ReportsByteOffset) {
  const std::string input = "نص \xC3\x28 بعد";  // "نص " is 5 bytes
  auto r = normalize(input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidUtf8);
  EXPECT_EQ(r.error().offset, 5u);
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
    EXPECT_FALSE(normalize(bad).ok()) << "accepted invalid sequence";
  }
}

TEST(Normalize, OffsetsMapBackToOriginalBytes) {
  const std::string original = "\xEF\xBB\xBFقَالَ أَحْمَدُ: &laquo;١٣٧&raquo;";
  auto r = normalize(original);
  ASSERT_TRUE(r.ok());
  const std::string_view text = r->text();
  ASSERT_EQ(text, "قال احمد: «137»");
  const auto find = [&](std::string_view needle) {
    const auto at = static_cast<std::uint32_t>(text.find(needle));
    return Span{at, at + static_cast<std::uint32_t>(needle.size())};
  };
  EXPECT_EQ(r->to_original(find("قال")).of(original), "قَالَ");
  EXPECT_EQ(r->to_original(find("احمد")).of(original), "أَحْمَدُ");
  EXPECT_EQ(r->to_original(find("137")).of(original), "١٣٧");
  EXPECT_EQ(r->to_original(find("«")).of(original), "&laquo;");
  EXPECT_EQ(r->to_original(Span{0, static_cast<std::uint32_t>(text.size())}).end, original.size());
}

TEST(Normalize, SpanInsideExpansionCoversWholeSourceCharacter) {
  const std::string original = "\xEF\xBB\xBB";  // ﻻ → لا
  auto r = normalize(original);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->to_original(Span{0, 2}).of(original), original);  // just the lam
}

}  // namespace
}  // namespace isnad
