#include "isnad/pipeline.h"

#include <algorithm>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "isnad/analyze.h"
#include "isnad/ner.h"

namespace isnad {

namespace {

// One document analysed as the dossier needs it; nullptr when it cannot be analysed.
std::shared_ptr<DocumentResult> analyse(SourceDocument source, const NerModel* ner) {
  AnalyzeOptions options;
  options.published = parse_published(source.published);
  options.ner = ner;
  auto analysis = analyze(source.text, options);
  if (!analysis) return nullptr;
  return std::make_shared<DocumentResult>(
      DocumentResult{std::move(source), options.published, std::move(*analysis), std::nullopt, 0});
}

SourceDocument source_of(const StoredDocument& s) {
  return SourceDocument{s.external_id, s.outlet, s.url, s.published, s.title, s.text, std::string(), 0};
}

}  // namespace

Expected<std::vector<IngestedDocument>> ingest_batch(Store& store, const std::vector<SourceDocument>& batch,
                                                     const NerModel* ner, AnalysisCache* cache,
                                                     const AlsoInTransaction& also) {
  // Analysed before the write transaction begins (see pipeline.h), in the form the cache keeps.
  // Each document's terms are read once, for its clustering features and for the search index.
  // Documents stored already are not analysed (a rerun after an interruption); add_documents
  // reports them as duplicates.
  std::vector<std::string> hashes;
  hashes.reserve(batch.size());
  for (const SourceDocument& d : batch) hashes.push_back(content_hash(d.text));
  auto stored_before = store.contains(hashes);
  if (!stored_before) return stored_before.error();
  std::vector<std::shared_ptr<DocumentResult>> analysed(batch.size());
  std::vector<DocumentTerms> terms(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if ((*stored_before)[i]) continue;
    SourceDocument source = batch[i];
    source.path.clear();
    source.line = 0;
    analysed[i] = analyse(std::move(source), ner);
    if (analysed[i]) terms[i] = document_terms(batch[i], analysed[i]->analysis);
  }

  std::vector<StoredDocumentInput> rows;
  rows.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const SourceDocument& d = batch[i];
    rows.push_back({d.id, d.outlet, d.url, d.published, d.title, d.text, analysed[i] ? &terms[i] : nullptr, hashes[i]});
  }

  if (Status s = store.begin(); !s) return s.error();
  auto abort = [&](Error e) -> Error {
    (void)store.rollback();
    return e;
  };
  auto stored = store.add_documents(rows);
  if (!stored) return abort(stored.error());
  std::vector<IngestedDocument> out(batch.size());
  std::vector<std::int64_t> ids;
  std::vector<std::size_t> positions;
  std::vector<EventFeatures> features;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    out[i].stored = (*stored)[i];
    if (out[i].stored.duplicate_of || !analysed[i]) continue;
    const DocumentResult& a = *analysed[i];
    if (Status s = store.save_analysis(out[i].stored.document, batch[i].text, a.analysis); !s) return abort(s.error());
    ids.push_back(out[i].stored.document);
    positions.push_back(i);
    features.push_back(event_features(a.analysis, a.published, terms[i]));
  }
  auto events = store.assign_events(ids, features);
  if (!events) return abort(events.error());
  for (std::size_t k = 0; k < positions.size(); ++k) out[positions[k]].event = (*events)[k];
  for (IngestedDocument& d : out) {
    if (!d.stored.duplicate_of) continue;
    auto event = store.event_of(d.stored.document);
    if (!event) return abort(event.error());
    d.event = *event;
  }
  if (also) {
    if (Status s = also(store, out); !s) return abort(s.error());
  }
  if (Status s = store.commit(); !s) return abort(s.error());
  if (cache) {
    for (std::size_t i : positions) cache->put(out[i].stored.document, std::move(analysed[i]));
  }
  return out;
}

struct AnalysisCache::State {
  std::size_t capacity;
  std::mutex mutex;
  std::list<std::int64_t> order;  // most recently used first
  struct Entry {
    std::shared_ptr<const DocumentResult> result;
    std::list<std::int64_t>::iterator position;
  };
  std::unordered_map<std::int64_t, Entry> entries;
};

AnalysisCache::AnalysisCache(std::size_t capacity) : state_(std::make_unique<State>()) {
  state_->capacity = std::max<std::size_t>(1, capacity);
}
AnalysisCache::~AnalysisCache() = default;

std::shared_ptr<const DocumentResult> AnalysisCache::get(const StoredDocument& document, const NerModel* ner) {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    if (const auto it = s.entries.find(document.id); it != s.entries.end()) {
      s.order.splice(s.order.begin(), s.order, it->second.position);
      return it->second.result;
    }
  }
  std::shared_ptr<const DocumentResult> result = analyse(source_of(document), ner);  // outside the lock: analyses run in parallel
  if (result) put(document.id, result);
  return result;
}

void AnalysisCache::put(std::int64_t document, std::shared_ptr<const DocumentResult> result) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.entries.count(document)) return;
  s.order.push_front(document);
  s.entries.emplace(document, State::Entry{std::move(result), s.order.begin()});
  while (s.entries.size() > s.capacity) {
    s.entries.erase(s.order.back());
    s.order.pop_back();
  }
}

Dossier event_dossier(const std::vector<StoredDocument>& documents, const NerModel* ner, AnalysisCache* cache) {
  DossierOptions options;
  options.ner = ner;
  std::vector<DocumentResult> analysed;
  std::vector<std::string> warnings;
  analysed.reserve(documents.size());
  for (const StoredDocument& s : documents) {
    const std::shared_ptr<const DocumentResult> result = cache ? cache->get(s, ner) : analyse(source_of(s), ner);
    if (!result) {
      warnings.push_back(s.external_id + ": cannot be analysed");
      continue;
    }
    analysed.push_back(*result);
    options.events.push_back(0);  // one event: the stored assignment
  }
  Dossier dossier = build_dossier(std::move(analysed), options);
  dossier.warnings.insert(dossier.warnings.begin(), warnings.begin(), warnings.end());
  return dossier;
}

Expected<std::optional<Dossier>> event_dossier(const Store& store, std::int64_t event, const NerModel* ner,
                                               AnalysisCache* cache) {
  auto stored = store.event_documents(event);
  if (!stored) return stored.error();
  if (stored->empty()) return std::optional<Dossier>{};
  return std::optional<Dossier>{event_dossier(*stored, ner, cache)};
}

}  // namespace isnad
