#include "isnad/store.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "corpus/fts_tokenizer.h"
#include "isnad/normalize.h"

namespace isnad {

namespace {

Error store_error(sqlite3* db, std::string_view what) {
  return make_error(ErrorCode::kStore, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}

// Owns one prepared statement; the store's only RAII helper, so every early return finalizes.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    ok_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) == SQLITE_OK;
  }
  // Borrows a statement prepared once (Store::prepared): reset, not finalized, when done.
  explicit Statement(sqlite3_stmt* borrowed) : stmt_(borrowed), ok_(borrowed != nullptr), owned_(false) {}
  ~Statement() {
    if (owned_) {
      sqlite3_finalize(stmt_);
    } else if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return ok_; }
  Statement& bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
  bool owned_ = true;
};

// A row of SELECT id, external_id, outlet, url, published, title, text, content_hash.
StoredDocument stored_document(const Statement& q) {
  return StoredDocument{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7)};
}

Status exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    Error e = make_error(ErrorCode::kStore, message ? message : "SQL error");
    sqlite3_free(message);
    return e;
  }
  return {};
}

// Migration N takes a store from schema N-1 to N. Append only; never edit a released one.
constexpr const char* kMigrations[] = {
    // 1: documents and their near-duplicate links.
    R"sql(
    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      external_id TEXT NOT NULL,
      outlet TEXT NOT NULL DEFAULT '',
      url TEXT NOT NULL DEFAULT '',
      published TEXT NOT NULL DEFAULT '',
      title TEXT NOT NULL DEFAULT '',
      text TEXT NOT NULL,
      content_hash TEXT NOT NULL UNIQUE,
      ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX documents_external_id ON documents(external_id);
    CREATE INDEX documents_published ON documents(published);
    CREATE TABLE near_duplicates (
      document INTEGER NOT NULL REFERENCES documents(id),
      original INTEGER NOT NULL REFERENCES documents(id),
      similarity REAL NOT NULL,
      PRIMARY KEY (document, original)
    );
    )sql",
    // 2: full-text search through the isnad tokenizer (fts_tokenizer.h), external content.
    R"sql(
    CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id',
                                                  tokenize='isnad');
    INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
    )sql",
    // 3: analyses (original byte spans) and the incremental event clustering state.
    R"sql(
    CREATE TABLE sentences (document INTEGER NOT NULL REFERENCES documents(id), position INTEGER NOT NULL,
                            begin INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (document, position));
    CREATE TABLE entities (document INTEGER NOT NULL REFERENCES documents(id), type TEXT NOT NULL,
                           begin INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE INDEX entities_document ON entities(document);
    CREATE INDEX entities_text ON entities(text);
    CREATE TABLE quotes (document INTEGER NOT NULL REFERENCES documents(id), kind TEXT NOT NULL, source TEXT NOT NULL,
                         speaker TEXT, begin INTEGER NOT NULL, end INTEGER NOT NULL);
    CREATE INDEX quotes_document ON quotes(document);
    CREATE TABLE claims (document INTEGER NOT NULL REFERENCES documents(id), type TEXT NOT NULL, value REAL,
                         qualifier TEXT NOT NULL, event_hint TEXT NOT NULL, attributed_to TEXT,
                         begin INTEGER NOT NULL, end INTEGER NOT NULL);
    CREATE INDEX claims_document ON claims(document);
    CREATE TABLE events (id INTEGER PRIMARY KEY, first TEXT NOT NULL DEFAULT '', last TEXT NOT NULL DEFAULT '');
    CREATE INDEX events_dates ON events(last, first);
    CREATE TABLE event_documents (document INTEGER PRIMARY KEY REFERENCES documents(id),
                                  event INTEGER NOT NULL REFERENCES events(id));
    CREATE INDEX event_documents_event ON event_documents(event);
    CREATE TABLE event_terms (event INTEGER NOT NULL, term TEXT NOT NULL, weight REAL NOT NULL, PRIMARY KEY (event, term))
      WITHOUT ROWID;
    CREATE TABLE event_places (event INTEGER NOT NULL, place TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (event, place))
      WITHOUT ROWID;
    CREATE TABLE event_names (event INTEGER NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (event, name))
      WITHOUT ROWID;
    CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    )sql",
};

