#include "cli/commands.h"

namespace isnad::cli {
// Placeholder until `isnad eval ner` lands.
void register_eval_ner(CLI::App&, ExitStatus&) {}
}  // namespace isnad::cli
