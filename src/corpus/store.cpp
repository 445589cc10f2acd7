#include "isnad/store.h"

#include <xxhash.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <iterator>
#include <map>
#include <mutex>
#include <type_traits>
#include <variant>

#include "corpus/fts_tokenizer.h"
#include "corpus/search_index.h"
#include "corpus/sql.h"
#include "isnad/analyzer.h"
#include "isnad/normalize.h"

namespace isnad {

namespace {

using sql::Backend;
using sql::Borrowed;
using sql::Connection;
using sql::Step;

Error store_error(const Connection& db, std::string_view what) {
  return make_error(ErrorCode::kStore, fmt::format("{}: {}", what, db.error()));
}

// A row of SELECT id, external_id, outlet, url, published, title, text, content_hash.
StoredDocument stored_document(const sql::Statement& q) {
  return StoredDocument{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7)};
}

// Migration N takes a store from schema N-1 to N. Append only; never edit a released one.
constexpr const char* kSqliteMigrations[] = {
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
    // 4: the work queue of `isnad worker`: documents acknowledged, not yet analysed. A row stays
    // after its document is stored (`document` set): the record of what was acknowledged.
    R"sql(
    CREATE TABLE queue (id INTEGER PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE, external_id TEXT NOT NULL,
                        outlet TEXT NOT NULL, url TEXT NOT NULL, published TEXT NOT NULL, title TEXT NOT NULL,
                        text TEXT NOT NULL, enqueued_at REAL NOT NULL, leased_by TEXT, lease_until REAL NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0, document INTEGER REFERENCES documents(id),
                        finished_at REAL);
    CREATE INDEX queue_pending ON queue(lease_until, id) WHERE document IS NULL;
    )sql",
    // 5: the clustering state as one row per clustered document (its features, in clustering order
    // `seq`) instead of per-(event, term) rows; events keep what earlier schemas had summed in
    // `state`, and term_df becomes a checkpoint (see ClusterCache). fold_event_state finishes it.
    R"sql(
    ALTER TABLE event_documents ADD COLUMN seq INTEGER;
    ALTER TABLE event_documents ADD COLUMN features TEXT;
    CREATE UNIQUE INDEX event_documents_seq ON event_documents(seq);
    ALTER TABLE events ADD COLUMN state TEXT;
    INSERT INTO counters(name, value) SELECT 'df_checkpoint', value FROM counters WHERE name = 'documents_clustered';
    )sql",
    // 6: no index on entity text. Nothing in isnad looks entities up by text (dossiers resolve
    // them from the analyses), and keeping that index ordered cost half of saving an analysis
    // (0.11 ms per article at 5k: random inserts of Arabic strings).
    R"sql(
    DROP INDEX IF EXISTS entities_text;
    )sql",
};

// The same schema on PostgreSQL, version for version. Full-text search keeps the analyzer's terms
// as a tsvector (title terms weighted A, text terms D) and the term counts BM25 needs.
constexpr const char* kPostgresMigrations[] = {
    // 1: documents and their near-duplicate links.
    R"sql(
    CREATE TABLE documents (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      external_id TEXT NOT NULL,
      outlet TEXT NOT NULL DEFAULT '',
      url TEXT NOT NULL DEFAULT '',
      published TEXT NOT NULL DEFAULT '',
      title TEXT NOT NULL DEFAULT '',
      text TEXT NOT NULL,
      content_hash TEXT NOT NULL UNIQUE,
      ingested_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    );
    CREATE INDEX documents_external_id ON documents(external_id);
    CREATE INDEX documents_published ON documents(published);
    CREATE TABLE near_duplicates (
      document BIGINT NOT NULL REFERENCES documents(id),
      original BIGINT NOT NULL REFERENCES documents(id),
      similarity DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (document, original)
    );
    )sql",
    // 2: full-text search through the isnad analyzer (search_index.h).
    R"sql(
    ALTER TABLE documents ADD COLUMN terms tsvector NOT NULL DEFAULT '',
                          ADD COLUMN term_count BIGINT NOT NULL DEFAULT 0;
    CREATE INDEX documents_terms ON documents USING gin(terms);
    CREATE TABLE search_totals (slot INT PRIMARY KEY, documents BIGINT NOT NULL, terms BIGINT NOT NULL);
    )sql",
    // 3: analyses (original byte spans) and the incremental event clustering state.
    R"sql(
    CREATE TABLE sentences (document BIGINT NOT NULL REFERENCES documents(id), position BIGINT NOT NULL,
                            begin BIGINT NOT NULL, "end" BIGINT NOT NULL, PRIMARY KEY (document, position));
    CREATE TABLE entities (document BIGINT NOT NULL REFERENCES documents(id), type TEXT NOT NULL,
                           begin BIGINT NOT NULL, "end" BIGINT NOT NULL, text TEXT NOT NULL);
    CREATE INDEX entities_document ON entities(document);
    CREATE INDEX entities_text ON entities(text);
    CREATE TABLE quotes (document BIGINT NOT NULL REFERENCES documents(id), kind TEXT NOT NULL, source TEXT NOT NULL,
                         speaker TEXT, begin BIGINT NOT NULL, "end" BIGINT NOT NULL);
    CREATE INDEX quotes_document ON quotes(document);
    CREATE TABLE claims (document BIGINT NOT NULL REFERENCES documents(id), type TEXT NOT NULL, value DOUBLE PRECISION,
                         qualifier TEXT NOT NULL, event_hint TEXT NOT NULL, attributed_to TEXT,
                         begin BIGINT NOT NULL, "end" BIGINT NOT NULL);
    CREATE INDEX claims_document ON claims(document);
    CREATE TABLE events (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, first TEXT NOT NULL DEFAULT '',
                         last TEXT NOT NULL DEFAULT '');
    CREATE INDEX events_dates ON events(last, first);
    CREATE TABLE event_documents (document BIGINT PRIMARY KEY REFERENCES documents(id),
                                  event BIGINT NOT NULL REFERENCES events(id));
    CREATE INDEX event_documents_event ON event_documents(event);
    CREATE TABLE event_terms (event BIGINT NOT NULL, term TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL,
                              PRIMARY KEY (event, term));
    CREATE TABLE event_places (event BIGINT NOT NULL, place TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (event, place));
    CREATE TABLE event_names (event BIGINT NOT NULL, name TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (event, name));
    CREATE TABLE term_df (term TEXT PRIMARY KEY, df BIGINT NOT NULL);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
    )sql",
    // 4: the work queue of `isnad worker` (see the SQLite migration 4).
    R"sql(
    CREATE TABLE queue (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE,
                        external_id TEXT NOT NULL, outlet TEXT NOT NULL, url TEXT NOT NULL, published TEXT NOT NULL,
                        title TEXT NOT NULL, text TEXT NOT NULL, enqueued_at DOUBLE PRECISION NOT NULL, leased_by TEXT,
                        lease_until DOUBLE PRECISION NOT NULL DEFAULT 0, attempts BIGINT NOT NULL DEFAULT 0,
                        document BIGINT REFERENCES documents(id), finished_at DOUBLE PRECISION);
    CREATE INDEX queue_pending ON queue(lease_until, id) WHERE document IS NULL;
    )sql",
    // 5: per-document clustering features (see the SQLite migration 5).
    R"sql(
    ALTER TABLE event_documents ADD COLUMN seq BIGINT, ADD COLUMN features TEXT;
    CREATE UNIQUE INDEX event_documents_seq ON event_documents(seq);
    ALTER TABLE events ADD COLUMN state TEXT;
    INSERT INTO counters(name, value) SELECT 'df_checkpoint', value FROM counters WHERE name = 'documents_clustered';
    )sql",
    // 6: no index on entity text (see the SQLite migration 6).
    R"sql(
    DROP INDEX IF EXISTS entities_text;
    )sql",
};

constexpr int kLatest = static_cast<int>(std::size(kSqliteMigrations));
static_assert(kLatest == kSchemaVersion, "kSchemaVersion must name the last migration");
static_assert(std::size(kPostgresMigrations) == std::size(kSqliteMigrations),
              "both engines have every schema version");

Expected<int> read_schema_version(Connection& db) {
  if (db.backend() == Backend::kSqlite) {
    auto q = db.prepare("PRAGMA user_version");
    if (!q || q->step() != Step::kRow) return store_error(db, "reading schema version");
    return static_cast<int>(q->int64(0));
  }
  auto exists = db.prepare("SELECT to_regclass('isnad_schema') IS NOT NULL");
  if (!exists || exists->step() != Step::kRow) return store_error(db, "reading schema version");
  if (exists->int64(0) == 0) return 0;
  auto q = db.prepare("SELECT coalesce(max(version), 0) FROM isnad_schema");
  if (!q || q->step() != Step::kRow) return store_error(db, "reading schema version");
  return static_cast<int>(q->int64(0));
}