Status migrate(sqlite3* db) {
  int version = 0;
  {
    Statement q(db, "PRAGMA user_version");
    if (!q.ok() || q.step() != SQLITE_ROW) return store_error(db, "reading schema version");
    version = static_cast<int>(q.int64(0));
  }
  constexpr int latest = static_cast<int>(std::size(kMigrations));
  if (version > latest) {
    return make_error(ErrorCode::kStore,
                      fmt::format("store has schema version {}, this isnad knows up to {}", version, latest));
  }
  for (int v = version; v < latest; ++v) {
    if (Status s = exec(db, "BEGIN IMMEDIATE"); !s) return s;
    Status s = exec(db, kMigrations[v]);
    if (s) s = exec(db, fmt::format("PRAGMA user_version = {}", v + 1).c_str());
    if (!s) {
      (void)exec(db, "ROLLBACK");
      return make_error(ErrorCode::kStore, fmt::format("migration to schema {} failed: {}", v + 1, s.error().message));
    }
    if (Status c = exec(db, "COMMIT"); !c) return c;
  }
  return {};
}

}  // namespace

static_assert(std::size(kMigrations) == kSchemaVersion, "kSchemaVersion must name the last migration");

std::string content_hash(std::string_view original_text) {
  const std::string normalized = normalize_string(original_text);
  const XXH128_hash_t h = XXH3_128bits(normalized.data(), normalized.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

Expected<Store> Store::open(const std::string& path, OpenMode mode) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (mode == OpenMode::kReadOnly && !exists) {
    return make_error(ErrorCode::kStore, fmt::format("{}: no such store", path));
  }
  sqlite3* db = nullptr;
  const int flags = mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                                : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    Error e = store_error(db, path);
    sqlite3_close(db);
    return e;
  }
  Store store(db);
  sqlite3_busy_timeout(db, 5000);
  // Reading the schema first is what detects a file that is not a database, before any write.
  {
    Statement probe(db, "SELECT count(*) FROM sqlite_master");
    if (!probe.ok() || probe.step() != SQLITE_ROW) {
      return make_error(ErrorCode::kStore, fmt::format("{}: not an isnad store (unreadable or corrupt SQLite file)", path));
    }
  }
  if (Status s = corpus::register_fts_tokenizer(db); !s) return s.error();
  if (mode == OpenMode::kReadOnly) {
    Statement q(db, "PRAGMA user_version");
    if (!q.ok() || q.step() != SQLITE_ROW || q.int64(0) > kSchemaVersion || q.int64(0) == 0) {
      return make_error(ErrorCode::kStore, fmt::format("{}: not an isnad store of a known schema", path));
    }
    return store;
  }
  // A 32 MiB page cache (default 2 MiB): a batch's index updates then stay in memory until commit
  // instead of spilling to the WAL mid-transaction.
  if (Status s = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                          "PRAGMA cache_size=-32768;");
      !s) {
    return make_error(ErrorCode::kStore, fmt::format("{}: {}", path, s.error().message));
  }
  if (Status s = migrate(db); !s) return make_error(ErrorCode::kStore, fmt::format("{}: {}", path, s.error().message));
  return store;
}



Expected<std::vector<AddResult>> Store::add_documents(const std::vector<StoredDocumentInput>& batch) {
  const bool own = sqlite3_get_autocommit(db_) != 0;
  if (Status s = exec(db_, own ? "BEGIN IMMEDIATE" : "SAVEPOINT add_documents"); !s) return s.error();
  std::vector<AddResult> results;
  results.reserve(batch.size());
  auto fail = [&](std::string_view what) -> Error {
    Error e = store_error(db_, what);
    (void)exec(db_, own ? "ROLLBACK" : "ROLLBACK TO add_documents; RELEASE add_documents");
    return e;
  };
  Statement find_hash(db_, "SELECT id FROM documents WHERE content_hash = ?1");
  Statement find_id(db_, "SELECT count(*) FROM documents WHERE external_id = ?1");
  Statement insert(db_,
                   "INSERT INTO documents(external_id, outlet, url, published, title, text, content_hash) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  Statement index(db_, "INSERT INTO documents_fts(rowid, title, text) VALUES (?1, ?2, ?3)");
  if (!find_hash.ok() || !find_id.ok() || !insert.ok() || !index.ok()) return fail("preparing ingest");
  for (const StoredDocumentInput& doc : batch) {
    AddResult r;
    const std::string hash = content_hash(doc.text);
    find_hash.bind(1, hash);
    if (find_hash.step() == SQLITE_ROW) {
      r.document = find_hash.int64(0);
      r.duplicate_of = r.document;
      find_hash.reset();
      results.push_back(r);
      continue;
    }
    find_hash.reset();
    find_id.bind(1, doc.external_id);
    if (find_id.step() != SQLITE_ROW) return fail("looking up document id");
    r.id_reused = find_id.int64(0) > 0;
    find_id.reset();
    insert.bind(1, doc.external_id).bind(2, doc.outlet).bind(3, doc.url).bind(4, doc.published);
    insert.bind(5, doc.title).bind(6, doc.text).bind(7, hash);
    if (insert.step() != SQLITE_DONE) return fail("storing document");
    insert.reset();
    r.document = sqlite3_last_insert_rowid(db_);
    index.bind(1, r.document).bind(2, doc.title).bind(3, doc.text);
    if (index.step() != SQLITE_DONE) return fail("indexing document");
    index.reset();
    results.push_back(r);
  }
  if (Status s = exec(db_, own ? "COMMIT" : "RELEASE add_documents"); !s) return fail("committing batch");
  return results;
}

Expected<std::optional<StoredDocument>> Store::document(std::int64_t id) const {
  Statement q(db_, "SELECT id, external_id, outlet, url, published, title, text, content_hash FROM documents WHERE id = ?1");
  if (!q.ok()) return store_error(db_, "reading document");
  q.bind(1, id);
  const int rc = q.step();
  if (rc == SQLITE_DONE) return std::optional<StoredDocument>{};
  if (rc != SQLITE_ROW) return store_error(db_, "reading document");
  return std::optional<StoredDocument>{stored_document(q)};
}

Expected<std::vector<StoredDocument>> Store::all_documents() const {
  Statement q(db_, "SELECT id, external_id, outlet, url, published, title, text, content_hash FROM documents ORDER BY id");
  if (!q.ok()) return store_error(db_, "reading documents");
  std::vector<StoredDocument> docs;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    docs.push_back(stored_document(q));
  }
  if (rc != SQLITE_DONE) return store_error(db_, "reading documents");
  return docs;
}

