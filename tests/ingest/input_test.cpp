// The input layer (isnad/input.h): content checks, file reading limits, JSONL records, sidecars.
#include "isnad/input.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace fs = std::filesystem;
using isnad::ErrorCode;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "isnad-ingest-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path_ / name, std::ios::binary) << bytes;
    return path_ / name;
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// ---- check_text: one row per case -------------------------------------------------------------

struct TextCase {
  const char* name;
  std::string text;
  std::optional<ErrorCode> error;  // nullopt: accepted
  std::optional<std::uint64_t> offset;
};

const TextCase kTextCases[] = {
    {"arabic", "خبر عاجل", {}, {}},
    {"arabic_after_latin", "Breaking: خبر", {}, {}},
    {"presentation_forms_only", "\xEF\xBB\xBB\xEF\xBA\x8E", {}, {}},  // ﻻ ﺎ: Arabic, not yet normalized
    {"stray_nul_in_long_text", std::string(200, ' ') + "خبر" + std::string(1, '\0') + std::string(200, ' '), {}, {}},
    {"empty", "", ErrorCode::kEmptyInput, {}},
    {"spaces_and_newlines", " \n\r\n\t ", ErrorCode::kEmptyInput, {}},
    {"nbsp_and_bom_only", "\xEF\xBB\xBF\xC2\xA0", ErrorCode::kEmptyInput, {}},
    {"latin_only", "Breaking news", ErrorCode::kNoArabic, {}},
    {"digits_and_punctuation", "137 - 2024.", ErrorCode::kNoArabic, {}},
    {"persian_digits_only", "\xDB\xB1\xDB\xB2", ErrorCode::kNoArabic, {}},  // ۱۲: digits are not letters
    {"nul_heavy", std::string("\0\0\0\0a", 5), ErrorCode::kBinaryInput, {}},
    {"utf16le_bom", std::string("\xFF\xFE\x27\x06", 4), ErrorCode::kBinaryInput, {}},
    {"utf16be_bom", std::string("\xFE\xFF\x06\x27", 4), ErrorCode::kBinaryInput, {}},
    {"bad_continuation", "خبر\x80", ErrorCode::kInvalidUtf8, 6},
    {"overlong_slash", "ab\xC0\xAF", ErrorCode::kInvalidUtf8, 2},
    {"surrogate", "\xED\xA0\x80", ErrorCode::kInvalidUtf8, 0},
    {"truncated_at_end", "خبر\xD8", ErrorCode::kInvalidUtf8, 6},
};

class CheckText : public ::testing::TestWithParam<TextCase> {};

TEST_P(CheckText, Row) {
  const TextCase& c = GetParam();
  const isnad::Status s = isnad::check_text(c.text);
  if (!c.error) {
    EXPECT_TRUE(s.ok()) << s.error().message;
    return;
  }
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, *c.error) << s.error().message;
  EXPECT_EQ(s.error().offset, c.offset);
  EXPECT_FALSE(s.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(Rows, CheckText, ::testing::ValuesIn(kTextCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// ---- read_file ----------------------------------------------------------------------------------

TEST(ReadFile, ReadsExactBytes) {
  TempDir dir;
  const std::string bytes = std::string("a\0b\r\n", 5) + "خبر";
  const auto got = isnad::read_file(dir.write("x.txt", bytes), 1024);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, bytes);
}

TEST(ReadFile, LimitIsInclusive) {
  TempDir dir;
  const fs::path p = dir.write("x.txt", "0123456789");
  EXPECT_TRUE(isnad::read_file(p, 10).ok());
  const auto over = isnad::read_file(p, 9);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kTooLarge);
}

TEST(ReadFile, HugeSparseFileIsRefusedBySize) {
  TempDir dir;
  const fs::path p = dir.write("huge.txt", "");
  ASSERT_EQ(::truncate(p.c_str(), 200L * 1024 * 1024), 0);
  const auto got = isnad::read_file(p, std::uint64_t{64} << 20);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(got.error().message.find("209715200"), std::string::npos) << got.error().message;
}

TEST(ReadFile, NotRegularFilesAreIoErrors) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  fs::create_directory(dir / "sub");
  fs::create_symlink(dir / "absent", dir / "dangling");
  for (const char* name : {"fifo", "sub", "dangling", "missing"}) {
    const auto got = isnad::read_file(dir / name, 1024);
    ASSERT_FALSE(got.ok()) << name;
    EXPECT_EQ(got.error().code, ErrorCode::kIo) << name;
  }
  EXPECT_NE(isnad::read_file(dir / "sub", 1024).error().message.find("directory"), std::string::npos);
  EXPECT_NE(isnad::read_file(dir / "dangling", 1024).error().message.find("symbolic link"), std::string::npos);
}