Status write_schema_version(Connection& db, int version) {
  if (db.backend() == Backend::kSqlite) return db.exec(fmt::format("PRAGMA user_version = {}", version));
  return db.exec(fmt::format("INSERT INTO isnad_schema(version) VALUES ({})", version));
}

// Clustering features as text (TEXT on both engines): sections 't' (term weights), 'p' (place
// counts) and 'n' (name counts) of entries `<byte length>:<label><amount>;`. Labels are data (any
// character), hence the length. Amounts are written in the shortest form that reads back to the
// same double, so an event's sums rebuilt from these rows equal the ones made in memory.
// std::to_chars, not fmt: this runs for every term of every clustered document, and fmt's
// per-character appends cost as much as the clustering of the document's terms.
template <class Amount>
void encode_entry(std::string& out, std::string_view label, Amount amount) {
  char number[32];  // the shortest form of any double, or any 64-bit integer
  out.append(number, std::to_chars(number, std::end(number), label.size()).ptr);
  out += ':';
  out += label;
  char* const stop = [&] {
    // Term weights are counts (an occurrence weighs 1 or 2), and the shortest form of a double is
    // costly to find: an integral amount is written as the integer, which reads back the same.
    if constexpr (std::is_floating_point_v<Amount>) {
      if (amount == std::trunc(amount) && std::fabs(amount) < 1e15) {
        return std::to_chars(number, std::end(number), static_cast<std::int64_t>(amount)).ptr;
      }
    }
    return std::to_chars(number, std::end(number), amount).ptr;
  }();
  out.append(number, stop);
  out += ';';
}

std::string encode_features(const EventFeatures& f) {
  std::string out;
  out.reserve(16 * (f.terms.size() + f.places.size() + f.names.size()) + 2);
  out += 't';
  for (const auto& [term, weight] : f.terms) encode_entry(out, term, weight);
  out += 'p';
  for (const std::string& place : f.places) encode_entry(out, place, 1);
  out += 'n';
  for (const std::string& name : f.names) encode_entry(out, name, 1);
  return out;
}

// Adds the entries of `text` to `event` (term weights and label counts summed); false when
// `text` is not such an encoding.
bool add_features(Event& event, std::string_view text) {
  char section = 0;
  const char* const end = text.data() + text.size();
  const char* p = text.data();
  while (p < end) {
    if (*p == 't' || *p == 'p' || *p == 'n') {
      section = *p++;
      continue;
    }
    std::size_t length = 0;
    auto [colon, ec] = std::from_chars(p, end, length);
    if (ec != std::errc() || section == 0 || colon == end || *colon != ':' ||
        length > static_cast<std::size_t>(end - colon - 1)) {
      return false;
    }
    std::string label(colon + 1, length);
    p = colon + 1 + length;
    const char* semicolon = std::find(p, end, ';');
    double amount = 0;
    auto [stop, ec2] = std::from_chars(p, semicolon, amount);
    if (ec2 != std::errc() || stop != semicolon || semicolon == end) return false;
    p = semicolon + 1;
    if (section == 't') event.terms[std::move(label)] += amount;
    else (section == 'p' ? event.places : event.names)[std::move(label)] += static_cast<int>(amount);
  }
  return true;
}

// Migration 5's data step: each event's summed terms, places and names (schema 4's per-event
// tables) become its `state`, and those tables go.
Status fold_event_state(Connection& db) {
  std::map<std::int64_t, std::array<std::string, 3>> state;
  const char* tables[] = {"SELECT event, term, weight FROM event_terms ORDER BY event, term",
                          "SELECT event, place, count FROM event_places ORDER BY event, place",
                          "SELECT event, name, count FROM event_names ORDER BY event, name"};
  for (int t = 0; t < 3; ++t) {
    auto q = db.prepare(tables[t]);
    if (!q) return store_error(db, "reading the clustering state");
    Step step;
    while ((step = q->step()) == Step::kRow) {
      std::string& out = state[q->int64(0)][static_cast<std::size_t>(t)];
      if (t == 0) encode_entry(out, q->text(1), q->real(2));
      else encode_entry(out, q->text(1), q->int64(2));
    }
    if (step != Step::kDone) return store_error(db, "reading the clustering state");
  }
  auto update = db.prepare("UPDATE events SET state = ?2 WHERE id = ?1");
  if (!update) return store_error(db, "moving the clustering state");
  for (const auto& [event, parts] : state) {
    update->reset();
    update->bind(1, event);
    update->bind(2, "t" + parts[0] + "p" + parts[1] + "n" + parts[2]);
    if (update->step() != Step::kDone) return store_error(db, "moving the clustering state");
  }
  update.reset();
  return db.exec("DROP TABLE event_terms; DROP TABLE event_places; DROP TABLE event_names");
}

}  // namespace

std::string redact_location(std::string url) {
  const std::size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t at = url.find('@', start);
    const std::size_t slash = url.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = url.find(':', start);
      if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t key = url.find("password="); key != std::string::npos; key = url.find("password=", key + 1)) {
    const std::size_t value = key + 9;
    const std::size_t end = url.find_first_of("& ", value);
    url.replace(value, (end == std::string::npos ? url.size() : end) - value, "***");
  }
  return url;
}

