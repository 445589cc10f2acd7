#include "isnad/events.h"

#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <string>

namespace isnad {

void EventClusterer::restore(std::vector<Event> events, std::unordered_map<std::string, int> document_frequency,
                             std::size_t documents_seen) {
  events_ = std::move(events);
  document_frequency_ = std::move(document_frequency);
  documents_ = documents_seen;
}

double EventClusterer::idf(const std::string& term) const {
  const auto it = document_frequency_.find(term);
  const double df = it == document_frequency_.end() ? 0.0 : it->second;
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

std::size_t EventClusterer::add(const EventFeatures& doc) {
  std::optional<std::size_t> best;
  double best_score = options_.threshold;
  for (std::size_t e = 0; e < events_.size(); ++e) {
    const Event& event = events_[e];
    if (doc.published && event.last && event.first) {
      const long day = days_from_civil(*doc.published);
      if (day > days_from_civil(*event.last) + options_.window_days ||
          day < days_from_civil(*event.first) - options_.window_days) {
        continue;
      }
    }
    const double score = similarity(doc, event);
    if (score >= best_score) {
      best_score = score;
      best = e;
    }
  }
  for (const auto& [term, weight] : doc.terms) ++document_frequency_[term];
  const std::size_t number = documents_++;
  if (!best) {
    best = events_.size();
    events_.emplace_back();
  }
  Event& event = events_[*best];
  event.documents.push_back(number);
  for (const auto& [term, weight] : doc.terms) event.terms[term] += weight;
  for (const auto& p : doc.places) ++event.places[p];
  for (const auto& n : doc.names) ++event.names[n];
  if (doc.published) {
    if (!event.first || days_from_civil(*doc.published) < days_from_civil(*event.first)) event.first = doc.published;
    if (!event.last || days_from_civil(*doc.published) > days_from_civil(*event.last)) event.last = doc.published;
  }
  return *best;
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
