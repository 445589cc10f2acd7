#include "corpus/fts_tokenizer.h"

#include <sqlite3.h>

#include <new>

#include "isnad/analyzer.h"

namespace isnad::corpus {

namespace {

// FTS5 hands us an opaque pointer per tokenizer instance; it owns one Analyzer, which is not
// thread-safe, and SQLite uses an instance from one connection (one thread) at a time.
struct Instance {
  Analyzer analyzer;
};

int create(void*, const char**, int, Fts5Tokenizer** out) {
  // No exception may cross into SQLite's C code.
  try {
    // Instance() rather than Instance{}: clang refuses to list-initialize a member whose default
    // constructor is explicit (Analyzer's).
    *out = reinterpret_cast<Fts5Tokenizer*>(new Instance());
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

void destroy(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<Instance*>(tokenizer); }

struct Recorded {
  std::string_view title, text;
  const DocumentTerms* terms = nullptr;
};
thread_local Recorded recorded;

// The recorded terms of `text`, when the current scope has them. Compared by content, not
// address: SQLite may hand the tokenizer its own copy of the bound text.
const RecordedTerms* recorded_terms_of(std::string_view text) {
  if (recorded.terms == nullptr) return nullptr;
  if (text == recorded.text) return &recorded.terms->text;
  if (text == recorded.title) return &recorded.terms->title;
  return nullptr;
}

int tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int size,
             int (*emit)(void*, int, const char*, int, int, int)) {
  try {
    const std::string_view input(text, static_cast<std::size_t>(size));
    int rc = SQLITE_OK;
    auto deliver = [&](const Term& t) {
      if (rc != SQLITE_OK) return;
      rc = emit(context, 0, t.text.data(), static_cast<int>(t.text.size()), static_cast<int>(t.original.begin),
                static_cast<int>(t.original.end));
    };
    if ((flags & FTS5_TOKENIZE_DOCUMENT) != 0) {
      if (const RecordedTerms* terms = recorded_terms_of(input)) {
        terms->for_each(deliver);
        return rc;
      }
    }
    auto* instance = reinterpret_cast<Instance*>(tokenizer);
    auto result = instance->analyzer.analyze(input, deliver);
    if (!result) return SQLITE_ERROR;  // invalid UTF-8: documents are validated before, so a query
    return rc;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

}  // namespace

RecordedTermsScope::RecordedTermsScope(std::string_view title, std::string_view text, const DocumentTerms& terms) {
  recorded = Recorded{title, text, &terms};
}

RecordedTermsScope::~RecordedTermsScope() { recorded = Recorded{}; }

fts5_api* fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

Status register_fts_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  if (api == nullptr) return make_error(ErrorCode::kStore, "this SQLite has no FTS5");
  static fts5_tokenizer tokenizer{create, destroy, tokenize};
  if (api->xCreateTokenizer(api, "isnad", nullptr, &tokenizer, nullptr) != SQLITE_OK) {
    return make_error(ErrorCode::kStore, "registering the isnad FTS5 tokenizer failed");
  }
  return {};
}

}  // namespace isnad::corpus
