// Weight table, Viterbi decoding and the model file of the NER tagger.
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "extract/ner_internal.h"

namespace isnad::ner {

namespace {
void add_rows(const Weights& w, const std::uint64_t* feats, int count, float* out) {
  for (int k = 0; k < count; ++k) {
    const std::uint32_t row = w.index.find(feats[k]);
    if (row == HashIndex::kMissing) continue;
    const float* wr = &w.rows[static_cast<std::size_t>(row) * kLabels];
    for (int l = 0; l < kLabels; ++l) out[l] += wr[l];
  }
}

void add(float* out, const std::array<float, kLabels>& v) {
  for (int l = 0; l < kLabels; ++l) out[l] += v[static_cast<std::size_t>(l)];
}

void neighbour_sums(const Weights& w, std::string_view text, const Token* t, WordScores& e) {
  std::uint64_t feats[kMaxFeatures];
  const std::pair<Neighbour, std::array<float, kLabels>*> roles[] = {
      {Neighbour::kPrev, &e.as_prev}, {Neighbour::kNext, &e.as_next},
      {Neighbour::kPrev2, &e.as_prev2}, {Neighbour::kNext2, &e.as_next2}};
  for (const auto& [role, sums] : roles) {
    sums->fill(0.0f);
    add_rows(w, feats, neighbour_features(text, t, role, feats), sums->data());
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
  neighbour_sums(w, {}, nullptr, edge_);
}

const WordScores& WordScoreCache::get(const Weights& w, std::string_view text, const Token& t) {
  const std::uint64_t key = t.h_raw == 0 ? 1 : t.h_raw;
  WordScores& e = slots_[static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotBits))];
  if (e.key == key) return e;
  e.key = key;
  std::uint64_t feats[kMaxFeatures];
  e.self.fill(0.0f);
  add_rows(w, feats, word_features(text, t, feats), e.self.data());
  neighbour_sums(w, text, &t, e);
  return e;
}

void score_tokens_cached(const Weights& w, std::string_view text, Scratch& s, WordScoreCache& cache) {
  const std::size_t n = s.tokens.size();
  s.scores.assign(n * kLabels, 0.0f);
  std::uint64_t feats[kMaxFeatures];
  // Each word adds its sums to itself and to the up to four tokens that see it as a neighbour.
  for (std::size_t j = 0; j < n; ++j) {
    const WordScores& e = cache.get(w, text, s.tokens[j]);
    add(&s.scores[j * kLabels], e.self);
    if (j + 1 < n) add(&s.scores[(j + 1) * kLabels], e.as_prev);
    if (j + 2 < n) add(&s.scores[(j + 2) * kLabels], e.as_prev2);
    if (j >= 1) add(&s.scores[(j - 1) * kLabels], e.as_next);
    if (j >= 2) add(&s.scores[(j - 2) * kLabels], e.as_next2);
  }
  const WordScores& edge = cache.edge();
  for (std::size_t i = 0; i < n; ++i) {
    float* out = &s.scores[i * kLabels];
    if (i < 1) add(out, edge.as_prev);
    if (i < 2) add(out, edge.as_prev2);
    if (i + 1 >= n) add(out, edge.as_next);
    if (i + 2 >= n) add(out, edge.as_next2);
    add_rows(w, feats, pair_features(s.tokens, i, feats), out);
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
  for (std::size_t i = 1; i < n; ++i) {
    const float* prev = &s.delta[(i - 1) * kLabels];
    float* cur = &s.delta[i * kLabels];
    const float* em = &s.scores[i * kLabels];
    for (int c = 0; c < kLabels; ++c) {
      float best = kNeg;
      int arg = 0;
      for (int p = 0; p < kLabels; ++p) {
        if (!allowed(p, c)) continue;
        const float v = prev[p] + w.trans[static_cast<std::size_t>(p * kLabels + c)];
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      cur[c] = best + em[c];
      s.back[i * kLabels + static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(arg);
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