std::string content_hash(std::string_view original_text) {
  const std::string normalized = normalize_string(original_text);
  const XXH128_hash_t h = XXH3_128bits(normalized.data(), normalized.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

// Migration N takes a store from schema N-1 to N, each in its own transaction. On PostgreSQL
// several workers may start at once: an advisory lock lets one migrate while the others wait.
Status Store::migrate() {
  const bool postgres = is_postgres();
  if (postgres) {
    if (Status s = db_->exec("SELECT pg_advisory_lock(7210501)"); !s) return s;
    if (Status s = db_->exec("CREATE TABLE IF NOT EXISTS isnad_schema (version INT PRIMARY KEY)"); !s) return s;
  }
  auto finish = [&](Status s) -> Status {
    if (postgres) (void)db_->exec("SELECT pg_advisory_unlock(7210501)");
    return s;
  };
  // Each step reads the version inside its own write transaction, so of several processes
  // opening a new store at once (workers; SQLite's BEGIN IMMEDIATE or the PostgreSQL lock makes
  // them take turns) one migrates and the others find it done.
  for (;;) {
    if (Status s = db_->begin(); !s) return finish(s);
    auto version = read_schema_version(*db_);
    if (!version) {
      (void)db_->rollback();
      return finish(version.error());
    }
    if (*version > kLatest) {
      (void)db_->rollback();
      return finish(make_error(ErrorCode::kStore,
                               fmt::format("store has schema version {}, this isnad knows up to {}", *version, kLatest)));
    }
    if (*version == kLatest) return finish(db_->commit());
    Status s = db_->exec(postgres ? kPostgresMigrations[*version] : kSqliteMigrations[*version]);
    if (s && *version + 1 == 5) s = fold_event_state(*db_);
    if (s) s = write_schema_version(*db_, *version + 1);
    if (!s) {
      (void)db_->rollback();
      return finish(make_error(ErrorCode::kStore, fmt::format("migration to schema {} failed: {}", *version + 1, s.error().message)));
    }
    if (Status c = db_->commit(); !c) return finish(c);
  }
}

Expected<Store> Store::open(const std::string& location, OpenMode mode) {
  const bool read_only = mode == OpenMode::kReadOnly;
  const bool postgres = location.starts_with("postgresql://") || location.starts_with("postgres://");
  auto connection = postgres ? sql::open_postgres(location, read_only) : sql::open_sqlite(location, read_only);
  if (!connection) return connection.error();
  Store store(std::move(*connection));
  const std::string shown = redact_location(location);
  if (read_only) {
    auto version = read_schema_version(*store.db_);
    if (!version || *version > kSchemaVersion || *version == 0) {
      return make_error(ErrorCode::kStore, fmt::format("{}: not an isnad store of a known schema", shown));
    }
    return store;
  }
  if (Status s = store.migrate(); !s) return make_error(ErrorCode::kStore, fmt::format("{}: {}", shown, s.error().message));
  return store;
}

Store::Store(std::unique_ptr<sql::Connection> db) : db_(std::move(db)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Status Store::begin() { return db_->begin(); }
Status Store::commit() { return db_->commit(); }
Status Store::rollback() { return db_->rollback(); }
bool Store::is_postgres() const { return db_->backend() == Backend::kPostgres; }

namespace {

// Runs `body` in its own transaction, or in a savepoint of the caller's. On failure everything
// `body` wrote is undone and its error returned.
template <class F>
auto transactionally(Connection& db, const char* savepoint, F&& body) -> decltype(body()) {
  const bool own = !db.in_transaction();
  if (Status s = own ? db.begin() : db.exec(fmt::format("SAVEPOINT {}", savepoint)); !s) return s.error();
  auto result = body();
  if (!result) {
    (void)(own ? db.rollback() : db.exec(fmt::format("ROLLBACK TO {0}; RELEASE {0}", savepoint)));
    return result;
  }
  if (Status s = own ? db.commit() : db.exec(fmt::format("RELEASE {}", savepoint)); !s) {
    if (own) (void)db.rollback();
    return s.error();
  }
  return result;
}

}  // namespace

Expected<std::vector<AddResult>> Store::add_documents(const std::vector<StoredDocumentInput>& batch) {
  const bool postgres = is_postgres();
  if (postgres && !analyzer_) analyzer_ = std::make_unique<Analyzer>();
  return transactionally(*db_, "add_documents", [&]() -> Expected<std::vector<AddResult>> {
    std::vector<AddResult> results;
    results.reserve(batch.size());
    Borrowed find_hash(db_->cached("SELECT id FROM documents WHERE content_hash = ?1"));
    Borrowed find_id(db_->cached("SELECT count(*) FROM documents WHERE external_id = ?1"));
    // ON CONFLICT: another writer may store the same content between our lookup and insert
    // (PostgreSQL workers); the insert then waits for it and returns no row.
    Borrowed insert(db_->cached(
        "INSERT INTO documents(external_id, outlet, url, published, title, text, content_hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (content_hash) DO NOTHING RETURNING id"));
    Borrowed index(db_->cached(postgres ? "UPDATE documents SET terms = ?2::tsvector, term_count = ?3 WHERE id = ?1"
                                        : "INSERT INTO documents_fts(rowid, title, text) VALUES (?1, ?2, ?3)"));
    if (!find_hash.ok() || !find_id.ok() || !insert.ok() || !index.ok()) return store_error(*db_, "preparing ingest");
    std::int64_t indexed_terms = 0, indexed_documents = 0;
    std::vector<std::pair<std::int64_t, const StoredDocumentInput*>> to_index;  // new document id, its input
    to_index.reserve(batch.size());
    for (const StoredDocumentInput& doc : batch) {
      AddResult r;
      const std::string hash = doc.content_hash.empty() ? content_hash(doc.text) : doc.content_hash;
      auto duplicate = [&]() -> Expected<bool> {
        find_hash->reset();
        find_hash->bind(1, hash);
        const Step step = find_hash->step();
        if (step == Step::kError) return store_error(*db_, "looking up content");
        if (step != Step::kRow) return false;
        r.document = find_hash->int64(0);
        r.duplicate_of = r.document;
        return true;
      };
      auto found = duplicate();
      if (!found) return found.error();
      if (*found) {
        results.push_back(r);
        continue;
      }
      find_id->reset();
      find_id->bind(1, doc.external_id);
      if (find_id->step() != Step::kRow) return store_error(*db_, "looking up document id");
      r.id_reused = find_id->int64(0) > 0;
      insert->reset();
      insert->bind(1, doc.external_id);
      insert->bind(2, doc.outlet);
      insert->bind(3, doc.url);
      insert->bind(4, doc.published);
      insert->bind(5, doc.title);
      insert->bind(6, doc.text);
      insert->bind(7, hash);
      const Step inserted = insert->step();
      if (inserted == Step::kError) return store_error(*db_, "storing document");
      if (inserted == Step::kDone) {  // stored meanwhile by another writer
        found = duplicate();
        if (!found) return found.error();
        if (!*found) return make_error(ErrorCode::kStore, "storing document: content vanished during insert");
        results.push_back(r);
        continue;
      }
      r.document = insert->int64(0);
      insert->reset();
      results.push_back(r);
      to_index.emplace_back(r.document, &doc);
    }
    // Indexed after all inserts: every INSERT INTO documents opens a statement savepoint, and
    // FTS5 writes its pending terms out as a new segment at each savepoint. Interleaved, that
    // was one segment (and its merges) per document; this way it is one per batch.
    for (const auto& [document, input] : to_index) {
      const StoredDocumentInput& doc = *input;
      index->reset();
      index->bind(1, document);
      if (postgres) {
        const corpus::IndexedTerms terms = doc.terms ? corpus::index_terms(*doc.terms)
                                                     : corpus::index_terms(*analyzer_, doc.title, doc.text);
        index->bind(2, terms.tsvector);
        index->bind(3, terms.count);
        indexed_terms += terms.count;
        ++indexed_documents;
      } else {
        index->bind(2, doc.title);
        index->bind(3, doc.text);
      }
      std::optional<corpus::RecordedTermsScope> recorded;
      if (doc.terms && !postgres) recorded.emplace(doc.title, doc.text, *doc.terms);
      if (index->step() != Step::kDone) return store_error(*db_, "indexing document");
    }
    if (postgres && indexed_documents > 0) {
      // Summed over 64 rows, one per connection's slot: writers in other sessions do not queue on
      // one row (held until their commit) for the whole ingest transaction.
      auto totals = db_->prepare(
          "INSERT INTO search_totals(slot, documents, terms) VALUES (pg_backend_pid() % 64, ?1, ?2) "
          "ON CONFLICT (slot) DO UPDATE SET documents = search_totals.documents + excluded.documents, "
          "terms = search_totals.terms + excluded.terms");
      if (!totals) return store_error(*db_, "updating search totals");
      totals->bind(1, indexed_documents);
      totals->bind(2, indexed_terms);
      if (totals->step() != Step::kDone) return store_error(*db_, "updating search totals");
    }
    return results;
  });
}

Expected<std::vector<bool>> Store::contains(const std::vector<std::string>& content_hashes) const {
  Borrowed find_hash(db_->cached("SELECT 1 FROM documents WHERE content_hash = ?1"));
  if (!find_hash.ok()) return store_error(*db_, "looking up content");
  std::vector<bool> found;
  found.reserve(content_hashes.size());
  for (const std::string& hash : content_hashes) {
    find_hash->reset();
    find_hash->bind(1, hash);
    const Step step = find_hash->step();
    if (step == Step::kError) return store_error(*db_, "looking up content");
    found.push_back(step == Step::kRow);
  }
  return found;
}

Expected<std::optional<StoredDocument>> Store::document(std::int64_t id) const {
  auto q = db_->prepare("SELECT id, external_id, outlet, url, published, title, text, content_hash FROM documents WHERE id = ?1");
  if (!q) return store_error(*db_, "reading document");
  q->bind(1, id);
  const Step step = q->step();
  if (step == Step::kDone) return std::optional<StoredDocument>{};
  if (step != Step::kRow) return store_error(*db_, "reading document");
  return std::optional<StoredDocument>{stored_document(*q)};
}

namespace {

Expected<std::vector<StoredDocument>> read_documents(Connection& db, std::string_view sql, std::optional<std::int64_t> param,
                                                     std::string_view what) {
  auto q = db.prepare(sql);
  if (!q) return store_error(db, what);
  if (param) q->bind(1, *param);
  std::vector<StoredDocument> docs;
  Step step;
  while ((step = q->step()) == Step::kRow) docs.push_back(stored_document(*q));
  if (step != Step::kDone) return store_error(db, what);
  return docs;
}

Expected<std::int64_t> read_count(Connection& db, std::string_view sql, std::string_view what) {
  auto q = db.prepare(sql);
  if (!q || q->step() != Step::kRow) return store_error(db, what);
  return q->int64(0);
}

}  // namespace

Expected<std::vector<StoredDocument>> Store::all_documents() const {
  return read_documents(*db_, "SELECT id, external_id, outlet, url, published, title, text, content_hash FROM documents ORDER BY id",
                        std::nullopt, "reading documents");
}

Expected<std::int64_t> Store::document_count() const {
  return read_count(*db_, "SELECT count(*) FROM documents", "counting documents");
}

Expected<int> Store::schema_version() const { return read_schema_version(*db_); }

Status Store::link_near_duplicate(std::int64_t document, std::int64_t original, double similarity) {
  auto q = db_->prepare(
      "INSERT INTO near_duplicates(document, original, similarity) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (document, original) DO UPDATE SET similarity = excluded.similarity");
  if (!q) return store_error(*db_, "linking near duplicate");
  q->bind(1, document);
  q->bind(2, original);
  q->bind(3, similarity);
  if (q->step() != Step::kDone) return store_error(*db_, "linking near duplicate");
  return {};
}

Expected<std::vector<std::int64_t>> Store::near_duplicates_of(std::int64_t document) const {
  auto q = db_->prepare(
      "SELECT original FROM near_duplicates WHERE document = ?1 "
      "UNION SELECT document FROM near_duplicates WHERE original = ?1 ORDER BY 1");
  if (!q) return store_error(*db_, "reading near duplicates");
  q->bind(1, document);
  std::vector<std::int64_t> ids;
  Step step;
  while ((step = q->step()) == Step::kRow) ids.push_back(q->int64(0));
  if (step != Step::kDone) return store_error(*db_, "reading near duplicates");
  return ids;
}

namespace {

std::string iso(const std::optional<CivilDate>& d) {
  return d ? fmt::format("{:04}-{:02}-{:02}", d->year, d->month, d->day) : std::string();
}

}  // namespace

namespace {

// Many rows for one INSERT (or upsert). SQLite binds and steps once per row (in process, cheap);
// PostgreSQL gets one statement with an array per column, since a round trip per row (~50 per
// article for an analysis, thousands per term frequency checkpoint) would dominate a worker's time.
struct BatchSql {
  const char* per_row;    // ?1 … ?N: one row
  const char* as_arrays;  // ?1 … ?N: one array per column (unnest)
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;  // monostate: NULL

// A PostgreSQL array literal of one column.
void append_element(std::string& out, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    out += "NULL";
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    out += fmt::format("{}", *d);
  } else {
    out += '"';
    for (char c : std::get<std::string>(v)) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
}

std::string array_literal(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    append_element(out, Value{values[i]});
  }
  out += '}';
  return out;
}

void bind_value(sql::Statement& q, int index, const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) q.bind(index, *i);
  else if (const auto* d = std::get_if<double>(&v)) q.bind(index, *d);
  else if (const auto* t = std::get_if<std::string>(&v)) q.bind(index, *t);
  // NULL: left unbound
}

// `per_row` with its VALUES tuple repeated to insert `rows` rows in one statement (the extra
// tuples' anonymous parameters number on after ?N). The text lives as long as the process:
// connections cache statements by the address of their SQL.
const char* rows_sql(const char* per_row, std::size_t rows) {
  static std::mutex mutex;
  static std::map<std::pair<const char*, std::size_t>, std::string> made;
  std::lock_guard lock(mutex);
  std::string& sql = made[{per_row, rows}];
  if (sql.empty()) {
    const std::string_view one(per_row);
    const std::size_t open = one.find("VALUES (") + 7;
    const std::size_t close = one.find(')', open);
    const std::size_t params = static_cast<std::size_t>(std::count(one.begin() + open, one.begin() + close, '?'));
    std::string tuple = ", (";
    for (std::size_t p = 0; p < params; ++p) tuple += p == 0 ? "?" : ", ?";
    tuple += ')';
    sql.assign(one.substr(0, close + 1));
    for (std::size_t r = 1; r < rows; ++r) sql += tuple;
    sql += one.substr(close + 1);
  }
  return sql.c_str();
}

Status write_rows(Connection& db, const BatchSql& sql, const std::vector<std::vector<Value>>& rows, std::string_view what) {
  if (rows.empty()) return {};
  const bool arrays = db.backend() == Backend::kPostgres;
  Borrowed q(db.cached(arrays ? sql.as_arrays : sql.per_row));
  if (!q.ok()) return store_error(db, what);
  if (!arrays) {
    // Rows go in statements of 16, 8, 4, 2 or 1 rows (five cached statements per table): a
    // statement per row paid a bind/step/reset round and a VDBE program start for each.
    const std::size_t columns = rows.front().size();
    for (std::size_t i = 0; i < rows.size();) {
      std::size_t k = 16;
      while (k > rows.size() - i) k /= 2;
      sql::Statement* many = k == 1 ? &*q : db.cached(rows_sql(sql.per_row, k));
      if (many == nullptr) return store_error(db, what);
      many->reset();
      for (std::size_t r = 0; r < k; ++r) {
        for (std::size_t c = 0; c < columns; ++c) bind_value(*many, static_cast<int>(r * columns + c + 1), rows[i + r][c]);
      }
      if (many->step() != Step::kDone) return store_error(db, what);
      many->reset();
      i += k;
    }
    return {};
  }
  for (std::size_t c = 0; c < rows.front().size(); ++c) {
    std::string column = "{";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r > 0) column += ',';
      append_element(column, rows[r][c]);
    }
    column += '}';
    q->bind(static_cast<int>(c + 1), column);
  }
  if (q->step() != Step::kDone) return store_error(db, what);
  return {};
}

constexpr BatchSql kSentenceRows{
    "INSERT INTO sentences(document, position, begin, \"end\") VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO sentences(document, position, begin, \"end\") "
    "SELECT * FROM unnest(?1::bigint[], ?2::bigint[], ?3::bigint[], ?4::bigint[])"};
constexpr BatchSql kEntityRows{
    "INSERT INTO entities(document, type, begin, \"end\", text) VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO entities(document, type, begin, \"end\", text) "
    "SELECT * FROM unnest(?1::bigint[], ?2::text[], ?3::bigint[], ?4::bigint[], ?5::text[])"};
constexpr BatchSql kQuoteRows{
    "INSERT INTO quotes(document, kind, source, speaker, begin, \"end\") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO quotes(document, kind, source, speaker, begin, \"end\") "
    "SELECT * FROM unnest(?1::bigint[], ?2::text[], ?3::text[], ?4::text[], ?5::bigint[], ?6::bigint[])"};
constexpr BatchSql kClaimRows{
    "INSERT INTO claims(document, type, value, qualifier, event_hint, attributed_to, begin, \"end\") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO claims(document, type, value, qualifier, event_hint, attributed_to, begin, \"end\") "
    "SELECT * FROM unnest(?1::bigint[], ?2::text[], ?3::float8[], ?4::text[], ?5::text[], ?6::text[], ?7::bigint[], "
    "?8::bigint[])"};

}  // namespace

