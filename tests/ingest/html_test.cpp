// HTML pages as input (src/ingest/html.h through isnad/input.h): main text, metadata, noise,
// encodings, failure messages; plus `isnad analyze page.html` end to end and the fuzz body.
#include "ingest/html.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "fuzz/html_body.h"
#include "isnad/input.h"

namespace fs = std::filesystem;
using isnad::ErrorCode;

namespace {

const fs::path kData = fs::path(ISNAD_TEST_DIR) / "data" / "html";

isnad::SourceDocument load_one(const fs::path& path) {
  isnad::InputLoader loader;
  auto file = loader.load(path);
  EXPECT_TRUE(file.ok()) << path << ": " << (file ? "" : file.error().message);
  if (!file || file->documents.size() != 1) {
    ADD_FAILURE() << path << ": expected one document";
    return {};
  }
  EXPECT_TRUE(file->rejected.empty());
  return file->documents[0];
}

// Each string occurs, in this order, without overlapping.
void expect_in_order(const std::string& text, const std::vector<std::string>& parts) {
  std::size_t at = 0;
  for (const std::string& part : parts) {
    const std::size_t found = text.find(part, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << part << "\n--- text:\n" << text;
    at = found + part.size();
  }
}

void expect_absent(const std::string& text, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) {
    EXPECT_EQ(text.find(part), std::string::npos) << "boilerplate kept: " << part << "\n--- text:\n" << text;
  }
}

std::size_t paragraphs(const std::string& text) {
  std::size_t n = text.empty() ? 0 : 1;
  for (std::size_t at = text.find("\n\n"); at != std::string::npos; at = text.find("\n\n", at + 2)) ++n;
  return n;
}

// ---- sample pages: one row per page ------------------------------------------------------------

struct PageCase {
  const char* file;
  const char* title;
  const char* published;
  const char* outlet;
  const char* url;
  std::vector<std::string> paragraphs_in_order;  // the first words of each paragraph kept
  std::size_t paragraph_count;
  std::vector<std::string> absent;
};

const PageCase kPages[] = {
    {"news_noise.html", "محطة تحلية جديدة تدخل الخدمة في مدينة الواحة", "2024-05-14T09:15:00+03:00", "صحيفة المرصد",
     "https://almarsad.example/news/desalination-oasis",
     {"أعلنت بلدية مدينة الواحة", "بطاقة تبلغ ١٢٠ ألف متر", "وقال رئيس البلدية", "\"الانقطاعات الصيفية ستصبح من الماضي\"",
      "من جهتها، حذرت جمعية", "وتبلغ كلفة المشروع"},
     4,
     {"سياسة", "الرئيسية", "ملفات تعريف الارتباط", "فيسبوك", "شارك", "اقرأ أيضا", "أزمة المياه", "اشترك",
      "أخبار ذات صلة", "افتتاح سد", "تعليق من قارئ", "الأكثر قراءة", "جميع الحقوق", "تابعونا", "analytics",
      "line-height"}},
    {"article_tag.html", "انتخابات بلدية في ثلاث محافظات الشهر المقبل", "2024-06-02", "وكالة النهار",
     "https://annahar.example/2024/06/02/elections",
     {"حددت الهيئة العليا", "قوائم المرشحين", "وأوضحت الهيئة في بيان", "مليون ناخب.\nوأضاف البيان",
      "«نريد انتخابات شفافة"},
     4,
     {"الرئيسية", "شارك الخبر", "عنوان خبر آخر", "مقتطف قصير", "©"}},
    {"json_ld.html", "موسم صيد استثنائي في ميناء الساحل", "2024-03-09T07:00:00Z", "بوابة الساحل",
     "https://sahel.example/fishing-season",
     {"سجل ميناء الساحل", "وعزا صيادون الوفرة"},
     2,
     {"إعلان", "موانئ"}},
    {"no_body.html", "إغلاق طريق ساحلي بسبب انهيارات صخرية", "", "", "",
     {"أغلقت السلطات المحلية", "ولم تسجل إصابات"},
     2,
     {}},
    {"charset_mismatch.html", "معرض الكتاب يفتح أبوابه", "", "", "",
     {"افتتح معرض الكتاب السنوي", "ويخصص المعرض هذا العام"},
     2,
     {}},
};

class SamplePage : public ::testing::TestWithParam<PageCase> {};

TEST_P(SamplePage, Golden) {
  const PageCase& c = GetParam();
  const isnad::SourceDocument doc = load_one(kData / c.file);
  EXPECT_EQ(doc.id, fs::path(c.file).stem().string());
  EXPECT_EQ(doc.title, c.title);
  EXPECT_EQ(doc.published, c.published);
  EXPECT_EQ(doc.outlet, c.outlet);
  EXPECT_EQ(doc.url, c.url);
  expect_in_order(doc.text, c.paragraphs_in_order);
  EXPECT_EQ(paragraphs(doc.text), c.paragraph_count) << doc.text;
  expect_absent(doc.text, c.absent);
  EXPECT_EQ(doc.text.find("\n\n\n"), std::string::npos);
  EXPECT_TRUE(isnad::check_text(doc.text).ok());
}

INSTANTIATE_TEST_SUITE_P(Pages, SamplePage, ::testing::ValuesIn(kPages), [](const auto& row) {
  return fs::path(row.param.file).stem().string();
});

// ---- inline cases ----------------------------------------------------------------------------

TEST(ExtractHtml, HeadOnlyIsNoArticleText) {
  const auto got = isnad::ingest::extract_html("<html><head><title>عنوان فقط</title></head></html>");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kEmptyInput);
  EXPECT_NE(got.error().message.find("no article text found"), std::string::npos) << got.error().message;
}

