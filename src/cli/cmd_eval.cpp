#include "cli/commands.h"

namespace isnad::cli {
// Each evaluation registers a sub-subcommand under `isnad eval` (see eval_*.cpp).
void register_eval(CLI::App& app, ExitStatus&) {
  auto* eval = app.add_subcommand("eval", "Measure accuracy on annotated data");
  eval->require_subcommand(1);
}
}  // namespace isnad::cli
