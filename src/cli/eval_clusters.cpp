// `isnad eval clusters [DIR]`: B-cubed precision/recall/F1 of event clustering on a labelled
// corpus (JSONL records with an extra "event" field), optionally mixed with unlabelled
// background articles that the clustering sees but the score ignores.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "isnad/dossier.h"
#include "isnad/ner.h"

namespace isnad::cli {

namespace {

struct ClusterEvalArgs {
  std::string dir = std::string(ISNAD_SOURCE_DIR) + "/tests/data/clusters";
  std::string background;
  std::size_t background_count = 0;
};

void run(const ClusterEvalArgs& args, ExitStatus& status) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> gold;  // document id → event label
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(args.dir, ec)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path().string());
  }
  if (ec || files.empty()) throw std::runtime_error("no labelled .jsonl files in " + args.dir);
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    std::ifstream in(f);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("id") || !j.contains("event")) continue;
      gold[j["id"].get<std::string>()] = j["event"].get<std::string>();
    }
  }
  std::vector<SourceDocument> docs = load_inputs(files, InputOptions{}, status);
  if (!args.background.empty() && args.background_count > 0) {
    auto background = load_inputs({args.background}, InputOptions{.max_bytes = std::uint64_t{1} << 30, .use_sidecar = false}, status);
    if (background.size() > args.background_count) background.resize(args.background_count);
    docs.insert(docs.end(), background.begin(), background.end());
  }
  DossierOptions options;
  auto model = NerModel::load_default();
  if (model) options.ner = &*model;
  const Dossier dossier = build_dossier(docs, options);
  std::vector<std::string> labels;
  std::vector<std::size_t> predicted;
  for (const DocumentResult& d : dossier.documents) {
    auto it = gold.find(d.source.id);
    if (it == gold.end()) continue;  // background: clustered, not scored
    labels.push_back(it->second);
    predicted.push_back(d.event);
  }
  const BCubed b = bcubed(labels, predicted);
  std::map<std::string, int> gold_events;
  for (const auto& l : labels) ++gold_events[l];
  std::set<std::size_t> predicted_events(predicted.begin(), predicted.end());
  std::cout << fmt::format("documents scored: {} (gold events: {}, predicted clusters among them: {}); background documents: {}\n",
                           labels.size(), gold_events.size(), predicted_events.size(), docs.size() - labels.size());
  std::cout << fmt::format("B-cubed precision = {:.3f}  recall = {:.3f}  F1 = {:.3f}\n", b.precision, b.recall, b.f1);
}

}  // namespace

void register_eval_clusters(CLI::App& eval, ExitStatus& status) {
  auto args = std::make_shared<ClusterEvalArgs>();
  CLI::App* cmd = eval.add_subcommand("clusters", "B-cubed P/R/F1 of event clustering on a labelled corpus");
  cmd->add_option("DIR", args->dir, "Folder of .jsonl files whose records carry an \"event\" label (default tests/data/clusters)");
  cmd->add_option("--background", args->background, "Unlabelled articles (JSONL) mixed in as distractors");
  cmd->add_option("--background-count", args->background_count, "How many background articles to mix in");
  cmd->callback([args, &status] { run(*args, status); });
}

}  // namespace isnad::cli