Status Store::save_analysis(std::int64_t document, std::string_view original, const DocumentAnalysis& a) {
  auto saved = transactionally(*db_, "analysis", [&]() -> Expected<bool> {
    for (const char* sql : {"DELETE FROM sentences WHERE document = ?1", "DELETE FROM entities WHERE document = ?1",
                            "DELETE FROM quotes WHERE document = ?1", "DELETE FROM claims WHERE document = ?1"}) {
      Borrowed del(db_->cached(sql));
      if (!del.ok()) return store_error(*db_, "replacing analysis");
      del->bind(1, document);
      if (del->step() != Step::kDone) return store_error(*db_, "replacing analysis");
    }
    auto text = [&](Span normalized) { return std::string(a.original_span(normalized).of(original)); };
    auto begin = [&](Span normalized) { return Value{std::int64_t{a.original_span(normalized).begin}}; };
    auto end = [&](Span normalized) { return Value{std::int64_t{a.original_span(normalized).end}}; };
    std::vector<std::vector<Value>> rows;
    for (std::size_t i = 0; i < a.sentences.size(); ++i) {
      rows.push_back({document, static_cast<std::int64_t>(i), begin(a.sentences[i]), end(a.sentences[i])});
    }
    if (Status s = write_rows(*db_, kSentenceRows, rows, "storing sentences"); !s) return s.error();
    rows.clear();
    for (const EntityMention& e : a.entities) {
      rows.push_back({document, std::string(to_string(e.type)), begin(e.span), end(e.span), text(e.span)});
    }
    if (Status s = write_rows(*db_, kEntityRows, rows, "storing entities"); !s) return s.error();
    rows.clear();
    for (const Quote& q : a.quotes) {
      rows.push_back({document, std::string(to_string(q.kind)), std::string(to_string(q.source)),
                      q.speaker.empty() ? std::string() : text(q.speaker), begin(q.text), end(q.text)});
    }
    if (Status s = write_rows(*db_, kQuoteRows, rows, "storing quotes"); !s) return s.error();
    rows.clear();
    for (const Claim& c : a.claims) {
      rows.push_back({document, std::string(to_string(c.type)), c.value ? Value{*c.value} : Value{},
                      std::string(to_string(c.qualifier)), c.event_hint,
                      c.attributed_to.empty() ? std::string() : text(c.attributed_to), begin(c.span), end(c.span)});
    }
    if (Status s = write_rows(*db_, kClaimRows, rows, "storing claims"); !s) return s.error();
    return true;
  });
  if (!saved) return saved.error();
  return {};
}

