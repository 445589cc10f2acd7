// The corpus commands: `isnad ingest` (files → store), `isnad search` (store → ranked hits) and
// `isnad dossier` (files → store → events → one report).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "isnad/dossier.h"
#include "isnad/ner.h"
#include "isnad/pipeline.h"
#include "isnad/store.h"

namespace isnad::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBatch = 256;

// A one-line progress bar on stderr, only when a person is watching.
class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), enabled_(::isatty(STDERR_FILENO) == 1 && total > kBatch) {}
  void update(std::size_t done) {
    if (!enabled_) return;
    const std::size_t width = 40;
    const std::size_t filled = total_ ? done * width / total_ : width;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done << '/' << total_ << std::flush;
  }
  ~Progress() {
    if (enabled_) std::cerr << '\n';
  }

 private:
  std::size_t total_;
  bool enabled_;
};

struct IngestCounts {
  std::size_t added = 0, duplicates = 0;
};

// Stores `docs` in batches (one transaction each: documents, analyses and events together), so an
// interrupted ingest keeps whole batches. Documents are taken in publication order, as they would
// have arrived.
Expected<IngestCounts> ingest(Store& store, std::vector<SourceDocument> docs, const NerModel* ner) {
  std::stable_sort(docs.begin(), docs.end(), [](const SourceDocument& a, const SourceDocument& b) {
    return a.published.substr(0, 10) < b.published.substr(0, 10);
  });
  IngestCounts counts;
  Progress progress(docs.size());
  for (std::size_t i = 0; i < docs.size(); i += kBatch) {
    const std::vector<SourceDocument> batch(docs.begin() + static_cast<std::ptrdiff_t>(i),
                                            docs.begin() + static_cast<std::ptrdiff_t>(std::min(docs.size(), i + kBatch)));
    auto done = ingest_batch(store, batch, ner);
    if (!done) return done.error();
    for (std::size_t j = 0; j < done->size(); ++j) {
      const AddResult& r = (*done)[j].stored;
      if (r.duplicate_of) {
        ++counts.duplicates;
        continue;
      }
      ++counts.added;
      if (r.id_reused) {
        std::cerr << "isnad: " << batch[j].path << ": warning: id \"" << batch[j].id
                  << "\" was already used for a different text; both are kept\n";
      }
    }
    progress.update(std::min(docs.size(), i + kBatch));
  }
  return counts;
}

Store open_or_throw(const std::string& path, OpenMode mode) {
  auto store = Store::open(path, mode);
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(*store);
}

struct CorpusArgs {
  std::string store = "isnad.db";
  std::string format;
  std::string output;
  std::size_t limit = 20;
  std::uint64_t max_bytes = InputOptions{}.max_bytes;
  std::vector<std::string> inputs;
  bool store_given = false;
  bool queue = false;
};

// `ingest --queue`: acknowledged into the store's work queue for `isnad worker`, one transaction
// per batch.
void enqueue_all(Store& store, const std::vector<SourceDocument>& docs, const std::string& location) {
  std::size_t queued = 0, known = 0;
  for (std::size_t i = 0; i < docs.size(); i += kBatch) {
    std::vector<StoredDocumentInput> rows;
    for (std::size_t j = i; j < std::min(docs.size(), i + kBatch); ++j) {
      const SourceDocument& d = docs[j];
      rows.push_back({d.id, d.outlet, d.url, d.published, d.title, d.text});
    }
    auto tickets = store.enqueue(rows);
    if (!tickets) throw std::runtime_error(tickets.error().message);
    for (const Ticket& t : *tickets) (t.already_queued || t.stored ? known : queued) += 1;
  }
  std::cerr << "isnad: " << queued << " documents queued, " << known << " already queued or stored; "
            << *store.queue_length() << " waiting in " << redact_location(location) << '\n';
}

void run_ingest(const CorpusArgs& args, ExitStatus& status) {
  const auto docs = load_inputs(args.inputs, InputOptions{.max_bytes = args.max_bytes, .use_sidecar = true}, status);
  Store store = open_or_throw(args.store, OpenMode::kReadWrite);
  if (args.queue) return enqueue_all(store, docs, args.store);
  const auto model = load_model();
  auto counts = ingest(store, docs, model ? &*model : nullptr);
  if (!counts) throw std::runtime_error(counts.error().message);
  std::cerr << "isnad: " << counts->added << " documents added, " << counts->duplicates << " already stored; "
            << *store.document_count() << " in " << redact_location(args.store) << '\n';
}

std::string highlight(std::string snippet, bool terminal) {
  const std::string open = terminal ? "\033[1;33m" : "[[";
  const std::string close = terminal ? "\033[0m" : "]]";
  std::string out;
  for (char c : snippet) {
    if (c == '\x02') out += open;
    else if (c == '\x03') out += close;
    else out += c;
  }
  return out;
}

void run_search(const CorpusArgs& args, ExitStatus&) {
  Store store = open_or_throw(args.store, OpenMode::kReadOnly);
  std::string query;
  for (const auto& word : args.inputs) query += (query.empty() ? "" : " ") + word;
  auto hits = store.search(query, args.limit);
  if (!hits) throw std::runtime_error(hits.error().message);
  if (args.format == "json") {
    for (const SearchHit& h : *hits) {
      nlohmann::ordered_json j{{"id", h.external_id}, {"title", h.title}, {"outlet", h.outlet}, {"published", h.published},
                               {"score", h.score}, {"snippet", highlight(h.snippet, false)}};
      std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    }
    return;
  }
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  if (hits->empty()) std::cout << "no match for: " << query << '\n';
  std::size_t rank = 0;
  for (const SearchHit& h : *hits) {
    std::cout << ++rank << ". " << h.external_id << (h.title.empty() ? "" : " — " + h.title) << "  (" << h.outlet
              << (h.published.empty() ? "" : ", " + h.published) << "; bm25 " << h.score << ")\n   "
              << highlight(h.snippet, terminal) << '\n';
  }
}