Expected<std::int64_t> Store::document_count() const {
  Statement q(db_, "SELECT count(*) FROM documents");
  if (!q.ok() || q.step() != SQLITE_ROW) return store_error(db_, "counting documents");
  return q.int64(0);
}

Expected<int> Store::schema_version() const {
  Statement q(db_, "PRAGMA user_version");
  if (!q.ok() || q.step() != SQLITE_ROW) return store_error(db_, "reading schema version");
  return static_cast<int>(q.int64(0));
}

Status Store::link_near_duplicate(std::int64_t document, std::int64_t original, double similarity) {
  Statement q(db_, "INSERT OR REPLACE INTO near_duplicates(document, original, similarity) VALUES (?1, ?2, ?3)");
  if (!q.ok()) return store_error(db_, "linking near duplicate");
  q.bind(1, document).bind(2, original).bind(3, similarity);
  if (q.step() != SQLITE_DONE) return store_error(db_, "linking near duplicate");
  return {};
}

Expected<std::vector<std::int64_t>> Store::near_duplicates_of(std::int64_t document) const {
  Statement q(db_,
              "SELECT original FROM near_duplicates WHERE document = ?1 "
              "UNION SELECT document FROM near_duplicates WHERE original = ?1 ORDER BY 1");
  if (!q.ok()) return store_error(db_, "reading near duplicates");
  q.bind(1, document);
  std::vector<std::int64_t> ids;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) ids.push_back(q.int64(0));
  if (rc != SQLITE_DONE) return store_error(db_, "reading near duplicates");
  return ids;
}

namespace {

std::string iso(const std::optional<CivilDate>& d) {
  return d ? fmt::format("{:04}-{:02}-{:02}", d->year, d->month, d->day) : std::string();
}

}  // namespace