// ---- InputLoader ----------------------------------------------------------------------------------

TEST(InputLoader, PlainTextIdIsStem) {
  TempDir dir;
  isnad::InputLoader loader;
  const auto file = loader.load(dir.write("report.v2.txt", "خبر"));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_EQ(file->documents.size(), 1U);
  EXPECT_EQ(file->documents[0].id, "report.v2");
  EXPECT_EQ(file->documents[0].text, "خبر");
  EXPECT_EQ(file->documents[0].line, 0U);
  EXPECT_TRUE(file->documents[0].published.empty());
}

TEST(InputLoader, SidecarGivesMetadata) {
  TempDir dir;
  dir.write("meta.jsonl",
            R"({"id":"a","outlet":"صحيفة","url":"https://x.example/a","published":"2024-05-15","title":"عنوان"})"
            "\n"
            R"({"id":"b","published":"2024-05-16"})"
            "\n");
  isnad::InputLoader loader;
  const auto a = loader.load(dir.write("a.txt", "خبر أول"));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->rejected.empty());
  ASSERT_EQ(a->documents.size(), 1U);
  EXPECT_EQ(a->documents[0].outlet, "صحيفة");
  EXPECT_EQ(a->documents[0].url, "https://x.example/a");
  EXPECT_EQ(a->documents[0].published, "2024-05-15");
  EXPECT_EQ(a->documents[0].title, "عنوان");

  const auto c = loader.load(dir.write("c.txt", "خبر ثالث"));  // not in the sidecar
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->documents[0].outlet.empty());

  isnad::InputLoader no_sidecar({.max_bytes = 1024, .use_sidecar = false});
  EXPECT_TRUE(no_sidecar.load(dir / "a.txt")->documents[0].outlet.empty());

  // The sidecar named as an input is skipped, not analyzed nor refused.
  const auto meta = loader.load(dir / "meta.jsonl");
  ASSERT_TRUE(meta.ok());
  EXPECT_TRUE(meta->documents.empty());
  EXPECT_TRUE(meta->rejected.empty());
}

TEST(InputLoader, BrokenSidecarLineIsReportedOnce) {
  TempDir dir;
  dir.write("meta.jsonl", "{\"id\":\"a\",\"outlet\":\"صحيفة\"}\n{oops\n");
  isnad::InputLoader loader;
  const auto a = loader.load(dir.write("a.txt", "خبر"));
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->rejected.size(), 1U);
  EXPECT_EQ(a->rejected[0].path, (dir / "meta.jsonl").string());
  EXPECT_EQ(a->rejected[0].error.code, ErrorCode::kParse);
  EXPECT_EQ(a->documents[0].outlet, "صحيفة");  // the good line still counts
  const auto b = loader.load(dir.write("b.txt", "خبر"));
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->rejected.empty());
}

