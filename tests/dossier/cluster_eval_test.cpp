// Event clustering measured on the labelled corpus (tests/data/clusters/, README there): B-cubed
// precision/recall/F1 of build_dossier's events against the "event" labels, with floors set from
// the measured figures minus a margin (docs/EVENTS.md records the measurements), and the pairs
// that make the corpus hard checked one by one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "isnad/dossier.h"
#include "isnad/input.h"
#include "isnad/ner.h"

namespace isnad {
namespace {

namespace fs = std::filesystem;

struct Labelled {
  Dossier dossier;
  std::map<std::string, std::string> gold;  // id → event label
};

const Labelled& corpus() {
  static const std::unique_ptr<Labelled> data = [] {
    auto out = std::make_unique<Labelled>();
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(ISNAD_TEST_DIR) / "data" / "clusters")) {
      if (e.path().extension() == ".jsonl") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    InputLoader loader;
    std::vector<SourceDocument> docs;
    for (const fs::path& f : files) {
      std::ifstream in(f);
      for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line);
        out->gold[j.at("id").get<std::string>()] = j.at("event").get<std::string>();
      }
      auto loaded = loader.load(f);
      if (loaded) docs.insert(docs.end(), loaded->documents.begin(), loaded->documents.end());
    }
    auto model = NerModel::load_default();
    DossierOptions options;
    if (model) options.ner = &*model;
    out->dossier = build_dossier(docs, options);
    return out;
  }();
  return *data;
}

std::size_t event_of(const std::string& id) {
  for (const DocumentResult& d : corpus().dossier.documents) {
    if (d.source.id == id) return d.event;
  }
  ADD_FAILURE() << id << " not in the dossier";
  return static_cast<std::size_t>(-1);
}

TEST(ClusterEval, CorpusIsWhatTheReadmeSays) {
  const Labelled& c = corpus();
  EXPECT_EQ(c.dossier.documents.size(), c.gold.size()) << "every labelled record must load";
  EXPECT_GE(c.gold.size(), 35u);
  std::map<std::string, int> sizes;
  for (const auto& [id, label] : c.gold) ++sizes[label];
  EXPECT_GE(sizes.size(), 8u);
  for (const auto& [label, n] : sizes) {
    EXPECT_GE(n, 3) << label;
    EXPECT_LE(n, 6) << label;
  }
  EXPECT_TRUE(c.dossier.warnings.empty());
}

TEST(ClusterEval, BCubedAboveMeasuredFloor) {
  const Labelled& c = corpus();
  std::vector<std::string> labels;
  std::vector<std::size_t> predicted;
  for (const DocumentResult& d : c.dossier.documents) {
    labels.push_back(c.gold.at(d.source.id));
    predicted.push_back(d.event);
  }
  const BCubed b = bcubed(labels, predicted);
  const std::set<std::size_t> clusters(predicted.begin(), predicted.end());
  std::printf("[ cluster eval ] %zu documents, %zu gold events, %zu predicted; B-cubed P=%.3f R=%.3f F1=%.3f\n",
              labels.size(), std::set<std::string>(labels.begin(), labels.end()).size(), clusters.size(), b.precision,
              b.recall, b.f1);
  // Measured (docs/EVENTS.md): P=1.000 R=0.962 F1=0.980 with the NER model.
  EXPECT_GE(b.precision, 0.90);
  EXPECT_GE(b.recall, 0.82);
  EXPECT_GE(b.f1, 0.88);
}

// Same topic, different events: each pair must be kept apart.
struct ApartRow {
  const char* a;
  const char* b;
  const char* why;
};

TEST(ClusterEval, SameTopicDifferentEventsKeptApart) {
  const ApartRow rows[] = {
      {"fireq-3", "fireb-1", "two fires two days apart; fireb-1 names the Qasr fire and its toll"},
      {"fireq-4", "fireb-2", "fireb-2 compares with the Qasr fire's final toll"},
      {"fireq-5", "fireb-4", "fireb-4 calls the Qasr fire 'a separate fire'"},
      {"elecm-2", "eleck-1", "two elections counted on the same Sunday"},
      {"elecm-4", "eleck-3", "two elections, day after"},
      {"bus-3", "mine-1", "road crash and mine collapse the same week"},
      {"bus-4", "mine-3", "mine-3 mentions the bus crash and its toll"},
      {"floods-4", "floodz-1", "two floods a month apart; floodz-1 mentions the first"},
  };
  for (const ApartRow& r : rows) EXPECT_NE(event_of(r.a), event_of(r.b)) << r.a << " / " << r.b << ": " << r.why;
}

// Articles of one event, told differently: each pair should be together.
struct TogetherRow {
  const char* a;
  const char* b;
  const char* why;
  bool known_problem;
};

TEST(ClusterEval, SameEventToldDifferentlyKeptTogether) {
  const TogetherRow rows[] = {
      {"fireq-1", "fireq-5", "human-interest angle, wrong weekday", false},
      {"bomb-1", "bomb-4", "the denial article, a day later", false},
      {"bomb-1", "bomb-6", "families' reaction two days later", false},
      {"mine-1", "mine-4", "licence suspension two days later", false},
      {"elecm-1", "elecm-4", "recount decision two days later", false},
      {"floodz-1", "floodz-3", "scene piece from the flooded town, few shared content words", false},
      // Other spellings of both candidates (فكتور مالنياك, إلينا درافتش): names are compared by
      // name_key, not as written.
      {"eleck-1", "eleck-2", "the same election with other spellings of both candidates", false},
  };
  for (const TogetherRow& r : rows) {
    if (r.known_problem) {
      if (event_of(r.a) == event_of(r.b)) std::printf("[ cluster eval ] fixed: %s / %s — remove its known_problem\n", r.a, r.b);
      continue;
    }
    EXPECT_EQ(event_of(r.a), event_of(r.b)) << r.a << " / " << r.b << ": " << r.why;
  }
}

// Ingest reads a document's terms once (document_terms) for both its features and the search
// index; the features must be exactly those of reading its sentences one by one, which is what
// build_dossier clusters on. The corpus has comparison sentences about other events, which
// both must leave out.
TEST(ClusterEval, FeaturesFromRecordedTermsEqualFeaturesFromSentences) {
  std::size_t with_other_event = 0;
  for (const DocumentResult& d : corpus().dossier.documents) {
    const EventFeatures direct = event_features(d.source, d.analysis, d.published);
    const EventFeatures recorded = event_features(d.analysis, d.published, document_terms(d.source, d.analysis));
    EXPECT_FALSE(direct.terms.empty()) << d.source.id;
    EXPECT_EQ(direct.terms, recorded.terms) << d.source.id;
    EXPECT_EQ(direct.places, recorded.places) << d.source.id;
    EXPECT_EQ(direct.names, recorded.names) << d.source.id;
    for (const Claim& c : d.analysis.claims) {
      if (!c.event_hint.empty()) {
        ++with_other_event;
        break;
      }
    }
  }
  EXPECT_GT(with_other_event, 0u) << "the corpus should exercise sentences left out";
}

}  // namespace
}  // namespace isnad
