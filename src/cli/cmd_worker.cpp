// `isnad worker`: analyses queued documents (store.h's work queue) until stopped; `isnad check`:
// verifies a store's invariants after a crash or a fault test.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "isnad/pipeline.h"
#include "isnad/store.h"

namespace isnad::cli {

namespace {

struct WorkerArgs {
  std::string store = "isnad.db";
  std::string name;
  std::size_t batch = 32;
  double lease = 120;
  double poll = 0.2;
  bool drain = false;
};

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested.store(true); }

std::string default_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return fmt::format("{}:{}", host, ::getpid());
}

// One claimed batch: analysed outside any transaction, then stored, clustered and its tickets
// finished in one transaction. A failure leaves the tickets leased; they return to the queue
// when the lease runs out.
void run_worker(const WorkerArgs& args) {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  auto opened = Store::open(args.store, OpenMode::kReadWrite);
  if (!opened) throw std::runtime_error(opened.error().message);
  Store& store = *opened;
  const auto model = load_model();
  const std::string name = args.name.empty() ? default_name() : args.name;
  std::cerr << "isnad: worker " << name << " on " << redact_location(args.store) << '\n';
  std::size_t stored = 0, batches = 0;
  const auto poll = std::chrono::duration<double>(args.poll);
  while (!stop_requested.load()) {
    auto claimed = store.claim(name, args.batch, args.lease);
    if (!claimed) {
      std::cerr << "isnad: worker " << name << ": " << claimed.error().message << " (retrying)\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (claimed->empty()) {
      // Nothing to claim is not an empty queue: a dead worker's lease still hides its batch.
      if (args.drain) {
        const auto waiting = store.queue_length();
        if (waiting && *waiting == 0) break;
      }
      std::this_thread::sleep_for(poll);
      continue;
    }
    std::vector<SourceDocument> docs;
    for (const QueuedDocument& q : *claimed) {
      const StoredDocumentInput& d = q.document;
      docs.push_back(SourceDocument{d.external_id, d.outlet, d.url, d.published, d.title, d.text, std::string(), 0});
    }
    auto done = ingest_batch(store, docs, model ? &*model : nullptr, nullptr,
                             [&](Store& s, const std::vector<IngestedDocument>& results) {
                               std::vector<std::pair<std::int64_t, std::int64_t>> finished;
                               for (std::size_t i = 0; i < results.size(); ++i) {
                                 finished.emplace_back((*claimed)[i].ticket, results[i].stored.document);
                               }
                               return s.finish(finished);
                             });
    if (!done) {
      std::cerr << "isnad: worker " << name << ": batch of " << docs.size() << " failed: " << done.error().message
                << " (its documents return to the queue when the lease ends)\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    stored += docs.size();
    ++batches;
  }
  std::cerr << "isnad: worker " << name << " stopped: " << stored << " documents in " << batches << " batches\n";
}

void run_check(const std::string& location, ExitStatus& status) {
  auto store = Store::open(location, OpenMode::kReadOnly);
  if (!store) throw std::runtime_error(store.error().message);
  auto c = store->check();
  if (!c) throw std::runtime_error(c.error().message);
  nlohmann::ordered_json j{{"documents", c->documents},    {"events", c->events},
                           {"clustered", c->clustered},    {"queued", c->queued},
                           {"tickets_done", c->tickets_done}, {"problems", c->problems},
                           {"ok", c->problems.empty()}};
  std::cout << j.dump(2) << '\n';
  if (!c->problems.empty()) status.reject();
}

}  // namespace

void register_worker(CLI::App& app, ExitStatus& status) {
  {
    auto args = std::make_shared<WorkerArgs>();
    CLI::App* cmd = app.add_subcommand("worker", "Analyse queued documents (ingest --queue, or the API with serve --queue)");
    cmd->footer(
        "Claims batches from the store's queue under a lease, analyses them, and stores documents,\n"
        "analyses, events and finished tickets in one transaction. Run any number, on any machines,\n"
        "against one PostgreSQL store; a worker killed mid-batch loses nothing: its batch returns to\n"
        "the queue when the lease ends. SIGTERM finishes the batch in hand, then exits.\n\n"
        "Example:\n"
        "  isnad worker --store postgresql://isnad@db-host/news");
    cmd->add_option("--store", args->store, "Store: a postgresql:// URL (or an SQLite file, one worker)")->required();
    cmd->add_option("--name", args->name, "Name in leases and logs (default host:pid)");
    cmd->add_option("--batch", args->batch, "Documents per claim (default 32)")->check(CLI::Range(1, 10000));
    cmd->add_option("--lease", args->lease, "Seconds a claim holds before others may take it (default 120)")
        ->check(CLI::Range(1.0, 86400.0));
    cmd->add_option("--poll", args->poll, "Seconds between looks at an empty queue (default 0.2)")->check(CLI::Range(0.01, 60.0));
    cmd->add_flag("--drain", args->drain, "Exit when the queue is empty");
    cmd->callback([args] { run_worker(*args); });
  }
  {
    auto location = std::make_shared<std::string>("isnad.db");
    CLI::App* cmd = app.add_subcommand("check", "Verify a store's invariants (exit 1 when one is broken)");
    cmd->footer("Counts documents, events and queue tickets, and checks that no content is stored twice, every\n"
                "analysed document has an event, no event is empty, and the clustering state matches.");
    cmd->add_option("--store", *location, "Store (SQLite file or postgresql:// URL)");
    cmd->callback([location, &status] { run_check(*location, status); });
  }
}

}  // namespace isnad::cli
