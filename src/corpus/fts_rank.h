// The SQLite FTS5 ranking function "isnad_bm25": FTS5's own bm25() (same formula, same operations,
// so the same scores to the last bit), without its per-row cost. bm25() asks FTS5 for each
// matching row's length, a B-tree lookup in the %_docsize table per row: 90 % of the time of a
// frequent word's search at 100k documents (63 of 71 ms). Here lengths come from an array by
// rowid, read once per connection and extended as documents are added.
//
// Memory: 2 bytes per document per connection (rows of 65,535 terms or more are looked up in
// FTS5 as before).
#pragma once

#include <cstdint>
#include <vector>

#include "isnad/status.h"

struct sqlite3;

namespace isnad::corpus {

// Terms per document (title and text), by rowid, as FTS5 counted them; kept by the connection.
struct DocumentLengths {
  static constexpr std::uint16_t kUnknown = 0xffff;  // not loaded, or too long for 16 bits
  std::vector<std::uint16_t> terms;
  std::int64_t loaded_through = 0;  // every rowid up to this one has been read
};

// Registers isnad_bm25(documents_fts, title weight, text weight) on one connection; `lengths`
// must outlive the connection.
Status register_fts_rank(sqlite3* db, DocumentLengths* lengths);

}  // namespace isnad::corpus
