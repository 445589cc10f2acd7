// `isnad analyze` end to end through the real binary: the demo corpus with its meta.jsonl
// sidecar, JSONL input, --published, --format text, --help and exit status.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.h"

namespace fs = std::filesystem;
using isnad::testing::CliResult;
using isnad::testing::run_cli;
using isnad::testing::slurp;
using isnad::testing::TempDir;
using ordered_json = nlohmann::ordered_json;

namespace {

const fs::path kDemo = fs::path(ISNAD_SOURCE_DIR) / "demo" / "corpus";

std::vector<std::string> demo_files() {
  std::vector<std::string> files;
  for (const char* name : {"01_dhiffa.txt", "02_sahl.txt", "03_mirat.txt", "04_nakhil.txt"}) {
    files.push_back((kDemo / name).string());
  }
  return files;
}

std::vector<ordered_json> analyze_json(const std::vector<std::string>& args, int expected_exit = 0) {
  std::vector<std::string> full{"analyze"};
  full.insert(full.end(), args.begin(), args.end());
  const CliResult r = run_cli(full);
  EXPECT_EQ(r.exit_code, expected_exit) << r.err;
  bool ok = false;
  auto docs = isnad::testing::parse_json_lines(r.out, ok);
  EXPECT_TRUE(ok) << r.out;
  return docs;
}

bool has_number(const ordered_json& doc, double value, const std::string& qualifier) {
  return std::any_of(doc["numbers"].begin(), doc["numbers"].end(), [&](const ordered_json& n) {
    return n["value"].get<double>() == value && n["qualifier"] == qualifier;
  });
}

bool has_date(const ordered_json& doc, const std::string& value, const std::string& granularity) {
  return std::any_of(doc["dates"].begin(), doc["dates"].end(),
                     [&](const ordered_json& d) { return d["value"] == value && d["granularity"] == granularity; });
}

TEST(Analyze, DemoCorpusTakesPublishedDatesFromSidecar) {
  const auto docs = analyze_json(demo_files());
  ASSERT_EQ(docs.size(), 4U);
  EXPECT_EQ(docs[0]["id"], "01_dhiffa");
  EXPECT_EQ(docs[0]["published"], "2024-05-15");
  EXPECT_EQ(docs[2]["id"], "03_mirat");
  EXPECT_EQ(docs[2]["published"], "2024-05-16");
}

TEST(Analyze, PublishedOptionOverridesSidecar) {
  const auto docs = analyze_json({"--published", "2024-06-01", demo_files()[0]});
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_EQ(docs[0]["published"], "2024-06-01");
}

TEST(Analyze, NoDateKnownMeansNullPublished) {
  TempDir dir;
  const auto docs = analyze_json({dir.write("x.txt", "اندلع حريق في المصنع مساء الثلاثاء.").string()});
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_TRUE(docs[0]["published"].is_null());
}

// What the demo articles were written to contain (see demo/README.md).
TEST(Analyze, DemoCorpusFiguresAndDates) {
  const auto docs = analyze_json(demo_files());
  ASSERT_EQ(docs.size(), 4U);
  EXPECT_TRUE(has_number(docs[0], 12, "at_least")) << docs[0]["numbers"].dump();
  EXPECT_TRUE(has_number(docs[0], 2009, "exact") || has_date(docs[0], "2009", "year")) << docs[0].dump();
  EXPECT_TRUE(has_date(docs[0], "2024-05-14", "day")) << "مساء الثلاثاء, published Wednesday 2024-05-15: "
                                                      << docs[0]["dates"].dump();
  EXPECT_TRUE(has_number(docs[1], 40, "about")) << docs[1]["numbers"].dump();
  EXPECT_TRUE(has_date(docs[1], "2024-05-14", "day")) << "14 أيار/مايو 2024: " << docs[1]["dates"].dump();
  EXPECT_TRUE(has_number(docs[2], 20, "about")) << docs[2]["numbers"].dump();
  EXPECT_TRUE(has_number(docs[2], 50, "more_than")) << docs[2]["numbers"].dump();
  EXPECT_TRUE(has_number(docs[3], 15, "at_least")) << docs[3]["numbers"].dump();
  EXPECT_TRUE(has_date(docs[3], "2024-05-15", "day")) << "أمس الأربعاء, published 2024-05-16: "
                                                      << docs[3]["dates"].dump();
}

TEST(Analyze, SpansQuoteTheOriginalBytes) {
  const auto files = demo_files();
  const auto docs = analyze_json(files);
  ASSERT_EQ(docs.size(), files.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const std::string text = slurp(files[i]);
    for (const char* kind : {"numbers", "dates"}) {
      for (const auto& m : docs[i][kind]) {
        const auto b = m["span"][0].get<std::size_t>(), e = m["span"][1].get<std::size_t>();
        ASSERT_LE(e, text.size());
        EXPECT_EQ(m["text"], text.substr(b, e - b)) << m.dump();
      }
    }
  }
}

// Diacritics, tatweel and Eastern Arabic digits make normalized and original offsets differ;
// the output must still point at the original bytes.
TEST(Analyze, SpansSurviveNormalization) {
  TempDir dir;
  const std::string text = "قُتِلَ ما لا يقلّ عن ١٣٧ شخصاً، وأُصيـــب ١٥٠ آخرون.";
  const auto docs = analyze_json({dir.write("marks.txt", text).string()});
  ASSERT_EQ(docs.size(), 1U);
  const auto& numbers = docs[0]["numbers"];
  ASSERT_GE(numbers.size(), 2U) << numbers.dump();
  for (const auto& n : numbers) {
    const auto b = n["span"][0].get<std::size_t>(), e = n["span"][1].get<std::size_t>();
    EXPECT_EQ(n["text"], text.substr(b, e - b));
  }
  EXPECT_TRUE(has_number(docs[0], 137, "at_least")) << numbers.dump();
  EXPECT_TRUE(has_number(docs[0], 150, "exact")) << numbers.dump();
  for (const auto& s : docs[0]["sentences"]) EXPECT_LE(s["span"][1].get<std::size_t>(), text.size());
}

TEST(Analyze, JsonlInput) {
  TempDir dir;
  const std::string t1 = "أعلنت الشرطة اعتقال 3 أشخاص يوم الجمعة.";
  const std::string t2 = "وصل نحو 200 متطوع إلى الموقع.";
  const ordered_json r1 = {{"id", "j1"}, {"outlet", "وكالة"}, {"published", "2024-03-24"}, {"text", t1}};
  const ordered_json r2 = {{"id", "j2"}, {"text", t2}};
  const fs::path file = dir.write("feed.jsonl", r1.dump() + "\n" + r2.dump() + "\n");

  const auto docs = analyze_json({file.string()});
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_EQ(docs[0]["id"], "j1");
  EXPECT_EQ(docs[0]["published"], "2024-03-24");
  EXPECT_EQ(docs[1]["id"], "j2");
  EXPECT_TRUE(docs[1]["published"].is_null());
  // Spans index the record's text, not the JSONL file.
  const std::string* texts[] = {&t1, &t2};
  for (std::size_t i = 0; i < 2; ++i) {
    for (const auto& n : docs[i]["numbers"]) {
      const auto b = n["span"][0].get<std::size_t>(), e = n["span"][1].get<std::size_t>();
      ASSERT_LE(e, texts[i]->size());
      EXPECT_EQ(n["text"], texts[i]->substr(b, e - b));
    }
  }
  EXPECT_TRUE(has_number(docs[0], 3, "exact")) << docs[0]["numbers"].dump();
  EXPECT_TRUE(has_date(docs[0], "2024-03-22", "day")) << docs[0]["dates"].dump();
  EXPECT_TRUE(has_number(docs[1], 200, "about")) << docs[1]["numbers"].dump();

  // --published applies to JSONL records too, over their own date.
  const auto over = analyze_json({"--published", "2024-03-31", file.string()});
  ASSERT_EQ(over.size(), 2U);
  EXPECT_EQ(over[0]["published"], "2024-03-31");
  EXPECT_EQ(over[1]["published"], "2024-03-31");
  EXPECT_TRUE(has_date(over[0], "2024-03-29", "day")) << over[0]["dates"].dump();
}

TEST(Analyze, TextFormatMatchesJson) {
  const std::string file = demo_files()[1];
  const auto docs = analyze_json({file});
  ASSERT_EQ(docs.size(), 1U);
  const CliResult r = run_cli({"analyze", "--format", "text", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string& out = r.out;
  EXPECT_EQ(out.rfind("== 02_sahl", 0), 0U) << out;
  EXPECT_NE(out.find("وكالة السهل للأنباء"), std::string::npos) << "outlet from meta.jsonl";
  EXPECT_NE(out.find("published: 2024-05-15"), std::string::npos);
  EXPECT_NE(out.find("Sentences (" + std::to_string(docs[0]["sentences"].size()) + ")"), std::string::npos) << out;
  EXPECT_NE(out.find("Numbers (" + std::to_string(docs[0]["numbers"].size()) + ")"), std::string::npos) << out;
  EXPECT_NE(out.find("Dates (" + std::to_string(docs[0]["dates"].size()) + ")"), std::string::npos) << out;
  for (const auto& n : docs[0]["numbers"]) {
    EXPECT_NE(out.find("«" + n["text"].get<std::string>() + "»"), std::string::npos) << n.dump();
  }
  for (const auto& d : docs[0]["dates"]) {
    EXPECT_NE(out.find(d["value"].get<std::string>()), std::string::npos) << d.dump();
  }
  EXPECT_FALSE(out.starts_with("{")) << "text format must not be JSON";
}

TEST(Analyze, SidecarProblemsAreReportedButDocumentsStillAnalyzed) {
  TempDir dir;
  dir.write("meta.jsonl", "{\"id\":\"a\",\"outlet\":\"صحيفة\",\"published\":\"2024-05-15\"}\nnot json\n");
  const fs::path a = dir.write("a.txt", "خبر قصير عن حريق.");
  const fs::path b = dir.write("b.txt", "خبر قصير آخر.");
  const CliResult r = run_cli({"analyze", a.string(), b.string(), (dir / "meta.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  const auto errors = r.err_lines();
  ASSERT_EQ(errors.size(), 1U) << r.err;
  EXPECT_EQ(errors[0].rfind("isnad: " + (dir / "meta.jsonl").string() + ":", 0), 0U) << errors[0];
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(r.out, ok);
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_EQ(docs[0]["published"], "2024-05-15");
  EXPECT_TRUE(docs[1]["published"].is_null());
}

TEST(Analyze, WholeDemoDirectoryGlobSkipsTheSidecar) {
  std::vector<std::string> all;
  for (const auto& entry : fs::directory_iterator(kDemo)) all.push_back(entry.path().string());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 5U) << "4 articles and meta.jsonl";
  const auto docs = analyze_json(all);
  EXPECT_EQ(docs.size(), 4U);
}

// A date that cannot be read is a warning, not a rejection: the document is still analyzed.
TEST(Analyze, UnreadablePublishedDateIsAWarning) {
  TempDir dir;
  const ordered_json record = {{"id", "w"}, {"published", "last week"}, {"text", "اندلع حريق مساء الثلاثاء."}};
  const fs::path file = dir.write("w.jsonl", record.dump() + "\n");
  const CliResult r = run_cli({"analyze", file.string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("last week"), std::string::npos) << r.err;
  bool ok = false;
  const auto docs = isnad::testing::parse_json_lines(r.out, ok);
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_TRUE(docs[0]["published"].is_null());
  EXPECT_TRUE(docs[0]["dates"].empty()) << "a weekday cannot be resolved without a date: " << docs[0]["dates"].dump();
}

TEST(Analyze, ExitZeroAndStderrQuietOnGoodInput) {
  const CliResult r = run_cli({"analyze", demo_files()[0], demo_files()[3]});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_EQ(r.out_lines().size(), 2U);
}

TEST(Analyze, HelpExplainsOutputExampleAndExitStatus) {
  const CliResult r = run_cli({"analyze", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* needle : {"isnad/1", "--published", "--format", "--max-bytes", "meta.jsonl", "Exit status",
                             "isnad analyze demo/corpus/*.txt", "FILE[:BYTE-OFFSET]"}) {
    EXPECT_NE(r.out.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
