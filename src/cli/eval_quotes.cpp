#include "cli/commands.h"

namespace isnad::cli {
// Placeholder until `isnad eval quotes` lands.
void register_eval_quotes(CLI::App&, ExitStatus&) {}
}  // namespace isnad::cli
