// isnad/pipeline.h — articles into a store, and a stored event out as a dossier: the one path
// shared by `isnad ingest`, `isnad dossier --store` and the HTTP API (`isnad serve`).
//
//   auto store = isnad::Store::open("corpus.db");
//   auto done = isnad::ingest_batch(*store, documents, &ner);      // one transaction
//   for (const auto& d : *done) use(d.stored.document, d.event);
//   auto dossier = isnad::event_dossier(*store, event_id, &ner);   // nullopt: no such event
//
// Guarantees: a batch is one transaction: its documents, their analyses and their event
// assignments are committed together or not at all, so a crash never leaves a stored document
// without its event, and re-sending the batch adds exactly what is missing (content-hash
// idempotency, see store.h).
// Costs: analysis (~1 ms per article) runs before the write transaction begins, so readers and
// the store's write lock wait only for the writes; documents the store holds already are not
// analysed (a rerun costs a hash lookup each), and each new document's terms are read once for
// both its clustering features and the search index. event_dossier analyses the event's
// documents again (linear in their text).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "isnad/dossier.h"
#include "isnad/input.h"
#include "isnad/status.h"
#include "isnad/store.h"

namespace isnad {

class NerModel;

struct IngestedDocument {
  AddResult stored;                   // the stored row, or the earlier copy it duplicates
  std::optional<std::int64_t> event;  // the event it belongs to (a duplicate: its original's)
};

// Stores, analyses and clusters `batch` in one transaction, in the given order (callers that
// ingest many files sort by publication date first, so events grow as they did in the news).
// One result per input document, in order.
// With `cache`, the new documents' analyses are kept there once committed (a server then builds
// the grown event's dossier without analysing them again).
// With `also`, it runs last inside the same transaction, given the results; its error rolls the
// whole batch back (a worker marks its queue tickets done there).
class AnalysisCache;
using AlsoInTransaction = std::function<Status(Store&, const std::vector<IngestedDocument>&)>;
Expected<std::vector<IngestedDocument>> ingest_batch(Store& store, const std::vector<SourceDocument>& batch,
                                                     const NerModel* ner, AnalysisCache* cache = nullptr,
                                                     const AlsoInTransaction& also = {});

// Analyses of stored documents kept in memory (least recently used dropped beyond `capacity`
// documents), so that rebuilding the dossier of an event that gained one article analyses one
// article, not all of them. Thread-safe. An analysis is ~10× its text in memory.
class AnalysisCache {
 public:
  explicit AnalysisCache(std::size_t capacity);
  ~AnalysisCache();
  AnalysisCache(const AnalysisCache&) = delete;
  AnalysisCache& operator=(const AnalysisCache&) = delete;

  // The stored document analysed (from the cache, or now). nullptr when it cannot be analysed.
  std::shared_ptr<const DocumentResult> get(const StoredDocument& document, const NerModel* ner);
  // Keeps the analysis of stored document `document` (its row id).
  void put(std::int64_t document, std::shared_ptr<const DocumentResult> result);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The dossier of one stored event: its documents as stored, clustered as stored. nullopt when the
// store has no such event. With a cache, documents analysed before are not analysed again.
Expected<std::optional<Dossier>> event_dossier(const Store& store, std::int64_t event, const NerModel* ner,
                                               AnalysisCache* cache = nullptr);
// The same from the event's documents, read already (Store::event_documents).
Dossier event_dossier(const std::vector<StoredDocument>& documents, const NerModel* ner, AnalysisCache* cache = nullptr);

}  // namespace isnad