void run_dossier(const CorpusArgs& args, ExitStatus& status) {
  const auto inputs = load_inputs(args.inputs, InputOptions{.max_bytes = args.max_bytes, .use_sidecar = true}, status);
  // Without --store the dossier is built in a throwaway store, so the same code path is tested.
  fs::path temporary;
  std::string path = args.store;
  if (!args.store_given) {
    std::random_device rd;
    temporary = fs::temp_directory_path() / ("isnad-dossier-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(temporary);
    path = (temporary / "store.db").string();
  }
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } cleanup{temporary};

  Store store = open_or_throw(path, OpenMode::kReadWrite);
  const auto model = load_model();
  if (auto counts = ingest(store, inputs, model ? &*model : nullptr); !counts) {
    throw std::runtime_error(counts.error().message);
  }
  auto stored = store.all_documents();
  auto assigned = store.document_events();
  if (!stored) throw std::runtime_error(stored.error().message);
  if (!assigned) throw std::runtime_error(assigned.error().message);
  const std::map<std::int64_t, std::int64_t> event_of(assigned->begin(), assigned->end());
  DossierOptions options;
  options.ner = model ? &*model : nullptr;
  std::vector<SourceDocument> docs;
  for (const StoredDocument& s : *stored) {
    const auto it = event_of.find(s.id);
    if (it == event_of.end()) continue;  // stored but not analysable: reported at ingest
    docs.push_back(SourceDocument{s.external_id, s.outlet, s.url, s.published, s.title, s.text, path, 0});
    options.events.push_back(it->second);
  }
  const Dossier dossier = build_dossier(docs, options);
  for (const std::string& w : dossier.warnings) std::cerr << "isnad: warning: " << w << '\n';
  const std::string rendered = args.format == "md" ? render_markdown(dossier)
                               : args.format == "html" ? render_html(dossier)
                                                       : render_json(dossier) + "\n";
  if (args.output.empty()) {
    std::cout << rendered;
  } else {
    std::ofstream out(args.output, std::ios::binary);
    out << rendered;
    if (!out) throw std::runtime_error("cannot write " + args.output);
  }
}

}  // namespace

void register_corpus(CLI::App& app, ExitStatus& status) {
  {
    auto args = std::make_shared<CorpusArgs>();
    CLI::App* cmd = app.add_subcommand("dossier", "Cluster articles into events and report figures, quotes, claims and conflicts");
    cmd->footer(
        "Ingests the inputs (into a temporary store unless --store is given; with --store the report\n"
        "covers everything stored), clusters them into events, reconciles each event's figures and\n"
        "writes one report: JSON (docs/cli-contract.md), Markdown, or a self-contained Arabic HTML page.\n\n"
        "Examples:\n"
        "  isnad dossier demo/corpus\n"
        "  isnad dossier --format html -o report.html articles.jsonl more/*.txt\n\n"
        "Exit status: 0 ok; 1 some inputs rejected (reported on stderr, the rest processed); 2 usage.");
    cmd->add_option("--format", args->format, "json (default), md or html")->check(CLI::IsMember({"json", "md", "html"}));
    args->format = "json";
    cmd->add_option("--store", args->store, "Store to ingest into and report on (SQLite file or postgresql:// URL)")
        ->each([args](const std::string&) { args->store_given = true; });
    cmd->add_option("-o,--output", args->output, "Write the report to this file instead of stdout");
    cmd->add_option("--max-bytes", args->max_bytes, "Refuse files larger than this (default 64MiB)")->transform(CLI::AsSizeValue(false));
    cmd->add_option("FILE", args->inputs, "Articles: .txt, .jsonl, or directories of them")->required();
    cmd->callback([args, &status] { run_dossier(*args, status); });
  }
  {
    auto args = std::make_shared<CorpusArgs>();
    CLI::App* cmd = app.add_subcommand("ingest", "Store articles in a corpus (idempotent: the same article is stored once)");
    cmd->add_option("--store", args->store,
                    "SQLite file (created if missing; default isnad.db) or postgresql:// URL");
    cmd->add_flag("--queue", args->queue, "Only queue the articles; `isnad worker` processes them");
    cmd->add_option("--max-bytes", args->max_bytes, "Refuse files larger than this (default 64MiB)")->transform(CLI::AsSizeValue(false));
    cmd->add_option("FILE", args->inputs, "Articles: .txt, .jsonl, or directories of them")->required();
    cmd->callback([args, &status] { run_ingest(*args, status); });
  }
  {
    auto args = std::make_shared<CorpusArgs>();
    args->format = "text";
    CLI::App* cmd = app.add_subcommand("search", "Full-text search of a store with the Arabic analyzer (BM25)");
    cmd->footer("Every word must match, in any inflection the light stemmer conflates (بوتين finds ولبوتين).\n"
                "Example: isnad search --store corpus.db حريق المستودع");
    cmd->add_option("--store", args->store, "SQLite file (default isnad.db) or postgresql:// URL");
    cmd->add_option("--limit", args->limit, "Maximum hits (default 20)");
    cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("QUERY", args->inputs, "Words to search for")->required();
    cmd->callback([args, &status] { run_search(*args, status); });
  }
}

}  // namespace isnad::cli