constexpr const char* kDfSql = "SELECT df FROM term_df WHERE term = ?1";
constexpr BatchSql kTermDfDeltas{
    "INSERT INTO term_df(term, df) VALUES (?1, ?2) ON CONFLICT(term) DO UPDATE SET df = term_df.df + excluded.df",
    "INSERT INTO term_df(term, df) SELECT * FROM unnest(?1::text[], ?2::bigint[]) "
    "ON CONFLICT(term) DO UPDATE SET df = term_df.df + excluded.df"};

// How many documents' term counts are summed before they are added to term_df: a document then
// costs a share of one upsert per distinct term of its stretch, not one per term, and a cache
// rebuild reads at most this many documents' features to count the rest. Distinct terms grow
// slower than documents: at 2,048 the upserts cost 0.4× what they did at 512 (callgrind, 3,000
// SaudiNewsNet articles), and the terms held until a fold stay bounded by that many documents'
// terms.
constexpr std::int64_t kDfCheckpointEvery = 2048;

// The events of the current date window, in memory between assign_event calls. Invariant:
// every dated event that meets one of the `covered` day intervals is loaded, and so is every
// undated one. A late document (older than the window) covers its own small interval instead
// of stretching the window back to it.
//
// The store keeps each clustered document's features (event_documents.features, in clustering
// order `seq`); an event's state is its `state` (sums from before schema 5) plus its documents'
// features, summed in order as `EventClusterer::add` summed them. A term's document frequency is
// term_df's count as of the first `checkpoint` clustered documents plus the count over those
// clustered since: the clusterer's unsaved growth of the term, plus `rebuilt_growth`, what was
// counted when the cache was built (a new cache starts after the checkpoint).
struct Store::ClusterCache {
  ClusterOptions options;
  EventClusterer clusterer;
  std::vector<std::int64_t> id_of;  // per clusterer slot; 0 = not a stored event (retired slot)
  std::unordered_map<std::int64_t, std::size_t> slot_of;
  std::int64_t seen = 0;            // documents_clustered when the cache was last in sync
  std::int64_t checkpoint = 0;
  std::unordered_map<std::string, int> rebuilt_growth;
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
  Status cover(Connection& db, long day) {
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

  Status load_range(Connection& db, long from, long to) {
    return load(db, "first != '' AND last >= ?1 AND first <= ?2", {iso_day(from), iso_day(to)});
  }

  Status cover_undated(Connection& db) {
    if (!covered.empty() || has_recent) return {};
    has_recent = true;
    return load(db, "true ORDER BY id DESC LIMIT 1000", {});
  }

  // Document frequencies of terms not in memory come from the store (a forgotten term's too).
  // PostgreSQL reads them all in one statement (a round trip per term made a worker's cache
  // rebuild cost hundreds of round trips per article).
  template <class Terms>
  Status frequencies(Connection& db, const Terms& terms) {
    std::vector<std::string> unknown;
    for (const auto& [term, weight] : terms) {
      if (!clusterer.knows_term(term)) unknown.push_back(term);
    }
    if (unknown.empty()) return {};
    if (db.backend() == Backend::kPostgres) {
      Borrowed df(db.cached("SELECT u.term, coalesce(t.df, 0) FROM unnest(?1::text[]) AS u(term) "
                            "LEFT JOIN term_df t ON t.term = u.term"));
      if (!df.ok()) return store_error(db, "reading term frequencies");
      df->bind(1, array_literal(unknown));
      Step step;
      while ((step = df->step()) == Step::kRow) {
        const std::string term = df->text(0);
        clusterer.restore_frequency(term, static_cast<int>(df->int64(1)) + rebuilt(term));
      }
      if (step != Step::kDone) return store_error(db, "reading term frequencies");
      return {};
    }
    for (const std::string& term : unknown) {
      const Expected<int> df = stored_df(db, term);
      if (!df) return df.error();
      clusterer.restore_frequency(term, *df);
    }
    return {};
  }

  // The document frequency of a term the clusterer does not hold. It has no unsaved growth
  // there (see take_unsaved_frequencies), so this is all of it.
  Expected<int> stored_df(Connection& db, const std::string& term) {
    Borrowed df(db.cached(kDfSql));
    if (!df.ok()) return store_error(db, "reading term frequencies");
    df->bind(1, term);
    const Step step = df->step();
    if (step == Step::kError) return store_error(db, "reading term frequencies");
    return (step == Step::kRow ? static_cast<int>(df->int64(0)) : 0) + rebuilt(term);
  }

  int rebuilt(const std::string& term) const {
    const auto it = rebuilt_growth.find(term);
    return it == rebuilt_growth.end() ? 0 : it->second;
  }

  static std::string iso_day(long day) { return iso(civil_from_days(day)); }

  // Reads the df checkpoint and counts the terms of the documents clustered since.
  Status start(Connection& db) {
    {
      Borrowed q(db.cached("SELECT value FROM counters WHERE name = 'df_checkpoint'"));
      if (!q.ok()) return store_error(db, "reading counters");
      const Step step = q->step();
      if (step == Step::kError) return store_error(db, "reading counters");
      checkpoint = step == Step::kRow ? q->int64(0) : 0;
    }
    auto q = db.prepare("SELECT features FROM event_documents WHERE seq >= ?1");
    if (!q) return store_error(db, "reading document features");
    q->bind(1, checkpoint);
    Step step;
    while ((step = q->step()) == Step::kRow) {
      Event e;
      if (!add_features(e, q->text(0))) return make_error(ErrorCode::kStore, "reading document features: malformed");
      for (const auto& [term, weight] : e.terms) ++rebuilt_growth[term];
    }
    if (step != Step::kDone) return store_error(db, "reading document features");
    return {};
  }

  // Adds the counts since the checkpoint to term_df once they cover enough documents.
  Status fold(Connection& db) {
    if (seen - checkpoint < kDfCheckpointEvery) return {};
    std::vector<std::pair<std::string, int>> sorted = clusterer.take_unsaved_frequencies(/*forget_terms=*/true);
    if (!rebuilt_growth.empty()) {
      for (auto& [term, count] : sorted) {
        if (const auto it = rebuilt_growth.find(term); it != rebuilt_growth.end()) {
          count += it->second;
          rebuilt_growth.erase(it);
        }
      }
      sorted.insert(sorted.end(), rebuilt_growth.begin(), rebuilt_growth.end());
      rebuilt_growth.clear();
      std::sort(sorted.begin(), sorted.end());
    }
    std::vector<std::vector<Value>> rows;
    rows.reserve(sorted.size());
    for (auto& [term, count] : sorted) rows.push_back({std::move(term), std::int64_t{count}});
    if (Status s = write_rows(db, kTermDfDeltas, rows, "updating term frequencies"); !s) return s;
    Borrowed q(db.cached("INSERT INTO counters(name, value) VALUES ('df_checkpoint', ?1) "
                         "ON CONFLICT(name) DO UPDATE SET value = excluded.value"));
    if (!q.ok()) return store_error(db, "updating counters");
    q->bind(1, seen);
    if (q->step() != Step::kDone) return store_error(db, "updating counters");
    checkpoint = seen;
    return {};
  }

  Status load(Connection& db, const std::string& where, const std::vector<std::string>& params) {
    auto q = db.prepare("SELECT id, first, last, state FROM events WHERE " + where);
    if (!q) return store_error(db, "reading events");
    for (std::size_t i = 0; i < params.size(); ++i) q->bind(static_cast<int>(i + 1), params[i]);
    std::vector<std::int64_t> ids;
    std::unordered_map<std::int64_t, Event> events;
    Step step;
    while ((step = q->step()) == Step::kRow) {
      if (slot_of.count(q->int64(0))) continue;
      ids.push_back(q->int64(0));
      Event& e = events[q->int64(0)];
      e.first = parse_iso_date(q->text(1));
      e.last = parse_iso_date(q->text(2));
      if (!q->is_null(3) && !add_features(e, q->text(3))) return make_error(ErrorCode::kStore, "reading events: malformed state");
    }
    if (step != Step::kDone) return store_error(db, "reading events");
    if (ids.empty()) return {};
    // The events' documents in one statement (ids as a JSON array on SQLite, an array on
    // PostgreSQL), in clustering order.
    const bool postgres = db.backend() == Backend::kPostgres;
    std::string list;
    for (std::int64_t id : ids) {
      if (!list.empty()) list += ',';
      list += std::to_string(id);
    }
    list = postgres ? fmt::format("{{{}}}", list) : fmt::format("[{}]", list);
    auto rows = db.prepare(postgres ? "SELECT event, features FROM event_documents "
                                      "WHERE event = ANY(?1::bigint[]) AND seq IS NOT NULL ORDER BY seq"
                                    : "SELECT event, features FROM event_documents "
                                      "WHERE event IN (SELECT value FROM json_each(?1)) AND seq IS NOT NULL ORDER BY seq");
    if (!rows) return store_error(db, "preparing event state");
    rows->bind(1, list);
    while ((step = rows->step()) == Step::kRow) {
      if (!add_features(events[rows->int64(0)], rows->text(1))) {
        return make_error(ErrorCode::kStore, "reading document features: malformed");
      }
    }
    if (step != Step::kDone) return store_error(db, "reading event state");
    std::unordered_map<std::string, double> all_terms;
    for (const auto& [id, e] : events) {
      for (const auto& [term, weight] : e.terms) all_terms.emplace(term, 0.0);
    }
    if (Status s = frequencies(db, all_terms); !s) return s;
    for (std::int64_t id : ids) {
      const std::size_t slot = clusterer.restore_event(std::move(events[id]));
      if (id_of.size() <= slot) id_of.resize(slot + 1, 0);
      id_of[slot] = id;
      slot_of[id] = slot;
    }
    return {};
  }
};

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
  auto result = transactionally(*db_, "assign_event", [&]() -> Expected<std::vector<std::int64_t>> {
    return assign_events_in_transaction(documents, features, options);
  });
  if (!result) cache_.reset();  // it may hold half-applied documents
  return result;
}

