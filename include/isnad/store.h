// isnad/store.h — the corpus store: SQLite (embedded, the default: no server to start) or
// PostgreSQL (a team's shared store, written by many workers), chosen by the location.
//
//   auto store = isnad::Store::open("corpus.db");                        // SQLite file
//   auto team = isnad::Store::open("postgresql://isnad@db-host/news");   // PostgreSQL
//   if (!store) die(store.error().message);
//   auto added = store->add_documents(batch);              // one transaction per batch
//
// Guarantees (both engines; the same test suite runs against each)
// - Ingest is idempotent: a document is identified by the 128-bit XXH3 content hash of
//   its normalized text (`content_hash`); the same article twice is stored once, and the second
//   call reports it as `duplicate_of` the first. The same external id with a *different* text is
//   kept as a second document and reported with `id_reused = true` so the caller can warn.
// - A batch is one transaction: after a crash either all of it is there or none of it, so a
//   rerun of the same ingest adds exactly what is missing. begin()/commit() group several calls
//   into one transaction (each call then runs in a savepoint).
// - A store that cannot be opened read-write, or is not an isnad store, is an error; it is
//   never overwritten. Open read-only with `OpenMode::kReadOnly`.
// - Schema changes are numbered migrations (`kSchemaVersion`, the same numbers on both engines);
//   a store from a newer isnad is refused.
// - Search matches and ranks the same way on both engines: the isnad analyzer's terms, BM25 with
//   the title counted twice (corpus/search_index.h).
// - Event clustering is serialised across connections (on PostgreSQL by an advisory lock held
//   until the transaction ends), so concurrent writers never split one event in two.
//
// Threading: one Store per thread. Readers in other connections proceed while one writer ingests
// (SQLite WAL; PostgreSQL MVCC).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/analyze.h"
#include "isnad/analyzer.h"
#include "isnad/events.h"
#include "isnad/status.h"

namespace isnad {

class Analyzer;
namespace sql {
class Connection;
}

inline constexpr int kSchemaVersion = 6;

struct StoredDocumentInput {
  std::string external_id;  // JSONL id or file name
  std::string outlet;
  std::string url;
  std::string published;  // ISO date or empty
  std::string title;
  std::string text;       // original bytes
  // Optional: the terms of `title` and `text` (analyzer.h DocumentTerms), when the caller has
  // read them already; the search index then takes them instead of analysing the text again.
  // They must be that analyzer's terms of exactly these texts, and outlive add_documents.
  const DocumentTerms* terms = nullptr;
  // Optional: content_hash(text), when the caller computed it already; empty: computed here.
  std::string content_hash{};
};

struct AddResult {
  std::int64_t document = 0;               // row id of the stored document
  std::optional<std::int64_t> duplicate_of;  // set when identical content was already stored
  bool id_reused = false;                  // same external id, different content
};

struct StoredDocument {
  std::int64_t id = 0;
  std::string external_id, outlet, url, published, title, text, content_hash;
};

struct SearchHit {
  std::int64_t document = 0;
  std::string external_id, title, outlet, published;
  double score = 0;     // BM25, higher is better (title counts twice)
  std::string snippet;  // text around the hits; each hit wrapped in \x02 … \x03
};

struct EventRow {
  std::int64_t id = 0;
  std::string first, last;  // ISO dates of its documents' events; empty when undated
  std::int64_t documents = 0;
};

struct EventQuery {
  std::string text;        // full-text query as for search(); empty: every event
  std::string from, to;    // ISO dates; keep events whose [first, last] overlaps; empty: open
  std::size_t limit = 50, offset = 0;
};

struct EventPage {
  std::vector<EventRow> events;  // newest last-date first, then newest id
  std::int64_t total = 0;        // events matching, before limit/offset
};

// The work queue (`isnad worker`): documents are acknowledged into it and analysed later by any
// number of workers, each claiming a batch under a lease.
struct Ticket {
  std::int64_t id = 0;                 // queue row: what the sender polls
  std::optional<std::int64_t> stored;  // the same content was stored already: its document
  bool already_queued = false;         // the same content was acknowledged before (same ticket)
};

struct QueuedDocument {
  std::int64_t ticket = 0;
  StoredDocumentInput document;
  int attempts = 0;          // claims so far, this one included (> 1: an earlier worker died)
  double enqueued_at = 0;    // seconds since the epoch, the database's clock
};

struct TicketState {
  std::optional<std::int64_t> document;  // set once a worker stored it
  std::optional<std::int64_t> event;
  int attempts = 0;
  double enqueued_at = 0;               // seconds since the epoch, the database's clock
  std::optional<double> finished_at;    // when the transaction storing it ran (same clock)
};

// What `isnad check` verifies after a crash or a fault test: counts, and the invariants that must
// hold whatever was interrupted (each `problems` entry is one broken invariant, in words).
struct StoreCheck {
  std::int64_t documents = 0, events = 0, clustered = 0, queued = 0, tickets_done = 0;
  std::vector<std::string> problems;
};

enum class OpenMode : unsigned char { kReadWrite, kReadOnly };

class Store {
 public:
  // `location`: an SQLite file path, or a postgresql:// (postgres://) URL as libpq reads it.
  static Expected<Store> open(const std::string& location, OpenMode mode = OpenMode::kReadWrite);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // Groups the calls between them into one write transaction (each call a savepoint in it).
  Status begin();
  Status commit();
  Status rollback();
  bool is_postgres() const;

