// isnad/events.h — incremental clustering of documents into events.
//
// A new document joins the most similar active event or starts a new one; nothing already
// clustered is recomputed, so ingest cost per document is bounded by the events active in its
// time window, not by the corpus.
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
// `name_weight` × share of its names. Candidates are events whose date range comes within
// `window_days` of the document's date (documents without a date match any event).
//
// Costs: terms are interned; each term keeps a posting list (event, weight) over the events in
// memory, so a document costs O(Σ postings of its terms) — only events sharing a term, place or
// name are touched — plus O(1) per event for the window test. Each event keeps Σw², Σw²·L and
// Σw²·L² (L = log(1 + df)), so its tf-idf norm is exact in O(1) however the idf moved, and a
// document frequency change updates only the events holding that term. This is the same
// arithmetic as `similarity()` (kept as the reference), expanded; results agree up to rounding.
//
// Memory: all events stay in memory unless the caller retires them. A caller that sees
// documents in date order (the store) calls `retire_before(day)` to drop events that ended
// before the window; their slots are reused by new events, so `add` may return a retired
// event's index. With `forget_terms`, terms no remaining event uses are forgotten too (their
// document frequency must then be restorable from elsewhere: the store keeps it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "isnad/dates.h"

namespace isnad {

struct EventFeatures {
  std::optional<CivilDate> published;
  std::unordered_map<std::string, double> terms;  // stem → weighted count
  std::vector<std::string> places;                // normalized, deduplicated
  std::vector<std::string> names;                 // name_key of each (resolve.h), deduplicated
};

struct ClusterOptions {
  int window_days = 4;
  double threshold = 0.30;
  double place_weight = 0.15;
  double name_weight = 0.15;
};

struct Event {
  std::vector<std::size_t> documents;               // in order of arrival
  // Summed member term weights. In `EventClusterer::events()` this is left empty (the clusterer
  // keeps weights in its posting lists, once); `EventClusterer::snapshot` fills it.
  std::unordered_map<std::string, double> terms;
  std::unordered_map<std::string, int> places;      // place → member count
  std::unordered_map<std::string, int> names;
  std::optional<CivilDate> first, last;             // publication date range
};

class EventClusterer {
 public:
  explicit EventClusterer(ClusterOptions options = {}) : options_(options) {}

  // Document frequency of a term the clusterer does not hold, for a caller that keeps
  // frequencies elsewhere (the store); called at most once per term of a document.
  using DfSource = std::function<int(const std::string& term)>;

  // Adds document number `documents_seen()` and returns its event's index. A term not in memory
  // gets its document frequency from `unknown_df`, or counts as never seen without it.
  std::size_t add(const EventFeatures& document, const DfSource& unknown_df = {});
  // Every event slot; a retired slot has no documents and no terms until it is reused.
  // Terms are not copied there (see Event::terms): `snapshot(i)` is event i with its terms.
  const std::vector<Event>& events() const { return events_; }
  Event snapshot(std::size_t event) const;
  std::size_t documents_seen() const { return documents_; }
  std::size_t active_events() const { return events_.size() - free_.size(); }
  // The similarity `add` would compute between a document and an event, by the direct formula
  // (the reference for tests and eval; `add` uses the indexed form).
  double similarity(const EventFeatures& document, const Event& event) const;

  // Continues from state kept elsewhere (the store): the events that may still grow, the
  // document frequencies of the terms they and the next document use, and how many documents
  // were seen. Events outside that set are simply not candidates.
  void restore(std::vector<Event> events, std::unordered_map<std::string, int> document_frequency,
               std::size_t documents_seen);
  // Piecewise restore, for a caller that loads events as its window moves: an event becomes a
  // candidate (returns its index); a term's document frequency is set if not known yet.
  std::size_t restore_event(Event event);
  bool knows_term(const std::string& term) const;
  void restore_frequency(const std::string& term, int document_frequency);
  void set_documents_seen(std::size_t documents_seen) { documents_ = documents_seen; }

  // Retires every dated event whose last document is before `day` (days_from_civil): it is no
  // longer a candidate and its memory is freed. Returns the retired indices.
  std::vector<std::size_t> retire_before(long day, bool forget_terms = false);

