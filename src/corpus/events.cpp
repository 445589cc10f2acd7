#include "isnad/events.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace isnad {
namespace {
// Grows an open-addressing table with linear probing to `size` slots (a power of two): every
// occupied slot is placed again from its home, which `home` computes for the new size.
template <class Slot, class Occupied, class Home>
void regrow(std::vector<Slot>& slots, std::size_t size, Occupied occupied, Home home) {
  std::vector<Slot> old(size);
  old.swap(slots);
  for (const Slot& slot : old) {
    if (!occupied(slot)) continue;
    std::size_t i = home(slot);
    while (occupied(slots[i])) i = (i + 1) & (slots.size() - 1);
    slots[i] = slot;
  }
}
}  // namespace

void EventClusterer::restore(std::vector<Event> events, std::unordered_map<std::string, int> document_frequency,
                             std::size_t documents_seen) {
  *this = EventClusterer(options_);
  for (const auto& [term, df] : document_frequency) restore_frequency(term, df);
  for (Event& e : events) restore_event(std::move(e));
  documents_ = documents_seen;
}

std::uint64_t EventClusterer::term_hash(const std::string& term) {
  // libstdc++ hashes strings with MurmurHash2, whose low bits (the slot) are as good as its high ones.
  return std::hash<std::string>{}(term);
}

std::uint32_t EventClusterer::find_term(const std::string& term, std::uint64_t hash) const {
  if (term_ids_.empty()) return kNoTermId;
  const std::size_t mask = term_ids_.size() - 1;
  for (std::size_t i = term_home(hash);; i = (i + 1) & mask) {
    const TermIdSlot& slot = term_ids_[i];
    if (slot.id == kNoTermId) return kNoTermId;
    if (slot.hash == hash && terms_[slot.id].text == term) return slot.id;
  }
}

void EventClusterer::prefetch_term(std::uint64_t hash) const {
  if (!term_ids_.empty()) __builtin_prefetch(&term_ids_[term_home(hash)]);
}

bool EventClusterer::knows_term(const std::string& term) const { return find_term(term, term_hash(term)) != kNoTermId; }

std::uint32_t EventClusterer::intern(const std::string& term) { return intern_hashed(term, term_hash(term)); }

std::uint32_t EventClusterer::intern_hashed(const std::string& term, std::uint64_t hash) {
  if (const std::uint32_t known = find_term(term, hash); known != kNoTermId) return known;
  std::uint32_t id;
  if (!free_terms_.empty()) {
    id = free_terms_.back();
    free_terms_.pop_back();
    terms_[id] = Term{};
  } else {
    id = static_cast<std::uint32_t>(terms_.size());
    terms_.emplace_back();
  }
  terms_[id].text = term;
  if (2 * (term_count_ + 1) > term_ids_.size()) {
    regrow(term_ids_, std::max<std::size_t>(1024, 2 * term_ids_.size()),
           [](const TermIdSlot& slot) { return slot.id != kNoTermId; },
           [&](const TermIdSlot& slot) { return term_home(slot.hash); });
  }
  std::size_t i = term_home(hash);
  while (term_ids_[i].id != kNoTermId) i = (i + 1) & (term_ids_.size() - 1);
  term_ids_[i] = {hash, id};
  ++term_count_;
  return id;
}

std::uint32_t EventClusterer::intern(const std::string& term, int document_frequency) {
  return intern_hashed(term, term_hash(term), document_frequency);
}

std::uint32_t EventClusterer::intern_hashed(const std::string& term, std::uint64_t hash, int document_frequency) {
  const std::uint32_t id = intern_hashed(term, hash);
  terms_[id].df = document_frequency;
  terms_[id].log_df = std::log(1.0 + document_frequency);
  return id;
}

void EventClusterer::restore_frequency(const std::string& term, int document_frequency) {
  if (!knows_term(term)) intern(term, document_frequency);
}

std::vector<std::pair<std::string, int>> EventClusterer::take_unsaved_frequencies(bool forget_terms) {
  std::vector<std::pair<std::string, int>> taken;
  taken.reserve(unsaved_.size());
  for (const std::uint32_t id : unsaved_) {
    Term& t = terms_[id];
    taken.emplace_back(t.text, t.unsaved);
    t.unsaved = 0;
    if (forget_terms && t.postings.empty()) forget(id);
  }
  unsaved_.clear();
  std::sort(taken.begin(), taken.end());
  return taken;
}

