// `isnad eval ner FILE`: entity-level precision/recall/F1 of the NER tagger on a CoNLL file
// ("token TAG" per line, blank line between sentences). Each sentence is joined with spaces,
// normalized and tagged like any raw text; mentions are mapped back to the tokens they overlap.
// Gold PERS/PER → PER; LOC, GPE, FAC → LOC (ANERcorp has one place type); ORG; MISC.
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/commands.h"
#include "extract/ner_eval.h"
#include "isnad/ner.h"
#include "isnad/normalize.h"

namespace isnad::cli {

namespace {

struct Options {
  std::string file;
  std::string model_dir;
  long limit = 0;
};

std::string coarse_type(std::string_view type) {
  if (type == "PERS" || type == "PER") return "PER";
  if (type == "LOC" || type == "GPE" || type == "FAC") return "LOC";
  if (type == "ORG") return "ORG";
  return "MISC";
}

std::string map_tag(std::string_view tag) {
  if (tag == "O" || tag.empty()) return "O";
  if (tag.size() > 2 && tag[1] == '-') return std::string(tag.substr(0, 2)) + coarse_type(tag.substr(2));
  return "I-" + coarse_type(tag);
}

std::vector<std::string> predict(const NerModel& model, const std::vector<std::string>& tokens,
                                 std::vector<EntityMention>& mentions) {
  std::string text;
  std::vector<Span> spans;
  for (const std::string& t : tokens) {
    if (!text.empty()) text += ' ';
    spans.push_back(Span{static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(text.size() + t.size())});
    text += t;
  }
  std::vector<std::string> tags(tokens.size(), "O");
  auto norm = normalize(text);
  if (!norm) return tags;
  model.tag(norm->text(), mentions);
  for (const EntityMention& m : mentions) {
    const Span orig = norm->to_original(m.span);
    const std::string type = coarse_type(to_string(m.type));
    bool first = true;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (!spans[i].overlaps(orig) || tags[i] != "O") continue;
      tags[i] = (first ? "B-" : "I-") + type;
      first = false;
    }
  }
  return tags;
}

int run(const Options& opt) {
  auto model = opt.model_dir.empty() ? NerModel::load_default() : NerModel::load(opt.model_dir);
  if (!model) throw std::runtime_error(model.error().message);
  std::ifstream in(opt.file);
  if (!in) throw std::runtime_error("cannot open " + opt.file);

  ner::NerScorer scorer;
  std::vector<std::string> tokens, gold;
  std::vector<EntityMention> mentions;
  long sentences = 0, n_tokens = 0;
  auto flush = [&] {
    if (tokens.empty()) return;
    scorer.add(gold, predict(*model, tokens, mentions));
    n_tokens += static_cast<long>(tokens.size());
    ++sentences;
    tokens.clear();
    gold.clear();
  };
  std::string line;
  while (std::getline(in, line) && (opt.limit == 0 || sentences < opt.limit)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto cut = line.find_last_of(" \t");
    if (line.find_first_not_of(" \t") == std::string::npos || cut == std::string::npos) {
      flush();
      continue;
    }
    tokens.push_back(line.substr(0, line.find_first_of(" \t")));
    gold.push_back(map_tag(std::string_view(line).substr(cut + 1)));
  }
  flush();

  fmt::print("{} sentences, {} tokens\n", sentences, n_tokens);
  fmt::print("{:6s} {:>6s} {:>6s} {:>7s} {:>9s} {:>7s} {:>6s}\n", "type", "gold", "pred", "correct", "precision",
             "recall", "F1");
  auto row = [](std::string_view name, const ner::ChunkCounts& c) {
    fmt::print("{:6s} {:6d} {:6d} {:7d} {:9.3f} {:7.3f} {:6.3f}\n", name, c.gold, c.predicted, c.correct,
               c.precision(), c.recall(), c.f1());
  };
  for (const char* type : {"PER", "LOC", "ORG", "MISC"}) row(type, scorer.micro({type}));
  row("all", scorer.all());
  fmt::print("F1(PER,LOC,ORG) = {:.3f}\n", scorer.micro({"PER", "LOC", "ORG"}).f1());
  return 0;
}

}  // namespace

void register_eval_ner(CLI::App& eval, ExitStatus& status) {
  auto opt = std::make_shared<Options>();
  auto* cmd = eval.add_subcommand("ner", "Entity-level P/R/F1 on a CoNLL file (token TAG per line)");
  cmd->add_option("FILE", opt->file, "CoNLL file, blank line between sentences")->required()->check(CLI::ExistingFile);
  cmd->add_option("--model", opt->model_dir, "model directory (default: $ISNAD_DATA/ner or the source tree's)");
  cmd->add_option("--limit", opt->limit, "score only the first N sentences");
  cmd->callback([opt, &status] { status.code = run(*opt); });
}

}  // namespace isnad::cli
