// Shared by the commands that read articles: expanding directories, loading every file through
// input.h, and reporting refused inputs the way docs/cli-contract.md says.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "isnad/input.h"
#include "isnad/ner.h"

namespace isnad::cli {

// Prints `isnad: PATH[:OFFSET]: reason` on stderr.
void report(const std::string& path, const Error& error);

// Loads FILE arguments (directories recursively: *.txt, *.jsonl; meta.jsonl is a sidecar, not an
// input). Refused files and records are reported and mark `status`; the rest are returned.
std::vector<SourceDocument> load_inputs(const std::vector<std::string>& paths, const InputOptions& options,
                                        ExitStatus& status);

// The shipped NER model, or nullopt with a warning on stderr (entities are then not resolved).
std::optional<NerModel> load_model();

}  // namespace isnad::cli
