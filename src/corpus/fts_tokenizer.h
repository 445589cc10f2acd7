// The SQLite FTS5 tokenizer "isnad": FTS5 indexes and queries through our Arabic analyzer
// (normalize → clitic-aware tokens → stopwords → light stems), so a search for بوتين finds
// ولبوتين and a query typed without hamza or with ى finds the folded forms.
#pragma once

#include <string_view>

#include "isnad/analyzer.h"
#include "isnad/status.h"

struct sqlite3;
struct fts5_api;

namespace isnad::corpus {

// The connection's FTS5 extension interface, or nullptr when SQLite was built without FTS5.
fts5_api* fts5_api_of(sqlite3* db);

// Registers the tokenizer on one connection; must run before any FTS5 table using it is touched.
Status register_fts_tokenizer(sqlite3* db);

// While one is alive on a thread, the tokenizer indexes a document column whose text equals
// `title` or `text` from the terms recorded for it, without analysing it (ingest has read those
// terms already). Any other text, and every query, is analysed as usual.
class RecordedTermsScope {
 public:
  RecordedTermsScope(std::string_view title, std::string_view text, const DocumentTerms& terms);
  ~RecordedTermsScope();
  RecordedTermsScope(const RecordedTermsScope&) = delete;
  RecordedTermsScope& operator=(const RecordedTermsScope&) = delete;
};

}  // namespace isnad::corpus