Expected<std::vector<std::int64_t>> Store::assign_events_in_transaction(const std::vector<std::int64_t>& documents,
                                                                        const std::vector<EventFeatures>& features,
                                                                        const ClusterOptions& options) {
  // Concurrent writers cluster one at a time: the lock is held until the transaction ends, so
  // the next writer sees this one's events (SQLite's write lock does the same by itself).
  if (is_postgres()) {
    if (Status s = db_->exec("SELECT pg_advisory_xact_lock(7210502)"); !s) return s.error();
  }
  std::int64_t seen = 0;
  {
    Borrowed q(db_->cached("SELECT value FROM counters WHERE name = 'documents_clustered'"));
    if (!q.ok()) return store_error(*db_, "reading counters");
    const Step step = q->step();
    if (step == Step::kError) return store_error(*db_, "reading counters");
    if (step == Step::kRow) seen = q->int64(0);
  }
  if (!cache_ || !cache_->same(options) || cache_->seen != seen) {
    cache_ = std::make_unique<ClusterCache>(options, seen);
    if (Status s = cache_->start(*db_); !s) return s.error();
  }

  // Event dates and the counter are written once per day of the batch, before the cache reads
  // the store again (a new day moves the window), so reads see them.
  std::map<std::int64_t, std::pair<std::string, std::string>> dates;  // event → first, last
  std::int64_t assigned = 0;
  auto flush = [&]() -> Status {
    auto failed = [&] { return store_error(*db_, "updating events"); };
    Borrowed update(db_->cached("UPDATE events SET first = ?2, last = ?3 WHERE id = ?1"));
    Borrowed counter(db_->cached(
        "INSERT INTO counters(name, value) VALUES ('documents_clustered', ?1) "
        "ON CONFLICT(name) DO UPDATE SET value = counters.value + excluded.value"));
    if (!update.ok() || !counter.ok()) return failed();
    for (const auto& [event, range] : dates) {
      update->reset();
      update->bind(1, event);
      update->bind(2, range.first);
      update->bind(3, range.second);
      if (update->step() != Step::kDone) return failed();
    }
    if (assigned > 0) {
      counter->bind(1, assigned);
      if (counter->step() != Step::kDone) return failed();
    }
    dates.clear();
    assigned = 0;
    return {};
  };

  std::vector<std::int64_t> result(documents.size(), 0);
  std::optional<long> previous_day;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const EventFeatures& f = features[i];
    {
      Borrowed existing(db_->cached("SELECT event FROM event_documents WHERE document = ?1"));
      if (!existing.ok()) return store_error(*db_, "reading event");
      existing->bind(1, documents[i]);
      const Step step = existing->step();
      if (step == Step::kError) return store_error(*db_, "reading event");
      if (step == Step::kRow) {
        result[i] = existing->int64(0);
        continue;
      }
    }
    const std::optional<long> day = f.published ? std::optional<long>(days_from_civil(*f.published)) : std::nullopt;
    if (i > 0 && day != previous_day) {
      if (Status s = flush(); !s) return s.error();
    }
    previous_day = day;
    if (Status s = day ? cache_->cover(*db_, *day) : cache_->cover_undated(*db_); !s) return s.error();
    // The clusterer asks for the frequencies of terms it does not hold while it looks up the
    // document's terms (asking first cost every term a second lookup); PostgreSQL reads them in
    // one round trip first, so it is not asked.
    if (is_postgres()) {
      if (Status s = cache_->frequencies(*db_, f.terms); !s) return s.error();
    }
    EventClusterer& clusterer = cache_->clusterer;
    clusterer.set_documents_seen(static_cast<std::size_t>(seen));
    Status df_failed;
    const std::size_t index = clusterer.add(f, [&](const std::string& term) {
      Expected<int> df = cache_->stored_df(*db_, term);
      if (!df) df_failed = df.error();
      return df ? *df : 0;
    });
    if (!df_failed) return df_failed.error();  // the caller drops the cache with the transaction
    const Event& joined = clusterer.events()[index];
    std::int64_t event = index < cache_->id_of.size() ? cache_->id_of[index] : 0;
    if (event == 0) {
      Borrowed insert(db_->cached("INSERT INTO events(first, last) VALUES (?1, ?2) RETURNING id"));
      if (!insert.ok()) return store_error(*db_, "creating event");
      insert->bind(1, iso(joined.first));
      insert->bind(2, iso(joined.last));
      if (insert->step() != Step::kRow) return store_error(*db_, "creating event");
      event = insert->int64(0);
      if (cache_->id_of.size() <= index) cache_->id_of.resize(index + 1, 0);
      cache_->id_of[index] = event;
      cache_->slot_of[event] = index;
    }
    {
      Borrowed member(db_->cached("INSERT INTO event_documents(document, event, seq, features) VALUES (?1, ?2, ?3, ?4)"));
      if (!member.ok()) return store_error(*db_, "assigning event");
      member->bind(1, documents[i]);
      member->bind(2, event);
      member->bind(3, seen);
      member->bind(4, encode_features(f));
      if (member->step() != Step::kDone) return store_error(*db_, "assigning event");
    }
    dates[event] = {iso(joined.first), iso(joined.last)};
    ++assigned;
    ++seen;
    cache_->seen = seen;  // the cache already holds this document (reset on failure)
    result[i] = event;
  }
  if (Status s = flush(); !s) return s.error();
  if (Status s = cache_->fold(*db_); !s) return s.error();
  return result;
}

Expected<std::vector<std::pair<std::int64_t, std::int64_t>>> Store::document_events() const {
  auto q = db_->prepare("SELECT document, event FROM event_documents ORDER BY document");
  if (!q) return store_error(*db_, "reading events");
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  Step step;
  while ((step = q->step()) == Step::kRow) out.emplace_back(q->int64(0), q->int64(1));
  if (step != Step::kDone) return store_error(*db_, "reading events");
  return out;
}

namespace {

// Seconds since the epoch by the database's clock: every worker's lease is measured on one clock.
const char* now_seconds(Backend backend) {
  return backend == Backend::kPostgres ? "extract(epoch from clock_timestamp())::float8"
                                       : "((julianday('now') - 2440587.5) * 86400.0)";
}

}  // namespace