Status Store::save_analysis(std::int64_t document, std::string_view original, const DocumentAnalysis& a) {
  if (Status s = exec(db_, "SAVEPOINT analysis"); !s) return s;
  auto fail = [&](std::string_view what) -> Error {
    Error e = store_error(db_, what);
    (void)exec(db_, "ROLLBACK TO analysis; RELEASE analysis");
    return e;
  };
  for (const char* sql : {"DELETE FROM sentences WHERE document = ?1", "DELETE FROM entities WHERE document = ?1",
                          "DELETE FROM quotes WHERE document = ?1", "DELETE FROM claims WHERE document = ?1"}) {
    Statement del(prepared(sql));
    if (!del.ok()) return fail("replacing analysis");
    del.bind(1, document);
    if (del.step() != SQLITE_DONE) return fail("replacing analysis");
  }
  auto text = [&](Span normalized) { return std::string(a.original_span(normalized).of(original)); };
  Statement sentence(prepared("INSERT INTO sentences(document, position, begin, end) VALUES (?1, ?2, ?3, ?4)"));
  Statement entity(prepared("INSERT INTO entities(document, type, begin, end, text) VALUES (?1, ?2, ?3, ?4, ?5)"));
  Statement quote(prepared("INSERT INTO quotes(document, kind, source, speaker, begin, end) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  Statement claim(prepared(
                  "INSERT INTO claims(document, type, value, qualifier, event_hint, attributed_to, begin, end) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  if (!sentence.ok() || !entity.ok() || !quote.ok() || !claim.ok()) return fail("preparing analysis");
  for (std::size_t i = 0; i < a.sentences.size(); ++i) {
    const Span o = a.original_span(a.sentences[i]);
    sentence.bind(1, document).bind(2, static_cast<std::int64_t>(i)).bind(3, std::int64_t{o.begin}).bind(4, std::int64_t{o.end});
    if (sentence.step() != SQLITE_DONE) return fail("storing sentences");
    sentence.reset();
  }
  for (const EntityMention& e : a.entities) {
    const Span o = a.original_span(e.span);
    entity.bind(1, document).bind(2, to_string(e.type)).bind(3, std::int64_t{o.begin}).bind(4, std::int64_t{o.end});
    entity.bind(5, text(e.span));
    if (entity.step() != SQLITE_DONE) return fail("storing entities");
    entity.reset();
  }
  for (const Quote& q : a.quotes) {
    const Span o = a.original_span(q.text);
    quote.bind(1, document).bind(2, to_string(q.kind)).bind(3, to_string(q.source));
    quote.bind(4, q.speaker.empty() ? std::string() : text(q.speaker)).bind(5, std::int64_t{o.begin}).bind(6, std::int64_t{o.end});
    if (quote.step() != SQLITE_DONE) return fail("storing quotes");
    quote.reset();
  }
  for (const Claim& c : a.claims) {
    const Span o = a.original_span(c.span);
    claim.bind(1, document).bind(2, to_string(c.type));
    if (c.value) claim.bind(3, *c.value);
    claim.bind(4, to_string(c.qualifier)).bind(5, c.event_hint);
    claim.bind(6, c.attributed_to.empty() ? std::string() : text(c.attributed_to));
    claim.bind(7, std::int64_t{o.begin}).bind(8, std::int64_t{o.end});
    if (claim.step() != SQLITE_DONE) return fail("storing claims");
    claim.reset();
  }
  return exec(db_, "RELEASE analysis");
}

constexpr const char* kDfSql = "SELECT df FROM term_df WHERE term = ?1";

struct Store::Statements {
  std::unordered_map<const char*, sqlite3_stmt*> by_sql;  // keyed by the literal's address
  ~Statements() {
    for (auto& [sql, stmt] : by_sql) sqlite3_finalize(stmt);
  }
};

sqlite3_stmt* Store::prepared(const char* sql) const {
  auto [it, inserted] = statements_->by_sql.emplace(sql, nullptr);
  if (inserted && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &it->second, nullptr) != SQLITE_OK) {
    sqlite3_finalize(it->second);
    statements_->by_sql.erase(it);
    return nullptr;
  }
  return it->second;
}

// The events of the current date window, in memory between assign_event calls. Invariant:
// every dated event that meets one of the `covered` day intervals is loaded, and so is every
// undated one. A late document (older than the window) covers its own small interval instead
// of stretching the window back to it.
struct Store::ClusterCache {
  ClusterOptions options;
  EventClusterer clusterer;
  std::vector<std::int64_t> id_of;  // per clusterer slot; 0 = not a stored event (retired slot)
  std::unordered_map<std::int64_t, std::size_t> slot_of;
  std::int64_t seen = 0;            // documents_clustered when the cache was last in sync
  bool loaded_undated = false, has_recent = false;
  std::vector<std::pair<long, long>> covered;  // sorted, disjoint, inclusive day intervals
  std::optional<long> newest, retired_before;

  ClusterCache(const ClusterOptions& o, std::int64_t documents_seen) : options(o), clusterer(o), seen(documents_seen) {}

  bool same(const ClusterOptions& o) const {
    return o.window_days == options.window_days && o.threshold == options.threshold &&
           o.place_weight == options.place_weight && o.name_weight == options.name_weight;
  }

  // Makes every event that may match a document of `day` a candidate, and forgets events that
  // ended two windows before the newest document (they stay in the store).
  Status cover(sqlite3* db, long day) {
    const long w = options.window_days;
    if (!loaded_undated) {
      if (Status s = load(db, "first = ''", {}); !s) return s;
      loaded_undated = true;
    }
    // Load the parts of [day - w, day + w] no interval covers yet.
    long from = day - w;
    const long to = day + w;
    for (const auto& [a, b] : covered) {
      if (from > to) break;
      if (b < from) continue;
      if (a > from) {
        if (Status s = load_range(db, from, std::min(to, a - 1)); !s) return s;
      }
      from = std::max(from, b + 1);
    }
    if (from <= to) {
      if (Status s = load_range(db, from, to); !s) return s;
    }
    covered.emplace_back(day - w, day + w);
    std::sort(covered.begin(), covered.end());
    std::vector<std::pair<long, long>> merged;
    for (const auto& r : covered) {
      if (!merged.empty() && r.first <= merged.back().second + 1) merged.back().second = std::max(merged.back().second, r.second);
      else merged.push_back(r);
    }
    covered = std::move(merged);
    newest = newest ? std::max(*newest, day) : day;
    const long horizon = *newest - 2 * w;
    if (!retired_before || horizon > *retired_before) {
      for (std::size_t slot : clusterer.retire_before(horizon, /*forget_terms=*/true)) {
        slot_of.erase(id_of[slot]);
        id_of[slot] = 0;
      }
      retired_before = horizon;
      // Events that ended before the horizon are gone: intervals only vouch for what is after it.
      std::vector<std::pair<long, long>> kept;
      for (auto [a, b] : covered) {
        if (b >= horizon) kept.emplace_back(std::max(a, horizon), b);
      }
      covered = std::move(kept);
    }
    return {};
  }

  Status load_range(sqlite3* db, long from, long to) {
    return load(db, "first != '' AND last >= ?1 AND first <= ?2", {iso_day(from), iso_day(to)});
  }

  Status cover_undated(sqlite3* db) {
    if (!covered.empty() || has_recent) return {};
    has_recent = true;
    return load(db, "1 ORDER BY id DESC LIMIT 1000", {});
  }

  // Document frequencies of terms not in memory come from the store (a forgotten term's too).
  Status frequencies(sqlite3_stmt* statement, const std::unordered_map<std::string, double>& terms) {
    Statement df(statement);
    if (!df.ok()) return make_error(ErrorCode::kStore, "reading term frequencies");
    for (const auto& [term, weight] : terms) {
      if (clusterer.knows_term(term)) continue;
      df.bind(1, term);
      clusterer.restore_frequency(term, df.step() == SQLITE_ROW ? static_cast<int>(df.int64(0)) : 0);
      df.reset();
    }
    return {};
  }

  static std::string iso_day(long day) { return iso(civil_from_days(day)); }

  Status load(sqlite3* db, const std::string& where, const std::vector<std::string>& params) {
    Statement q(db, "SELECT id, first, last FROM events WHERE " + where);
    if (!q.ok()) return store_error(db, "reading events");
    for (std::size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
    std::vector<std::int64_t> ids;
    std::vector<Event> events;
    while (q.step() == SQLITE_ROW) {
      if (slot_of.count(q.int64(0))) continue;
      ids.push_back(q.int64(0));
      Event e;
      e.first = parse_iso_date(q.text(1));
      e.last = parse_iso_date(q.text(2));
      events.push_back(std::move(e));
    }
    Statement terms(db, "SELECT term, weight FROM event_terms WHERE event = ?1");
    Statement places(db, "SELECT place, count FROM event_places WHERE event = ?1");
    Statement names(db, "SELECT name, count FROM event_names WHERE event = ?1");
    sqlite3_stmt* df_statement = nullptr;
    if (sqlite3_prepare_v2(db, kDfSql, -1, &df_statement, nullptr) != SQLITE_OK) return store_error(db, "reading term frequencies");
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> df_owner(df_statement, sqlite3_finalize);
    if (!terms.ok() || !places.ok() || !names.ok()) return store_error(db, "preparing event state");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      Event& e = events[i];
      terms.bind(1, ids[i]);
      while (terms.step() == SQLITE_ROW) e.terms[terms.text(0)] = terms.real(1);
      terms.reset();
      places.bind(1, ids[i]);
      while (places.step() == SQLITE_ROW) e.places[places.text(0)] = static_cast<int>(places.int64(1));
      places.reset();
      names.bind(1, ids[i]);
      while (names.step() == SQLITE_ROW) e.names[names.text(0)] = static_cast<int>(names.int64(1));
      names.reset();
      if (Status s = frequencies(df_statement, e.terms); !s) return s;
      const std::size_t slot = clusterer.restore_event(std::move(e));
      if (id_of.size() <= slot) id_of.resize(slot + 1, 0);
      id_of[slot] = ids[i];
      slot_of[ids[i]] = slot;
    }
    return {};
  }
};

Store::Store(sqlite3* db) : db_(db), statements_(std::make_unique<Statements>()) {}
Store::Store(Store&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)), statements_(std::move(other.statements_)) {}
Store& Store::operator=(Store&& other) noexcept {
  if (this != &other) {
    statements_.reset();  // finalized before their connection closes
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    statements_ = std::move(other.statements_);
  }
  return *this;
}
Store::~Store() {
  statements_.reset();
  sqlite3_close(db_);
}

