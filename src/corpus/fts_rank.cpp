#include "corpus/fts_rank.h"

#include <sqlite3.h>

#include <cmath>
#include <memory>
#include <new>

#include "corpus/fts_tokenizer.h"

namespace isnad::corpus {

namespace {

// FTS5 stores a row's column sizes as SQLite varints, one per column (title, text).
std::int64_t sum_of_column_sizes(const unsigned char* p, int size) {
  constexpr int kColumns = 2;
  std::int64_t total = 0;
  for (int i = 0, column = 0; i < size && column < kColumns; ++column) {
    std::uint64_t v = 0;
    int k = 0;
    for (; k < 8 && i < size; ++k) {
      const unsigned char byte = p[i++];
      v = (v << 7) | (byte & 0x7f);
      if ((byte & 0x80) == 0) break;
    }
    if (k == 8 && i < size) v = (v << 8) | p[i++];
    total += static_cast<std::int64_t>(v);
  }
  return total;
}

// Reads the lengths of rows added since the last call (documents are only ever added).
void load_new_rows(sqlite3* db, DocumentLengths& lengths) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT id, sz FROM documents_fts_docsize WHERE id > ?1 ORDER BY id", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt);
    return;  // every row then falls back to FTS5's own lookup
  }
  sqlite3_bind_int64(stmt, 1, lengths.loaded_through);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const std::int64_t id = sqlite3_column_int64(stmt, 0);
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, 1));
    const std::int64_t terms = sum_of_column_sizes(blob, sqlite3_column_bytes(stmt, 1));
    if (id <= 0 || id > (std::int64_t{1} << 32)) continue;
    if (static_cast<std::size_t>(id) >= lengths.terms.size()) {
      lengths.terms.resize(static_cast<std::size_t>(id) + 1, DocumentLengths::kUnknown);
    }
    lengths.terms[static_cast<std::size_t>(id)] =
        terms < DocumentLengths::kUnknown ? static_cast<std::uint16_t>(terms) : DocumentLengths::kUnknown;
    lengths.loaded_through = id;
  }
  sqlite3_finalize(stmt);
}

// What bm25() computes once per query: per-phrase idf and the mean document length.
struct QueryData {
  std::vector<double> idf;
  double avgdl = 0;
};

int count_hit(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  ++*static_cast<std::int64_t*>(user);
  return SQLITE_OK;
}

QueryData* query_data(const Fts5ExtensionApi* api, Fts5Context* fts, DocumentLengths& lengths, sqlite3* db, int* rc) {
  if (auto* data = static_cast<QueryData*>(api->xGetAuxdata(fts, 0))) return data;
  auto data = std::make_unique<QueryData>();
  sqlite3_int64 rows = 0, tokens = 0;
  if ((*rc = api->xRowCount(fts, &rows)) != SQLITE_OK) return nullptr;
  if ((*rc = api->xColumnTotalSize(fts, -1, &tokens)) != SQLITE_OK) return nullptr;
  data->avgdl = static_cast<double>(tokens) / static_cast<double>(rows);
  const int phrases = api->xPhraseCount(fts);
  for (int i = 0; i < phrases; ++i) {
    std::int64_t hits = 0;
    if ((*rc = api->xQueryPhrase(fts, i, &hits, count_hit)) != SQLITE_OK) return nullptr;
    double idf = std::log((static_cast<double>(rows) - static_cast<double>(hits) + 0.5) / (static_cast<double>(hits) + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    data->idf.push_back(idf);
  }
  load_new_rows(db, lengths);
  QueryData* raw = data.release();
  if ((*rc = api->xSetAuxdata(fts, raw, [](void* p) { delete static_cast<QueryData*>(p); })) != SQLITE_OK) return nullptr;
  return raw;
}

void bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int argc, sqlite3_value** argv) {
  auto& lengths = *static_cast<DocumentLengths*>(api->xUserData(fts));
  int rc = SQLITE_OK;
  const QueryData* data = query_data(api, fts, lengths, sqlite3_context_db_handle(context), &rc);
  if (data == nullptr) {
    sqlite3_result_error_code(context, rc == SQLITE_OK ? SQLITE_NOMEM : rc);
    return;
  }
  // The same operations as FTS5's fts5Bm25Function, in the same order: equal scores.
  constexpr double k1 = 1.2, b = 0.75;
  double frequency[16] = {};
  std::vector<double> more;
  double* freq = frequency;
  if (data->idf.size() > std::size(frequency)) {
    more.assign(data->idf.size(), 0.0);
    freq = more.data();
  }
  int instances = 0;
  if ((rc = api->xInstCount(fts, &instances)) != SQLITE_OK) return sqlite3_result_error_code(context, rc);
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if ((rc = api->xInst(fts, i, &phrase, &column, &offset)) != SQLITE_OK) return sqlite3_result_error_code(context, rc);
    freq[phrase] += argc > column ? sqlite3_value_double(argv[column]) : 1.0;
  }
  const std::int64_t row = api->xRowid(fts);
  double size = 0;
  if (row > 0 && static_cast<std::size_t>(row) < lengths.terms.size() && lengths.terms[static_cast<std::size_t>(row)] != DocumentLengths::kUnknown) {
    size = lengths.terms[static_cast<std::size_t>(row)];
  } else {
    int terms = 0;
    if ((rc = api->xColumnSize(fts, -1, &terms)) != SQLITE_OK) return sqlite3_result_error_code(context, rc);
    size = terms;
  }
  double score = 0;
  for (std::size_t i = 0; i < data->idf.size(); ++i) {
    score += data->idf[i] * ((freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * size / data->avgdl)));
  }
  sqlite3_result_double(context, -1.0 * score);
}

// No exception may cross into SQLite's C code.
void isnad_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int argc, sqlite3_value** argv) {
  try {
    bm25(api, fts, context, argc, argv);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(context);
  } catch (...) {
    sqlite3_result_error_code(context, SQLITE_ERROR);
  }
}

}  // namespace

Status register_fts_rank(sqlite3* db, DocumentLengths* lengths) {
  fts5_api* api = fts5_api_of(db);
  if (api == nullptr) return make_error(ErrorCode::kStore, "this SQLite has no FTS5");
  if (api->xCreateFunction(api, "isnad_bm25", lengths, isnad_bm25, nullptr) != SQLITE_OK) {
    return make_error(ErrorCode::kStore, "registering the isnad_bm25 ranking function failed");
  }
  return {};
}

}  // namespace isnad::corpus
