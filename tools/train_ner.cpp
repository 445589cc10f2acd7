// isnad-train_ner — trains the NER tagger (averaged structured perceptron) on NewsFANE.
//
//   isnad-train_ner --corpus ../shared/data/ner/newsfane/NewsFANE_Gold_2014_170K.txt
//                   --out data/ner [--epochs 12] [--dev-fraction 0.1] [--final]
//
// Without --final the last `dev-fraction` of the sentences is held out and scored after every
// epoch (the dev F1 in docs/NER.md), or with --folds K --fold i the i-th of K blocks
// (cross-validation); a held-out run also prints F1 for a sweep of --o-bias values. With --final
// every sentence is used for training (the shipped model). Deterministic: sentence order is
// shuffled with a fixed seed, k-means starts from seeded picks.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "extract/ner_eval.h"
#include "extract/ner_internal.h"
#include "isnad/ner.h"
#include "isnad/normalize.h"

using namespace isnad;
using namespace isnad::ner;

namespace {

struct Sentence {
  std::vector<std::string> tokens;
  std::vector<int> labels;
};

// NewsFANE fine classes → our coarse types; "" drops the class (Group: nationalities and
// peoples such as العرب are not named entities for us).
std::string coarse(std::string_view fine) {
  static const std::unordered_map<std::string_view, std::string_view> map = {
      {"Politician", "PER"}, {"Athlete", "PER"}, {"Artist", "PER"}, {"Other_PER", "PER"},
      {"Religious_PER", "PER"}, {"Scientist", "PER"}, {"Businessperson", "PER"}, {"Lawyer", "PER"},
      {"Engineer", "PER"}, {"Police", "PER"},
      {"Nation", "GPE"}, {"Population-Center", "GPE"}, {"State-or-Province", "GPE"},
      {"GPE-Cluster", "GPE"}, {"County-or-District", "GPE"},
      {"Government", "ORG"}, {"Non-Governmental", "ORG"}, {"Media", "ORG"}, {"Commercial", "ORG"},
      {"Sports", "ORG"}, {"Educational", "ORG"}, {"Medical-Science", "ORG"}, {"Entertainment", "ORG"},
      {"Religious_ORG", "ORG"},
      {"Building-Grounds", "FAC"}, {"Airport", "FAC"}, {"Path", "FAC"}, {"Subarea-Facility", "FAC"},
      {"Plant", "FAC"},
      {"Water-Body", "LOC"}, {"Land-Region-Natural", "LOC"}, {"Continent", "LOC"}, {"Celestial", "LOC"},
      {"Book", "MISC"}, {"Movie", "MISC"}, {"Software", "MISC"}, {"Hardware", "MISC"}, {"Air", "MISC"},
      {"Land", "MISC"}, {"Water", "MISC"}, {"Projectile", "MISC"}, {"Shooting", "MISC"}, {"Drug", "MISC"},
      {"Food", "MISC"},
  };
  auto it = map.find(fine);
  return it == map.end() ? std::string() : std::string(it->second);
}

std::vector<Sentence> read_newsfane(const std::string& path, std::vector<std::string>& unknown) {
  std::ifstream in(path, std::ios::binary);
  std::vector<Sentence> out;
  Sentence cur;
  std::string line;
  auto flush = [&] {
    if (!cur.tokens.empty()) out.push_back(std::move(cur));
    cur = Sentence{};
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) {  // sentence breaks are written as "\t"
      flush();
      continue;
    }
    std::string token = normalize_string(line.substr(0, tab));
    std::string_view tag = std::string_view(line).substr(tab + 1);
    if (token.empty()) continue;
    int label = 0;
    if (tag.size() > 2 && tag[1] == '-') {
      const std::string type = coarse(tag.substr(2));
      if (type.empty()) {
        if (tag.substr(2) != "Group") unknown.emplace_back(tag.substr(2));
      } else {
        label = label_from_name(std::string(1, tag[0]) + "-" + type);
      }
    }
    cur.tokens.push_back(std::move(token));
    cur.labels.push_back(label);
  }
  flush();
  return out;
}

// NewsFANE writes some clitics as tokens of their own (و قال, ان ه); raw text and ANERcorp do
// not. Re-attach them so training sees words as they are written, and let the clitic analysis
// of ner_features find them again exactly as it will at run time.
bool is_proclitic(std::string_view t) {
  return t == "\xD9\x88" || t == "\xD9\x81" || t == "\xD8\xA8" || t == "\xD9\x84" || t == "\xD9\x83";
}
bool is_enclitic(std::string_view t) {
  static const char* const kSuffixes[] = {"\xD9\x87", "\xD9\x87\xD8\xA7", "\xD9\x87\xD9\x85",
                                          "\xD9\x87\xD9\x85\xD8\xA7", "\xD9\x87\xD9\x86", "\xD9\x86\xD8\xA7",
                                          "\xD9\x8A", "\xD9\x83\xD9\x85"};
  return std::any_of(std::begin(kSuffixes), std::end(kSuffixes), [&](const char* s) { return t == s; });
}
bool arabic_word(std::string_view t) {
  return !t.empty() && (static_cast<unsigned char>(t[0]) == 0xD8 || static_cast<unsigned char>(t[0]) == 0xD9);
}

