// isnad/dossier.h — from many articles to one report per event.
//
//   std::vector<isnad::SourceDocument> docs = ...;           // input.h
//   isnad::Dossier d = isnad::build_dossier(docs, options);  // analyze, dedupe, cluster, reconcile
//   std::string json = isnad::render_json(d);                // or render_markdown / render_html
//
// What an event holds, each item traced to (document, original byte span, sentence):
//   date       the event day each document gives (its lead's first day-granularity date, within
//              a week before publication); `best` is the majority, `conflict` when they differ.
//   figures    per claim kind (killed, injured, …): every report of *this* event (claims with an
//              event hint — a comparison with another attack or year — never enter), reconciled
//              by figures.h into low/best/high/consistent/rationale. Reports from near-duplicate
//              copies are listed but marked not independent.
//   entities   cross-document resolution (resolve.h): one entity per referent, all spellings.
//   quotes     who said what: each quote with its speaker's entity id and the chain
//              outlet → cited medium → speaker.
//   claims     responsibility / accusation / denial / warning statements, merged across documents
//              by (type, actor entity, target); `denied_by` lists actors who deny that claim.
//   conflicts  values that cannot all be true: event date, a figure's same-day contradictions,
//              and attribution (one actor claims responsibility while another is blamed).
//   timeline   dated statements in order; summary: 5–8 extractive, non-redundant, cited sentences.
//
// Costs: analysis dominates (linear in text); clustering compares a document with the events in
// its date window only; reconciliation is linear in the reports of one event. The event-level
// steps are near-linear too (each distinct sentence is read once; a name is compared only with
// the entities it could be alike to): from analyses already made, an event of 1,000 articles
// takes ~0.25 s CPU (docs/PERFORMANCE.md). Each thread that builds dossiers keeps one Analyzer
// (a few MB of term caches) between calls.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "isnad/analyze.h"
#include "isnad/analyzer.h"
#include "isnad/events.h"
#include "isnad/input.h"
#include "isnad/resolve.h"

namespace isnad {

class NerModel;

struct DossierOptions {
  ClusterOptions clustering;
  // Event of each input document when clustering was already done incrementally (the store's
  // assign_event); documents with equal keys form one event. Empty: cluster here, in memory.
  std::vector<std::int64_t> events;
  std::size_t summary_sentences = 6;  // 5..8 are sensible
  const NerModel* ner = nullptr;      // entities are found only with a model
};

struct DocumentResult {
  SourceDocument source;
  std::optional<CivilDate> published;
  DocumentAnalysis analysis;
  std::optional<std::size_t> duplicate_of;  // index of the earlier document it copies
  std::size_t event = 0;
};

// A place in a document: which document, the original byte span, the sentence text.
struct Citation {
  std::string doc;
  Span span;              // original bytes
  std::string text;       // original bytes of `span`
  std::string sentence;   // original bytes of the whole sentence
  Span sentence_span;
};

struct DateReport {
  Citation where;
  std::string value;  // ISO
};

struct FigureReportOut {
  Citation where;
  double value = 0;
  Qualifier qualifier = Qualifier::kExact;
  std::string attributed_to;
  bool independent = true;   // false for a near-duplicate copy
  bool superseded = false;
  bool revision = false;
};

struct FigureOut {
  std::string kind;
  double best = 0, low = 0, high = 0;
  bool consistent = true;
  std::string rationale;
  std::vector<FigureReportOut> reports;
};

struct QuoteOut {
  Citation where;          // span of the quoted content
  std::string speaker;     // canonical entity name, or the speaker as written
  std::string entity;      // entity id, empty when none
  std::string text;
  std::string kind;        // direct / indirect
  std::string cue;         // the speech verb or phrase as written (نفت, وأضاف, بحسب); empty for
                           // a continuation. Shown with the words: a denial's content is what the
                           // speaker denies, not what they said.
  std::string role, cited_medium, outlet, source_kind;
};

struct ClaimOut {
  std::string type;
  std::string actor, target;
  std::vector<std::string> docs;
  std::vector<std::string> denied_by;
  std::vector<Citation> where;
};

struct ConflictOut {
  std::string field;  // date, figure:<kind>, attribution
  std::vector<std::string> values;
  std::vector<std::vector<std::string>> docs;  // per value, the documents giving it
  std::string note;
};

struct TimelineEntry {
  std::string date;  // ISO
  Citation where;
};

struct EventOut {
  std::string id, title;
  std::vector<std::string> documents;
  std::optional<std::string> date_best;
  std::vector<DateReport> date_reports;
  bool date_conflict = false;
  std::vector<FigureOut> figures;
  std::vector<ResolvedEntity> entities;
  std::vector<QuoteOut> quotes;
  std::vector<ClaimOut> claims;
  std::vector<ConflictOut> conflicts;
  std::vector<TimelineEntry> timeline;
  std::vector<Citation> summary;
};

struct Dossier {
  std::vector<DocumentResult> documents;
  std::vector<EventOut> events;
  std::vector<std::string> warnings;  // e.g. a document that could not be analyzed
};

Dossier build_dossier(const std::vector<SourceDocument>& documents, const DossierOptions& options = {});
// The same from documents analysed already (their `source`, `published` and `analysis`; the other
// fields are recomputed): a caller that keeps analyses skips the dominant cost. `options.events`,
// when given, has one entry per element of `analysed`.
Dossier build_dossier(std::vector<DocumentResult> analysed, const DossierOptions& options);

// The clustering features of one analyzed document (what build_dossier clusters on): salient
// stems with the lead and title weighted, places and names, leaving out sentences about other
// events. For clustering elsewhere, e.g. Store::assign_event at ingest.
EventFeatures event_features(const SourceDocument& source, const DocumentAnalysis& analysis,
                             std::optional<CivilDate> published);
// The analyzer's terms of the document's title and text, read once for two consumers: the
// features below and the store's search index (StoredDocumentInput::terms), as ingest does.
// `analysis` must come from analyze() with the default normalization, as the index's own does.
DocumentTerms document_terms(const SourceDocument& source, const DocumentAnalysis& analysis);
// The same features as above, from those terms instead of reading the sentences again.
EventFeatures event_features(const DocumentAnalysis& analysis, std::optional<CivilDate> published,
                             const DocumentTerms& terms);

std::string render_json(const Dossier& dossier);      // the contract of docs/cli-contract.md
// One document's `isnad analyze` object of the contract, on one line. Keys keep the contract's
// order: schema, id, published (null when unknown), sentences, numbers, dates, entities, quotes,
// claims; spans in original bytes.
std::string render_analysis_json(const SourceDocument& doc, std::optional<CivilDate> published,
                                 const DocumentAnalysis& analysis);
std::string render_markdown(const Dossier& dossier);
std::string render_html(const Dossier& dossier);      // one self-contained RTL page

}  // namespace isnad
