#include "cli/commands.h"

namespace isnad::cli {
// Placeholder until the analyze command lands (owner: CLI helper).
void register_analyze(CLI::App& app, ExitStatus&) { app.add_subcommand("analyze", "Analyze Arabic news articles"); }
}  // namespace isnad::cli
