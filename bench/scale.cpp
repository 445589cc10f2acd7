// Corpus scale: ingest N documents into a fresh store through the path `isnad ingest` takes
// (batches of 256: analyze and read terms, then in one transaction add_documents, save_analysis,
// event_features, assign_events; in publication order), and report CPU time, articles/s and peak RSS per N; then
// the dossier of one large event, and search latency.
//
//   isnad_scale                          # N = 1000, 10000, 100000, each in its own process
//   isnad_scale --docs 20000 --queries 300 --dossier 1000
//   isnad_scale --docs 15455 --queries 0 --dossier 0 --save-event /tmp/event.ids
//   isnad_scale --dossier-only /tmp/event.ids --dossier 1000 [--distinct] --json /tmp/d.json
//
// Input: SaudiNewsNet (shared/data/news/saudinewsnet/corpus.jsonl, read at run time, never
// committed). Beyond its 15,455 articles the corpus is replayed: copy k (k = 1, 2, …) of an
// article gets `published` shifted by k × 96 days (the corpus spans 92 days, so a replay never
// meets the previous one's window and the stream stays in date order), the id "<id>#r<k>", the
// line "\n[replay k]" appended to its text, so its content hash differs and it is stored as
// a new document. Without the corpus nothing is measured (exit 2).
//
// Times are process CPU time (getrusage), because the machine is shared; wall time is shown
// beside it. Peak RSS is ru_maxrss of the process that ingested that N (the base corpus, ~50 MB
// of JSON parsed into ~60 MB of strings, is loaded before ingest and reported separately).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "isnad/dossier.h"
#include "isnad/ner.h"
#include "isnad/store.h"

namespace {

namespace fs = std::filesystem;
using isnad::SourceDocument;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double thread_cpu() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // KiB on Linux
}

double current_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::string corpus_path() {
  const char* dir = std::getenv("ISNAD_SHARED_DIR");
  return std::string(dir ? dir : ISNAD_SHARED_DIR) + "/data/news/saudinewsnet/corpus.jsonl";
}

// The base corpus in publication order (as `isnad ingest` sorts it).
std::vector<SourceDocument> load_base() {
  std::vector<SourceDocument> docs;
  std::ifstream in(corpus_path());
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    auto field = [&](const char* key) {
      const auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    docs.push_back(SourceDocument{field("id"), field("outlet"), field("url"), field("published"), field("title"),
                                  field("text"), "corpus.jsonl", 0});
  }
  std::stable_sort(docs.begin(), docs.end(), [](const SourceDocument& a, const SourceDocument& b) {
    return a.published.substr(0, 10) < b.published.substr(0, 10);
  });
  return docs;
}

