#include "isnad/pipeline.h"

#include <sqlite3.h>

#include <string>

#include "isnad/analyze.h"
#include "isnad/ner.h"

namespace isnad {

namespace {

Status exec(Store& store, const char* sql) {
  if (sqlite3_exec(store.handle(), sql, nullptr, nullptr, nullptr) == SQLITE_OK) return {};
  return make_error(ErrorCode::kStore, std::string(sql) + ": " + sqlite3_errmsg(store.handle()));
}

}  // namespace

Expected<std::vector<IngestedDocument>> ingest_batch(Store& store, const std::vector<SourceDocument>& batch,
                                                     const NerModel* ner) {
  std::vector<std::optional<CivilDate>> published(batch.size());
  std::vector<std::optional<DocumentAnalysis>> analyses(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    AnalyzeOptions options;
    options.published = published[i] = parse_published(batch[i].published);
    options.ner = ner;
    if (auto analysis = analyze(batch[i].text, options)) analyses[i] = std::move(*analysis);
  }

  std::vector<StoredDocumentInput> rows;
  rows.reserve(batch.size());
  for (const SourceDocument& d : batch) rows.push_back({d.id, d.outlet, d.url, d.published, d.title, d.text});

  if (Status s = exec(store, "BEGIN IMMEDIATE"); !s) return s.error();
  auto abort = [&](Error e) -> Error {
    (void)exec(store, "ROLLBACK");
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
    if (out[i].stored.duplicate_of || !analyses[i]) continue;
    if (Status s = store.save_analysis(out[i].stored.document, batch[i].text, *analyses[i]); !s) return abort(s.error());
    ids.push_back(out[i].stored.document);
    positions.push_back(i);
    features.push_back(event_features(batch[i], *analyses[i], published[i]));
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
  if (Status s = exec(store, "COMMIT"); !s) return abort(s.error());
  return out;
}

Expected<std::optional<Dossier>> event_dossier(const Store& store, std::int64_t event, const NerModel* ner) {
  auto stored = store.event_documents(event);
  if (!stored) return stored.error();
  if (stored->empty()) return std::optional<Dossier>{};
  DossierOptions options;
  options.ner = ner;
  std::vector<SourceDocument> docs;
  docs.reserve(stored->size());
  for (StoredDocument& s : *stored) {
    docs.push_back(SourceDocument{std::move(s.external_id), std::move(s.outlet), std::move(s.url), std::move(s.published),
                                  std::move(s.title), std::move(s.text), std::string(), 0});
    options.events.push_back(event);
  }
  return std::optional<Dossier>{build_dossier(docs, options)};
}

}  // namespace isnad
