// Weight table, Viterbi decoding and the model file of the NER tagger.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "extract/ner_internal.h"

namespace isnad::ner {

namespace {
// The weight table is several MB read at random, so a lookup is a cache miss on the key slot and
// another on the row. Lookups are split in stages (prefetch every key slot, then probe and
// prefetch every row, then add) so that the misses of a whole feature list, and of neighbouring
// tokens, are in flight together instead of one after another. The rows are added in feature
// order, so the sums are the same floats as with one lookup at a time.
void prefetch_keys(const Weights& w, const std::uint64_t* feats, int count) {
  for (int k = 0; k < count; ++k) w.index.prefetch(feats[k]);
}

// The rows of the features the model knows, in feature order; returns their count.
int find_rows(const Weights& w, const std::uint64_t* feats, int count, const float** rows) {
  int m = 0;
  for (int k = 0; k < count; ++k) {
    const std::uint32_t row = w.index.find(feats[k]);
    if (row == HashIndex::kMissing) continue;
    rows[m] = &w.rows[static_cast<std::size_t>(row) * kLabels];
    // A row may straddle two cache lines.
    __builtin_prefetch(rows[m]);
    __builtin_prefetch(rows[m] + kLabels - 1);
    ++m;
  }
  return m;
}

void add_found(const float* const* rows, int m, float* out) {
  for (int k = 0; k < m; ++k)
    for (int l = 0; l < kLabels; ++l) out[l] += rows[k][l];
}

void add_rows(const Weights& w, const std::uint64_t* feats, int count, float* out) {
  prefetch_keys(w, feats, count);
  const float* rows[kMaxFeatures];
  add_found(rows, find_rows(w, feats, count, rows), out);
}

void add(float* out, const std::array<float, kLabels>& v) {
  for (int l = 0; l < kLabels; ++l) out[l] += v[static_cast<std::size_t>(l)];
}

// Fills every sum of `e` from token t (nullptr: the missing neighbour past either end; then
// `self` is left as is).
void word_sums(const Weights& w, std::string_view text, const Token* t, WordScores& e) {
  constexpr int kGroups = 5;
  std::array<float, kLabels>* const sums[kGroups] = {&e.self, &e.as_prev, &e.as_next, &e.as_prev2, &e.as_next2};
  constexpr Neighbour kRoles[] = {Neighbour::kPrev, Neighbour::kNext, Neighbour::kPrev2, Neighbour::kNext2};
  // One list for all groups (about 20 word + 10 neighbour features), so that their lookups overlap.
  std::uint64_t feats[kMaxFeatures];
  int begin[kGroups + 1];
  begin[0] = 0;
  begin[1] = t != nullptr ? word_features(text, *t, feats) : 0;
  for (int g = 1; g < kGroups; ++g) begin[g + 1] = begin[g] + neighbour_features(text, t, kRoles[g - 1], feats + begin[g]);
  prefetch_keys(w, feats, begin[kGroups]);
  const float* rows[kMaxFeatures];
  int found[kGroups];
  for (int g = 0; g < kGroups; ++g) found[g] = find_rows(w, feats + begin[g], begin[g + 1] - begin[g], rows + begin[g]);
  for (int g = t != nullptr ? 0 : 1; g < kGroups; ++g) {
    sums[g]->fill(0.0f);
    add_found(rows + begin[g], found[g], sums[g]->data());
  }
}
}  // namespace

void score_tokens(const Weights& w, std::string_view text, Scratch& s) {
  const std::size_t n = s.tokens.size();
  s.scores.assign(n * kLabels, 0.0f);
  std::uint64_t feats[kMaxFeatures];
  for (std::size_t i = 0; i < n; ++i) add_rows(w, feats, extract_features(text, s.tokens, i, feats), &s.scores[i * kLabels]);
}

void WordScoreCache::bind(std::uint64_t model, const Weights& w) {
  if (model == model_ && !slots_.empty()) return;
  model_ = model;
  slots_.assign(kSlots, WordScores{});
  word_sums(w, {}, nullptr, edge_);
}

WordScores& WordScoreCache::slot(const Token& t) {
  const std::uint64_t key = t.h_raw == 0 ? 1 : t.h_raw;
  return slots_[static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotBits))];
}

void WordScoreCache::prefetch(const Token& t) {
  const char* p = reinterpret_cast<const char*>(&slot(t));
  for (std::size_t b = 0; b < sizeof(WordScores); b += 64) __builtin_prefetch(p + b);
  __builtin_prefetch(p + sizeof(WordScores) - 1);
}

const WordScores& WordScoreCache::get(const Weights& w, std::string_view text, const Token& t) {
  WordScores& e = slot(t);
  const std::uint64_t key = t.h_raw == 0 ? 1 : t.h_raw;
  if (e.key == key) return e;
  e.key = key;
  word_sums(w, text, &t, e);
  return e;
}

