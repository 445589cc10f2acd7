// isnad/events.h — incremental clustering of documents into events.
//
// A new document joins the most similar active event or starts a new one; nothing already
// clustered is recomputed, so ingest cost per document is bounded by the number of events
// active in its time window, not by the corpus.
//
//   isnad::EventClusterer clusterer;                 // ClusterOptions for window and threshold
//   std::size_t event = clusterer.add(features);     // index into clusterer.events()
//
// Features are computed by the caller (dossier.h does it from an analysis): salient terms
// (stems, the title and lead counted twice), place names, other names, and the publication
// date. The caller leaves out sentences about *other* events (claims with an event hint), so a
// comparison such as "the 2015 attack killed 130" does not pull two events together.
//
// Similarity of a document to an event = cosine of tf-idf term vectors (document frequencies
// are kept incrementally) + `place_weight` × share of the document's places the event has +
// `name_weight` × share of its names. Candidates are events whose latest document is at most
// `window_days` from the document's date (documents without a date match any event).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "isnad/dates.h"

namespace isnad {

struct EventFeatures {
  std::optional<CivilDate> published;
  std::unordered_map<std::string, double> terms;  // stem → weighted count
  std::vector<std::string> places;                // normalized, deduplicated
  std::vector<std::string> names;                 // normalized, deduplicated
};

struct ClusterOptions {
  int window_days = 4;
  double threshold = 0.30;
  double place_weight = 0.15;
  double name_weight = 0.15;
};

struct Event {
  std::vector<std::size_t> documents;               // in order of arrival
  std::unordered_map<std::string, double> terms;    // summed member term weights
  std::unordered_map<std::string, int> places;      // place → member count
  std::unordered_map<std::string, int> names;
  std::optional<CivilDate> first, last;             // publication date range
};

class EventClusterer {
 public:
  explicit EventClusterer(ClusterOptions options = {}) : options_(options) {}

  // Adds document number `documents_seen()` and returns its event's index.
  std::size_t add(const EventFeatures& document);
  const std::vector<Event>& events() const { return events_; }
  std::size_t documents_seen() const { return documents_; }
  // The similarity `add` would compute between a document and an event (for tests and eval).
  double similarity(const EventFeatures& document, const Event& event) const;

  // Continues from state kept elsewhere (the store): the events that may still grow, the
  // document frequencies of the terms they and the next document use, and how many documents
  // were seen. Events outside that set are simply not candidates.
  void restore(std::vector<Event> events, std::unordered_map<std::string, int> document_frequency,
               std::size_t documents_seen);

 private:
  double idf(const std::string& term) const;

  ClusterOptions options_;
  std::vector<Event> events_;
  std::unordered_map<std::string, int> document_frequency_;
  std::size_t documents_ = 0;
};

// B-cubed precision/recall/F1 (Bagga & Baldwin 1998) of a clustering against gold labels, both
// given per document (same length): the standard measure for event/coreference clusters.
struct BCubed {
  double precision = 0, recall = 0, f1 = 0;
};
BCubed bcubed(const std::vector<std::string>& gold, const std::vector<std::size_t>& predicted);

}  // namespace isnad