Expected<std::vector<Ticket>> Store::enqueue(const std::vector<StoredDocumentInput>& batch) {
  return transactionally(*db_, "enqueue", [&]() -> Expected<std::vector<Ticket>> {
    std::vector<Ticket> tickets;
    auto stored = db_->prepare("SELECT id FROM documents WHERE content_hash = ?1");
    auto insert = db_->prepare(fmt::format(
        "INSERT INTO queue(content_hash, external_id, outlet, url, published, title, text, enqueued_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {}) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        now_seconds(db_->backend())));
    auto queued = db_->prepare("SELECT id, document FROM queue WHERE content_hash = ?1");
    if (!stored || !insert || !queued) return store_error(*db_, "preparing enqueue");
    for (const StoredDocumentInput& doc : batch) {
      Ticket t;
      const std::string hash = content_hash(doc.text);
      insert->reset();
      insert->bind(1, hash);
      insert->bind(2, doc.external_id);
      insert->bind(3, doc.outlet);
      insert->bind(4, doc.url);
      insert->bind(5, doc.published);
      insert->bind(6, doc.title);
      insert->bind(7, doc.text);
      const Step step = insert->step();
      if (step == Step::kError) return store_error(*db_, "enqueueing document");
      if (step == Step::kRow) {
        t.id = insert->int64(0);
      } else {
        queued->reset();
        queued->bind(1, hash);
        if (queued->step() != Step::kRow) return store_error(*db_, "reading queue");
        t.id = queued->int64(0);
        t.already_queued = true;
        if (!queued->is_null(1)) t.stored = queued->int64(1);
      }
      if (!t.stored) {  // stored by a direct ingest, never queued: the ticket is done already
        stored->reset();
        stored->bind(1, hash);
        const Step found = stored->step();
        if (found == Step::kError) return store_error(*db_, "looking up content");
        if (found == Step::kRow) t.stored = stored->int64(0);
      }
      tickets.push_back(t);
    }
    // SQLite refuses a savepoint (finish) while a statement still sits on a row.
    stored->reset();
    insert->reset();
    queued->reset();
    std::vector<std::pair<std::int64_t, std::int64_t>> done;
    for (const Ticket& t : tickets) {
      if (t.stored && !t.already_queued) done.emplace_back(t.id, *t.stored);
    }
    if (Status s = finish(done); !s) return s.error();
    return tickets;
  });
}

Expected<std::vector<QueuedDocument>> Store::claim(std::string_view worker, std::size_t limit, double lease_seconds) {
  return transactionally(*db_, "claim", [&]() -> Expected<std::vector<QueuedDocument>> {
    const char* now = now_seconds(db_->backend());
    auto q = db_->prepare(fmt::format(
        "UPDATE queue SET leased_by = ?1, lease_until = {0} + ?3, attempts = attempts + 1 WHERE id IN ("
        "  SELECT id FROM queue WHERE document IS NULL AND lease_until < {0} ORDER BY id LIMIT ?2 {1}) "
        "RETURNING id, external_id, outlet, url, published, title, text, attempts, enqueued_at",
        now, is_postgres() ? "FOR UPDATE SKIP LOCKED" : ""));
    if (!q) return store_error(*db_, "preparing claim");
    q->bind(1, worker);
    q->bind(2, static_cast<std::int64_t>(limit));
    q->bind(3, lease_seconds);
    std::vector<QueuedDocument> claimed;
    Step step;
    while ((step = q->step()) == Step::kRow) {
      QueuedDocument d;
      d.ticket = q->int64(0);
      d.document = StoredDocumentInput{q->text(1), q->text(2), q->text(3), q->text(4), q->text(5), q->text(6)};
      d.attempts = static_cast<int>(q->int64(7));
      d.enqueued_at = q->real(8);
      claimed.push_back(std::move(d));
    }
    if (step != Step::kDone) return store_error(*db_, "claiming documents");
    std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.ticket < b.ticket; });
    return claimed;
  });
}

Status Store::finish(const std::vector<std::pair<std::int64_t, std::int64_t>>& ticket_documents) {
  if (ticket_documents.empty()) return {};
  auto done = transactionally(*db_, "finish", [&]() -> Expected<bool> {
    auto q = db_->prepare(fmt::format("UPDATE queue SET document = ?2, leased_by = NULL, finished_at = {} WHERE id = ?1",
                                      now_seconds(db_->backend())));
    if (!q) return store_error(*db_, "preparing finish");
    for (const auto& [ticket, document] : ticket_documents) {
      q->reset();
      q->bind(1, ticket);
      q->bind(2, document);
      if (q->step() != Step::kDone) return store_error(*db_, "finishing tickets");
    }
    return true;
  });
  if (!done) return done.error();
  return {};
}

Expected<std::optional<TicketState>> Store::ticket(std::int64_t id) const {
  auto q = db_->prepare(
      "SELECT q.document, ed.event, q.attempts, q.enqueued_at, q.finished_at FROM queue q "
      "LEFT JOIN event_documents ed ON ed.document = q.document "
      "WHERE q.id = ?1");
  if (!q) return store_error(*db_, "reading ticket");
  q->bind(1, id);
  const Step step = q->step();
  if (step == Step::kDone) return std::optional<TicketState>{};
  if (step != Step::kRow) return store_error(*db_, "reading ticket");
  TicketState t;
  if (!q->is_null(0)) t.document = q->int64(0);
  if (!q->is_null(1)) t.event = q->int64(1);
  t.attempts = static_cast<int>(q->int64(2));
  t.enqueued_at = q->real(3);
  if (!q->is_null(4)) t.finished_at = q->real(4);
  return std::optional<TicketState>{t};
}

Expected<std::int64_t> Store::queue_length() const {
  return read_count(*db_, "SELECT count(*) FROM queue WHERE document IS NULL", "counting the queue");
}

Expected<StoreCheck> Store::check() const {
  StoreCheck c;
  struct Count {
    std::int64_t* into;
    const char* sql;
  };
  for (const Count& q : {Count{&c.documents, "SELECT count(*) FROM documents"}, Count{&c.events, "SELECT count(*) FROM events"},
                         Count{&c.clustered, "SELECT count(*) FROM event_documents"},
                         Count{&c.queued, "SELECT count(*) FROM queue WHERE document IS NULL"},
                         Count{&c.tickets_done, "SELECT count(*) FROM queue WHERE document IS NOT NULL"}}) {
    auto n = read_count(*db_, q.sql, "checking the store");
    if (!n) return n.error();
    *q.into = *n;
  }
  // Each invariant: a query counting its violations, and what a violation means.
  struct Rule {
    const char* sql;
    const char* problem;
  };
  const Rule rules[] = {
      {"SELECT count(*) - count(DISTINCT content_hash) FROM documents", "documents stored more than once (same content)"},
      {"SELECT count(*) FROM documents d WHERE EXISTS (SELECT 1 FROM sentences s WHERE s.document = d.id) "
       "AND NOT EXISTS (SELECT 1 FROM event_documents ed WHERE ed.document = d.id)",
       "analysed documents without an event"},
      {"SELECT count(*) FROM event_documents ed WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document = ed.document)",
       "clustered documents without their analysis"},
      {"SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_documents ed WHERE ed.event = e.id)",
       "events without documents"},
      {"SELECT abs(coalesce((SELECT value FROM counters WHERE name = 'documents_clustered'), 0) - "
       "(SELECT count(*) FROM event_documents))",
       "clustering counter differs from the documents clustered (by this many)"},
      {"SELECT count(*) FROM queue q JOIN documents d ON d.id = q.document WHERE d.content_hash != q.content_hash",
       "tickets pointing at another document's content"},
  };
  for (const Rule& rule : rules) {
    auto n = read_count(*db_, rule.sql, "checking the store");
    if (!n) return n.error();
    if (*n != 0) c.problems.push_back(fmt::format("{}: {}", rule.problem, *n));
  }
  return c;
}

Expected<EventPage> Store::events(const EventQuery& query) const {
  EventPage page;
  std::string match;
  if (is_postgres()) {
    if (!analyzer_) analyzer_ = std::make_unique<Analyzer>();
    match = corpus::tsquery(corpus::query_phrases(*analyzer_, query.text));
  } else {
    match = corpus::fts_match(query.text);
  }
  if (!query.text.empty() && match.empty()) return page;
  const char* matching =
      is_postgres() ? "AND e.id IN (SELECT ed.event FROM documents d JOIN event_documents ed ON ed.document = d.id "
                      "WHERE d.terms @@ ?5::tsquery)"
                    : "AND e.id IN (SELECT ed.event FROM documents_fts JOIN event_documents ed "
                      "ON ed.document = documents_fts.rowid WHERE documents_fts MATCH ?5)";
  // One statement for both the page and the total: the filter is written once.
  const std::string filter = fmt::format(
      "FROM events e WHERE (?1 = '' OR e.last = '' OR e.last >= ?1) AND (?2 = '' OR e.first = '' OR e.first <= ?2) {}",
      match.empty() ? "" : matching);
  auto bind = [&](sql::Statement& q) {
    q.bind(1, query.from);
    q.bind(2, query.to);
    if (!match.empty()) q.bind(5, match);
  };
  auto q = db_->prepare(fmt::format("SELECT e.id, e.first, e.last, "
                                    "(SELECT count(*) FROM event_documents d WHERE d.event = e.id), count(*) OVER () "
                                    "{} ORDER BY e.last DESC, e.id DESC LIMIT ?3 OFFSET ?4",
                                    filter));
  if (!q) return store_error(*db_, "preparing event list");
  bind(*q);
  q->bind(3, static_cast<std::int64_t>(query.limit));
  q->bind(4, static_cast<std::int64_t>(query.offset));
  Step step;
  while ((step = q->step()) == Step::kRow) {
    page.events.push_back(EventRow{q->int64(0), q->text(1), q->text(2), q->int64(3)});
    page.total = q->int64(4);
  }
  if (step != Step::kDone) return store_error(*db_, "listing events");
  if (page.events.empty() && query.offset > 0) {
    // ?3 and ?4 are not in this statement; PostgreSQL wants every parameter up to the highest used.
    auto count = db_->prepare(fmt::format("SELECT count(*) {} AND (?3 = ?3) AND (?4 = ?4)", filter));
    if (!count) return store_error(*db_, "counting events");
    bind(*count);
    count->bind(3, std::int64_t{0});
    count->bind(4, std::int64_t{0});
    if (count->step() != Step::kRow) return store_error(*db_, "counting events");
    page.total = count->int64(0);
  }
  return page;
}

