// `isnad eval quotes [DIR]`: precision/recall/F1 of (speaker, quote) pairs on an annotated set.
//
// DIR holds one NAME.txt per article and gold.jsonl, one gold quote per line:
//   {"doc":"NAME","speaker":"سامي الفارس","text":"<the quoted or reported content>",
//    "kind":"direct","category":"carried","anonymous":false}
// `speaker` may list alternatives separated by '|'. A predicted quote matches a gold quote of the
// same document when their content spans overlap by half of the shorter and a third of the
// longer; a pair counts when the speakers are equal after normalization (article ال dropped).
// Entity mentions from the NER model are passed in as `isnad analyze` does, unless --no-ner is
// given or the model does not load (the header line says which).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "isnad/chars.h"
#include "isnad/ner.h"
#include "isnad/normalize.h"
#include "isnad/quotes.h"
#include "isnad/sentences.h"

namespace isnad::cli {
namespace {

namespace fs = std::filesystem;

struct Gold {
  std::string doc;
  std::vector<std::string> speakers;  // normalized keys
  std::string speaker_shown;
  std::string text;
  std::string kind;
  std::string category;
  bool anonymous = false;
  Span span;
  bool located = false;
};

// Speaker key: normalized words without a leading article, joined by one space.
std::string speaker_key(std::string_view normalized) {
  std::string out;
  WordScanner words(normalized);
  for (Span w; words.next(w);) {
    std::string_view s = w.of(normalized);
    if (s.size() > 4 && s.substr(0, 4) == "\xD8\xA7\xD9\x84") s.remove_prefix(4);
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Counts {
  int gold = 0, predicted = 0, matched = 0, pairs = 0;
};

std::string prf(int tp, int predicted, int gold) {
  const double p = predicted ? 100.0 * tp / predicted : 0, r = gold ? 100.0 * tp / gold : 0;
  const double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
  return fmt::format("P {:5.1f}  R {:5.1f}  F1 {:5.1f}", p, r, f);
}

void run(const std::string& dir, bool verbose, bool use_ner, ExitStatus& status) {
  const fs::path root(dir);
  std::vector<Gold> gold;
  {
    std::ifstream in(root / "gold.jsonl");
    if (!in) throw std::runtime_error("no gold.jsonl in " + dir);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("doc") || !j.contains("text") || !j.contains("speaker")) {
        std::cerr << "isnad: " << (root / "gold.jsonl").string() << ":" << n << ": bad gold line\n";
        status.reject();
        continue;
      }
      Gold g;
      g.doc = j["doc"].get<std::string>();
      g.speaker_shown = j["speaker"].get<std::string>();
      std::string_view rest = g.speaker_shown;
      while (!rest.empty()) {
        const auto bar = rest.find('|');
        g.speakers.push_back(speaker_key(normalize_string(rest.substr(0, bar))));
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
      }
      g.text = j["text"].get<std::string>();
      g.kind = j.value("kind", "direct");
      g.category = j.value("category", "other");
      g.anonymous = j.value("anonymous", false);
      gold.push_back(std::move(g));
    }
  }
  std::optional<NerModel> model;
  if (use_ner) {
    auto loaded = NerModel::load_default();
    if (loaded) model.emplace(std::move(*loaded));
    else std::cerr << "isnad: warning: no NER model (" << loaded.error().message << "); running without entities\n";
  }
  std::vector<EntityMention> entities;
  std::map<std::string, Counts> by_category;
  Counts all;
  int kind_ok = 0, anon_ok = 0, quote_tp = 0;
  std::vector<std::string> docs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.path().extension() == ".txt") docs.push_back(e.path().stem().string());
  std::sort(docs.begin(), docs.end());
  for (const std::string& id : docs) {
    const std::string bytes = read_file(root / (id + ".txt"));
    auto norm = normalize(bytes);
    if (!norm) {
      std::cerr << "isnad: " << id << ".txt: " << norm.error().message << '\n';
      status.reject();
      continue;
    }
    const std::string_view text = norm->text();
    const auto sentences = split_sentences(text);
    entities.clear();
    if (model) model->tag(text, entities);
    const auto quotes = extract_quotes(text, sentences, entities);
    all.predicted += static_cast<int>(quotes.size());
    std::vector<bool> taken(quotes.size(), false);
    for (Gold& g : gold) {
      if (g.doc != id) continue;
      const std::string needle = normalize_string(g.text);
      const auto at = text.find(needle);
      if (needle.empty() || at == std::string_view::npos) {
        std::cerr << "isnad: " << id << ".txt: gold text not found: " << g.text << '\n';
        status.reject();
        continue;
      }
      g.span = Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
      Counts& cat = by_category[g.category];
      ++cat.gold;
      ++all.gold;
      int best = -1;
      double best_overlap = 0;
      for (std::size_t k = 0; k < quotes.size(); ++k) {
        if (taken[k]) continue;
        const Span p = quotes[k].text;
        const double ov = std::max(0, static_cast<int>(std::min(p.end, g.span.end)) - static_cast<int>(std::max(p.begin, g.span.begin)));
        const double shorter = std::min(p.size(), g.span.size()), longer = std::max(p.size(), g.span.size());
        if (ov >= 0.5 * shorter && ov >= 0.33 * longer && ov > best_overlap) best = static_cast<int>(k), best_overlap = ov;
      }
      std::string got = "-";
      if (best >= 0) {
        const Quote& q = quotes[static_cast<std::size_t>(best)];
        taken[static_cast<std::size_t>(best)] = true;
        ++quote_tp;
        ++cat.matched;
        ++all.matched;
        got = std::string(q.speaker.of(text));
        const std::string key = speaker_key(got);
        const bool ok = std::find(g.speakers.begin(), g.speakers.end(), key) != g.speakers.end();
        if (ok) ++cat.pairs, ++all.pairs;
        kind_ok += to_string(q.kind) == g.kind;
        anon_ok += q.anonymous() == g.anonymous;
        if (verbose && !ok)
          std::cout << fmt::format("  speaker  {} [{}]: gold {} | got {} ({})\n", id, g.category, g.speaker_shown, got,
                                   to_string(q.resolution));
      } else if (verbose) {
        std::cout << fmt::format("  missed   {} [{}]: {}: {}\n", id, g.category, g.speaker_shown, g.text.substr(0, 80));
      }
    }
    if (verbose)
      for (std::size_t k = 0; k < quotes.size(); ++k)
        if (!taken[k])
          std::cout << fmt::format("  spurious {}: {} : {}\n", id, quotes[k].speaker.of(text),
                                   quotes[k].text.of(text).substr(0, 100));
  }
  std::cout << fmt::format("quotes eval on {} ({} documents, {} gold quotes, {} predicted, {})\n", dir, docs.size(),
                           all.gold, all.predicted, model ? "with NER entities" : "no entities");
  std::cout << fmt::format("  quote spans        {}\n", prf(quote_tp, all.predicted, all.gold));
  std::cout << fmt::format("  (speaker, quote)   {}\n", prf(all.pairs, all.predicted, all.gold));
  if (all.matched) {
    std::cout << fmt::format("  speaker accuracy on matched quotes {:5.1f}% ({}/{})\n", 100.0 * all.pairs / all.matched,
                             all.pairs, all.matched);
    std::cout << fmt::format("  kind accuracy on matched quotes    {:5.1f}%\n", 100.0 * kind_ok / all.matched);
    std::cout << fmt::format("  anonymous flag on matched quotes   {:5.1f}%\n", 100.0 * anon_ok / all.matched);
  }
  std::cout << "  per category (gold, found, pair recall):\n";
  for (const auto& [name, c] : by_category)
    std::cout << fmt::format("    {:<14} {:3}  {:3}  {:5.1f}%\n", name, c.gold, c.matched, c.gold ? 100.0 * c.pairs / c.gold : 0);
}

}  // namespace

void register_eval_quotes(CLI::App& eval, ExitStatus& status) {
  auto* cmd = eval.add_subcommand("quotes", "Precision/recall of quotes and speakers on an annotated set");
  auto dir = std::make_shared<std::string>("tests/data/quotes");
  auto verbose = std::make_shared<bool>(false);
  auto no_ner = std::make_shared<bool>(false);
  cmd->add_option("dir", *dir, "Directory with NAME.txt articles and gold.jsonl")->capture_default_str();
  cmd->add_flag("-v,--verbose", *verbose, "List misses, wrong speakers and spurious quotes");
  cmd->add_flag("--no-ner", *no_ner, "Do not tag entities (the cue-only path)");
  cmd->callback([dir, verbose, no_ner, &status] { run(*dir, *verbose, !*no_ner, status); });
}

}  // namespace isnad::cli