TEST(ExtractHtml, JsonLdArticleBodyWhenThePageHasNoText) {
  const auto got = isnad::ingest::extract_html(
      R"(<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"عنوان",)"
      R"("articleBody":"الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر."}</script></head></html>)");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->text, "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر.");
  EXPECT_EQ(got->title, "عنوان");
}

TEST(ExtractHtml, Windows1256BytesWithDeclaredCharsetAreDecoded) {
  // "خبر عاجل" in windows-1256: خ=CE ب=C8 ر=D1, ع=DA ا=C7 ج=CC ل=E1.
  const std::string page = "<html><head><meta charset=\"windows-1256\"></head><body><p>\xCE\xC8\xD1 \xDA\xC7\xCC\xE1</p></body></html>";
  const auto got = isnad::ingest::extract_html(page);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->text, "خبر عاجل");
}

TEST(ExtractHtml, InvalidUtf8WithoutCharsetIsRefusedAtTheByte) {
  const std::string page = "<p>خبر \xCE\xC8</p>";
  const auto got = isnad::ingest::extract_html(page);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kInvalidUtf8);
  EXPECT_EQ(got.error().offset, page.find('\xCE'));
}

TEST(ExtractHtml, EntitiesDecodedAndWhiteSpaceCollapsed) {
  const auto got = isnad::ingest::extract_html("<p>  قال&nbsp;الوزير\n\n   &laquo;نعم&raquo; &amp; &#x0644;&#1575;  </p>");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->text, "قال الوزير «نعم» & لا");
}

TEST(ExtractHtml, DeepNestingDoesNotExhaustTheStack) {
  std::string page;
  for (int i = 0; i < 20000; ++i) page += "<div>";
  page += "<p>نص عميق جدا في الصفحة</p>";
  const auto got = isnad::ingest::extract_html(page);
  // libxml2 may cap the depth; either way no crash, and an answer.
  if (got.ok()) {
    EXPECT_NE(got->text.find("نص عميق"), std::string::npos);
  }
}

TEST(IsoDate, Rows) {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"Tue, 14 May 2024 08:30:00 +0300", "2024-05-14T08:30:00+03:00"},
      {"14 May 2024 08:30 GMT", "2024-05-14T08:30:00Z"},
      {"Sun, 1 Dec 24 23:59:59 -0500", "2024-12-01T23:59:59-05:00"},
      {"Wed, 3 Jan 2024", "2024-01-03"},
      {"  2024-05-14T08:30:00Z ", "2024-05-14T08:30:00Z"},
      {"2024-05-14", "2024-05-14"},
      {"yesterday", "yesterday"},
      {"Tue, 14 Foo 2024 08:30:00", "Tue, 14 Foo 2024 08:30:00"},
      {"", ""},
  };
  for (const Row& r : rows) EXPECT_EQ(isnad::ingest::iso_date(r.in), r.out) << r.in;
}

TEST(InputLoader, HtmlWithoutArabicIsRefusedLikeText) {
  isnad::testing::TempDir dir;
  isnad::InputLoader loader;
  const auto got = loader.load(dir.write("en.html", "<html><body><p>English only news.</p></body></html>"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNoArabic);
}

TEST(InputLoader, SidecarOverridesPageMetadata) {
  isnad::testing::TempDir dir;
  dir.write("meta.jsonl", R"({"id":"page","published":"2024-01-02","outlet":"المصدر الصحيح"})" "\n");
  const isnad::SourceDocument doc = load_one(dir.write(
      "page.html", R"(<meta property="og:site_name" content="خطأ"><meta property="og:title" content="عنوان الصفحة">)"
                   "<p>نص الخبر هنا</p>"));
  EXPECT_EQ(doc.published, "2024-01-02");
  EXPECT_EQ(doc.outlet, "المصدر الصحيح");
  EXPECT_EQ(doc.title, "عنوان الصفحة");
}

// ---- the CLI ---------------------------------------------------------------------------------

TEST(Cli, AnalyzeHtmlPage) {
  const auto result = isnad::testing::run_cli({"analyze", (kData / "news_noise.html").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(result.out, ok);
  ASSERT_TRUE(ok) << result.out;
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_EQ(docs[0]["id"], "news_noise");
  // The page's article:published_time reached the analysis (relative dates resolve against it).
  EXPECT_EQ(docs[0]["published"], "2024-05-14");
  EXPECT_GE(docs[0]["sentences"].size(), 4U);
  EXPECT_EQ(result.out.find("فيسبوك"), std::string::npos);
}

// ---- fuzz body over the samples ----------------------------------------------------------------

TEST(HtmlFuzzBody, SamplesAndCorpus) {
  std::size_t files = 0;
  for (const fs::path& dir : {kData, fs::path(ISNAD_TEST_DIR) / "fuzz" / "corpus" / "html"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string bytes = isnad::testing::slurp(entry.path());
      EXPECT_EQ(isnad::fuzz::html_one(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
      ++files;
    }
  }
  EXPECT_GE(files, 8U);
}

}  // namespace