void EventClusterer::forget(std::uint32_t term) {
  // Backward-shift deletion: each later slot of the probe run moves into the hole unless its
  // home lies cyclically in (hole, slot], so every lookup still finds its term before an empty slot.
  const std::size_t mask = term_ids_.size() - 1;
  std::size_t hole = term_home(term_hash(terms_[term].text));
  while (term_ids_[hole].id != term) hole = (hole + 1) & mask;
  for (std::size_t j = (hole + 1) & mask; term_ids_[j].id != kNoTermId; j = (j + 1) & mask) {
    const std::size_t home = term_home(term_ids_[j].hash);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    term_ids_[hole] = term_ids_[j];
    hole = j;
  }
  term_ids_[hole] = TermIdSlot{};
  --term_count_;
  terms_[term] = Term{};
  free_terms_.push_back(term);
}

std::size_t EventClusterer::new_event() {
  if (!free_.empty()) {
    const std::size_t e = free_.back();
    free_.pop_back();
    events_[e] = Event{};
    index_[e] = EventIndex{};
    return e;
  }
  events_.emplace_back();
  index_.emplace_back();
  return events_.size() - 1;
}

std::size_t EventClusterer::TermSlots::home(std::uint32_t term) const {
  // Fibonacci hashing: term ids are small consecutive integers.
  return static_cast<std::size_t>((term * 0x9E3779B97F4A7C15ULL) >> 32) & (entries_.size() - 1);
}

std::uint32_t* EventClusterer::TermSlots::find(std::uint32_t term) {
  if (entries_.empty()) return nullptr;
  for (std::size_t i = home(term);; i = (i + 1) & (entries_.size() - 1)) {
    if (entries_[i].term == term) return &entries_[i].place;
    if (entries_[i].term == kEmpty) return nullptr;
  }
}

std::pair<std::uint32_t*, bool> EventClusterer::TermSlots::emplace(std::uint32_t term, std::uint32_t place) {
  if (2 * (size_ + 1) > entries_.size()) {
    regrow(entries_, std::max<std::size_t>(16, 2 * entries_.size()), [](const Entry& e) { return e.term != kEmpty; },
           [&](const Entry& e) { return home(e.term); });
  }
  std::size_t i = home(term);
  for (; entries_[i].term != kEmpty; i = (i + 1) & (entries_.size() - 1)) {
    if (entries_[i].term == term) return {&entries_[i].place, false};
  }
  entries_[i] = {term, place};
  ++size_;
  return {&entries_[i].place, true};
}

void EventClusterer::add_term_weight(std::size_t event, std::uint32_t term, double weight) {
  EventIndex& ix = index_[event];
  Term& t = terms_[term];
  double before = 0;
  const auto [place, inserted] = ix.slot.emplace(term, static_cast<std::uint32_t>(t.postings.size()));
  if (inserted) {
    t.postings.push_back({static_cast<std::uint32_t>(event), weight});
  } else {
    Posting& p = t.postings[*place];
    before = p.weight;
    p.weight += weight;
  }
  const double after = before + weight;
  const double delta = after * after - before * before;
  ix.s0 += delta;
  ix.s1 += delta * t.log_df;
  ix.s2 += delta * t.log_df * t.log_df;
}

void EventClusterer::add_label(std::unordered_map<std::string, std::vector<std::uint32_t>>& index,
                               std::unordered_map<std::string, int>& counts, std::size_t event,
                               const std::string& label) {
  if (counts[label]++ == 0) index[label].push_back(static_cast<std::uint32_t>(event));
}

void EventClusterer::set_dates(std::size_t event) {
  const Event& e = events_[event];
  EventIndex& ix = index_[event];
  ix.dated = e.first && e.last;
  if (ix.dated) {
    ix.first = days_from_civil(*e.first);
    ix.last = days_from_civil(*e.last);
  }
}

std::size_t EventClusterer::restore_event(Event event) {
  const std::size_t e = new_event();
  for (const auto& [term, weight] : event.terms) {
    const bool known = knows_term(term);
    const std::uint32_t id = intern(term);
    if (!known) terms_[id].log_df = 0;  // df 0, as idf() assumes for an unknown term
    add_term_weight(e, id, weight);
  }
  event.terms.clear();
  Event& stored = events_[e];
  stored.documents = std::move(event.documents);
  stored.first = event.first;
  stored.last = event.last;
  for (const auto& [place, count] : event.places) {
    if (count > 0 && stored.places.emplace(place, count).second) place_events_[place].push_back(static_cast<std::uint32_t>(e));
  }
  for (const auto& [name, count] : event.names) {
    if (count > 0 && stored.names.emplace(name, count).second) name_events_[name].push_back(static_cast<std::uint32_t>(e));
  }
  set_dates(e);
  return e;
}

Event EventClusterer::snapshot(std::size_t event) const {
  Event e = events_[event];
  index_[event].slot.for_each(
      [&](std::uint32_t term, std::uint32_t place) { e.terms[terms_[term].text] = terms_[term].postings[place].weight; });
  return e;
}

double EventClusterer::idf(const std::string& term) const {
  const std::uint32_t id = find_term(term, term_hash(term));
  const double df = id == kNoTermId ? 0.0 : terms_[id].df;
  return std::log((1.0 + static_cast<double>(documents_)) / (1.0 + df)) + 1.0;
}

