// Runs the API-body / JSONL fuzz body (tests/fuzz/documents_body.h) in the ordinary build: over
// its seed corpus and saved regressions, random bytes, and random bodies built from JSON pieces.
// A broken invariant aborts the binary with the failing check printed (tests/fuzz/fuzz_check.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/documents_body.h"

namespace isnad {
namespace {

int run(const std::string& input) {
  return fuzz::documents_one(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::size_t run_directory(const char* kind) {
  std::size_t files = 0;
  std::error_code ec;
  const auto dir = std::filesystem::path(ISNAD_TEST_DIR) / "fuzz" / kind / "documents";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    EXPECT_EQ(run(buffer.str()), 0) << entry.path();
    ++files;
  }
  return files;
}

TEST(DocumentsFuzzSmoke, SeedCorpus) { EXPECT_GE(run_directory("corpus"), 8u); }

// Crashers found by fuzzing and since fixed: they must stay fixed.
TEST(DocumentsFuzzSmoke, Regressions) { run_directory("regressions"); }

TEST(DocumentsFuzzSmoke, RandomBytes) {
  std::mt19937 rng(20240324);
  for (int i = 0; i < 2000; ++i) {
    std::string input = isnad::fuzz::random_bytes(rng, 256);
    // Half start like JSON so the parser gets past the first byte.
    if (i % 2 == 0 && !input.empty()) input[0] = i % 4 == 0 ? '{' : '[';
    EXPECT_EQ(run(input), 0);
  }
}

// Bodies built from the tokens the readers react to: structure, field names, escapes, Arabic and
// Latin text, broken UTF-8, line breaks that turn one value into JSON Lines.
const char* const kPieces[] = {
    "{",       "}",          "[",         "]",         ",",          ":",        "\"",        "\n",
    "\r\n",    " ",          "\t",        "\"id\":",   "\"text\":",  "\"title\":", "\"url\":", "\"outlet\":",
    "\"published\":", "\"extra\":", "\"خبر عاجل\"", "\"قال المتحدث إن الطريق مغلق\"", "\"news\"",
    "\"\"",    "null",       "true",      "false",     "0",          "-1",       "12",        "1e999",
    "2024",    "\"2024-03-24\"", "\\\"",  "\\n",       "\\u0627",    "\\u0000",  "\\ud83d",   "\\ude00",
    "\\",      "\xd8",       "\xff",      "\xd8\xa7",  "\xEF\xBB\xBF", "\x00",   "ا",         "نص",
    "{\"text\":\"وصل الوفد\"}", "{\"id\":1,\"text\":\"أعلنت البلدية\"}", "[{\"text\":\"هطلت الأمطار\"}]",
};

TEST(DocumentsFuzzSmoke, RandomJsonMixes) {
  std::mt19937 rng(137);
  std::uniform_int_distribution<int> count(0, 60);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  for (int i = 0; i < 3000; ++i) {
    std::string input;
    for (int k = count(rng); k > 0; --k) {
      const std::size_t p = piece(rng);
      // "\x00" is one NUL byte, which a C string cannot carry.
      input += std::string_view(kPieces[p]).empty() ? std::string(1, '\0') : std::string(kPieces[p]);
    }
    EXPECT_EQ(run(input), 0);
  }
}

// Many lines: the JSON Lines path and line numbering over a long body.
TEST(DocumentsFuzzSmoke, LongJsonLines) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  for (int i = 0; i < 10; ++i) {
    std::string input;
    for (int k = 0; k < 2000; ++k) {
      input += k % 3 == 0 ? "{\"text\":\"سجلت المحطة هزة\"}\n" : kPieces[piece(rng)];
    }
    EXPECT_EQ(run(input), 0);
  }
}

}  // namespace
}  // namespace isnad
