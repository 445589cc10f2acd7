// isnad/server.h — the HTTP API and the web interface's file server (`isnad serve`).
//
//   isnad::ServerOptions options{.store_path = "corpus.db", .port = 0, .web_dir = "web"};
//   auto server = isnad::Server::create(options);   // opens (or creates) the store, binds the port
//   if (!server) die(server.error().message);
//   std::cout << (*server)->url();                  // port 0 picked a free port
//   (*server)->run();                               // until stop(), from another thread
//
// The API is documented in docs/api.md. Every error response is a JSON body
// {"error":{"status":N,"message":"…"}} without paths or internals; details go to stderr.
//
// Concurrency: requests run on a pool of `threads` workers. Readers use their own read-only
// SQLite connections (WAL: they never wait for the writer); POST /api/documents batches are
// serialised on one writer connection, each batch one transaction (pipeline.h). stop() stops
// accepting, answers 503 to requests still queued, lets requests in flight finish (a batch being
// written commits) and makes run() return.
//
// Dossiers are built from the store on demand and cached per event until the event gains a
// document; the cache holds at most `dossier_cache` events. Document analyses are cached too
// (`analysis_cache` documents), so an event that grows by one article costs one analysis plus
// the reconciliation, not an analysis of every article.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "isnad/status.h"

namespace isnad {

class NerModel;

struct ServerOptions {
  std::string store_path = "isnad.db";           // SQLite file or postgresql:// URL
  std::string host = "127.0.0.1";
  int port = 8080;                             // 0: a free port, see Server::port()
  std::string web_dir;                         // static files; empty: API only
  std::size_t max_body = std::size_t{10} << 20;  // larger request bodies get 413
  std::size_t threads = 8;
  std::size_t dossier_cache = 256;    // events
  std::size_t analysis_cache = 2048;  // documents (pipeline.h AnalysisCache)
  const NerModel* ner = nullptr;               // entities are found only with a model
  // POST /api/documents only acknowledges documents into the store's work queue (202 with a
  // ticket per document, GET /api/queue/{ticket} for its state); `isnad worker` analyses them.
  bool queue = false;
};

class Server {
 public:
  static Expected<std::unique_ptr<Server>> create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  std::string url() const;  // http://HOST:PORT/
  // Serves until stop(). An error when the listening socket fails.
  Status run();
  // Safe from any thread (not from a signal handler: see cmd_serve.cpp).
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace isnad