Sentence merge_clitics(const Sentence& s) {
  Sentence out;
  std::string pending;
  for (std::size_t i = 0; i < s.tokens.size(); ++i) {
    const std::string& t = s.tokens[i];
    const int l = s.labels[i];
    const bool next_arabic = i + 1 < s.tokens.size() && arabic_word(s.tokens[i + 1]);
    // A clitic inside or before an entity may join only a token that continues it.
    if (is_proclitic(t) && next_arabic && (l == 0 || (is_i(l) && s.labels[i + 1] == l))) {
      pending += t;
      continue;
    }
    if (is_enclitic(t) && pending.empty() && l == 0 && !out.tokens.empty() && arabic_word(out.tokens.back()) &&
        i > 0 && arabic_word(s.tokens[i - 1])) {
      out.tokens.back() += t;
      continue;
    }
    std::string word = t;
    if (!pending.empty()) {
      // ل + ال… is written لل…
      if (pending.size() >= 2 && pending.substr(pending.size() - 2) == "\xD9\x84" && word.rfind("\xD8\xA7\xD9\x84", 0) == 0)
        word.erase(0, 2);
      word = pending + word;
      pending.clear();
    }
    // NewsFANE's own joins like لالاتحاد follow the same spelling rule.
    if (word.rfind("\xD9\x84\xD8\xA7\xD9\x84", 0) == 0 && word.size() > 8) word.erase(2, 2);
    out.tokens.push_back(std::move(word));
    out.labels.push_back(l);
  }
  return out;
}

// NewsFANE re-annotates newswire that overlaps the ANERcorp test set. Sentences sharing many
// character 20-grams (spaces removed, so clitic splitting does not matter) with a file given by
// --exclude are dropped from training, so that test stays unseen. Only the text of that file is
// read, never its tags.
constexpr std::size_t kGramBytes = 40;  // 20 Arabic letters

std::string despaced(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) out += t;
  return out;
}

std::unordered_set<std::uint64_t> read_exclusion_grams(const std::string& path) {
  std::unordered_set<std::uint64_t> grams;
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> tokens;
  std::string line;
  auto flush = [&] {
    const std::string text = despaced(tokens);
    for (std::size_t i = 0; i + kGramBytes <= text.size(); ++i)
      grams.insert(hash_str(std::string_view(text).substr(i, kGramBytes)));
    tokens.clear();
  };
  while (std::getline(in, line)) {
    const auto cut = line.find_first_of(" \t\r");
    if (line.empty() || cut == 0) {
      flush();
      continue;
    }
    tokens.push_back(normalize_string(line.substr(0, cut)));
  }
  flush();
  return grams;
}

double overlap(const Sentence& s, const std::unordered_set<std::uint64_t>& grams) {
  const std::string text = despaced(s.tokens);
  if (text.size() < kGramBytes) return 0;
  std::size_t hits = 0, total = 0;
  for (std::size_t i = 0; i + kGramBytes <= text.size(); ++i, ++total)
    hits += grams.count(hash_str(std::string_view(text).substr(i, kGramBytes)));
  return static_cast<double>(hits) / static_cast<double>(total);
}

// Distributional statistics over an unlabelled JSONL news corpus ("title" and "text" fields).
std::uint32_t ratio_bucket(std::uint32_t part, std::uint32_t total) {
  if (part == 0 || total == 0) return 0;
  const double r = static_cast<double>(part) / static_cast<double>(total);
  static constexpr double kEdges[] = {0.02, 0.05, 0.1, 0.2, 0.4, 0.7};
  std::uint32_t b = 1;
  for (double e : kEdges) b += r >= e;
  return b;
}

std::vector<std::string> read_unlabelled(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> docs;
  std::string line;
  while (std::getline(in, line)) {
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) continue;
    std::string raw;
    for (const char* field : {"title", "text"})
      if (auto it = doc.find(field); it != doc.end() && it->is_string()) raw += it->get<std::string>() + "\n";
    auto norm = normalize(raw);
    if (norm) docs.emplace_back(norm->text());
  }
  return docs;
}

// Words of the unlabelled corpus seen at least 5 times join the lexicon, most frequent first,
// unless the lexicon built so far already reads them as clitic + known stem. So a name absent
// from NewsFANE (a new minister) is known before its clitic forms (ول…) are considered.
void extend_lexicon_from_corpus(const std::vector<std::string>& docs, Lexicon& lex, Scratch& scratch) {
  std::unordered_map<std::string_view, std::uint32_t> counts;
  for (const std::string& doc : docs) {
    scratch.tokens.clear();
    scan_tokens(doc, scratch.tokens);
    for (const Token& t : scratch.tokens)
      if (t.kind == TokKind::kArabic && t.span.size() >= 6) ++counts[t.span.of(doc)];
  }
  std::vector<std::pair<std::uint32_t, std::string_view>> words;
  for (const auto& [w, c] : counts)
    if (c >= 5) words.emplace_back(c, w);
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::size_t added = 0;
  std::vector<Token> one(1);
  for (const auto& [c, w] : words) {
    one[0] = Token{};
    one[0].kind = TokKind::kArabic;
    one[0].span = Span{0, static_cast<std::uint32_t>(w.size())};
    analyze_tokens(w, lex, one);
    if (one[0].stem == one[0].span && !lex.stems.contains(one[0].h_raw)) {
      lex.stems.insert(one[0].h_raw, 1);
      ++added;
    }
  }
  fmt::print(stderr, "lexicon: {} words added from the unlabelled corpus\n", added);
}

constexpr std::uint16_t gaz_bit(Gaz g) { return static_cast<std::uint16_t>(1u << static_cast<int>(g)); }