Expected<std::int64_t> Store::event_count() const {
  return read_count(*db_, "SELECT count(*) FROM events", "counting events");
}

Expected<std::optional<EventRow>> Store::event(std::int64_t id) const {
  auto q = db_->prepare("SELECT id, first, last, (SELECT count(*) FROM event_documents d WHERE d.event = e.id) "
                        "FROM events e WHERE id = ?1");
  if (!q) return store_error(*db_, "reading event");
  q->bind(1, id);
  const Step step = q->step();
  if (step == Step::kDone) return std::optional<EventRow>{};
  if (step != Step::kRow) return store_error(*db_, "reading event");
  return std::optional<EventRow>{EventRow{q->int64(0), q->text(1), q->text(2), q->int64(3)}};
}

Expected<std::vector<StoredDocument>> Store::event_documents(std::int64_t event) const {
  return read_documents(*db_,
                        "SELECT d.id, d.external_id, d.outlet, d.url, d.published, d.title, d.text, d.content_hash "
                        "FROM event_documents ed JOIN documents d ON d.id = ed.document WHERE ed.event = ?1 ORDER BY d.id",
                        event, "reading event documents");
}

Expected<std::optional<std::int64_t>> Store::event_of(std::int64_t document) const {
  auto q = db_->prepare("SELECT event FROM event_documents WHERE document = ?1");
  if (!q) return store_error(*db_, "reading event of document");
  q->bind(1, document);
  const Step step = q->step();
  if (step == Step::kDone) return std::optional<std::int64_t>{};
  if (step != Step::kRow) return store_error(*db_, "reading event of document");
  return std::optional<std::int64_t>{q->int64(0)};
}

Expected<std::vector<SearchHit>> Store::search(std::string_view query, std::size_t limit) const {
  if (is_postgres()) return search_postgres(query, limit);
  const std::string match = corpus::fts_match(query);
  std::vector<SearchHit> hits;
  if (match.empty()) return hits;
  // Rank in FTS5 (isnad_bm25 = bm25 with document lengths from memory, fts_rank.h), then read
  // the top rows and cut their snippets here. FTS5's snippet() needs the row joined back to the
  // MATCH, which re-ran the query per top row: three quarters of the time of a frequent word's
  // search at 100k documents.
  auto q = db_->prepare(
      "WITH top(rowid, score) AS ("
      "  SELECT rowid, isnad_bm25(documents_fts, 2.0, 1.0) FROM documents_fts WHERE documents_fts MATCH ?1 "
      "  ORDER BY 2, 1 LIMIT ?2) "
      "SELECT d.id, d.external_id, d.title, d.outlet, d.published, top.score, d.text "
      "FROM top JOIN documents d ON d.id = top.rowid ORDER BY top.score, top.rowid");
  if (!q) return store_error(*db_, "preparing search");
  q->bind(1, match);
  q->bind(2, static_cast<std::int64_t>(limit));
  if (!analyzer_) analyzer_ = std::make_unique<Analyzer>();
  const auto phrases = corpus::query_phrases(*analyzer_, query);
  Step step;
  while ((step = q->step()) == Step::kRow) {
    hits.push_back(SearchHit{q->int64(0), q->text(1), q->text(2), q->text(3), q->text(4), -q->real(5),
                             corpus::snippet(*analyzer_, q->text(6), phrases)});
  }
  if (step != Step::kDone) return store_error(*db_, "searching");
  return hits;
}

// FTS5's bm25() written out over the tsvector (see search_index.h), in FTS5's order of floating-point
// operations so that both engines give the same scores to the last bit: per phrase, idf =
// ln((N − n + 0.5) / (n + 0.5)) (at least 1e-6), frequency = 2 × title hits + text hits,
// score = Σ idf · f · (k1 + 1) / (f + k1 · (1 − b + b · |d| / avgdl)). A phrase's frequency is
// that of its rarest term (FTS5 counts whole-phrase occurrences; the analyzer gives one term per
// word, so phrases of several terms are rare).
Expected<std::vector<SearchHit>> Store::search_postgres(std::string_view query, std::size_t limit) const {
  if (!analyzer_) analyzer_ = std::make_unique<Analyzer>();
  const auto phrases = corpus::query_phrases(*analyzer_, query);
  std::vector<SearchHit> hits;
  if (phrases.empty()) return hits;
  double documents = 0, terms = 0;
  {
    auto q = db_->prepare("SELECT coalesce(sum(documents), 0), coalesce(sum(terms), 0) FROM search_totals");
    if (!q || q->step() != Step::kRow) return store_error(*db_, "reading search totals");
    documents = static_cast<double>(q->int64(0));
    terms = static_cast<double>(q->int64(1));
  }
  const double avgdl = documents > 0 ? std::max(terms / documents, 1.0) : 1.0;
  std::vector<double> idf;
  for (const auto& phrase : phrases) {
    auto q = db_->prepare("SELECT count(*) FROM documents WHERE terms @@ ?1::tsquery");
    if (!q) return store_error(*db_, "preparing search");
    q->bind(1, corpus::tsquery({phrase}));
    if (q->step() != Step::kRow) return store_error(*db_, "searching");
    const double n = static_cast<double>(q->int64(0));
    idf.push_back(std::max(std::log((documents - n + 0.5) / (n + 0.5)), 1e-6));
  }
  // The query's (phrase, term, idf) rows travel as parameters ?4, ?5, ?6, ?7, …
  std::string rows;
  int parameter = 4;
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    for (std::size_t k = 0; k < phrases[i].size(); ++k) {
      rows += fmt::format("{}({}, ?{}::text, ?{}::float8)", rows.empty() ? "" : ", ", i, parameter, parameter + 1);
      parameter += 2;
    }
  }
  auto q = db_->prepare(fmt::format(
      "WITH q(phrase, term, idf) AS (VALUES {}), "
      "top AS ("
      "  SELECT d.id, sum(f.idf * ((f.freq * (1.2::float8 + 1.0::float8)) / (f.freq + 1.2::float8 * "
      "    (1.0::float8 - 0.75::float8 + 0.75::float8 * d.term_count / ?2::float8))) ORDER BY f.phrase) AS score "
      "  FROM documents d "
      "  CROSS JOIN LATERAL ("
      "    SELECT q.phrase, min(q.idf) AS idf, min(("
      "      SELECT sum(CASE WHEN w = 'A' THEN 2 ELSE 1 END) FROM unnest(u.weights) w)) AS freq "
      "    FROM unnest(d.terms) u JOIN q ON q.term = u.lexeme GROUP BY q.phrase) f "
      "  WHERE d.terms @@ ?1::tsquery "
      "  GROUP BY d.id ORDER BY score DESC, d.id LIMIT ?3) "
      "SELECT d.id, d.external_id, d.title, d.outlet, d.published, top.score, d.text "
      "FROM top JOIN documents d ON d.id = top.id ORDER BY top.score DESC, top.id",
      rows));
  if (!q) return store_error(*db_, "preparing search");
  q->bind(1, corpus::tsquery(phrases));
  q->bind(2, avgdl);
  q->bind(3, static_cast<std::int64_t>(limit));
  parameter = 4;
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    for (const std::string& term : phrases[i]) {
      q->bind(parameter, term);
      q->bind(parameter + 1, idf[i]);
      parameter += 2;
    }
  }
  Step step;
  while ((step = q->step()) == Step::kRow) {
    hits.push_back(SearchHit{q->int64(0), q->text(1), q->text(2), q->text(3), q->text(4), q->real(5),
                             corpus::snippet(*analyzer_, q->text(6), phrases)});
  }
  if (step != Step::kDone) return store_error(*db_, "searching");
  return hits;
}

}  // namespace isnad