TEST(InputLoader, JsonlRecords) {
  TempDir dir;
  const std::string line1 = R"({"id":"x1","outlet":"وكالة","published":"2024-05-15T08:00:00Z","text":"سطر\nثان"})";
  const std::string line2 = R"({"text":"بلا معرف","url":null})";
  const std::string line3 = R"({"id":42,"text":"رقم"})";
  const std::string line4 = R"({"id":"bad","text":""})";
  const fs::path p = dir.write("feed.jsonl", line1 + "\n" + line2 + "\n" + line3 + "\n" + line4 + "\n");
  isnad::InputLoader loader;
  const auto file = loader.load(p);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->documents.size(), 3U);
  EXPECT_EQ(file->documents[0].id, "x1");
  EXPECT_EQ(file->documents[0].text, "سطر\nثان");  // escapes decoded
  EXPECT_EQ(file->documents[0].published, "2024-05-15T08:00:00Z");
  EXPECT_EQ(file->documents[0].line, 1U);
  EXPECT_EQ(file->documents[1].id, "feed:2");
  EXPECT_EQ(file->documents[2].id, "42");
  ASSERT_EQ(file->rejected.size(), 1U);
  EXPECT_EQ(file->rejected[0].error.code, ErrorCode::kEmptyInput);
  EXPECT_EQ(file->rejected[0].error.offset, line1.size() + line2.size() + line3.size() + 3);
}

TEST(InputLoader, JsonlSyntaxErrorOffsetIsInsideTheLine) {
  TempDir dir;
  const std::string good = R"({"id":"a","text":"خبر"})";
  const std::string bad = R"({"id":"b","text":"خبر",})";  // trailing comma
  const fs::path p = dir.write("f.jsonl", good + "\n" + bad + "\n");
  isnad::InputLoader loader;
  const auto file = loader.load(p);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->rejected.size(), 1U);
  const auto offset = file->rejected[0].error.offset.value_or(0);
  EXPECT_GE(offset, good.size() + 1 + bad.find(",}"));
  EXPECT_LT(offset, good.size() + 1 + bad.size());
  EXPECT_NE(file->rejected[0].error.message.find("line 2"), std::string::npos);
}

TEST(InputLoader, WholeFileErrorsComeBackAsErrors) {
  TempDir dir;
  isnad::InputLoader loader({.max_bytes = 8, .use_sidecar = true});
  EXPECT_EQ(loader.load(dir.write("big.txt", "خبر عاجل جدا")).error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(loader.load(dir.write("e.txt", "")).error().code, ErrorCode::kEmptyInput);
  EXPECT_EQ(loader.load(dir.write("e.jsonl", "\n\n")).error().code, ErrorCode::kEmptyInput);
  EXPECT_EQ(loader.load(dir.write("en.txt", "hello")).error().code, ErrorCode::kNoArabic);
  EXPECT_EQ(loader.load(dir / "nothing.txt").error().code, ErrorCode::kIo);
}

}  // namespace

