// `isnad eval resolve [FILE]`: cross-document entity resolution on a gold list of spellings.
// Each line of the TSV (group, type, name) becomes one mention in a document of its own, so
// only the resolution rules are measured: no tagger, no context. Scores are pairwise (every
// pair of spellings: same gold group vs same resolved entity) and B-cubed over spellings, with
// the pairs that went wrong listed so a regression is readable.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "isnad/events.h"
#include "isnad/resolve.h"

namespace isnad::cli {

namespace {

struct ResolveEvalArgs {
  std::string file = std::string(ISNAD_SOURCE_DIR) + "/tests/data/resolve/names.tsv";
  bool list_errors = false;
};

EntityType type_named(const std::string& name, const std::string& where) {
  for (EntityType t : {EntityType::kPer, EntityType::kOrg, EntityType::kGpe, EntityType::kLoc, EntityType::kFac,
                       EntityType::kMisc})
    if (to_string(t) == name) return t;
  throw std::runtime_error(fmt::format("{}: unknown entity type '{}'", where, name));
}

void run(const ResolveEvalArgs& args) {
  std::ifstream in(args.file);
  if (!in) throw std::runtime_error(args.file + ": cannot read");
  std::vector<NameMention> mentions;
  std::vector<std::string> gold;
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string group, type, name;
    if (!std::getline(fields, group, '\t') || !std::getline(fields, type, '\t') || !std::getline(fields, name) ||
        name.empty())
      throw std::runtime_error(fmt::format("{}:{}: expected group<TAB>type<TAB>name", args.file, line_number));
    const EntityType t = type_named(type, fmt::format("{}:{}", args.file, line_number));
    mentions.push_back({name, t, fmt::format("d{}", line_number)});
    gold.push_back(group);
  }
  if (mentions.empty()) throw std::runtime_error(args.file + ": no names");

  std::vector<std::size_t> predicted(mentions.size(), 0);
  const auto entities = resolve_entities(mentions);
  for (std::size_t e = 0; e < entities.size(); ++e)
    for (std::size_t m : entities[e].mentions) predicted[m] = e;

  std::size_t same_gold = 0, same_predicted = 0, both = 0;
  std::vector<std::string> missed, merged;
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    for (std::size_t j = i + 1; j < mentions.size(); ++j) {
      const bool g = gold[i] == gold[j], p = predicted[i] == predicted[j];
      same_gold += g;
      same_predicted += p;
      both += g && p;
      if (g && !p) missed.push_back(mentions[i].text + " ≠ " + mentions[j].text);
      if (!g && p) merged.push_back(mentions[i].text + " = " + mentions[j].text);
    }
  }
  const double precision = same_predicted ? static_cast<double>(both) / static_cast<double>(same_predicted) : 1.0;
  const double recall = same_gold ? static_cast<double>(both) / static_cast<double>(same_gold) : 1.0;
  const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  const BCubed b = bcubed(gold, predicted);
  std::size_t groups = 0;
  {
    std::vector<std::string> distinct = gold;
    std::sort(distinct.begin(), distinct.end());
    groups = static_cast<std::size_t>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
  }
  std::cout << fmt::format("spellings: {}  gold referents: {}  resolved entities: {}\n", mentions.size(), groups,
                           entities.size());
  std::cout << fmt::format("pairs that should merge: {}  merged: {}  wrongly merged: {}\n", same_gold, both,
                           same_predicted - both);
  if (args.list_errors) {
    for (const auto& m : missed) std::cout << "  missed  " << m << "\n";
    for (const auto& m : merged) std::cout << "  wrong   " << m << "\n";
  }
  std::cout << fmt::format("B-cubed precision = {:.3f}  recall = {:.3f}  F1 = {:.3f}\n", b.precision, b.recall, b.f1);
  std::cout << fmt::format("pairwise precision = {:.3f}  recall = {:.3f}  F1 = {:.3f}\n", precision, recall, f1);
}

}  // namespace

void register_eval_resolve(CLI::App& eval, ExitStatus&) {
  auto args = std::make_shared<ResolveEvalArgs>();
  CLI::App* cmd = eval.add_subcommand("resolve", "Pairwise and B-cubed P/R/F1 of entity resolution on gold spellings");
  cmd->add_option("FILE", args->file, "TSV: group<TAB>type<TAB>name (default tests/data/resolve/names.tsv)");
  cmd->add_flag("--errors", args->list_errors, "List the pairs that were missed or wrongly merged");
  cmd->callback([args] { run(*args); });
}

}  // namespace isnad::cli
