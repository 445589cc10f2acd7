#include "cli/commands.h"

namespace isnad::cli {
// Placeholder until `isnad eval claims` lands.
void register_eval_claims(CLI::App&, ExitStatus&) {}
}  // namespace isnad::cli