// Fields 0-3 of the word code: frequency, article share, share after a person cue (title, given
// name, title + nisba), share after an organization head noun.
void count_stats(const std::vector<std::string>& docs, ModelData& model, Scratch& scratch) {
  std::unordered_map<std::uint64_t, std::array<std::uint32_t, 4>> counts;
  const std::uint16_t person_cue = gaz_bit(Gaz::kTitle) | gaz_bit(Gaz::kPerFirst);
  for (const std::string& text : docs) {
    prepare_tokens(model, text, scratch);
    const auto& toks = scratch.tokens;
    for (std::size_t i = 0; i < toks.size(); ++i) {
      const Token& t = toks[i];
      if (t.kind != TokKind::kArabic && t.kind != TokKind::kLatin) continue;
      auto& c = counts[t.h_bare];
      ++c[0];
      c[1] += t.has_al;
      if (i > 0) {
        const Token& p = toks[i - 1];
        const bool after_nisba_title =
            i > 1 && (p.gaz_end & gaz_bit(Gaz::kNisba)) && (toks[i - 2].gaz_end & gaz_bit(Gaz::kTitle));
        c[2] += (p.gaz_end & person_cue) != 0 || after_nisba_title;
        c[3] += (p.gaz_end & gaz_bit(Gaz::kOrgCue)) != 0;
      }
    }
  }
  for (const auto& [key, c] : counts) {
    if (c[0] < 3) continue;
    std::uint32_t freq = 1;
    while (freq < 15 && (1u << freq) <= c[0]) ++freq;
    const std::uint32_t code = freq | ratio_bucket(c[1], c[0]) << 4 | ratio_bucket(c[2], c[0]) << 8 |
                               ratio_bucket(c[3], c[0]) << 12;
    model.stats.codes.insert(key, code);
  }
}

// Word clusters: every word seen at least `min_freq` times in the unlabelled corpus is a sparse
// vector of its left and right neighbours (among the `n_context` most frequent tokens, log
// counts, unit length); spherical k-means groups them at two granularities. Deterministic.
std::vector<std::uint16_t> kmeans(const std::vector<std::uint32_t>& row_start, const std::vector<std::uint32_t>& dims,
                                  const std::vector<float>& vals, std::size_t n_dims, int k, unsigned seed) {
  const std::size_t n = row_start.size() - 1;
  const auto K = static_cast<std::size_t>(k);
  std::vector<float> cent(n_dims * K, 0.0f);  // dim-major: cent[d * K + c]
  std::vector<std::uint16_t> assign(n, 0);
  std::mt19937 rng(seed);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t c = 0; c < K && c < n; ++c)
    for (std::uint32_t j = row_start[order[c]]; j < row_start[order[c] + 1]; ++j) cent[dims[j] * K + c] = vals[j];
  std::vector<float> score(K);
  for (int iter = 0; iter < 12; ++iter) {
    std::size_t changed = 0;
    for (std::size_t w = 0; w < n; ++w) {
      std::fill(score.begin(), score.end(), 0.0f);
      for (std::uint32_t j = row_start[w]; j < row_start[w + 1]; ++j) {
        const float v = vals[j];
        const float* cr = &cent[dims[j] * K];
        for (std::size_t c = 0; c < K; ++c) score[c] += v * cr[c];
      }
      const auto best = static_cast<std::uint16_t>(std::max_element(score.begin(), score.end()) - score.begin());
      changed += best != assign[w] || iter == 0;
      assign[w] = best;
    }
    std::fill(cent.begin(), cent.end(), 0.0f);
    for (std::size_t w = 0; w < n; ++w)
      for (std::uint32_t j = row_start[w]; j < row_start[w + 1]; ++j) cent[dims[j] * K + assign[w]] += vals[j];
    std::vector<double> norm(K, 0.0);
    for (std::size_t d = 0; d < n_dims; ++d)
      for (std::size_t c = 0; c < K; ++c) norm[c] += static_cast<double>(cent[d * K + c]) * cent[d * K + c];
    for (std::size_t d = 0; d < n_dims; ++d)
      for (std::size_t c = 0; c < K; ++c)
        if (norm[c] > 0) cent[d * K + c] /= static_cast<float>(std::sqrt(norm[c]));
    fmt::print(stderr, "  k-means k={} iteration {}: {} words moved\n", k, iter + 1, changed);
    if (changed < n / 500) break;
  }
  return assign;
}

