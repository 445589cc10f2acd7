// The SQLite FTS5 tokenizer "isnad": FTS5 indexes and queries through our Arabic analyzer
// (normalize → clitic-aware tokens → stopwords → light stems), so a search for بوتين finds
// ولبوتين and a query typed without hamza or with ى finds the folded forms.
#pragma once

#include "isnad/status.h"

struct sqlite3;

namespace isnad::corpus {

// Registers the tokenizer on one connection; must run before any FTS5 table using it is touched.
Status register_fts_tokenizer(sqlite3* db);

}  // namespace isnad::corpus
