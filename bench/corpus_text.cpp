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

std::size_t budget(const char* variable, long fallback) {
  const char* env = std::getenv(variable);
  const long mb = env ? std::atol(env) : fallback;
  return static_cast<std::size_t>(mb > 0 ? mb : fallback) << 20;
}

// Article bodies, skipping the first `skip_bytes` worth of them (whole articles).
std::string from_saudinewsnet(std::size_t max_bytes, std::size_t skip_bytes = 0) {
  std::ifstream in(shared_dir() + "/data/news/saudinewsnet/corpus.jsonl");
  std::string text, line;
  std::size_t skipped = 0;
  while (text.size() < max_bytes && std::getline(in, line)) {
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.contains("text") || !doc["text"].is_string()) continue;
    const std::string body = doc["text"].get<std::string>();
    if (skipped < skip_bytes) {
      skipped += body.size() + 2;
      continue;
    }
    text += body;
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
    const std::size_t max_bytes = budget("ISNAD_BENCH_MB", 20);
    std::string t = from_saudinewsnet(max_bytes);
    if (t.empty()) t = from_newsfane(max_bytes);
    return t;
  }();
  return text;
}

const std::string& corpus_text_unseen() {
  static const std::string text = [] {
    const std::size_t max_bytes = budget("ISNAD_BENCH_MB", 20);
    return from_saudinewsnet(max_bytes, max_bytes);
  }();
  return text;
}

const std::vector<Article>& corpus_articles() {
  static const std::vector<Article> articles = [] {
    const std::size_t max_bytes = budget("ISNAD_PIPELINE_MB", 4);
    std::vector<Article> out;
    std::ifstream in(shared_dir() + "/data/news/saudinewsnet/corpus.jsonl");
    std::size_t total = 0;
    for (std::string line; total < max_bytes && std::getline(in, line);) {
      const auto doc = nlohmann::json::parse(line, nullptr, false);
      if (doc.is_discarded() || !doc.contains("text") || !doc["text"].is_string()) continue;
      Article a{doc["text"].get<std::string>(), doc.value("published", std::string{})};
      total += a.text.size();
      out.push_back(std::move(a));
    }
    return out;
  }();
  return articles;
}

}  // namespace isnad::bench
