// RSS and Atom feeds as input (src/ingest/feed.h through isnad/input.h): one document per item,
// metadata, HTML stripped, items without Arabic rejected, broken XML, XXE; `isnad dossier feed.xml`
// end to end and the fuzz body.
#include "ingest/feed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "fuzz/feed_body.h"
#include "isnad/input.h"

namespace fs = std::filesystem;
using isnad::ErrorCode;

namespace {

const fs::path kData = fs::path(ISNAD_TEST_DIR) / "data" / "feeds";

struct Parsed {
  isnad::Status status;
  std::vector<isnad::SourceDocument> documents;
  std::vector<isnad::InputProblem> rejected;
};

Parsed parse(const std::string& bytes) {
  Parsed p;
  p.status = isnad::ingest::parse_feed(bytes, "feed.xml", p.documents, p.rejected);
  return p;
}

isnad::LoadedFile load(const fs::path& path) {
  isnad::InputLoader loader;
  auto file = loader.load(path);
  EXPECT_TRUE(file.ok()) << path << ": " << (file ? "" : file.error().message);
  return file ? *file : isnad::LoadedFile{};
}

// ---- golden rows: one per item of the sample feeds ---------------------------------------------

struct ItemCase {
  const char* id;
  const char* title;
  const char* url;
  const char* published;
  const char* outlet;
  std::uint32_t line;
  std::vector<std::string> text_in_order;
  std::vector<std::string> absent;
};

void expect_item(const isnad::SourceDocument& d, const ItemCase& c) {
  EXPECT_EQ(d.id, c.id);
  EXPECT_EQ(d.title, c.title);
  EXPECT_EQ(d.url, c.url);
  EXPECT_EQ(d.published, c.published);
  EXPECT_EQ(d.outlet, c.outlet);
  EXPECT_EQ(d.line, c.line);
  std::size_t at = 0;
  for (const std::string& part : c.text_in_order) {
    const std::size_t found = d.text.find(part, at);
    ASSERT_NE(found, std::string::npos) << c.id << ": missing or out of order: " << part << "\n" << d.text;
    at = found + part.size();
  }
  for (const std::string& part : c.absent) EXPECT_EQ(d.text.find(part), std::string::npos) << c.id << ": " << part;
  EXPECT_TRUE(isnad::check_text(d.text).ok());
}

TEST(Feed, Rss) {
  const isnad::LoadedFile file = load(kData / "rss.xml");
  const ItemCase rows[] = {
      {"ofoq-101", "تعليق الدراسة يوما واحدا بسبب العاصفة", "https://ofoq.example/news/101",
       "2024-05-13T18:40:00+03:00", "شبكة الأفق الإخبارية", 7,
       {"قررت وزارة التربية تعليق الدراسة", "\n\nودعت الوزارة أولياء الأمور"},
       {"ملخص قصير", "شارك", "<p>", "appeared first"}},
      {"https://ofoq.example/news/103", "افتتاح جسر & نفق في العاصمة", "https://ofoq.example/news/103",
       "2024-05-12T08:05:00+00:00", "وكالة الشرق", 24,
       {"افتتح وزير النقل جسرا", "\n\nوتبلغ كلفة المشروعين"},
       {"&lt;", "<p>"}},
  };
  ASSERT_EQ(file.documents.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) expect_item(file.documents[i], rows[i]);
  // The English item is refused like any input without Arabic, at the byte where it starts.
  ASSERT_EQ(file.rejected.size(), 1U);
  EXPECT_EQ(file.rejected[0].error.code, ErrorCode::kNoArabic);
  EXPECT_NE(file.rejected[0].error.message.find("feed item 2"), std::string::npos) << file.rejected[0].error.message;
  const std::string bytes = isnad::testing::slurp(kData / "rss.xml");
  ASSERT_TRUE(file.rejected[0].error.offset.has_value());
  EXPECT_EQ(bytes.compare(*file.rejected[0].error.offset, 6, "<item>"), 0);
  EXPECT_EQ(*file.rejected[0].error.offset, bytes.find("<item>", bytes.find("<item>") + 1));
}

TEST(Feed, Atom) {
  const isnad::LoadedFile file = load(kData / "atom.xml");
  EXPECT_TRUE(file.rejected.empty());
  ASSERT_EQ(file.documents.size(), 2U);
  expect_item(file.documents[0], {"urn:uuid:entry-1", "التضخم يتراجع للشهر الثالث", "https://econ.example/inflation",
                                  "2024-04-01T08:00:00+02:00", "مدونة الاقتصاد اليومي", 6,
                                  {"تراجع معدل التضخم السنوي", "\n\nوقال البنك المركزي"}, {"<p", "xmlns"}});
  expect_item(file.documents[1], {"urn:uuid:entry-2", "ارتفاع الصادرات الزراعية", "https://econ.example/exports",
                                  "2024-03-28T12:00:00Z", "مدونة الاقتصاد اليومي", 15,
                                  {"ارتفعت الصادرات الزراعية"}, {"<p>"}});
}

TEST(Feed, BrokenXmlKeepsItemsBeforeTheBreak) {
  const isnad::LoadedFile file = load(kData / "broken.xml");
  ASSERT_EQ(file.documents.size(), 2U);
  EXPECT_EQ(file.documents[0].id, "evening-1");
  EXPECT_EQ(file.documents[1].id, "evening-2");
  ASSERT_EQ(file.rejected.size(), 1U);
  const isnad::Error& e = file.rejected[0].error;
  EXPECT_EQ(e.code, ErrorCode::kParse);
  EXPECT_NE(e.message.find("broken XML at line 18"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("read 2 item(s) before it, dropped"), std::string::npos) << e.message;
  const std::string bytes = isnad::testing::slurp(kData / "broken.xml");
  ASSERT_TRUE(e.offset.has_value());
  EXPECT_GT(*e.offset, bytes.find("evening-3"));
  EXPECT_LT(*e.offset, bytes.find("evening-4"));
}

// ---- whole-file errors: one row per case ---------------------------------------------------------

struct ErrorCase {
  const char* name;
  std::string bytes;
  ErrorCode code;
  const char* message_part;
};

const ErrorCase kErrors[] = {
    {"not_xml", "خبر عاجل بلا وسوم", ErrorCode::kParse, "not XML"},
    {"html_root", "<html><body><p>خبر</p></body></html>", ErrorCode::kParse, "not an RSS or Atom feed"},
    {"no_items", "<rss><channel><title>قناة</title></channel></rss>", ErrorCode::kEmptyInput, "no <item>"},
    {"broken_before_first_item", "<rss><channel><title>قناة</titel><item><description>خبر</description></item>",
     ErrorCode::kParse, "no complete item"},
    {"invalid_utf8", "<rss><channel><item><description>\xC8\xD1</description></item></channel></rss>",
     ErrorCode::kInvalidUtf8, "invalid UTF-8"},
};

class FeedError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(FeedError, Row) {
  const ErrorCase& c = GetParam();
  const Parsed p = parse(c.bytes);
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.error().code, c.code) << p.status.error().message;
  EXPECT_NE(p.status.error().message.find(c.message_part), std::string::npos) << p.status.error().message;
  EXPECT_TRUE(p.documents.empty());
}

INSTANTIATE_TEST_SUITE_P(Rows, FeedError, ::testing::ValuesIn(kErrors),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(Feed, DeclaredLegacyEncodingIsDecoded) {
  const Parsed p = parse("<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss><channel><item><guid>g</guid>"
                         "<description>\xCE\xC8\xD1 \xDA\xC7\xCC\xE1</description></item></channel></rss>");
  ASSERT_TRUE(p.status.ok()) << p.status.error().message;
  ASSERT_EQ(p.documents.size(), 1U);
  EXPECT_EQ(p.documents[0].text, "خبر عاجل");
}

TEST(Feed, ExternalEntitiesAreNotRead) {
  isnad::testing::TempDir dir;
  const fs::path secret = dir.write("secret.txt", "SECRET-CONTENT");
  const std::string feed = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://" + secret.string() +
                           "\">]><rss><channel><item><guid>x</guid><description>خبر &xxe; هنا</description></item>"
                           "</channel></rss>";
  const Parsed p = parse(feed);
  for (const auto& d : p.documents) EXPECT_EQ(d.text.find("SECRET"), std::string::npos) << d.text;
  for (const auto& r : p.rejected) EXPECT_EQ(r.error.message.find("SECRET"), std::string::npos);
}

TEST(Feed, EntityExpansionBombStaysSmall) {
  std::string feed = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a0 \"هاهاهاهاها\">";
  for (int i = 1; i <= 9; ++i) {
    feed += "<!ENTITY a" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) feed += "&a" + std::to_string(i - 1) + ";";
    feed += "\">";
  }
  feed += "]><rss><channel><item><guid>b</guid><description>خبر &a9;</description></item></channel></rss>";
  const Parsed p = parse(feed);
  for (const auto& d : p.documents) EXPECT_LT(d.text.size(), 1000U);
}

// ---- the CLI ---------------------------------------------------------------------------------

TEST(Cli, DossierOfAFeed) {
  isnad::testing::TempDir dir;
  const auto result = isnad::testing::run_cli({"dossier", "--store", (dir / "store.db").string(), "--format", "json",
                                               (kData / "rss.xml").string()});
  // Exit 1: the English item is reported as rejected; the Arabic items make the dossier.
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("feed item 2"), std::string::npos) << result.err;
  const auto j = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << result.out.substr(0, 500);
  EXPECT_NE(result.out.find("ofoq-101"), std::string::npos);
  EXPECT_NE(result.out.find("https://ofoq.example/news/103"), std::string::npos);
}

TEST(Cli, DirectoryExpansionPicksUpPagesAndFeeds) {
  isnad::testing::TempDir dir;
  fs::copy_file(kData / "atom.xml", dir / "a.atom");
  fs::copy_file(fs::path(ISNAD_TEST_DIR) / "data" / "html" / "no_body.html", dir / "b.html");
  const auto result = isnad::testing::run_cli({"dossier", "--store", (dir / "store.db").string(), "--format", "json",
                                               dir.path().string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* id : {"urn:uuid:entry-1", "urn:uuid:entry-2", "\"b\""}) {
    EXPECT_NE(result.out.find(id), std::string::npos) << id;
  }
}

// ---- fuzz body over the samples ----------------------------------------------------------------

TEST(FeedFuzzBody, SamplesAndCorpus) {
  std::size_t files = 0;
  for (const fs::path& d : {kData, fs::path(ISNAD_TEST_DIR) / "fuzz" / "corpus" / "feed"}) {
    for (const auto& entry : fs::directory_iterator(d)) {
      const std::string bytes = isnad::testing::slurp(entry.path());
      EXPECT_EQ(isnad::fuzz::feed_one(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
      ++files;
    }
  }
  EXPECT_GE(files, 6U);
}

}  // namespace
