// Bad inputs to `isnad analyze`, run through the real binary: every one is reported on stderr as
// `isnad: FILE[:OFFSET]: reason`, the good file given alongside is still analyzed, the exit
// status is 1, and nothing crashes or hangs.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "cli/cli_runner.h"

namespace fs = std::filesystem;
using isnad::testing::CliResult;
using isnad::testing::run_cli;
using isnad::testing::TempDir;

namespace {

// Our own sentence: a short but valid Arabic document.
const std::string kGoodText = "أعلنت السلطات المحلية إغلاق الطريق الساحلي أمام حركة المرور صباح اليوم.\n";

struct BadCase {
  const char* name;
  fs::path (*make)(const TempDir&);
  const char* reason;                  // must appear in the message
  std::optional<std::uint64_t> offset;  // expected `:OFFSET` after the file name, if any
};

const BadCase kCases[] = {
    {"empty", [](const TempDir& d) { return d.write("empty.txt", ""); }, "empty", {}},
    {"white_space_only", [](const TempDir& d) { return d.write("blank.txt", " \n\t\r\n  "); }, "white space", {}},
    {"binary",
     [](const TempDir& d) {
       std::string bytes;
       for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>((i * 37) & 0xFF));
       return d.write("image.txt", bytes);
     },
     "binary", {}},
    {"utf16",
     [](const TempDir& d) { return d.write("utf16.txt", std::string("\xFF\xFE\x27\x06\x44\x06", 6)); }, "UTF-16", {}},
    // "خبر " is 7 bytes; the lone continuation byte after it is the first bad byte.
    {"invalid_utf8_middle", [](const TempDir& d) { return d.write("bad.txt", "خبر \x80 عاجل"); }, "invalid UTF-8", 7},
    // A lead byte cut off at the end of the file (a truncated download).
    {"invalid_utf8_truncated", [](const TempDir& d) { return d.write("cut.txt", "خبر عاجل \xD8"); }, "invalid UTF-8",
     16},
    // Windows-1256 bytes of an Arabic word: the first byte is already invalid.
    {"windows_1256", [](const TempDir& d) { return d.write("cp1256.txt", "\xC7\xE1\xCE\xC8\xD1"); }, "invalid UTF-8",
     0},
    {"no_arabic",
     [](const TempDir& d) { return d.write("english.txt", "The road was closed this morning.\n"); },
     "no Arabic text", {}},
    {"too_large",
     [](const TempDir& d) {
       const fs::path p = d.write("huge.txt", "");
       // Sparse: 200 MB on paper, nothing on disk. Had it been read, it would be "binary" (all NUL).
       EXPECT_EQ(::truncate(p.c_str(), 200L * 1024 * 1024), 0);
       return p;
     },
     "too large", {}},
    {"directory",
     [](const TempDir& d) {
       fs::create_directory(d / "articles");
       d.write("articles/inside.txt", kGoodText);
       return d / "articles";
     },
     "is a directory", {}},
    {"nonexistent", [](const TempDir& d) { return d / "missing.txt"; }, "no such file", {}},
    {"broken_symlink",
     [](const TempDir& d) {
       fs::create_symlink(d / "gone.txt", d / "link.txt");
       return d / "link.txt";
     },
     "broken symbolic link", {}},
    // A FIFO nobody writes to: a naive open() would block forever.
    {"fifo",
     [](const TempDir& d) {
       EXPECT_EQ(::mkfifo((d / "pipe.txt").c_str(), 0600), 0);
       return d / "pipe.txt";
     },
     "not a regular file", {}},
    {"jsonl_blank_lines_only", [](const TempDir& d) { return d.write("none.jsonl", "\n  \n"); }, "no records", {}},
};

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, IsReportedAndOthersStillAnalyzed) {
  const BadCase& c = GetParam();
  TempDir dir;
  const fs::path bad = c.make(dir);
  const fs::path good = dir.write("good.txt", kGoodText);

  // The bad file first and last, so a failure cannot stop the run or eat the good document.
  const CliResult r = run_cli({"analyze", bad.string(), good.string(), bad.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;

  std::string prefix = "isnad: " + bad.string();
  if (c.offset) prefix += ":" + std::to_string(*c.offset);
  prefix += ": ";
  const auto errors = r.err_lines();
  ASSERT_EQ(errors.size(), 2U) << r.err;
  for (const auto& line : errors) {
    EXPECT_EQ(line.rfind(prefix, 0), 0U) << "expected prefix '" << prefix << "' in: " << line;
    EXPECT_NE(line.find(c.reason), std::string::npos) << line;
  }

  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 1U) << r.out;
  const auto doc = nlohmann::json::parse(lines[0], nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc.value("id", ""), "good");
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInput, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(BadInputMore, PermissionDeniedIsReported) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode; FIFO and symlink cases cover I/O";
  TempDir dir;
  const fs::path locked = dir.write("locked.txt", kGoodText);
  fs::permissions(locked, fs::perms::none);
  const CliResult r = run_cli({"analyze", locked.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "isnad: " + locked.string() + ": permission denied\n");
  EXPECT_TRUE(r.out.empty());
}

TEST(BadInputMore, MaxBytesIsConfigurable) {
  TempDir dir;
  const fs::path good = dir.write("good.txt", kGoodText);
  const CliResult small = run_cli({"analyze", "--max-bytes", "16", good.string()});
  EXPECT_EQ(small.exit_code, 1);
  EXPECT_NE(small.err.find("too large"), std::string::npos) << small.err;
  EXPECT_NE(small.err.find("--max-bytes"), std::string::npos) << "the message should say how to raise the limit";

  const CliResult units = run_cli({"analyze", "--max-bytes", "1KiB", good.string()});
  EXPECT_EQ(units.exit_code, 0) << units.err;
  EXPECT_EQ(units.out_lines().size(), 1U);
}

TEST(BadInputMore, EveryBadFileIsReportedOnce) {
  TempDir dir;
  const fs::path empty = dir.write("a.txt", "");
  const fs::path english = dir.write("b.txt", "hello");
  const fs::path good = dir.write("c.txt", kGoodText);
  const CliResult r = run_cli({"analyze", empty.string(), (dir / "nope.txt").string(), english.string(),
                               good.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err_lines().size(), 3U) << r.err;
  EXPECT_EQ(r.out_lines().size(), 1U);
}

TEST(BadInputMore, AllInputsBadStillExitsOne) {
  TempDir dir;
  const CliResult r = run_cli({"analyze", (dir / "nope.txt").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
}

// Line offsets of the JSONL file below, so expected offsets are computed, not copied.
TEST(BadInputMore, MalformedJsonlLinesAreReportedWithOffsetsAndSkipped) {
  const std::string l1 = R"({"id":"one","text":"انقطع التيار الكهربائي عن الحي الشرقي."})";
  const std::string l2 = R"({"id":"two", "text": نص بلا علامات تنصيص})";
  const std::string l3 = R"(["not", "an", "object"])";
  const std::string l4 = R"({"id":"four","title":"no text field"})";
  const std::string l5 = R"({"id":"five","text":"Only English here."})";
  const std::string l6 = R"({"id":"six","text":"عاد التيار بعد ساعتين.","outlet":7})";
  const std::string l7 = R"({"id":"seven","text":"عاد التيار بعد ساعتين."})";
  TempDir dir;
  const std::string content = l1 + "\n" + l2 + "\r\n" + l3 + "\n\n" + l4 + "\n" + l5 + "\n" + l6 + "\n" + l7;
  const fs::path file = dir.write("feed.jsonl", content);

  const CliResult r = run_cli({"analyze", file.string()});
  EXPECT_EQ(r.exit_code, 1);
  const auto errors = r.err_lines();
  ASSERT_EQ(errors.size(), 5U) << r.err;

  const std::size_t start2 = content.find(l2), start3 = content.find(l3), start4 = content.find(l4),
                    start5 = content.find(l5), start6 = content.find(l6);
  // The syntax error points inside line 2, at or after the unquoted text.
  const std::string head2 = "isnad: " + file.string() + ":";
  ASSERT_EQ(errors[0].rfind(head2, 0), 0U) << errors[0];
  const auto offset2 = std::stoull(errors[0].substr(head2.size()));
  EXPECT_GE(offset2, start2 + l2.find("نص"));
  EXPECT_LT(offset2, start2 + l2.size());
  EXPECT_NE(errors[0].find("line 2: invalid JSON"), std::string::npos) << errors[0];

  auto expect_line = [&](const std::string& line, std::size_t offset, const std::string& text) {
    const std::string prefix = "isnad: " + file.string() + ":" + std::to_string(offset) + ": ";
    EXPECT_EQ(line.rfind(prefix, 0), 0U) << line << "\nexpected prefix " << prefix;
    EXPECT_NE(line.find(text), std::string::npos) << line;
  };
  expect_line(errors[1], start3, "line 3: not a JSON object");
  expect_line(errors[2], start4, "line 5: record \"four\" has no \"text\"");
  expect_line(errors[3], start5, "line 6: record \"five\": no Arabic text");
  expect_line(errors[4], start6, "line 7: field \"outlet\" must be a string");

  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(r.out, ok);
  ASSERT_TRUE(ok) << r.out;
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_EQ(docs[0]["id"], "one");
  EXPECT_EQ(docs[1]["id"], "seven");
}

struct UsageCase {
  const char* name;
  std::vector<std::string> args;
};

class UsageError : public ::testing::TestWithParam<UsageCase> {};

TEST_P(UsageError, ExitsTwoWithoutOutput) {
  TempDir dir;
  const fs::path good = dir.write("good.txt", kGoodText);
  std::vector<std::string> args = GetParam().args;
  for (auto& a : args) {
    if (a == "GOOD") a = good.string();
  }
  const CliResult r = run_cli(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(r.err.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UsageError,
    ::testing::Values(UsageCase{"no_file", {"analyze"}}, UsageCase{"unknown_option", {"analyze", "--frobnicate", "GOOD"}},
                      UsageCase{"bad_format", {"analyze", "--format", "xml", "GOOD"}},
                      UsageCase{"bad_published_month", {"analyze", "--published", "2024-13-01", "GOOD"}},
                      UsageCase{"bad_published_day", {"analyze", "--published", "2023-02-29", "GOOD"}},
                      UsageCase{"bad_published_shape", {"analyze", "--published", "yesterday", "GOOD"}},
                      UsageCase{"bad_max_bytes", {"analyze", "--max-bytes", "lots", "GOOD"}},
                      UsageCase{"no_subcommand", {}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