namespace {

// ---- parse_documents (HTTP API bodies): one row per body shape --------------------------------

struct BodyCase {
  const char* name;
  std::string body;
  std::optional<ErrorCode> whole_error;  // set: the body is refused as a whole
  std::vector<std::string> ids;          // accepted documents, in order ("" = no id given)
  std::vector<std::string> rejected;     // start of each record error message
};

const std::string kText = "اندلع حريق في المستودع";

std::string record(const std::string& fields) { return "{" + fields + "\"text\":\"" + kText + "\"}"; }

const BodyCase kBodyCases[] = {
    {"OneObject", record("\"id\":\"a\","), std::nullopt, {"a"}, {}},
    {"OneObjectOverSeveralLines", "{\n  \"id\": \"a\",\n  \"text\": \"" + kText + "\"\n}\n", std::nullopt, {"a"}, {}},
    {"ObjectWithoutIdKeepsItEmpty", record(""), std::nullopt, {""}, {}},
    {"IntegerId", record("\"id\":7,"), std::nullopt, {"7"}, {}},
    {"Array", "[" + record("\"id\":\"a\",") + "," + record("\"id\":\"b\",") + "]", std::nullopt, {"a", "b"}, {}},
    {"ArrayWithBadItem", "[" + record("\"id\":\"a\",") + ",{\"id\":\"b\"},3]", std::nullopt, {"a"},
     {"item 2: record \"b\" has no \"text\"", "item 3: not a JSON object"}},
    {"JsonLines", record("\"id\":\"a\",") + "\n" + record("\"id\":\"b\",") + "\n", std::nullopt, {"a", "b"}, {}},
    {"JsonLinesWithBrokenLine", record("\"id\":\"a\",") + "\n{\"id\":\n" + record("\"id\":\"c\",") + "\n", std::nullopt,
     {"a", "c"}, {"line 2: invalid JSON"}},
    {"TextWithoutArabic", "{\"id\":\"a\",\"text\":\"hello\"}", std::nullopt, {}, {"item 1: record \"a\": "}},
    {"WrongFieldType", "{\"id\":\"a\",\"outlet\":3,\"text\":\"" + kText + "\"}", std::nullopt, {},
     {"item 1: field \"outlet\" must be a string"}},
    {"Empty", "", ErrorCode::kEmptyInput, {}, {}},
    {"OnlyWhiteSpace", " \n\t ", ErrorCode::kEmptyInput, {}, {}},
    {"EmptyArray", "[]", ErrorCode::kEmptyInput, {}, {}},
    {"NotJson", "text=hello", ErrorCode::kParse, {}, {}},
    {"Number", "42", ErrorCode::kParse, {}, {}},
    {"TruncatedObject", "{\"id\":\"a\",\"text\":\"" + kText, ErrorCode::kParse, {}, {}},
    {"InvalidUtf8InString", "{\"id\":\"a\",\"text\":\"\xff\xfe\"}", ErrorCode::kParse, {}, {}},
};

class ParseDocuments : public ::testing::TestWithParam<BodyCase> {};

TEST_P(ParseDocuments, Row) {
  const BodyCase& c = GetParam();
  const auto parsed = isnad::parse_documents(c.body, "body");
  if (c.whole_error) {
    ASSERT_FALSE(parsed) << "accepted";
    EXPECT_EQ(parsed.error().code, *c.whole_error) << parsed.error().message;
    EXPECT_LE(parsed.error().offset.value_or(0), c.body.size());
    return;
  }
  ASSERT_TRUE(parsed) << parsed.error().message;
  std::vector<std::string> ids;
  for (const auto& d : parsed->documents) {
    ids.push_back(d.id);
    EXPECT_EQ(d.text, kText);
  }
  EXPECT_EQ(ids, c.ids);
  ASSERT_EQ(parsed->rejected.size(), c.rejected.size());
  for (std::size_t i = 0; i < c.rejected.size(); ++i) {
    EXPECT_EQ(parsed->rejected[i].error.message.rfind(c.rejected[i], 0), 0u) << parsed->rejected[i].error.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, ParseDocuments, ::testing::ValuesIn(kBodyCases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(ParseDocuments, JsonLinesErrorOffsetPointsIntoTheBody) {
  const std::string good = record("\"id\":\"a\",");
  const auto parsed = isnad::parse_documents(good + "\n{\"id\": oops}\n", "body");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->rejected.size(), 1u);
  const auto offset = parsed->rejected[0].error.offset;
  ASSERT_TRUE(offset);
  EXPECT_GT(*offset, good.size());
  EXPECT_LT(*offset, good.size() + 14);
}

TEST(InputLoader, JsonlRecordWithoutIdIsNamedAfterFileAndLine) {
  TempDir dir;
  std::string batch = "\n";  // the record is on line 2
  batch += record("");
  const auto file = isnad::InputLoader().load(dir.write("batch.jsonl", batch));
  ASSERT_TRUE(file);
  ASSERT_EQ(file->documents.size(), 1u);
  EXPECT_EQ(file->documents[0].id, "batch:2");
}

}  // namespace
