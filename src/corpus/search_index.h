// corpus/search_index.h — full-text search terms shared by the two store engines.
//
// Both engines index and query through the isnad Analyzer, and both rank with the same BM25
// (k1 = 1.2, b = 0.75, title counted twice): SQLite through FTS5 with the isnad tokenizer
// (fts_tokenizer.h), PostgreSQL through a tsvector of the same terms (title terms weighted A,
// text terms D) and the BM25 formula of FTS5's bm25(), written out in SQL. A query is its words,
// each a phrase of its terms; every phrase must occur.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/analyzer.h"

namespace isnad::corpus {

// The FTS5 MATCH expression for a user query: each word a quoted string (implicit AND), so
// operators and quotes typed by a user are searched for, not interpreted. Empty: nothing to find.
std::string fts_match(std::string_view query);

struct IndexedTerms {
  std::string tsvector;       // PostgreSQL tsvector literal
  std::int64_t count = 0;     // terms in title and text (BM25's document length)
};
// The analyzer's terms of a document for PostgreSQL. Text that is not valid UTF-8 gives no terms
// (documents are validated before they reach the store).
IndexedTerms index_terms(Analyzer& analyzer, std::string_view title, std::string_view text);
// The same from terms recorded already (analyzer.h DocumentTerms).
IndexedTerms index_terms(const DocumentTerms& terms);

// The query's phrases (one per word that has terms, each its terms in order).
std::vector<std::vector<std::string>> query_phrases(Analyzer& analyzer, std::string_view query);
// The PostgreSQL tsquery literal of those phrases (phrases ANDed, a phrase's terms adjacent).
std::string tsquery(const std::vector<std::vector<std::string>>& phrases);

// Text around the best window of `tokens` terms (most query-term hits), each hit wrapped in
// \x02 … \x03 and "…" where the text was cut; as FTS5's snippet() with the isnad tokenizer.
std::string snippet(Analyzer& analyzer, std::string_view text, const std::vector<std::vector<std::string>>& phrases,
                    std::size_t tokens = 24);

}  // namespace isnad::corpus
