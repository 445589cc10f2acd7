// `isnad serve`: the HTTP API and the web interface (server.h, docs/api.md) until SIGTERM/SIGINT.
#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "isnad/server.h"
#include "isnad/store.h"

namespace isnad::cli {

namespace {

struct ServeArgs {
  ServerOptions options;
  bool no_web = false;
};

// SIGTERM and SIGINT are blocked in every thread and taken by one watcher thread with sigwait, so
// stopping runs as ordinary code (a signal handler could not safely stop the server).
class SignalWatcher {
 public:
  explicit SignalWatcher(Server& server) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGUSR1);  // our own wake-up when the server ends by itself
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this, &server] {
      int signal = 0;
      sigwait(&set_, &signal);
      if (signal != SIGUSR1) std::cerr << "isnad: stopping (finishing requests in flight)\n";
      server.stop();
    });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  sigset_t set_{};
  std::thread thread_;
};

void run_serve(ServeArgs& args) {
  if (args.no_web) args.options.web_dir.clear();
  const auto model = load_model();
  args.options.ner = model ? &*model : nullptr;
  // Blocked before the server's threads start, so they inherit the mask.
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
  auto server = Server::create(args.options);
  if (!server) throw std::runtime_error(server.error().message);
  SignalWatcher watcher(**server);
  std::cerr << "isnad: serving " << redact_location(args.options.store_path) << " on " << (*server)->url()
            << "  (Ctrl-C or SIGTERM to stop)" << std::endl;
  if (Status s = (*server)->run(); !s) throw std::runtime_error(s.error().message);
  std::cerr << "isnad: stopped\n";
}

}  // namespace

void register_serve(CLI::App& app, ExitStatus&) {
  auto args = std::make_shared<ServeArgs>();
  args->options.web_dir = ISNAD_WEB_DIR;
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API and the Arabic web interface over a store");
  cmd->footer(
      "The API is documented in docs/api.md. Binds to 127.0.0.1 unless --host says otherwise.\n"
      "SIGTERM or Ctrl-C stops accepting requests and lets those in flight finish.\n\n"
      "Examples:\n"
      "  isnad serve --store corpus.db              # then open http://127.0.0.1:8080/\n"
      "  isnad serve --store corpus.db --port 0     # a free port, printed on stderr");
  cmd->add_option("--store", args->options.store_path,
                  "SQLite file (created if missing; default isnad.db) or postgresql:// URL");
  cmd->add_flag("--queue", args->options.queue, "POST only queues documents; `isnad worker` processes them");
  cmd->add_option("--host", args->options.host, "Address to bind (default 127.0.0.1)");
  cmd->add_option("--port", args->options.port, "Port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--web", args->options.web_dir, "Directory of the web interface (default: the source tree's web/)");
  cmd->add_flag("--no-web", args->no_web, "Serve the API only");
  cmd->add_option("--max-body", args->options.max_body, "Largest request body (default 10MB)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_option("--threads", args->options.threads, "Worker threads (default 8)")->check(CLI::Range(1, 256));
  cmd->callback([args] { run_serve(*args); });
}

}  // namespace isnad::cli