  // For a caller that keeps document frequencies elsewhere and saves them now and then: each
  // term's growth since it was last taken (sorted by term), which is then reset. A term with
  // growth not taken yet is never forgotten, so the frequency of a term the clusterer does not
  // hold is all saved. With `forget_terms`, terms no event uses are then forgotten.
  std::vector<std::pair<std::string, int>> take_unsaved_frequencies(bool forget_terms = false);

 private:
  struct Posting {
    std::uint32_t event;
    double weight;
  };
  // Term id → place in that term's posting list, for one event. Open addressing: a node-based
  // map cost an allocation and a cache miss for every term an event gained.
  class TermSlots {
   public:
    // The place of `term`, set to `place` if it had none (then `inserted`).
    std::pair<std::uint32_t*, bool> emplace(std::uint32_t term, std::uint32_t place);
    std::uint32_t* find(std::uint32_t term);
    template <class F>
    void for_each(F&& on_slot) const {
      for (const Entry& e : entries_) {
        if (e.term != kEmpty) on_slot(e.term, e.place);
      }
    }

   private:
    static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;  // never a term id
    struct Entry {
      std::uint32_t term = kEmpty, place = 0;
    };
    std::size_t home(std::uint32_t term) const;
    std::vector<Entry> entries_;  // size 0 or a power of two, at most half full
    std::size_t size_ = 0;
  };
  // Per event: where each of its terms sits in that term's posting list, and the norm sums.
  struct EventIndex {
    TermSlots slot;
    double s0 = 0, s1 = 0, s2 = 0;
    long first = 0, last = 0;
    bool dated = false, retired = false;
  };
  struct Term {
    std::string text;
    int df = 0;
    int unsaved = 0;    // growth of df not taken by take_unsaved_frequencies
    double log_df = 0;  // log(1 + df)
    std::vector<Posting> postings;
  };

  // Term text → id, open addressing over (hash, id) with the text compared in terms_: the
  // node-based map it replaces cost a cache miss per node and was 5 % of ingest at 10k articles
  // (perf); slots can also be prefetched for a whole document before its terms are looked up.
  struct TermIdSlot {
    std::uint64_t hash = 0;
    std::uint32_t id = kNoTermId;
  };
  static constexpr std::uint32_t kNoTermId = 0xFFFFFFFFu;
  static std::uint64_t term_hash(const std::string& term);
  std::size_t term_home(std::uint64_t hash) const { return static_cast<std::size_t>(hash) & (term_ids_.size() - 1); }
  std::uint32_t find_term(const std::string& term, std::uint64_t hash) const;
  void prefetch_term(std::uint64_t hash) const;

  double idf(const std::string& term) const;
  std::uint32_t intern(const std::string& term);
  std::uint32_t intern_hashed(const std::string& term, std::uint64_t hash);
  std::uint32_t intern_hashed(const std::string& term, std::uint64_t hash, int document_frequency);
  std::uint32_t intern(const std::string& term, int document_frequency);  // a term not held yet
  void forget(std::uint32_t term);
  std::size_t new_event();
  void add_term_weight(std::size_t event, std::uint32_t term, double weight);
  void add_label(std::unordered_map<std::string, std::vector<std::uint32_t>>& index,
                 std::unordered_map<std::string, int>& counts, std::size_t event, const std::string& label);
  void set_dates(std::size_t event);

  ClusterOptions options_;
  std::vector<Event> events_;
  std::vector<EventIndex> index_;
  std::vector<std::size_t> free_;
  std::vector<TermIdSlot> term_ids_;  // size 0 or a power of two, at most half full
  std::size_t term_count_ = 0;
  std::vector<Term> terms_;
  std::vector<std::uint32_t> free_terms_;
  std::vector<std::uint32_t> unsaved_;  // terms with unsaved > 0
  std::unordered_map<std::string, std::vector<std::uint32_t>> place_events_, name_events_;
  std::size_t documents_ = 0;
  // Scratch per `add`, kept to avoid allocation: per event dot product and label hits.
  std::vector<double> dot_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> place_hits_, name_hits_;
};

// B-cubed precision/recall/F1 (Bagga & Baldwin 1998) of a clustering against gold labels, both
// given per document (same length): the standard measure for event/coreference clusters.
struct BCubed {
  double precision = 0, recall = 0, f1 = 0;
};
BCubed bcubed(const std::vector<std::string>& gold, const std::vector<std::size_t>& predicted);

}  // namespace isnad
