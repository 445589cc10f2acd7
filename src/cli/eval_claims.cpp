// `isnad eval claims [DIR]`: precision/recall/F1 of event claims on an annotated set.
//
// DIR holds NAME.txt and NAME.jsonl per article. The first line of NAME.jsonl may give the
// publication date, {"published":"2024-05-12"}; every other line is one gold claim:
//   {"type":"killed","value":14,"qualifier":"at_least","event":"current","text":"قتل 14 شخصا على الأقل",
//    "actor":"...","target":"..."}
// `text` is a stretch of NAME.txt as written (its first occurrence is meant), `event` is "current" or
// "other". A predicted claim matches a gold claim when type, value, qualifier and current/other
// status agree and their spans overlap; each gold claim matches at most one prediction.
// Entity mentions from the NER model are passed in as `isnad analyze` does, unless --no-ner is
// given or the model does not load (the header line says which).
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "isnad/claims.h"
#include "isnad/dates.h"
#include "isnad/ner.h"
#include "isnad/normalize.h"
#include "isnad/numbers.h"
#include "isnad/sentences.h"

namespace isnad::cli {
namespace {

namespace fs = std::filesystem;

struct GoldClaim {
  ClaimType type = ClaimType::kKilled;
  std::optional<double> value;
  std::string qualifier;
  bool other = false;
  std::string text, actor;
  Span span;  // original bytes
};

struct Counts {
  int gold = 0, predicted = 0, matched = 0;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string prf(const Counts& c) {
  const double p = c.predicted ? 100.0 * c.matched / c.predicted : 0, r = c.gold ? 100.0 * c.matched / c.gold : 0;
  const double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
  return fmt::format("{:5} {:5} {:5}   {:5.1f}  {:5.1f}  {:5.1f}", c.gold, c.predicted, c.matched, p, r, f);
}

bool same_value(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::fabs(*a - *b) < 1e-9;
}

std::string describe(ClaimType type, const std::optional<double>& value, std::string_view qualifier, bool other) {
  std::string s(to_string(type));
  if (value) s += fmt::format("={}", *value);
  if (qualifier != "exact") s += fmt::format("~{}", qualifier);
  if (other) s += " [other]";
  return s;
}

// Gold claims of one article; a malformed line is reported and skipped.
std::vector<GoldClaim> read_gold(const fs::path& path, std::string_view original, std::optional<CivilDate>& published,
                                 ExitStatus& status) {
  std::vector<GoldClaim> gold;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "isnad: " << path.string() << ": no gold annotations\n";
    status.reject();
    return gold;
  }
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    auto bad = [&](std::string_view why) {
      std::cerr << "isnad: " << path.string() << ":" << n << ": " << why << '\n';
      status.reject();
    };
    if (j.is_discarded() || !j.is_object()) {
      bad("not a JSON object");
      continue;
    }
    if (j.contains("published")) {
      published = parse_iso_date(j["published"].get<std::string>());
      if (!published) bad("bad published date");
      continue;
    }
    GoldClaim g;
    const auto type = claim_type_from_string(j.value("type", ""));
    g.text = j.value("text", "");
    const auto at = original.find(g.text);
    if (!type || g.text.empty() || at == std::string_view::npos) {
      bad(!type ? "unknown claim type" : "claim text not found in the article");
      continue;
    }
    g.type = *type;
    if (j.contains("value") && j["value"].is_number()) g.value = j["value"].get<double>();
    g.qualifier = j.value("qualifier", "exact");
    g.other = j.value("event", "current") == "other";
    g.actor = j.value("actor", "");
    g.span = Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + g.text.size())};
    gold.push_back(std::move(g));
  }
  return gold;
}