double EventClusterer::similarity(const EventFeatures& doc, const Event& event) const {
  double dot = 0, doc_norm = 0, event_norm = 0;
  for (const auto& [term, weight] : doc.terms) {
    const double w = weight * idf(term);
    doc_norm += w * w;
    if (const auto it = event.terms.find(term); it != event.terms.end()) dot += w * it->second * idf(term);
  }
  for (const auto& [term, weight] : event.terms) {
    const double w = weight * idf(term);
    event_norm += w * w;
  }
  double score = (doc_norm > 0 && event_norm > 0) ? dot / std::sqrt(doc_norm * event_norm) : 0.0;
  auto share = [](const std::vector<std::string>& mine, const std::unordered_map<std::string, int>& theirs) {
    if (mine.empty()) return 0.0;
    std::size_t hit = 0;
    for (const auto& m : mine) hit += theirs.count(m);
    return static_cast<double>(hit) / static_cast<double>(mine.size());
  };
  score += options_.place_weight * share(doc.places, event.places);
  score += options_.name_weight * share(doc.names, event.names);
  return score;
}

std::size_t EventClusterer::add(const EventFeatures& doc, const DfSource& unknown_df) {
  // idf(t) = log((1 + N) / (1 + df)) + 1 = a - L(t), with L(t) = log(1 + df(t)).
  const double a = std::log(1.0 + static_cast<double>(documents_)) + 1.0;
  const std::size_t n = events_.size();
  // Per event, side by side: the dot product, and the change of s1 and s2 (see below).
  dot_.assign(3 * n, 0.0);
  place_hits_.assign(n, 0);
  name_hits_.assign(n, 0);
  double doc_norm = 0;
  // Term ids of the document, kNoTermId until interned below: one hash lookup per term, not two.
  std::vector<std::uint32_t> ids;
  ids.reserve(doc.terms.size());
  hashes_.clear();
  for (const auto& [term, weight] : doc.terms) {
    hashes_.push_back(term_hash(term));
    prefetch_term(hashes_.back());
  }
  std::size_t h = 0;
  for (const auto& [term, weight] : doc.terms) {
    const std::uint64_t hash = hashes_[h++];
    std::uint32_t id = find_term(term, hash);
    if (id == kNoTermId && unknown_df) id = intern_hashed(term, hash, unknown_df(term));
    ids.push_back(id);
    const Term* t = id == kNoTermId ? nullptr : &terms_[id];
    const double idf = a - (t ? t->log_df : 0.0);
    const double w = weight * idf;
    doc_norm += w * w;
    if (!t) continue;
    const double f = w * idf;
    // The same walk gathers what this document's df increment will do to each event's norm
    // sums (applied after scoring, which needs them as they were): a second walk over the
    // postings, touching every event's index entry, cost as much as the dot products.
    const double after = std::log(2.0 + t->df);
    const double d1 = after - t->log_df, d2 = after * after - t->log_df * t->log_df;
    for (const Posting& p : t->postings) {
      double* slot = &dot_[3 * std::size_t{p.event}];
      const double w2 = p.weight * p.weight;
      slot[0] += f * p.weight;
      slot[1] += w2 * d1;
      slot[2] += w2 * d2;
    }
  }
  auto count_hits = [](const std::vector<std::string>& mine,
                       const std::unordered_map<std::string, std::vector<std::uint32_t>>& index,
                       std::vector<std::uint32_t>& hits) {
    for (const auto& m : mine) {
      if (const auto it = index.find(m); it != index.end()) {
        for (std::uint32_t e : it->second) ++hits[e];
      }
    }
  };
  count_hits(doc.places, place_events_, place_hits_);
  count_hits(doc.names, name_events_, name_hits_);

  std::optional<std::size_t> best;
  double best_score = options_.threshold;
  const bool dated = doc.published.has_value();
  const long day = dated ? days_from_civil(*doc.published) : 0;
  for (std::size_t e = 0; e < n; ++e) {
    const EventIndex& ix = index_[e];
    if (ix.retired) continue;
    if (dated && ix.dated && (day > ix.last + options_.window_days || day < ix.first - options_.window_days)) continue;
    const double event_norm = std::max(0.0, a * a * ix.s0 - 2 * a * ix.s1 + ix.s2);
    double score = (doc_norm > 0 && event_norm > 0) ? dot_[3 * e] / std::sqrt(doc_norm * event_norm) : 0.0;
    if (!doc.places.empty()) {
      score += options_.place_weight * static_cast<double>(place_hits_[e]) / static_cast<double>(doc.places.size());
    }
    if (!doc.names.empty()) {
      score += options_.name_weight * static_cast<double>(name_hits_[e]) / static_cast<double>(doc.names.size());
    }
    if (score >= best_score) {
      best_score = score;
      best = e;
    }
  }

  // The document counts towards document frequencies: every event holding one of its terms
  // sees that term's L change, which moves its norm sums (gathered above).
  for (std::size_t e = 0; e < n; ++e) {
    index_[e].s1 += dot_[3 * e + 1];
    index_[e].s2 += dot_[3 * e + 2];
  }
  std::size_t k = 0;
  for (const auto& [term, weight] : doc.terms) {
    const std::uint64_t hash = hashes_[k];
    std::uint32_t& id = ids[k++];
    if (id == kNoTermId) id = intern_hashed(term, hash);
    Term& t = terms_[id];
    ++t.df;
    t.log_df = std::log(1.0 + t.df);
    if (t.unsaved++ == 0) unsaved_.push_back(id);
  }
  const std::size_t number = documents_++;
  if (!best) best = new_event();
  const std::size_t e = *best;
  events_[e].documents.push_back(number);
  std::size_t i = 0;
  for (const auto& [term, weight] : doc.terms) add_term_weight(e, ids[i++], weight);
  for (const auto& p : doc.places) add_label(place_events_, events_[e].places, e, p);
  for (const auto& nm : doc.names) add_label(name_events_, events_[e].names, e, nm);
  if (doc.published) {
    Event& event = events_[e];
    if (!event.first || days_from_civil(*doc.published) < days_from_civil(*event.first)) event.first = doc.published;
    if (!event.last || days_from_civil(*doc.published) > days_from_civil(*event.last)) event.last = doc.published;
    set_dates(e);
  }
  return e;
}