Expected<std::int64_t> Store::assign_event(std::int64_t document, const EventFeatures& features,
                                           const ClusterOptions& options) {
  auto events = assign_events({document}, {features}, options);
  if (!events) return events.error();
  return events->front();
}

Expected<std::vector<std::int64_t>> Store::assign_events(const std::vector<std::int64_t>& documents,
                                                         const std::vector<EventFeatures>& features,
                                                         const ClusterOptions& options) {
  if (documents.size() != features.size()) {
    return make_error(ErrorCode::kStore, "assign_events: one feature set per document");
  }
  // Inside a caller's transaction this is a savepoint; alone it is its own write transaction.
  const bool own = sqlite3_get_autocommit(db_) != 0;
  if (Status s = exec(db_, own ? "BEGIN IMMEDIATE" : "SAVEPOINT assign_event"); !s) return s.error();
  auto fail = [&](std::string_view what) -> Error {
    Error e = store_error(db_, what);
    cache_.reset();  // it may hold half-applied documents
    (void)exec(db_, own ? "ROLLBACK" : "ROLLBACK TO assign_event; RELEASE assign_event");
    return e;
  };
  std::int64_t seen = 0;
  {
    Statement q(prepared("SELECT value FROM counters WHERE name = 'documents_clustered'"));
    if (!q.ok()) return fail("reading counters");
    if (q.step() == SQLITE_ROW) seen = q.int64(0);
  }
  if (!cache_ || !cache_->same(options) || cache_->seen != seen) cache_ = std::make_unique<ClusterCache>(options, seen);

  // Changes are summed over the batch and written once per (event, term), (event, label) and
  // term, sorted: far fewer B-tree updates than one per document and term. They are written
  // before the cache reads the store again (a new day moves the window), so reads see them.
  std::map<std::pair<std::int64_t, std::string>, double> term_delta;
  std::map<std::pair<std::int64_t, std::string>, int> place_delta, name_delta;
  std::map<std::string, int> df_delta;
  std::map<std::int64_t, std::pair<std::string, std::string>> dates;  // event → first, last
  std::int64_t assigned = 0;
  auto flush = [&]() -> bool {
    Statement term(prepared(
        "INSERT INTO event_terms(event, term, weight) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(event, term) DO UPDATE SET weight = weight + excluded.weight"));
    Statement place(prepared(
        "INSERT INTO event_places(event, place, count) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(event, place) DO UPDATE SET count = count + excluded.count"));
    Statement name(prepared(
        "INSERT INTO event_names(event, name, count) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(event, name) DO UPDATE SET count = count + excluded.count"));
    Statement frequency(prepared(
        "INSERT INTO term_df(term, df) VALUES (?1, ?2) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df"));
    Statement update(prepared("UPDATE events SET first = ?2, last = ?3 WHERE id = ?1"));
    Statement counter(prepared(
        "INSERT INTO counters(name, value) VALUES ('documents_clustered', ?1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value"));
    if (!term.ok() || !place.ok() || !name.ok() || !frequency.ok() || !update.ok() || !counter.ok()) return false;
    for (const auto& [key, w] : term_delta) {
      term.bind(1, key.first).bind(2, key.second).bind(3, w);
      if (term.step() != SQLITE_DONE) return false;
      term.reset();
    }
    for (auto* labels : {&place_delta, &name_delta}) {
      Statement& q = labels == &place_delta ? place : name;
      for (const auto& [key, n] : *labels) {
        q.bind(1, key.first).bind(2, key.second).bind(3, std::int64_t{n});
        if (q.step() != SQLITE_DONE) return false;
        q.reset();
      }
    }
    for (const auto& [t, n] : df_delta) {
      frequency.bind(1, t).bind(2, std::int64_t{n});
      if (frequency.step() != SQLITE_DONE) return false;
      frequency.reset();
    }
    for (const auto& [event, range] : dates) {
      update.bind(1, event).bind(2, range.first).bind(3, range.second);
      if (update.step() != SQLITE_DONE) return false;
      update.reset();
    }
    if (assigned > 0) {
      counter.bind(1, assigned);
      if (counter.step() != SQLITE_DONE) return false;
    }
    term_delta.clear();
    place_delta.clear();
    name_delta.clear();
    df_delta.clear();
    dates.clear();
    assigned = 0;
    return true;
  };

  std::vector<std::int64_t> result(documents.size(), 0);
  std::optional<long> previous_day;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const EventFeatures& f = features[i];
    {
      Statement existing(prepared("SELECT event FROM event_documents WHERE document = ?1"));
      if (!existing.ok()) return fail("reading event");
      existing.bind(1, documents[i]);
      if (existing.step() == SQLITE_ROW) {
        result[i] = existing.int64(0);
        continue;
      }
    }
    const std::optional<long> day = f.published ? std::optional<long>(days_from_civil(*f.published)) : std::nullopt;
    if (i > 0 && day != previous_day && !flush()) return fail("updating events");
    previous_day = day;
    Status covered = day ? cache_->cover(db_, *day) : cache_->cover_undated(db_);
    if (!covered) return fail("loading events");
    if (Status s = cache_->frequencies(prepared(kDfSql), f.terms); !s) return fail("reading term frequencies");

    EventClusterer& clusterer = cache_->clusterer;
    clusterer.set_documents_seen(static_cast<std::size_t>(seen));
    const std::size_t index = clusterer.add(f);
    const Event& joined = clusterer.events()[index];
    std::int64_t event = index < cache_->id_of.size() ? cache_->id_of[index] : 0;
    if (event == 0) {
      Statement insert(prepared("INSERT INTO events(first, last) VALUES (?1, ?2)"));
      if (!insert.ok()) return fail("creating event");
      insert.bind(1, iso(joined.first)).bind(2, iso(joined.last));
      if (insert.step() != SQLITE_DONE) return fail("creating event");
      event = sqlite3_last_insert_rowid(db_);
      if (cache_->id_of.size() <= index) cache_->id_of.resize(index + 1, 0);
      cache_->id_of[index] = event;
      cache_->slot_of[event] = index;
    }
    {
      Statement member(prepared("INSERT INTO event_documents(document, event) VALUES (?1, ?2)"));
      if (!member.ok()) return fail("assigning event");
      member.bind(1, documents[i]).bind(2, event);
      if (member.step() != SQLITE_DONE) return fail("assigning event");
    }
    dates[event] = {iso(joined.first), iso(joined.last)};
    for (const auto& [t, w] : f.terms) {
      term_delta[{event, t}] += w;
      ++df_delta[t];
    }
    for (const auto& p : f.places) ++place_delta[{event, p}];
    for (const auto& n : f.names) ++name_delta[{event, n}];
    ++assigned;
    ++seen;
    cache_->seen = seen;  // the cache already holds this document (reset on failure)
    result[i] = event;
  }
  if (!flush()) return fail("updating events");
  if (Status s = exec(db_, own ? "COMMIT" : "RELEASE assign_event"); !s) return fail("committing events");
  return result;
}