void build_clusters(const std::vector<std::string>& docs, ModelData& model, Scratch& scratch, int k_fine,
                    int k_coarse, std::uint32_t min_freq, std::size_t n_context, unsigned seed) {
  constexpr std::uint64_t kDocEdge = 0xD0CEDull;
  std::vector<std::uint64_t> seq;
  std::vector<std::uint8_t> is_word;
  std::unordered_map<std::uint64_t, std::uint32_t> freq;
  for (const std::string& text : docs) {
    prepare_tokens(model, text, scratch);
    seq.push_back(kDocEdge);
    is_word.push_back(0);
    for (const Token& t : scratch.tokens) {
      seq.push_back(t.h_bare);
      is_word.push_back(t.kind == TokKind::kArabic || t.kind == TokKind::kLatin);
      ++freq[t.h_bare];
    }
  }
  seq.push_back(kDocEdge);
  is_word.push_back(0);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> by_freq;
  for (const auto& [h, c] : freq) by_freq.emplace_back(c, h);
  std::sort(by_freq.begin(), by_freq.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::unordered_map<std::uint64_t, std::uint32_t> context_dim, word_row;
  for (std::size_t i = 0; i < by_freq.size() && i < n_context; ++i) context_dim.emplace(by_freq[i].second, i);
  std::vector<std::uint64_t> row_word;
  for (std::size_t i = 1; i + 1 < seq.size(); ++i) {
    if (!is_word[i] || freq[seq[i]] < min_freq) continue;
    if (word_row.emplace(seq[i], static_cast<std::uint32_t>(row_word.size())).second) row_word.push_back(seq[i]);
  }
  // (row << 32 | dim) per occurrence, sorted into runs.
  std::vector<std::uint64_t> pairs;
  const auto n_ctx = static_cast<std::uint32_t>(context_dim.size());
  for (std::size_t i = 1; i + 1 < seq.size(); ++i) {
    if (!is_word[i]) continue;
    auto r = word_row.find(seq[i]);
    if (r == word_row.end()) continue;
    const std::uint64_t row = static_cast<std::uint64_t>(r->second) << 32;
    if (auto l = context_dim.find(seq[i - 1]); l != context_dim.end()) pairs.push_back(row | l->second);
    if (auto rr = context_dim.find(seq[i + 1]); rr != context_dim.end()) pairs.push_back(row | (n_ctx + rr->second));
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::uint32_t> row_start(row_word.size() + 1, 0), dims;
  std::vector<float> vals;
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    ++row_start[(pairs[i] >> 32) + 1];
    dims.push_back(static_cast<std::uint32_t>(pairs[i]));
    vals.push_back(std::log1p(static_cast<float>(j - i)));
    i = j;
  }
  for (std::size_t r = 0; r < row_word.size(); ++r) row_start[r + 1] += row_start[r];
  for (std::size_t r = 0; r < row_word.size(); ++r) {
    double norm = 0;
    for (std::uint32_t j = row_start[r]; j < row_start[r + 1]; ++j) norm += static_cast<double>(vals[j]) * vals[j];
    if (norm > 0)
      for (std::uint32_t j = row_start[r]; j < row_start[r + 1]; ++j) vals[j] /= static_cast<float>(std::sqrt(norm));
  }
  fmt::print(stderr, "clusters: {} words, {} context dimensions, {} non-zeros\n", row_word.size(), 2 * n_ctx,
             vals.size());
  const auto fine = kmeans(row_start, dims, vals, 2 * n_ctx, k_fine, seed);
  const auto coarse = kmeans(row_start, dims, vals, 2 * n_ctx, k_coarse, seed + 1);
  model.stats.clusters = HashIndex();
  model.stats.clusters.reserve(row_word.size());
  for (std::size_t r = 0; r < row_word.size(); ++r)
    model.stats.clusters.insert(row_word[r], (static_cast<std::uint32_t>(coarse[r]) + 1) << 16 | (fine[r] + 1u));
}

// Fields 4-6: share of a word's occurrences that model.weights tags PER, ORG, or a place.
void add_tag_stats(const std::vector<std::string>& docs, ModelData& model, Scratch& scratch) {
  std::unordered_map<std::uint64_t, std::array<std::uint32_t, 4>> counts;  // total, PER, ORG, place
  for (const std::string& text : docs) {
    prepare_tokens(model, text, scratch);
    score_tokens(model.weights, text, scratch);
    viterbi(model.weights, scratch);
    for (std::size_t i = 0; i < scratch.tokens.size(); ++i) {
      const Token& t = scratch.tokens[i];
      if (t.kind != TokKind::kArabic && t.kind != TokKind::kLatin) continue;
      auto& c = counts[t.h_bare];
      ++c[0];
      const int l = scratch.labels[i];
      if (l == 0) continue;
      const EntityType type = label_type(l);
      c[1] += type == EntityType::kPer;
      c[2] += type == EntityType::kOrg;
      c[3] += type == EntityType::kGpe || type == EntityType::kLoc || type == EntityType::kFac;
    }
  }
  HashIndex updated;
  model.stats.codes.for_each([&](std::uint64_t key, std::uint32_t code) {
    code &= 0xFFFFu;  // a later stage replaces the earlier stage's fields
    if (auto it = counts.find(key); it != counts.end()) {
      const auto& c = it->second;
      code |= ratio_bucket(c[1], c[0]) << 16 | ratio_bucket(c[2], c[0]) << 20 | ratio_bucket(c[3], c[0]) << 24;
    }
    updated.insert(key, code);
  });
  model.stats.codes = std::move(updated);
}

// A sentence as the tagger sees it: scanned tokens with features and aligned gold labels.
struct Example {
  std::vector<std::uint32_t> feat_offsets;  // per token, into feats; size tokens+1
  std::vector<std::uint64_t> feats;
  std::vector<std::uint8_t> gold;
};

Example featurize(const ModelData& m, const Sentence& s, Scratch& scratch) {
  std::string text;
  std::vector<std::uint32_t> starts;
  for (const std::string& t : s.tokens) {
    if (!text.empty()) text += ' ';
    starts.push_back(static_cast<std::uint32_t>(text.size()));
    text += t;
  }
  prepare_tokens(m, text, scratch);
  Example ex;
  std::uint64_t buf[kMaxFeatures];
  ex.feat_offsets.push_back(0);
  std::size_t src = 0;
  int prev_src = -1;
  for (std::size_t i = 0; i < scratch.tokens.size(); ++i) {
    const Token& tok = scratch.tokens[i];
    while (src + 1 < starts.size() && starts[src + 1] <= tok.span.begin) ++src;
    int label = s.labels[src];
    // A corpus token split by the scanner (اف-16) keeps its label on the first piece only.
    if (static_cast<int>(src) == prev_src && label != 0) label = label_i(label_type(label));
    prev_src = static_cast<int>(src);
    ex.gold.push_back(static_cast<std::uint8_t>(label));
    const int n = extract_features(text, scratch.tokens, i, buf);
    ex.feats.insert(ex.feats.end(), buf, buf + n);
    ex.feat_offsets.push_back(static_cast<std::uint32_t>(ex.feats.size()));
  }
  return ex;
}

// Averaged perceptron over rows of kLabels weights (Daumé's trick: avg = w - u / c).
struct Trainer {
  std::vector<float> w, u;
  std::array<float, kLabels * kLabels> tw{}, tu{};
  std::array<float, kLabels> sw{}, su{};
  double c = 1;
};

void decode(const Weights& weights, const Example& ex, Scratch& s) {
  const std::size_t n = ex.gold.size();
  s.tokens.resize(n);
  s.scores.assign(n * kLabels, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    float* out = &s.scores[i * kLabels];
    for (std::uint32_t k = ex.feat_offsets[i]; k < ex.feat_offsets[i + 1]; ++k) {
      const std::uint32_t row = weights.index.find(ex.feats[k]);
      if (row == HashIndex::kMissing) continue;
      const float* wr = &weights.rows[static_cast<std::size_t>(row) * kLabels];
      for (int l = 0; l < kLabels; ++l) out[l] += wr[l];
    }
  }
  viterbi(weights, s);
}

void update(Weights& weights, Trainer& tr, const Example& ex, const std::vector<std::uint8_t>& pred) {
  const auto c = static_cast<float>(tr.c);
  auto bump = [&](std::uint32_t row, int label, float d) {
    const std::size_t k = static_cast<std::size_t>(row) * kLabels + static_cast<std::size_t>(label);
    weights.rows[k] += d;
    tr.u[k] += c * d;
  };
  for (std::size_t i = 0; i < ex.gold.size(); ++i) {
    const int g = ex.gold[i], p = pred[i];
    if (g != p) {
      for (std::uint32_t k = ex.feat_offsets[i]; k < ex.feat_offsets[i + 1]; ++k) {
        const std::uint32_t row = weights.index.find(ex.feats[k]);
        if (row == HashIndex::kMissing) continue;
        bump(row, g, 1.0f);
        bump(row, p, -1.0f);
      }
    }
    const int gp = i > 0 ? ex.gold[i - 1] : -1, pp = i > 0 ? pred[i - 1] : -1;
    if (g != p || gp != pp) {
      if (i == 0) {
        weights.start[static_cast<std::size_t>(g)] += 1;
        tr.su[static_cast<std::size_t>(g)] += c;
        weights.start[static_cast<std::size_t>(p)] -= 1;
        tr.su[static_cast<std::size_t>(p)] -= c;
      } else {
        const auto kg = static_cast<std::size_t>(gp * kLabels + g), kp = static_cast<std::size_t>(pp * kLabels + p);
        weights.trans[kg] += 1;
        tr.tu[kg] += c;
        weights.trans[kp] -= 1;
        tr.tu[kp] -= c;
      }
    }
  }
}

Weights averaged(const Weights& w, const Trainer& tr) {
  Weights avg = w;
  const auto c = static_cast<float>(tr.c);
  for (std::size_t k = 0; k < avg.rows.size(); ++k) avg.rows[k] = w.rows[k] - tr.u[k] / c;
  for (std::size_t k = 0; k < avg.trans.size(); ++k) avg.trans[k] = w.trans[k] - tr.tu[k] / c;
  for (std::size_t k = 0; k < avg.start.size(); ++k) avg.start[k] = w.start[k] - tr.su[k] / c;
  return avg;
}

// Keeps rows with some weight; the rest only cost space.
Weights prune(const Weights& w, float min_abs) {
  Weights out;
  out.trans = w.trans;
  out.start = w.start;
  w.index.for_each([&](std::uint64_t key, std::uint32_t row) {
    const float* r = &w.rows[static_cast<std::size_t>(row) * kLabels];
    float mx = 0;
    for (int l = 0; l < kLabels; ++l) mx = std::max(mx, std::fabs(r[l]));
    if (mx < min_abs) return;
    const auto nr = static_cast<std::uint32_t>(out.rows.size() / kLabels);
    out.index.insert(key, nr);
    out.rows.insert(out.rows.end(), r, r + kLabels);
  });
  return out;
}

// ANERcorp has one place type: GPE and FAC score as LOC, as `isnad eval ner` does.
std::string place_merged(int label) {
  if (label == 0) return "O";
  const EntityType t = label_type(label);
  const bool place = t == EntityType::kGpe || t == EntityType::kFac || t == EntityType::kLoc;
  return std::string(is_b(label) ? "B-" : "I-") + std::string(place ? "LOC" : to_string(t));
}

// `merged` (optional) receives the same chunks with places merged; its micro F1 over PER, LOC,
// ORG is the figure every choice is made on (the test metric's definition, on dev).
ChunkCounts evaluate(const Weights& w, const std::vector<Example>& dev, Scratch& s, NerScorer* scorer_out,
                     NerScorer* merged = nullptr) {
  NerScorer scorer, merged_scorer;
  std::vector<std::string> g, p, gm, pm;
  for (const Example& ex : dev) {
    decode(w, ex, s);
    g.clear();
    p.clear();
    gm.clear();
    pm.clear();
    for (std::size_t i = 0; i < ex.gold.size(); ++i) {
      g.push_back(label_name(ex.gold[i]));
      p.push_back(label_name(s.labels[i]));
      gm.push_back(place_merged(ex.gold[i]));
      pm.push_back(place_merged(s.labels[i]));
    }
    scorer.add(g, p);
    merged_scorer.add(gm, pm);
  }
  if (scorer_out) *scorer_out = scorer;
  if (merged) *merged = merged_scorer;
  return scorer.all();
}

// Subtracting b from every transition into O and from O's start score lowers O's score at every
// token by b: a recall/precision knob that needs no new feature or file field.
Weights with_o_bias(const Weights& w, float b) {
  Weights out = w;
  for (int p = 0; p < kLabels; ++p) out.trans[static_cast<std::size_t>(p * kLabels)] -= b;
  out.start[0] -= b;
  return out;
}

// The held-out sentences through the shipped code path (NerModel::tag: decoding plus the rules
// after it), scored as `isnad eval ner` scores a file: places merged, mentions mapped back to
// the tokens they overlap. Post-decoding rules are chosen on this figure. `errors` (optional)
// receives one line per sentence whose predicted chunks differ from gold.
ChunkCounts runtime_evaluate(const NerModel& model, const std::vector<Sentence>& dev, NerScorer& scorer,
                             std::ofstream* errors) {
  std::vector<EntityMention> mentions;
  std::vector<std::string> gold, pred;
  for (const Sentence& raw_sentence : dev) {
    const Sentence s = merge_clitics(raw_sentence);
    std::string text;
    std::vector<Span> spans;
    for (const std::string& t : s.tokens) {
      if (!text.empty()) text += ' ';
      spans.push_back(Span{static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(text.size() + t.size())});
      text += t;
    }
    model.tag(text, mentions);
    gold.clear();
    pred.assign(s.tokens.size(), "O");
    for (int l : s.labels) gold.push_back(place_merged(l));
    for (const EntityMention& m : mentions) {
      bool first = true;
      for (std::size_t i = 0; i < spans.size(); ++i) {
        if (!spans[i].overlaps(m.span) || pred[i] != "O") continue;
        pred[i] = place_merged(first ? label_b(m.type) : label_i(m.type));
        first = false;
      }
    }
    scorer.add(gold, pred);
    if (errors != nullptr && conll_chunks(gold) != conll_chunks(pred)) {
      for (std::size_t i = 0; i < s.tokens.size(); ++i) {
        *errors << s.tokens[i];
        if (gold[i] != "O" || pred[i] != "O") *errors << '[' << gold[i] << '|' << pred[i] << ']';
        *errors << ' ';
      }
      *errors << '\n';
    }
  }
  return scorer.micro({"PER", "LOC", "ORG"});
}

void print_runtime_eval(const NerScorer& scorer) {
  for (const char* type : {"PER", "LOC", "ORG"}) {
    const ChunkCounts c = scorer.micro({type});
    fmt::print("  runtime {:4s} gold {:5d} pred {:5d} correct {:5d}  P {:.3f} R {:.3f} F1 {:.3f}\n", type, c.gold,
               c.predicted, c.correct, c.precision(), c.recall(), c.f1());
  }
  const ChunkCounts c = scorer.micro({"PER", "LOC", "ORG"});
  fmt::print("  runtime F1(PER,LOC,ORG) {:.4f}  (P {:.3f} R {:.3f}; gold {} pred {} correct {})\n", c.f1(),
             c.precision(), c.recall(), c.gold, c.predicted, c.correct);
}

struct TrainOptions {
  int epochs;
  int min_count;
  unsigned seed;
};

// One full perceptron run over the training sentences; returns averaged (unpruned) weights.
// (Averaging the weights of several runs in different sentence orders was tried: no gain in
// cross-validation, docs/NER.md.)
Weights train_stage(const ModelData& model, const std::vector<Sentence>& raw, std::size_t n_train,
                    const TrainOptions& opt, Scratch& scratch) {
  std::vector<Example> train, dev;
  for (std::size_t i = 0; i < raw.size(); ++i)
    (i < n_train ? train : dev).push_back(featurize(model, merge_clitics(raw[i]), scratch));
  // Features seen at least min_count times in training get a row.
  Weights weights;
  {
    std::unordered_map<std::uint64_t, int> counts;
    for (const Example& ex : train)
      for (std::uint64_t f : ex.feats) ++counts[f];
    for (const auto& [f, count] : counts)
      if (count >= opt.min_count) weights.index.insert(f, static_cast<std::uint32_t>(weights.index.size()));
    weights.rows.assign(weights.index.size() * kLabels, 0.0f);
  }
  Trainer tr;
  tr.u.assign(weights.rows.size(), 0.0f);
  fmt::print(stderr, "{} features kept\n", weights.index.size());
  std::vector<std::size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(opt.seed);
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    long errors = 0, tokens = 0;
    for (std::size_t idx : order) {
      const Example& ex = train[idx];
      decode(weights, ex, scratch);
      for (std::size_t i = 0; i < ex.gold.size(); ++i) errors += ex.gold[i] != scratch.labels[i];
      tokens += static_cast<long>(ex.gold.size());
      const std::vector<std::uint8_t> pred = scratch.labels;
      update(weights, tr, ex, pred);
      tr.c += 1;
    }
    fmt::print(stderr, "epoch {:2d}: train token error {:.4f}", epoch,
               static_cast<double>(errors) / static_cast<double>(tokens));
    if (!dev.empty()) {
      const ChunkCounts dc = evaluate(averaged(weights, tr), dev, scratch, nullptr);
      fmt::print(stderr, "  dev P {:.3f} R {:.3f} F1 {:.3f}", dc.precision(), dc.recall(), dc.f1());
    }
    fmt::print(stderr, "\n");
  }
  return averaged(weights, tr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train the isnad NER model"};
  std::string corpus = std::string(ISNAD_SOURCE_DIR) + "/../shared/data/ner/newsfane/NewsFANE_Gold_2014_170K.txt";
  std::string out_dir = std::string(ISNAD_SOURCE_DIR) + "/data/ner";
  int epochs = 12;
  double dev_fraction = 0.1;
  bool final_model = false;
  int min_count = 2;
  float min_weight = 0.05f;
  unsigned seed = 20240601;
  std::string exclude = std::string(ISNAD_SOURCE_DIR) + "/../shared/data/ner/anercorp-camel/ANERCorp_CamelLab_test.txt";
  double max_overlap = 0.2;
  float o_bias = 5.0f;
  int folds = 0, fold = 0;
  int clusters = 256, coarse_clusters = 16, cluster_min_freq = 3, cluster_context = 500;
  int stages = 2;
  bool eval_only = false;
  std::string errors_path;
  std::string unlabelled = std::string(ISNAD_SOURCE_DIR) + "/../shared/data/news/saudinewsnet/corpus.jsonl";
  app.add_option("--corpus", corpus, "NewsFANE gold file");
  app.add_option("--out", out_dir, "directory with gazetteers/; ner.model is written there");
  app.add_option("--epochs", epochs);
  app.add_option("--dev-fraction", dev_fraction, "last share of sentences held out (ignored with --final)");
  app.add_flag("--final", final_model, "train on all sentences and write the model");
  app.add_option("--min-count", min_count, "features seen fewer times are dropped");
  app.add_option("--min-weight", min_weight, "rows whose largest |weight| is smaller are dropped");
  app.add_option("--seed", seed);
  app.add_option("--stages", stages, "1 + rounds of tag statistics from the previous stage's tagger");
  app.add_option("--unlabelled", unlabelled, "JSONL news corpus for word statistics (\"\" for none)");
  app.add_option("--exclude", exclude, "CoNLL file whose sentences must not be trained on (\"\" for none)");
  app.add_option("--folds", folds, "cross-validation: hold out fold --fold of this many blocks instead of the tail");
  app.add_option("--fold", fold);
  app.add_option("--clusters", clusters, "fine word clusters from the unlabelled corpus (0: none)");
  app.add_option("--coarse-clusters", coarse_clusters);
  app.add_option("--cluster-min-freq", cluster_min_freq, "words seen fewer times get no cluster");
  app.add_option("--cluster-context", cluster_context, "most frequent tokens used as left/right context dimensions");
  app.add_option("--o-bias", o_bias, "score taken from label O at every token (chosen on dev; a dev run prints a sweep)");
  app.add_option("--max-overlap", max_overlap, "drop sentences sharing more than this share of 20-grams with --exclude");
  app.add_flag("--eval-only", eval_only, "no training: score the model in --out on the held-out sentences");
  app.add_option("--errors", errors_path, "held-out runs: write the sentences the model gets wrong to this file");
  CLI11_PARSE(app, argc, argv);

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> unknown;
  std::vector<Sentence> raw = read_newsfane(corpus, unknown);
  if (raw.empty()) {
    fmt::print(stderr, "no sentences read from {}\n", corpus);
    return 1;
  }
  for (const auto& u : unknown) fmt::print(stderr, "unmapped class {}\n", u);
  if (!exclude.empty()) {
    const auto grams = read_exclusion_grams(exclude);
    if (grams.empty()) {
      fmt::print(stderr, "--exclude {}: nothing read\n", exclude);
      return 1;
    }
    const std::size_t before = raw.size();
    std::erase_if(raw, [&](const Sentence& s) { return overlap(s, grams) > max_overlap; });
    fmt::print(stderr, "dropped {} of {} sentences overlapping {}\n", before - raw.size(), before, exclude);
  }
  if (folds > 1 && !final_model) {
    // Cross-validation: fold `fold` of `folds` contiguous blocks becomes the held-out tail.
    const std::size_t b = raw.size() * static_cast<std::size_t>(fold) / static_cast<std::size_t>(folds);
    const std::size_t e = raw.size() * static_cast<std::size_t>(fold + 1) / static_cast<std::size_t>(folds);
    std::rotate(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(e), raw.end());
    dev_fraction = static_cast<double>(e - b) / static_cast<double>(raw.size());
  }
  const std::size_t n_dev = final_model ? 0 : static_cast<std::size_t>(static_cast<double>(raw.size()) * dev_fraction);
  const std::size_t n_train = raw.size() - n_dev;
  // Held-out sentences through NerModel::tag, as the shipped binary runs (after training, or alone).
  auto runtime_check = [&]() -> int {
    if (n_dev == 0) return 0;
    auto loaded = NerModel::load(out_dir);
    if (!loaded) {
      fmt::print(stderr, "{}\n", loaded.error().message);
      return 1;
    }
    std::ofstream errors;
    if (!errors_path.empty()) errors.open(errors_path);
    NerScorer scorer;
    runtime_evaluate(*loaded, std::vector<Sentence>(raw.begin() + static_cast<std::ptrdiff_t>(n_train), raw.end()),
                     scorer, errors_path.empty() ? nullptr : &errors);
    print_runtime_eval(scorer);
    return 0;
  };
  if (eval_only) return runtime_check();

  ModelData model;
  // Known stems: corpus words as NewsFANE splits them (seen twice or more), minus visible
  // clitic+article joins, plus every gazetteer word.
  {
    std::unordered_map<std::string, int> counts;
    for (std::size_t i = 0; i < n_train; ++i)
      for (const std::string& t : raw[i].tokens)
        if (arabic_word(t)) ++counts[t];
    static const char* const kJoined[] = {"\xD9\x88\xD8\xA7\xD9\x84", "\xD8\xA8\xD8\xA7\xD9\x84", "\xD9\x84\xD8\xA7\xD9\x84",
                                          "\xD9\x81\xD8\xA7\xD9\x84", "\xD9\x83\xD8\xA7\xD9\x84", "\xD9\x84\xD9\x84"};
    for (const auto& [word, count] : counts) {
      if (count < 2) continue;
      // A plain reference: clang 14 cannot capture a structured binding in a lambda.
      const std::string& w = word;
      if (std::any_of(std::begin(kJoined), std::end(kJoined), [&](const char* p) { return w.rfind(p, 0) == 0; }))
        continue;
      model.lex.stems.insert(hash_str(word), 1);
    }
  }
  if (Status st = load_gazetteer_words(out_dir + "/gazetteers", model.gaz); !st) {
    fmt::print(stderr, "{}\n", st.error().message);
    return 1;
  }
  extend_lexicon(model.gaz, model.lex);
  Scratch scratch;
  std::vector<std::string> docs;
  if (!unlabelled.empty()) {
    docs = read_unlabelled(unlabelled);
    extend_lexicon_from_corpus(docs, model.lex, scratch);
  }
  build_gazetteer(model.lex, model.gaz);
  fmt::print(stderr, "{} sentences ({} train, {} dev), lexicon {}, gazetteer entries {}\n", raw.size(), n_train,
             n_dev, model.lex.stems.size(), model.gaz.entries.size());

  if (!docs.empty()) {
    count_stats(docs, model, scratch);
    fmt::print(stderr, "word statistics: {} documents, {} words\n", docs.size(), model.stats.codes.size());
    if (clusters > 0)
      build_clusters(docs, model, scratch, clusters, coarse_clusters, static_cast<std::uint32_t>(cluster_min_freq),
                     static_cast<std::size_t>(cluster_context), seed);
  }
  const TrainOptions topt{epochs, min_count, seed};
  Weights weights = train_stage(model, raw, n_train, topt, scratch);
  for (int stage = 2; stage <= stages && !docs.empty(); ++stage) {
    // Stage 2: how the stage-1 tagger labels each word across the unlabelled corpus becomes a
    // feature, so a name tagged in an easy context (after a title) is recognised in a hard one.
    model.weights = prune(weights, min_weight);
    add_tag_stats(docs, model, scratch);
    weights = train_stage(model, raw, n_train, topt, scratch);
  }
  const Weights final_weights = with_o_bias(prune(weights, min_weight), o_bias);
  if (n_train < raw.size()) {
    std::vector<Example> dev;
    for (std::size_t i = n_train; i < raw.size(); ++i) dev.push_back(featurize(model, merge_clitics(raw[i]), scratch));
    const Weights pruned = prune(weights, min_weight);
    for (float b : {0.0f, 2.0f, 4.0f, 6.0f, 8.0f, 12.0f, 16.0f, 20.0f, 25.0f, 30.0f}) {
      NerScorer m;
      evaluate(with_o_bias(pruned, b), dev, scratch, nullptr, &m);
      const ChunkCounts c = m.micro({"PER", "LOC", "ORG"});
      fmt::print("  o-bias {:5.1f}: P {:.3f} R {:.3f} F1(PER,LOC,ORG) {:.3f}\n", b, c.precision(), c.recall(), c.f1());
    }
    NerScorer scorer, merged;
    const ChunkCounts dc = evaluate(final_weights, dev, scratch, &scorer, &merged);
    fmt::print("dev (last {:.0f}% of NewsFANE sentences, pruned model):\n", dev_fraction * 100);
    for (const auto& [type, c] : scorer.per_type())
      fmt::print("  {:5s} gold {:5d} pred {:5d}  P {:.3f} R {:.3f} F1 {:.3f}\n", type, c.gold, c.predicted,
                 c.precision(), c.recall(), c.f1());
    fmt::print("  all   P {:.3f} R {:.3f} F1 {:.3f}\n", dc.precision(), dc.recall(), dc.f1());
    fmt::print("  F1(PER,GPE+LOC+FAC,ORG) {:.3f}  (places merged: {:.3f})\n",
               scorer.micro({"PER", "LOC", "GPE", "FAC", "ORG"}).f1(), merged.micro({"PER", "LOC", "ORG"}).f1());
  }
  fmt::print(stderr, "trained in {:.1f}s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  const std::string path = out_dir + "/ner.model";
  if (Status st = save_model(path, model.lex, model.stats, final_weights); !st) {
    fmt::print(stderr, "{}\n", st.error().message);
    return 1;
  }
  fmt::print(stderr, "wrote {} ({} rows)\n", path, final_weights.index.size());
  return runtime_check();
}