std::vector<std::size_t> EventClusterer::retire_before(long day, bool forget_terms) {
  std::vector<std::size_t> retired;
  std::vector<std::uint32_t> touched;
  std::vector<std::string> touched_places, touched_names;
  for (std::size_t e = 0; e < events_.size(); ++e) {
    EventIndex& ix = index_[e];
    if (ix.retired || !ix.dated || ix.last >= day) continue;
    ix.retired = true;
    retired.push_back(e);
    ix.slot.for_each([&](std::uint32_t term, std::uint32_t) { touched.push_back(term); });
    for (const auto& [place, count] : events_[e].places) touched_places.push_back(place);
    for (const auto& [name, count] : events_[e].names) touched_names.push_back(name);
  }
  if (retired.empty()) return retired;
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (std::uint32_t id : touched) {
    Term& t = terms_[id];
    std::size_t out = 0;
    for (std::size_t in = 0; in < t.postings.size(); ++in) {
      const Posting p = t.postings[in];
      if (index_[p.event].retired) continue;
      if (out != in) *index_[p.event].slot.find(id) = static_cast<std::uint32_t>(out);
      t.postings[out++] = p;
    }
    t.postings.resize(out);
    if (forget_terms && out == 0 && t.unsaved == 0) forget(id);
  }
  auto prune = [&](std::unordered_map<std::string, std::vector<std::uint32_t>>& index, std::vector<std::string>& labels) {
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    for (const std::string& label : labels) {
      auto it = index.find(label);
      if (it == index.end()) continue;
      std::erase_if(it->second, [&](std::uint32_t e) { return index_[e].retired; });
      if (it->second.empty()) index.erase(it);
    }
  };
  prune(place_events_, touched_places);
  prune(name_events_, touched_names);
  for (std::size_t e : retired) {
    events_[e] = Event{};
    index_[e] = EventIndex{};
    index_[e].retired = true;
    free_.push_back(e);
  }
  return retired;
}

BCubed bcubed(const std::vector<std::string>& gold, const std::vector<std::size_t>& predicted) {
  BCubed b;
  const std::size_t n = std::min(gold.size(), predicted.size());
  if (n == 0) return b;
  // Per document: precision = share of its predicted cluster with its gold label, recall =
  // share of its gold cluster in its predicted cluster. Counting pairs keeps it O(n) in maps.
  std::unordered_map<std::string, double> gold_size;
  std::unordered_map<std::size_t, double> predicted_size;
  std::unordered_map<std::string, double> both;  // key: predicted id + gold label
  for (std::size_t i = 0; i < n; ++i) {
    ++gold_size[gold[i]];
    ++predicted_size[predicted[i]];
    ++both[std::to_string(predicted[i]) + '\x1f' + gold[i]];
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double shared = both[std::to_string(predicted[i]) + '\x1f' + gold[i]];
    b.precision += shared / predicted_size[predicted[i]];
    b.recall += shared / gold_size[gold[i]];
  }
  b.precision /= static_cast<double>(n);
  b.recall /= static_cast<double>(n);
  b.f1 = b.precision + b.recall > 0 ? 2 * b.precision * b.recall / (b.precision + b.recall) : 0;
  return b;
}

}  // namespace isnad