void run(const std::string& dir, bool verbose, bool use_ner, ExitStatus& status) {
  const fs::path root(dir);
  if (!fs::is_directory(root)) throw std::runtime_error("not a directory: " + dir);
  std::vector<std::string> docs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.path().extension() == ".txt") docs.push_back(e.path().stem().string());
  std::sort(docs.begin(), docs.end());

  std::optional<NerModel> model;
  if (use_ner) {
    auto loaded = NerModel::load_default();
    if (loaded) model.emplace(std::move(*loaded));
    else std::cerr << "isnad: warning: no NER model (" << loaded.error().message << "); running without entities\n";
  }
  std::vector<EntityMention> entities;
  std::array<Counts, kClaimTypeCount> by_type{};
  Counts all, loose;
  int actor_gold = 0, actor_ok = 0, hint_other = 0, hint_other_ok = 0;
  for (const std::string& id : docs) {
    const std::string original = read_file(root / (id + ".txt"));
    std::optional<CivilDate> published;
    std::vector<GoldClaim> gold = read_gold(root / (id + ".jsonl"), original, published, status);
    auto norm = normalize(original);
    if (!norm) {
      std::cerr << "isnad: " << id << ".txt: " << norm.error().message << '\n';
      status.reject();
      continue;
    }
    const std::string_view text = norm->text();
    const auto sentences = split_sentences(text);
    const auto numbers = find_numbers(text);
    const auto dates = find_dates(text, published);
    entities.clear();
    if (model) model->tag(text, entities);
    ClaimInput input{text, sentences, numbers, dates, entities};
    input.published = published;
    const std::vector<Claim> predicted = find_claims(input);

    for (const Claim& c : predicted) ++by_type[static_cast<std::size_t>(c.type)].predicted;
    all.predicted += static_cast<int>(predicted.size());
    loose.predicted += static_cast<int>(predicted.size());
    std::vector<bool> taken(predicted.size(), false), taken_loose(predicted.size(), false);
    for (const GoldClaim& g : gold) {
      ++by_type[static_cast<std::size_t>(g.type)].gold;
      ++all.gold;
      ++loose.gold;
      std::optional<std::size_t> hit, near;
      for (std::size_t k = 0; k < predicted.size(); ++k) {
        const Claim& c = predicted[k];
        if (c.type != g.type || !norm->to_original(c.span).overlaps(g.span)) continue;
        if (!near && !taken_loose[k]) near = k;
        if (!hit && !taken[k] && same_value(c.value, g.value) && to_string(c.qualifier) == g.qualifier &&
            c.event_hint.empty() != g.other)
          hit = k;
      }
      if (near) {
        taken_loose[*near] = true;
        ++loose.matched;
      }
      if (hit) {
        const Claim& c = predicted[*hit];
        taken[*hit] = true;
        ++by_type[static_cast<std::size_t>(g.type)].matched;
        ++all.matched;
        if (g.other) {
          ++hint_other;
          hint_other_ok += c.event_hint != "other";
        }
        if (!g.actor.empty()) {
          ++actor_gold;
          const std::string want = normalize_string(g.actor);
          const std::string got(c.actor.of(text));
          const bool ok = !got.empty() && (got.find(want) != std::string::npos || want.find(got) != std::string::npos);
          actor_ok += ok;
          if (verbose && !ok) std::cout << fmt::format("  actor    {}: gold {} | got {}\n", id, g.actor, got);
        }
      } else if (verbose) {
        std::string got;
        if (near) {
          const Claim& c = predicted[*near];
          got = " | got " + describe(c.type, c.value, to_string(c.qualifier), !c.event_hint.empty());
        }
        std::cout << fmt::format("  missed   {}: {}: {}{}\n", id, describe(g.type, g.value, g.qualifier, g.other),
                                 g.text, got);
      }
    }
    if (verbose)
      for (std::size_t k = 0; k < predicted.size(); ++k)
        if (!taken[k]) {
          const Claim& c = predicted[k];
          std::cout << fmt::format("  spurious {}: {}: {}\n", id,
                                   describe(c.type, c.value, to_string(c.qualifier), !c.event_hint.empty()),
                                   c.span.of(text));
        }
  }

  std::cout << fmt::format("claims eval on {} ({} documents, {})\n", dir, docs.size(),
                           model ? "with NER entities" : "no entities");
  std::cout << "  type               gold  pred match       P      R     F1\n";
  for (int t = 0; t < kClaimTypeCount; ++t) {
    const Counts& c = by_type[static_cast<std::size_t>(t)];
    if (c.gold == 0 && c.predicted == 0) continue;
    std::cout << fmt::format("  {:<17} {}\n", to_string(static_cast<ClaimType>(t)), prf(c));
  }
  std::cout << fmt::format("  {:<17} {}\n", "micro", prf(all));
  std::cout << fmt::format("  {:<17} {}\n", "type+span only", prf(loose));
  if (hint_other)
    std::cout << fmt::format("  other-event claims matched with a specific hint (year/place/name): {}/{}\n",
                             hint_other_ok, hint_other);
  if (actor_gold)
    std::cout << fmt::format("  actor agrees on matched statements: {}/{}\n", actor_ok, actor_gold);
}

}  // namespace

void register_eval_claims(CLI::App& eval, ExitStatus& status) {
  auto* cmd = eval.add_subcommand("claims", "Precision/recall of event claims on an annotated set");
  auto dir = std::make_shared<std::string>("tests/data/claims");
  auto verbose = std::make_shared<bool>(false);
  auto no_ner = std::make_shared<bool>(false);
  cmd->add_option("dir", *dir, "Directory with NAME.txt articles and NAME.jsonl gold claims")->capture_default_str();
  cmd->add_flag("-v,--verbose", *verbose, "List misses and spurious claims");
  cmd->add_flag("--no-ner", *no_ner, "Do not tag entities (the figures/statements rules alone)");
  cmd->callback([dir, verbose, no_ner, &status] { run(*dir, *verbose, !*no_ner, status); });
}

}  // namespace isnad::cli
