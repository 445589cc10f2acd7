// Subcommands of the `isnad` executable. Each lives in its own cmd_*.cpp and registers itself
// on the CLI11 app; it returns the exit status through the shared `ExitStatus` (0 ok, 1 some
// inputs rejected, 2 usage), as docs/cli-contract says. Exceptions stop at this layer.
#pragma once

#include <CLI/CLI.hpp>

namespace isnad::cli {

struct ExitStatus {
  int code = 0;
  void reject() { code = code == 0 ? 1 : code; }
};

void register_analyze(CLI::App& app, ExitStatus& status);
void register_eval(CLI::App& app, ExitStatus& status);
void register_corpus(CLI::App& app, ExitStatus& status);  // ingest, search, dossier
void register_serve(CLI::App& app, ExitStatus& status);   // HTTP API + web interface
void register_worker(CLI::App& app, ExitStatus& status);  // worker, check

// `isnad eval <what>`: each evaluation lives in eval_<what>.cpp and hangs itself under `eval`.
void register_eval_ner(CLI::App& eval, ExitStatus& status);
void register_eval_quotes(CLI::App& eval, ExitStatus& status);
void register_eval_claims(CLI::App& eval, ExitStatus& status);
void register_eval_clusters(CLI::App& eval, ExitStatus& status);
void register_eval_resolve(CLI::App& eval, ExitStatus& status);

}  // namespace isnad::cli