std::string shift_date(const std::string& published, long days) {
  const auto d = isnad::parse_iso_date(published.substr(0, std::min<std::size_t>(10, published.size())));
  if (!d) return published;
  const isnad::CivilDate s = isnad::civil_from_days(isnad::days_from_civil(*d) + days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", s.year, s.month, s.day);
  return buf + (published.size() > 10 ? published.substr(10) : std::string());
}

// The corpus spans 2015-05-11 … 2015-08-11 (92 days; 97 % of it in the last 11): a replay
// starts after the previous one ends, so the stream stays in publication order.
constexpr long kReplayDays = 96;

// Document i of the stream: the base corpus, then its replays (see the top comment).
SourceDocument nth(const std::vector<SourceDocument>& base, std::size_t i) {
  const std::size_t k = i / base.size();
  SourceDocument d = base[i % base.size()];
  if (k == 0) return d;
  d.id += "#r" + std::to_string(k);
  d.published = shift_date(d.published, static_cast<long>(k) * kReplayDays);
  d.text += "\n[replay " + std::to_string(k) + "]";
  return d;
}

struct StageTimes {
  double add = 0, analyze = 0, save = 0, features = 0, assign = 0;
};

struct IngestResult {
  std::size_t added = 0, duplicates = 0;
  double cpu = 0, wall = 0;
  StageTimes stages;
};

// Mirrors ingest_batch (src/dossier/pipeline.cpp), which `isnad ingest` calls: batches of 256;
// every document analysed and its terms read before the batch's one transaction, which stores
// the documents (the search index taking the terms read already), their analyses and events.
IngestResult ingest(isnad::Store& store, const std::vector<SourceDocument>& base, std::size_t n, const isnad::NerModel* ner) {
  constexpr std::size_t kBatch = 256;
  IngestResult r;
  const double cpu0 = cpu_seconds(), wall0 = wall_seconds();
  for (std::size_t i = 0; i < n; i += kBatch) {
    std::vector<SourceDocument> docs;
    for (std::size_t j = i; j < std::min(n, i + kBatch); ++j) docs.push_back(nth(base, j));
    std::vector<std::optional<isnad::DocumentAnalysis>> analyses(docs.size());
    std::vector<std::optional<isnad::CivilDate>> published(docs.size());
    std::vector<isnad::DocumentTerms> terms(docs.size());
    std::vector<isnad::StoredDocumentInput> batch;
    for (std::size_t j = 0; j < docs.size(); ++j) {
      const SourceDocument& doc = docs[j];
      isnad::AnalyzeOptions options;
      options.published = published[j] = isnad::parse_published(doc.published);
      options.ner = ner;
      double t = thread_cpu();
      auto analysis = isnad::analyze(doc.text, options);
      r.stages.analyze += thread_cpu() - t;
      if (analysis) {
        analyses[j] = std::move(*analysis);
        t = thread_cpu();
        terms[j] = isnad::document_terms(doc, *analyses[j]);
        r.stages.features += thread_cpu() - t;
      }
      batch.push_back({doc.id, doc.outlet, doc.url, doc.published, doc.title, doc.text, analyses[j] ? &terms[j] : nullptr});
    }
    if (!store.begin()) std::exit(1);
    double t = thread_cpu();
    auto results = store.add_documents(batch);
    r.stages.add += thread_cpu() - t;
    if (!results) {
      std::cerr << "ingest: " << results.error().message << '\n';
      std::exit(1);
    }
    std::vector<std::int64_t> ids;
    std::vector<isnad::EventFeatures> features;
    for (std::size_t j = 0; j < results->size(); ++j) {
      const isnad::AddResult& a = (*results)[j];
      if (a.duplicate_of) {
        ++r.duplicates;
        continue;
      }
      ++r.added;
      if (!analyses[j]) continue;
      t = thread_cpu();
      if (!store.save_analysis(a.document, docs[j].text, *analyses[j])) std::exit(1);
      r.stages.save += thread_cpu() - t;
      t = thread_cpu();
      ids.push_back(a.document);
      features.push_back(isnad::event_features(*analyses[j], published[j], terms[j]));
      r.stages.features += thread_cpu() - t;
    }
    t = thread_cpu();
    if (!store.assign_events(ids, features)) std::exit(1);
    r.stages.assign += thread_cpu() - t;
    t = thread_cpu();
    if (!store.commit()) std::exit(1);
    r.stages.save += thread_cpu() - t;
  }
  r.cpu = cpu_seconds() - cpu0;
  r.wall = wall_seconds() - wall0;
  return r;
}

// Events by size, largest first (the lowest id among equals), with their sizes.
std::vector<std::pair<std::int64_t, std::int64_t>> events_by_size(const isnad::Store& store) {
  auto pairs = store.document_events();
  if (!pairs) {
    std::cerr << "document_events: " << pairs.error().message << '\n';
    std::exit(1);
  }
  std::map<std::int64_t, std::int64_t> sizes;
  for (const auto& [document, event] : *pairs) ++sizes[event];
  std::vector<std::pair<std::int64_t, std::int64_t>> out(sizes.begin(), sizes.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  return out;
}

SourceDocument source_of(const isnad::StoredDocument& d) {
  return SourceDocument{d.external_id, d.outlet, d.url, d.published, d.title, d.text, "store", 0};
}

// `docs` repeated until there are `n`: the originals, then copy k = 1, 2, … of each with the id
// "<id>#r<k>" and "\n[replay k]" appended (same perturbation as the ingest stream, without the
// date shift: one event).
std::vector<SourceDocument> replayed(const std::vector<SourceDocument>& docs, std::size_t n) {
  std::vector<SourceDocument> big;
  for (std::size_t k = 0; !docs.empty() && big.size() < n; ++k) {
    for (std::size_t i = 0; i < docs.size() && big.size() < n; ++i) {
      SourceDocument d = docs[i];
      if (k > 0) {
        d.id += "#r" + std::to_string(k);
        d.text += "\n[replay " + std::to_string(k) + "]";
      }
      big.push_back(std::move(d));
    }
  }
  return big;
}

// The dossier of `docs` as one event, two ways: (b) from the texts (what `isnad dossier --store`
// does for each event: analyse, then build), and (a) from analyses made beforehand (what the
// server does with its warm AnalysisCache: copy the cached results, then build). Each is followed
// by render_json. With `json_out`, the JSON of (b) is written there (to compare outputs).
void time_dossier(const std::vector<SourceDocument>& docs, const isnad::NerModel* ner, const char* label,
                  const std::string& json_out = {}) {
  isnad::DossierOptions options;
  options.ner = ner;
  options.events.assign(docs.size(), 1);
  const double c0 = thread_cpu(), w0 = wall_seconds();
  const isnad::Dossier d = isnad::build_dossier(docs, options);
  const double c1 = thread_cpu();
  const std::string json = isnad::render_json(d);
  const double c2 = thread_cpu(), w2 = wall_seconds();
  // The share of that time which is analysing the articles; its results feed (a).
  std::vector<isnad::DocumentResult> cached;
  double analysis = 0;
  for (const SourceDocument& s : docs) {
    isnad::AnalyzeOptions ao;
    ao.published = isnad::parse_published(s.published);
    ao.ner = ner;
    const double t = thread_cpu();
    auto a = isnad::analyze(s.text, ao);
    analysis += thread_cpu() - t;
    if (a) cached.push_back(isnad::DocumentResult{s, ao.published, std::move(*a), std::nullopt, 0});
  }
  const double a0 = thread_cpu();
  std::vector<isnad::DocumentResult> copy = cached;
  const double a1 = thread_cpu();
  const isnad::Dossier warm = isnad::build_dossier(std::move(copy), options);
  const double a2 = thread_cpu();
  const std::string warm_json = isnad::render_json(warm);
  const double a3 = thread_cpu();
  std::printf("dossier (%s): %zu articles, %zu event(s); %zu bytes of JSON%s\n"
              "  (b) from texts: build %.3f s CPU (of which analysis ~%.3f s), render_json %.3f s; total %.3f s CPU, %.3f s wall\n"
              "  (a) from analyses: copy %.3f s, build %.3f s, render_json %.3f s; total %.3f s CPU\n",
              label, docs.size(), d.events.size(), json.size(), warm_json == json ? "" : " (DIFFERS between (a) and (b))",
              c1 - c0, analysis, c2 - c1, c2 - c0, w2 - w0, a1 - a0, a2 - a1, a3 - a2, a3 - a0);
  if (!json_out.empty()) std::ofstream(json_out, std::ios::binary) << json;
}

// The dossier of the store's largest event, and of a synthetic event of `synthetic` articles
// (its articles replayed). With `save_event`, the ids of the largest event's articles are written
// there one per line, then an empty line, then those of the next largest events (each followed
// by an empty line) until there are `synthetic` in all: --dossier-only reads them back.
void run_dossiers(isnad::Store& store, std::size_t synthetic, const isnad::NerModel* ner, const std::string& save_event) {
  const auto events = events_by_size(store);
  if (events.empty()) return;
  auto stored = store.event_documents(events[0].first);
  if (!stored) return;
  std::vector<SourceDocument> docs;
  for (const isnad::StoredDocument& d : *stored) docs.push_back(source_of(d));
  if (!save_event.empty()) {
    std::ofstream out(save_event);
    std::size_t written = 0;
    for (std::size_t e = 0; e < events.size() && (e == 0 || written < synthetic); ++e) {
      auto members = store.event_documents(events[e].first);
      if (!members) break;
      for (const isnad::StoredDocument& d : *members) out << d.external_id << '\n';
      out << '\n';
      written += members->size();
    }
  }
  time_dossier(docs, ner, "largest event in the store");
  if (synthetic == 0 || docs.empty()) return;
  time_dossier(replayed(docs, synthetic), ner, "synthetic event: the largest event's articles replayed");
}

// The dossier alone, without ingest, from a file --save-event wrote: the base corpus articles of
// its first event replayed to `synthetic` articles, or (`distinct`) its first `synthetic` distinct
// articles (the largest events' articles, taken together as one event).
int run_dossier_only(const std::string& ids_file, std::size_t synthetic, bool distinct, const std::string& json_out) {
  const std::vector<SourceDocument> base = load_base();
  std::unordered_map<std::string, const SourceDocument*> by_id;
  for (const SourceDocument& d : base) by_id.emplace(d.id, &d);
  std::vector<SourceDocument> docs;
  std::ifstream in(ids_file);
  for (std::string id; std::getline(in, id) && docs.size() < synthetic;) {
    if (id.empty() && !distinct) break;
    if (const auto it = by_id.find(id); it != by_id.end()) docs.push_back(*it->second);
  }
  if (docs.empty()) {
    std::cerr << "isnad_scale: none of the ids in " << ids_file << " is in " << corpus_path() << '\n';
    return 2;
  }
  auto model = isnad::NerModel::load_default();
  const isnad::NerModel* ner = model ? &*model : nullptr;
  if (distinct) {
    time_dossier(docs, ner, "distinct articles of the largest events, as one event", json_out);
  } else {
    time_dossier(replayed(docs, synthetic), ner, "the largest event's articles, replayed", json_out);
  }
  return 0;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Queries of one or two words taken from random titles (words of 3+ letters), a fixed seed.
void run_search(isnad::Store& store, const std::vector<SourceDocument>& base, std::size_t count) {
  std::mt19937 rng(42);
  std::vector<std::string> queries;
  while (queries.size() < count) {
    const SourceDocument& d = base[rng() % base.size()];
    std::vector<std::string> words;
    std::string w;
    for (char c : d.title + " ") {
      if (c == ' ' || c == '\t' || c == '\n' || c == '"' || c == ':' || c == ',' || c == '.') {
        if (w.size() >= 6) words.push_back(w);  // 3+ Arabic letters
        w.clear();
      } else {
        w += c;
      }
    }
    if (words.empty()) continue;
    std::string q = words[rng() % words.size()];
    if (rng() % 2 && words.size() > 1) q += " " + words[rng() % words.size()];
    queries.push_back(q);
  }
  std::vector<double> cpu, wall;
  std::size_t hits = 0, empty = 0;
  for (const std::string& q : queries) {
    const double c0 = thread_cpu(), w0 = wall_seconds();
    auto r = store.search(q, 20);
    cpu.push_back((thread_cpu() - c0) * 1000);
    wall.push_back((wall_seconds() - w0) * 1000);
    if (!r) continue;
    hits += r->size();
    empty += r->empty() ? 1 : 0;
  }
  std::printf("search: %zu queries (1-2 title words), top 20: CPU p50 %.2f ms, p95 %.2f ms, max %.2f ms; "
              "wall p50 %.2f ms, p95 %.2f ms; %.1f hits/query, %zu with none\n",
              queries.size(), percentile(cpu, 0.5), percentile(cpu, 0.95), percentile(cpu, 1.0), percentile(wall, 0.5),
              percentile(wall, 0.95), static_cast<double>(hits) / static_cast<double>(queries.size()), empty);
}

struct Args {
  std::vector<std::size_t> sizes = {1000, 10000, 100000};
  std::size_t queries = 300;
  std::size_t dossier = 1000;
  std::string dir = fs::temp_directory_path().string();
  std::string save_event;    // write the largest event's article ids here
  std::string dossier_only;  // ids file: time only that event's dossier, no ingest
  bool distinct = false;     // with --dossier-only: distinct articles instead of replays
  std::string json_out;      // with --dossier-only: write the dossier's JSON here
};

int run_one(const Args& args, std::size_t n, bool last) {
  const double load0 = cpu_seconds();
  const std::vector<SourceDocument> base = load_base();
  if (base.empty()) {
    std::cerr << "isnad_scale: no corpus at " << corpus_path() << '\n';
    return 2;
  }
  auto model = isnad::NerModel::load_default();
  const isnad::NerModel* ner = model ? &*model : nullptr;
  const double baseline = current_rss_mb();
  const double load_cpu = cpu_seconds() - load0;
  const fs::path path = fs::path(args.dir) / ("isnad-scale-" + std::to_string(::getpid()) + ".db");
  fs::remove(path);
  auto store = isnad::Store::open(path.string());
  if (!store) {
    std::cerr << store.error().message << '\n';
    return 1;
  }
  const IngestResult r = ingest(*store, base, n, ner);
  const auto event_count = store->event_count();
  const auto events = static_cast<std::size_t>(event_count ? *event_count : 0);
  const auto by_size = events_by_size(*store);
  std::error_code ec;
  const double db_mb = static_cast<double>(fs::file_size(path, ec)) / 1048576.0;
  std::printf("N=%zu: %zu added, %zu duplicates; ingest %.1f s CPU (%.1f s wall) = %.0f articles/s CPU; "
              "peak RSS %.0f MB (after loading corpus and model: %.0f MB; load %.1f s CPU not counted); "
              "%zu events (largest %lld); store %.0f MB\n",
              n, r.added, r.duplicates, r.cpu, r.wall, static_cast<double>(n) / r.cpu, peak_rss_mb(), baseline, load_cpu,
              events, by_size.empty() ? 0LL : static_cast<long long>(by_size[0].second), db_mb);
  const StageTimes& s = r.stages;
  const double per = 1000.0 / static_cast<double>(std::max<std::size_t>(1, r.added));
  std::printf("  per article (ms CPU): add_documents %.3f, analyze %.3f, save_analysis %.3f, event_features %.3f, assign_event %.3f\n",
              s.add * per, s.analyze * per, s.save * per, s.features * per, s.assign * per);
  std::fflush(stdout);
  if (last) {
    if (args.queries > 0) run_search(*store, base, args.queries);
    if (args.dossier > 0 || !args.save_event.empty()) run_dossiers(*store, args.dossier, ner, args.save_event);
  }
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--docs") {
      args.sizes.clear();
      std::string v = value();
      for (std::size_t p = 0; p < v.size();) {
        const std::size_t c = v.find(',', p);
        args.sizes.push_back(std::stoul(v.substr(p, c - p)));
        p = c == std::string::npos ? v.size() : c + 1;
      }
    } else if (a == "--queries") {
      args.queries = std::stoul(value());
    } else if (a == "--dossier") {
      args.dossier = std::stoul(value());
    } else if (a == "--dir") {
      args.dir = value();
    } else if (a == "--save-event") {
      args.save_event = value();
    } else if (a == "--dossier-only") {
      args.dossier_only = value();
    } else if (a == "--distinct") {
      args.distinct = true;
    } else if (a == "--json") {
      args.json_out = value();
    } else {
      std::cerr << "usage: isnad_scale [--docs N[,N…]] [--queries Q] [--dossier ARTICLES] [--dir TMPDIR] [--save-event IDS]\n"
                   "       isnad_scale --dossier-only IDS [--dossier ARTICLES] [--distinct] [--json OUT]\n";
      return 2;
    }
  }
  if (!args.dossier_only.empty()) return run_dossier_only(args.dossier_only, args.dossier, args.distinct, args.json_out);
  // One process per N, so that each peak RSS is that N's own.
  for (std::size_t k = 0; k < args.sizes.size(); ++k) {
    std::fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
      const int code = run_one(args, args.sizes[k], k + 1 == args.sizes.size());
      std::fflush(stdout);  // _Exit does not flush stdio
      std::_Exit(code);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  }
  return 0;
}