Expected<std::vector<std::pair<std::int64_t, std::int64_t>>> Store::document_events() const {
  Statement q(db_, "SELECT document, event FROM event_documents ORDER BY document");
  if (!q.ok()) return store_error(db_, "reading events");
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.emplace_back(q.int64(0), q.int64(1));
  if (rc != SQLITE_DONE) return store_error(db_, "reading events");
  return out;
}

namespace {

// User words become quoted FTS5 strings (implicit AND), so operators and quotes typed by a
// user are searched for, not interpreted.
std::string fts_match(std::string_view query) {
  std::string match;
  for (std::size_t i = 0; i < query.size();) {
    while (i < query.size() && (query[i] == ' ' || query[i] == '\t' || query[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < query.size() && query[j] != ' ' && query[j] != '\t' && query[j] != '\n') ++j;
    if (j > i) {
      match += match.empty() ? "\"" : " \"";
      for (char c : query.substr(i, j - i)) match += c == '"' ? std::string("\"\"") : std::string(1, c);
      match += '"';
    }
    i = j;
  }
  return match;
}

}  // namespace

Expected<EventPage> Store::events(const EventQuery& query) const {
  const std::string match = fts_match(query.text);
  EventPage page;
  if (!query.text.empty() && match.empty()) return page;
  // One statement for both the page and the total: the filter is written once.
  const std::string filter = fmt::format(
      "FROM events e WHERE (?1 = '' OR e.last = '' OR e.last >= ?1) AND (?2 = '' OR e.first = '' OR e.first <= ?2) {}",
      match.empty() ? "" : "AND e.id IN (SELECT ed.event FROM documents_fts JOIN event_documents ed "
                           "ON ed.document = documents_fts.rowid WHERE documents_fts MATCH ?5)");
  Statement q(db_, fmt::format("SELECT e.id, e.first, e.last, "
                               "(SELECT count(*) FROM event_documents d WHERE d.event = e.id), count(*) OVER () "
                               "{} ORDER BY e.last DESC, e.id DESC LIMIT ?3 OFFSET ?4",
                               filter));
  if (!q.ok()) return store_error(db_, "preparing event list");
  q.bind(1, query.from).bind(2, query.to);
  q.bind(3, static_cast<std::int64_t>(query.limit)).bind(4, static_cast<std::int64_t>(query.offset));
  if (!match.empty()) q.bind(5, match);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    page.events.push_back(EventRow{q.int64(0), q.text(1), q.text(2), q.int64(3)});
    page.total = q.int64(4);
  }
  if (rc != SQLITE_DONE) return store_error(db_, "listing events");
  if (page.events.empty() && query.offset > 0) {
    Statement count(db_, fmt::format("SELECT count(*) {}", filter));
    if (!count.ok()) return store_error(db_, "counting events");
    count.bind(1, query.from).bind(2, query.to);
    if (!match.empty()) count.bind(5, match);
    if (count.step() != SQLITE_ROW) return store_error(db_, "counting events");
    page.total = count.int64(0);
  }
  return page;
}

Expected<std::int64_t> Store::event_count() const {
  Statement q(db_, "SELECT count(*) FROM events");
  if (!q.ok() || q.step() != SQLITE_ROW) return store_error(db_, "counting events");
  return q.int64(0);
}

Expected<std::optional<EventRow>> Store::event(std::int64_t id) const {
  Statement q(db_, "SELECT id, first, last, (SELECT count(*) FROM event_documents d WHERE d.event = e.id) "
                   "FROM events e WHERE id = ?1");
  if (!q.ok()) return store_error(db_, "reading event");
  q.bind(1, id);
  const int rc = q.step();
  if (rc == SQLITE_DONE) return std::optional<EventRow>{};
  if (rc != SQLITE_ROW) return store_error(db_, "reading event");
  return std::optional<EventRow>{EventRow{q.int64(0), q.text(1), q.text(2), q.int64(3)}};
}

Expected<std::vector<StoredDocument>> Store::event_documents(std::int64_t event) const {
  Statement q(db_,
              "SELECT d.id, d.external_id, d.outlet, d.url, d.published, d.title, d.text, d.content_hash "
              "FROM event_documents ed JOIN documents d ON d.id = ed.document WHERE ed.event = ?1 ORDER BY d.id");
  if (!q.ok()) return store_error(db_, "reading event documents");
  q.bind(1, event);
  std::vector<StoredDocument> docs;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) docs.push_back(stored_document(q));
  if (rc != SQLITE_DONE) return store_error(db_, "reading event documents");
  return docs;
}