  // Runs in its own transaction, or inside the caller's (a savepoint): a caller that also saves
  // the analyses and events in the same transaction never leaves a document without them.
  Expected<std::vector<AddResult>> add_documents(const std::vector<StoredDocumentInput>& batch);
  // For each content hash (content_hash()), whether a document with that content is stored
  // already: a rerun of an interrupted ingest skips analysing what the first run committed.
  Expected<std::vector<bool>> contains(const std::vector<std::string>& content_hashes) const;
  Expected<std::optional<StoredDocument>> document(std::int64_t id) const;
  Expected<std::int64_t> document_count() const;
  // Every stored document in ingest order (for building a dossier over the whole store).
  Expected<std::vector<StoredDocument>> all_documents() const;
  Expected<int> schema_version() const;

  // Full-text search through the Arabic analyzer: every word of `query` must occur (in any
  // inflection the light stemmer conflates); best BM25 first.
  Expected<std::vector<SearchHit>> search(std::string_view query, std::size_t limit = 20) const;

  // Records that `document` nearly duplicates `original` (see near_duplicates.h).
  Status link_near_duplicate(std::int64_t document, std::int64_t original, double similarity);
  Expected<std::vector<std::int64_t>> near_duplicates_of(std::int64_t document) const;

  // Keeps a document's analysis (sentences, entities, quotes, claims; original byte spans) so
  // that readers can show them without analysing again. Replaces an earlier analysis.
  Status save_analysis(std::int64_t document, std::string_view original, const DocumentAnalysis& analysis);

  // Incremental event clustering (events.h) with its state in the store: the document is compared
  // only with events whose dates fall within `options.window_days` of its own, joins the best one
  // or starts a new one; its assignment and its features are stored in the same transaction, as
  // one row (an event's state is rebuilt from its documents' rows; corpus document frequencies
  // are summed into term_df every few hundred documents). Idempotent: a document already
  // assigned keeps its event. Returns the event id.
  //
  // The events of the current date window are kept in memory between calls (loaded from the
  // store as the window moves; events that ended more than two windows before the newest
  // document are dropped from memory and stay in the store; a late, older document loads only
  // its own window), so a call costs the document's own writes plus its comparison with the
  // window, not a reload. The cache is rebuilt when another connection has clustered documents
  // meanwhile, or after a failed write. Undated documents are compared with the events in memory
  // (and undated events); on a fresh connection, with the latest 1000.
  // Runs in its own transaction, or inside the caller's (a savepoint), so a caller may batch.
  Expected<std::int64_t> assign_event(std::int64_t document, const EventFeatures& features,
                                      const ClusterOptions& options = {});
  // The same for many documents in order (e.g. one ingest batch), each clustered exactly as by
  // assign_event one at a time; event dates are written once per day of the batch. Returns the
  // event id per document.
  Expected<std::vector<std::int64_t>> assign_events(const std::vector<std::int64_t>& documents,
                                                    const std::vector<EventFeatures>& features,
                                                    const ClusterOptions& options = {});
  // Acknowledges documents into the work queue (one transaction). Content already stored or
  // already queued is not queued twice: the ticket says which.
  Expected<std::vector<Ticket>> enqueue(const std::vector<StoredDocumentInput>& batch);
  // Claims up to `limit` queued documents for `lease_seconds` (oldest first): those never claimed
  // and those whose lease ran out (their worker died or stalled). Concurrent workers never claim
  // the same row while its lease holds (PostgreSQL: FOR UPDATE SKIP LOCKED, so they do not wait
  // for each other either). Commits at once: the lease is visible to every other worker.
  Expected<std::vector<QueuedDocument>> claim(std::string_view worker, std::size_t limit, double lease_seconds);
  // Marks tickets done, with the document each became. Call it in the transaction that stores
  // them (ingest_batch's `also`), so that results and queue commit together. A ticket another
  // worker has claimed meanwhile (this lease ran out) is still marked: content-hash idempotency
  // made both workers' writes one document.
  Status finish(const std::vector<std::pair<std::int64_t, std::int64_t>>& ticket_documents);
  Expected<std::optional<TicketState>> ticket(std::int64_t id) const;
  // Documents acknowledged and not yet stored.
  Expected<std::int64_t> queue_length() const;

  Expected<StoreCheck> check() const;

  // Events for a list page (see EventQuery).
  Expected<EventPage> events(const EventQuery& query) const;
  Expected<std::int64_t> event_count() const;
  Expected<std::optional<EventRow>> event(std::int64_t id) const;
  // The documents of one event in ingest order; empty for an unknown event.
  Expected<std::vector<StoredDocument>> event_documents(std::int64_t event) const;
  // The event a document was clustered into, if any.
  Expected<std::optional<std::int64_t>> event_of(std::int64_t document) const;
  // Event id per document id, for every clustered document.
  Expected<std::vector<std::pair<std::int64_t, std::int64_t>>> document_events() const;

  // The engine's connection, for the store's own modules (search, workers).
  sql::Connection& connection() const { return *db_; }

 private:
  struct ClusterCache;
  explicit Store(std::unique_ptr<sql::Connection> db);
  Status migrate();
  Expected<std::vector<std::int64_t>> assign_events_in_transaction(const std::vector<std::int64_t>& documents,
                                                                   const std::vector<EventFeatures>& features,
                                                                   const ClusterOptions& options);
  Expected<std::vector<SearchHit>> search_postgres(std::string_view query, std::size_t limit) const;
  std::unique_ptr<sql::Connection> db_;
  std::unique_ptr<ClusterCache> cache_;
  // PostgreSQL indexing and queries (SQLite's analyzer lives in its FTS5 tokenizer).
  mutable std::unique_ptr<Analyzer> analyzer_;
};

// The location as it may be printed: a PostgreSQL URL's password (user:password@, password=…)
// replaced by ***.
std::string redact_location(std::string location);

// 128-bit content hash (hex) of the normalized text, as stored in `documents.content_hash`.
std::string content_hash(std::string_view original_text);

}  // namespace isnad