void score_tokens_cached(const Weights& w, std::string_view text, Scratch& s, WordScoreCache& cache) {
  const std::size_t n = s.tokens.size();
  s.scores.assign(n * kLabels, 0.0f);
  // Memory is requested this many tokens before it is read (see prefetch_keys).
  constexpr std::size_t kAhead = 3;
  for (std::size_t j = 0; j < std::min(n, kAhead); ++j) cache.prefetch(s.tokens[j]);
  // Each word adds its sums to itself and to the up to four tokens that see it as a neighbour.
  for (std::size_t j = 0; j < n; ++j) {
    if (j + kAhead < n) cache.prefetch(s.tokens[j + kAhead]);
    const WordScores& e = cache.get(w, text, s.tokens[j]);
    add(&s.scores[j * kLabels], e.self);
    if (j + 1 < n) add(&s.scores[(j + 1) * kLabels], e.as_prev);
    if (j + 2 < n) add(&s.scores[(j + 2) * kLabels], e.as_prev2);
    if (j >= 1) add(&s.scores[(j - 1) * kLabels], e.as_next);
    if (j >= 2) add(&s.scores[(j - 2) * kLabels], e.as_next2);
  }
  // Token i's pair features are extracted (and their key slots prefetched) at step i, probed at
  // step i + kAhead and added at step i + 2 kAhead.
  struct Pending {
    std::uint64_t feats[kMaxFeatures];
    const float* rows[kMaxFeatures];
    int count;
  };
  constexpr std::size_t kRing = 8;
  static_assert(kRing > 2 * kAhead);
  Pending ring[kRing];
  const WordScores& edge = cache.edge();
  for (std::size_t step = 0; step < n + 2 * kAhead; ++step) {
    if (step < n) {
      Pending& p = ring[step % kRing];
      p.count = pair_features(s.tokens, step, p.feats);
      prefetch_keys(w, p.feats, p.count);
    }
    if (step >= kAhead && step - kAhead < n) {
      Pending& p = ring[(step - kAhead) % kRing];
      p.count = find_rows(w, p.feats, p.count, p.rows);
    }
    if (step < 2 * kAhead) continue;
    const std::size_t i = step - 2 * kAhead;
    float* out = &s.scores[i * kLabels];
    if (i < 1) add(out, edge.as_prev);
    if (i < 2) add(out, edge.as_prev2);
    if (i + 1 >= n) add(out, edge.as_next);
    if (i + 2 >= n) add(out, edge.as_next2);
    const Pending& p = ring[i % kRing];
    add_found(p.rows, p.count, out);
  }
}

void viterbi(const Weights& w, Scratch& s) {
  const std::size_t n = s.tokens.size();
  s.labels.assign(n, 0);
  if (n == 0) return;
  constexpr float kNeg = -std::numeric_limits<float>::infinity();
  s.delta.assign(n * kLabels, kNeg);
  s.back.assign(n * kLabels, 0);
  for (int l = 0; l < kLabels; ++l)
    if (!is_i(l)) s.delta[l] = w.start[l] + s.scores[l];
  // Every current label at once, four per vector: a transition allowed() forbids costs -inf, so
  // it never wins the strict > against the -inf the search starts from; predecessors are tried
  // in label order, so ties go to the lowest label as when forbidden pairs are skipped. (GCC's
  // vector extension, which clang shares: the auto-vectorizer leaves this loop scalar.)
  using F4 = float __attribute__((vector_size(16)));
  using I4 = std::int32_t __attribute__((vector_size(16)));
  constexpr int kVecs = (kLabels + 3) / 4;
  F4 trans[kLabels][kVecs];
  for (int p = 0; p < kLabels; ++p)
    for (int c = 0; c < 4 * kVecs; ++c)
      trans[p][c / 4][c % 4] = c < kLabels && allowed(p, c) ? w.trans[static_cast<std::size_t>(p * kLabels + c)] : kNeg;
  for (std::size_t i = 1; i < n; ++i) {
    const float* prev = &s.delta[(i - 1) * kLabels];
    F4 best[kVecs];
    I4 arg[kVecs];
    for (int q = 0; q < kVecs; ++q) {
      best[q] = F4{} + kNeg;
      arg[q] = I4{};
    }
    for (int p = 0; p < kLabels; ++p) {
      for (int q = 0; q < kVecs; ++q) {
        const F4 v = prev[p] + trans[p][q];
        const I4 better = v > best[q];
        best[q] = better ? v : best[q];
        arg[q] = better ? I4{} + p : arg[q];
      }
    }
    float* cur = &s.delta[i * kLabels];
    const float* em = &s.scores[i * kLabels];
    for (int c = 0; c < kLabels; ++c) {
      cur[c] = best[c / 4][c % 4] + em[c];
      s.back[i * kLabels + static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(arg[c / 4][c % 4]);
    }
  }
  int best = 0;
  const float* last = &s.delta[(n - 1) * kLabels];
  for (int l = 1; l < kLabels; ++l)
    if (last[l] > last[best]) best = l;
  for (std::size_t i = n; i-- > 0;) {
    s.labels[i] = static_cast<std::uint8_t>(best);
    best = s.back[i * kLabels + static_cast<std::size_t>(best)];
  }
}

// ---- file format ---------------------------------------------------------------------------
namespace {
constexpr char kMagic[8] = {'I', 'S', 'N', 'A', 'D', 'N', 'E', 'R'};
constexpr std::uint32_t kVersion = 3;

template <class T>
void put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <class T>
bool get(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof(T)));
}
}  // namespace