Expected<std::optional<std::int64_t>> Store::event_of(std::int64_t document) const {
  Statement q(db_, "SELECT event FROM event_documents WHERE document = ?1");
  if (!q.ok()) return store_error(db_, "reading event of document");
  q.bind(1, document);
  const int rc = q.step();
  if (rc == SQLITE_DONE) return std::optional<std::int64_t>{};
  if (rc != SQLITE_ROW) return store_error(db_, "reading event of document");
  return std::optional<std::int64_t>{q.int64(0)};
}

Expected<std::vector<SearchHit>> Store::search(std::string_view query, std::size_t limit) const {
  const std::string match = fts_match(query);
  std::vector<SearchHit> hits;
  if (match.empty()) return hits;
  // Rank first, then build snippets and join metadata for the top rows only: computed in one
  // SELECT, every match of a frequent word got a snippet and a join before the LIMIT applied.
  Statement q(db_,
              "WITH top(rowid, score) AS ("
              "  SELECT rowid, bm25(documents_fts, 2.0, 1.0) FROM documents_fts WHERE documents_fts MATCH ?1 "
              "  ORDER BY 2 LIMIT ?2) "
              "SELECT d.id, d.external_id, d.title, d.outlet, d.published, top.score, "
              "snippet(documents_fts, 1, char(2), char(3), '…', 24) "
              "FROM top JOIN documents_fts ON documents_fts.rowid = top.rowid AND documents_fts MATCH ?1 "
              "JOIN documents d ON d.id = top.rowid ORDER BY top.score");
  if (!q.ok()) return store_error(db_, "preparing search");
  q.bind(1, match).bind(2, static_cast<std::int64_t>(limit));
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    hits.push_back(SearchHit{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), -q.real(5), q.text(6)});
  }
  if (rc != SQLITE_DONE) return store_error(db_, "searching");
  return hits;
}

}  // namespace isnad
