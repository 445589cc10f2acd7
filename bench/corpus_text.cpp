#include "corpus_text.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

namespace isnad::bench {

namespace {

std::string shared_dir() {
  const char* env = std::getenv("ISNAD_SHARED_DIR");
  return env && *env ? env : ISNAD_SHARED_DIR;
}

std::size_t budget() {
  const char* env = std::getenv("ISNAD_BENCH_MB");
  const long mb = env ? std::atol(env) : 20;
  return static_cast<std::size_t>(mb > 0 ? mb : 20) << 20;
}

std::string from_saudinewsnet(std::size_t max_bytes) {
  std::ifstream in(shared_dir() + "/data/news/saudinewsnet/corpus.jsonl");
  std::string text, line;
  while (text.size() < max_bytes && std::getline(in, line)) {
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.contains("text") || !doc["text"].is_string()) continue;
    text += doc["text"].get<std::string>();
    text += "\n\n";
  }
  return text;
}

// NewsFANE is one token per line with a tag: rebuild running text from the first column.
std::string from_newsfane(std::size_t max_bytes) {
  std::ifstream in(shared_dir() + "/data/ner/newsfane/NewsFANE_Gold_2014_170K.txt");
  std::string text, line;
  while (text.size() < max_bytes && std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    text.append(line, 0, tab);
    text += ' ';
  }
  return text;
}

}  // namespace

const std::string& corpus_text() {
  static const std::string text = [] {
    const std::size_t max_bytes = budget();
    std::string t = from_saudinewsnet(max_bytes);
    if (t.empty()) t = from_newsfane(max_bytes);
    return t;
  }();
  return text;
}

}  // namespace isnad::bench
