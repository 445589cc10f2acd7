#include "cli/commands.h"

namespace isnad::cli {
// Each evaluation registers a sub-subcommand under `isnad eval` (see eval_*.cpp).
void register_eval(CLI::App& app, ExitStatus& status) {
  auto* eval = app.add_subcommand("eval", "Measure accuracy on annotated data");
  eval->require_subcommand(1);
  register_eval_ner(*eval, status);
  register_eval_quotes(*eval, status);
  register_eval_claims(*eval, status);
  register_eval_clusters(*eval, status);
  register_eval_resolve(*eval, status);
}
}  // namespace isnad::cli