Status save_model(const std::string& path, const Lexicon& lex, const WordStats& stats, const Weights& w) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return make_error(ErrorCode::kIo, "cannot write " + path);
  out.write(kMagic, sizeof kMagic);
  put(out, kVersion);
  put(out, static_cast<std::uint32_t>(kLabels));
  put(out, static_cast<std::uint32_t>(lex.stems.size()));
  lex.stems.for_each([&](std::uint64_t key, std::uint32_t) { put(out, key); });
  put(out, static_cast<std::uint32_t>(stats.codes.size()));
  stats.codes.for_each([&](std::uint64_t key, std::uint32_t code) {
    put(out, key);
    put(out, code);
  });
  put(out, static_cast<std::uint32_t>(stats.clusters.size()));
  stats.clusters.for_each([&](std::uint64_t key, std::uint32_t code) {
    put(out, key);
    put(out, code);
  });
  for (float v : w.trans) put(out, v);
  for (float v : w.start) put(out, v);
  float max_abs = 0;
  for (float v : w.rows) max_abs = std::max(max_abs, std::fabs(v));
  const float scale = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  put(out, static_cast<std::uint32_t>(w.index.size()));
  put(out, scale);
  w.index.for_each([&](std::uint64_t key, std::uint32_t row) {
    put(out, key);
    for (int l = 0; l < kLabels; ++l) {
      const float v = w.rows[static_cast<std::size_t>(row) * kLabels + static_cast<std::size_t>(l)];
      put(out, static_cast<std::int16_t>(std::lround(v / scale)));
    }
  });
  if (!out) return make_error(ErrorCode::kIo, "write failed: " + path);
  return {};
}

Status load_model(const std::string& path, Lexicon& lex, WordStats& stats, Weights& w) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open NER model " + path);
  char magic[8];
  std::uint32_t version = 0, labels = 0, n_lex = 0, n_rows = 0;
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0 || !get(in, version) ||
      version < 2 || version > kVersion || !get(in, labels) || labels != kLabels || !get(in, n_lex))
    return make_error(ErrorCode::kParse, "not an isnad NER model (or wrong version): " + path);
  lex.stems = HashIndex();
  lex.stems.reserve(n_lex);
  for (std::uint32_t i = 0; i < n_lex; ++i) {
    std::uint64_t key = 0;
    if (!get(in, key)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
    lex.stems.insert(key, 1);
  }
  std::uint32_t n_stats = 0;
  if (!get(in, n_stats)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
  stats.codes = HashIndex();
  stats.codes.reserve(n_stats);
  for (std::uint32_t i = 0; i < n_stats; ++i) {
    std::uint64_t key = 0;
    std::uint32_t code = 0;
    if (!get(in, key) || !get(in, code)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
    stats.codes.insert(key, code);
  }
  stats.clusters = HashIndex();
  std::uint32_t n_clusters = 0;
  if (version >= 3 && !get(in, n_clusters)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
  stats.clusters.reserve(n_clusters);
  for (std::uint32_t i = 0; i < n_clusters; ++i) {
    std::uint64_t key = 0;
    std::uint32_t code = 0;
    if (!get(in, key) || !get(in, code)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
    stats.clusters.insert(key, code);
  }
  for (float& v : w.trans)
    if (!get(in, v)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
  for (float& v : w.start)
    if (!get(in, v)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
  float scale = 0;
  if (!get(in, n_rows) || !get(in, scale)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
  w.index = HashIndex();
  w.index.reserve(n_rows);
  w.rows.assign(static_cast<std::size_t>(n_rows) * kLabels, 0.0f);
  for (std::uint32_t r = 0; r < n_rows; ++r) {
    std::uint64_t key = 0;
    if (!get(in, key)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
    w.index.insert(key, r);
    for (int l = 0; l < kLabels; ++l) {
      std::int16_t q = 0;
      if (!get(in, q)) return make_error(ErrorCode::kParse, "truncated NER model: " + path);
      w.rows[static_cast<std::size_t>(r) * kLabels + static_cast<std::size_t>(l)] = q * scale;
    }
  }
  return {};
}

}  // namespace isnad::ner
