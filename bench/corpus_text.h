// Benchmark input: a large Arabic text assembled at run time from the shared corpora (never
// committed). SaudiNewsNet article bodies up to `max_bytes`; NewsFANE tokens if that is absent.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace isnad::bench {

// Empty when no corpus is found. Honours $ISNAD_BENCH_MB (default 20) and $ISNAD_SHARED_DIR.
const std::string& corpus_text();
// The SaudiNewsNet article bodies that follow corpus_text(), up to the same size (less when the
// corpus runs out; empty without SaudiNewsNet): text whose rare words a cache warmed on
// corpus_text() has not seen.
const std::string& corpus_text_unseen();

struct Article {
  std::string text;
  std::string published;  // "YYYY-MM-DD" as in the corpus, may be empty
};
// SaudiNewsNet articles one by one (the unit isnad::analyze is called on), up to
// $ISNAD_PIPELINE_MB (default 4) of text; empty when the corpus is absent.
const std::vector<Article>& corpus_articles();

}  // namespace isnad::bench
