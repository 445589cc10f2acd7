// Benchmark input: a large Arabic text assembled at run time from the shared corpora (never
// committed). SaudiNewsNet article bodies up to `max_bytes`; NewsFANE tokens if that is absent.
#pragma once

#include <cstddef>
#include <string>

namespace isnad::bench {

// Empty when no corpus is found. Honours $ISNAD_BENCH_MB (default 20) and $ISNAD_SHARED_DIR.
const std::string& corpus_text();

}  // namespace isnad::bench
