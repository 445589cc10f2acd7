// Token scanning, clitic analysis, gazetteer matching and feature extraction for the NER tagger.
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>

#include "extract/ner_internal.h"
#include "isnad/chars.h"
#include "isnad/normalize.h"
#include "isnad/utf8.h"
#include "text/arabic_scan.h"

namespace isnad::ner {

// ---- memory --------------------------------------------------------------------------------
void* allocate_huge(std::size_t bytes) {
  void* p = std::aligned_alloc(kHugePage, bytes);
  if (p == nullptr) throw std::bad_alloc();
  madvise(p, bytes, MADV_HUGEPAGE);  // advice only: on failure the pages stay small
  return p;
}

void free_huge(void* p) { std::free(p); }

// ---- HashIndex -----------------------------------------------------------------------------
void HashIndex::reserve(std::size_t n) {
  std::size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  if (cap <= slots_.size()) return;
  HugeVector<Slot> old(cap);
  old.swap(slots_);
  mask_ = cap - 1;
  size_ = 0;
  for (const Slot& e : old)
    if (e.key != 0) insert(e.key, e.value);
}

void HashIndex::grow() { reserve(slots_.empty() ? 8 : slots_.size()); }

std::uint32_t HashIndex::insert(std::uint64_t key, std::uint32_t value_if_new) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  key = key == 0 ? 1 : key;
  for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
    if (slots_[i].key == key) return slots_[i].value;
    if (slots_[i].key == 0) {
      slots_[i] = Slot{key, value_if_new};
      ++size_;
      return value_if_new;
    }
  }
}

void HashIndex::or_value(std::uint64_t key, std::uint32_t bits) {
  insert(key, 0);
  key = key == 0 ? 1 : key;
  for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
    if (slots_[i].key == key) {
      slots_[i].value |= bits;
      return;
    }
  }
}

// ---- labels --------------------------------------------------------------------------------
std::string label_name(int label) {
  if (label == 0) return "O";
  return std::string(is_b(label) ? "B-" : "I-") + std::string(to_string(label_type(label)));
}

int label_from_name(std::string_view name) {
  if (name == "O") return 0;
  if (name.size() < 3 || name[1] != '-' || (name[0] != 'B' && name[0] != 'I')) return -1;
  for (int t = 0; t < kTypes; ++t) {
    if (to_string(static_cast<EntityType>(t)) == name.substr(2))
      return name[0] == 'B' ? label_b(static_cast<EntityType>(t)) : label_i(static_cast<EntityType>(t));
  }
  return -1;
}

std::string_view gaz_file_name(Gaz g) {
  switch (g) {
    case Gaz::kGpe: return "gpe";
    case Gaz::kLoc: return "loc";
    case Gaz::kOrg: return "org";
    case Gaz::kFac: return "fac";
    case Gaz::kPerFirst: return "per_first";
    case Gaz::kPerName: return "per_name";
    case Gaz::kTitle: return "title";
    case Gaz::kOrgCue: return "org_cue";
    case Gaz::kLocCue: return "loc_cue";
    case Gaz::kFacCue: return "fac_cue";
    case Gaz::kNisba: return "nisba";
    case Gaz::kGpeCue: return "gpe_cue";
    case Gaz::kCount: break;
  }
  return "";
}

// ---- scanning ------------------------------------------------------------------------------
namespace {
TokKind kind_of(char32_t c) {
  if (is_arabic_letter(c)) return TokKind::kArabic;
  if (is_ascii_digit(c)) return TokKind::kDigit;
  if (is_latin_letter(c)) return TokKind::kLatin;
  return TokKind::kPunct;
}
}  // namespace

void scan_tokens(std::string_view text, std::vector<Token>& out) {
  const auto n = static_cast<std::uint32_t>(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::uint32_t pos = 0;
  while (pos < n) {
    const DecodedChar d = decode_utf8(text, pos);
    if (is_space(d.cp) || d.cp == 0x200C || d.cp == 0x200D) {
      pos += d.length;
      continue;
    }
    Token t;
    t.kind = kind_of(d.cp);
    const std::uint32_t begin = pos;
    pos += d.length;
    // Arabic runs are most of a text: their two-byte letters skip the decoding, and the loop
    // below still decides where the run ends.
    if (t.kind == TokKind::kArabic) pos = detail::arabic_run_end(p, pos, n);
    if (t.kind != TokKind::kPunct) {
      while (pos < n) {
        const DecodedChar e = decode_utf8(text, pos);
        if (kind_of(e.cp) == t.kind) {
          pos += e.length;
          continue;
        }
        if (t.kind == TokKind::kDigit && (e.cp == ',' || e.cp == '.') && pos + 1 < n &&
            is_ascii_digit(static_cast<unsigned char>(text[pos + 1]))) {
          pos += 2;
          continue;
        }
        break;
      }
    }
    t.span = Span{begin, pos};
    t.stem = t.span;
    out.push_back(t);
  }
}

// ---- clitic analysis -----------------------------------------------------------------------
namespace {
constexpr std::string_view kWaw = "\xD9\x88", kFa = "\xD9\x81", kBa = "\xD8\xA8", kLam = "\xD9\x84",
                           kKaf = "\xD9\x83", kAlef = "\xD8\xA7", kAl = "\xD8\xA7\xD9\x84";

struct Prefix {
  std::string_view text;
  bool ends_with_lam;
};
// Shortest first: the lexicon holds no clitic + stem forms, so و+لبنان (a known stem) must win over
// ول+بنان, and و+بالاتحاد fails on to وب+الاتحاد.
constexpr std::array<Prefix, 11> kPrefixes = {{
    {kWaw, false}, {kFa, false}, {kBa, false}, {kLam, true}, {kKaf, false},
    {"\xD9\x88\xD8\xA8", false}, {"\xD9\x88\xD9\x84", true}, {"\xD9\x88\xD9\x83", false},
    {"\xD9\x81\xD8\xA8", false}, {"\xD9\x81\xD9\x84", true}, {"\xD9\x81\xD9\x83", false},
}};

// Prefixes are a letter or two: a byte loop, where a string compare would call memcmp per word.
bool starts_with(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (s[i] != p[i]) return false;
  return true;
}

// `h_stem` is the stem's hash: every caller has it already (the token's own when nothing is stripped).
void set_stem(std::string_view text, Token& t, std::uint32_t prefix_bytes, bool restore_alef, std::uint64_t h_stem) {
  t.stem = Span{t.span.begin + prefix_bytes, t.span.end};
  const std::string_view stem = t.stem.of(text);
  t.h_prefix = mix(0x51, hash_str(t.span.of(text).substr(0, prefix_bytes)));
  t.h_stem = h_stem;
  if (restore_alef) {
    // ل + الجيش is written للجيش: the stem is the virtual ا + لجيش.
    t.has_al = true;
    t.h_bare = stem.size() > 2 + 4 ? hash_str(stem.substr(2)) : t.h_stem;
  } else {
    t.has_al = starts_with(stem, kAl);
    t.h_bare = t.has_al && stem.size() > 4 + 4 ? hash_str(stem.substr(4)) : t.h_stem;
  }
  const std::uint32_t letters = t.kind == TokKind::kArabic ? t.stem.size() / 2 : t.stem.size();
  t.stem_letters = static_cast<std::uint8_t>(std::min<std::uint32_t>(letters + (restore_alef ? 1 : 0), 255));
}

void analyze_arabic(std::string_view text, const Lexicon& lex, Token& t) {
  const std::string_view raw = t.span.of(text);
  if (raw.size() < 6 || lex.stems.contains(t.h_raw)) return set_stem(text, t, 0, false, t.h_raw);
  const std::uint64_t alef = hash_str(kAlef);
  // A prefix whose remainder is a known stem.
  for (const Prefix& p : kPrefixes) {
    if (!starts_with(raw, p.text)) continue;
    const std::string_view rest = raw.substr(p.text.size());
    if (rest.size() < 4) continue;
    const auto bytes = static_cast<std::uint32_t>(p.text.size());
    if (p.ends_with_lam && starts_with(rest, kLam)) {
      const std::uint64_t h = hash_bytes(alef, rest);
      if (lex.stems.contains(h)) return set_stem(text, t, bytes, true, h);
    }
    const std::uint64_t h = hash_str(rest);
    if (lex.stems.contains(h)) return set_stem(text, t, bytes, false, h);
  }
  // Else a remainder that is visibly definite (ال…, or ل… after ل) and long enough not to be a
  // short word. No remainder is a known stem, so this pass looks nothing up.
  for (const Prefix& p : kPrefixes) {
    if (!starts_with(raw, p.text)) continue;
    const std::string_view rest = raw.substr(p.text.size());
    if (rest.size() < 4) continue;
    const auto bytes = static_cast<std::uint32_t>(p.text.size());
    if (p.ends_with_lam && starts_with(rest, kLam) && rest.size() >= 6)
      return set_stem(text, t, bytes, true, hash_bytes(alef, rest));
    if (starts_with(rest, kAl) && rest.size() >= 8) return set_stem(text, t, bytes, false, hash_str(rest));
  }
  set_stem(text, t, 0, false, t.h_raw);
}
}  // namespace

void analyze_tokens(std::string_view text, const Lexicon& lex, std::vector<Token>& tokens) {
  for (Token& t : tokens) t.h_raw = hash_str(t.span.of(text));
  // The lexicon is read at random and is larger than the CPU's L2 cache: its slot for a word is
  // requested a few tokens before the word is analysed, so the misses overlap.
  constexpr std::size_t kAhead = 8;
  const std::size_t n = tokens.size();
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) lex.stems.prefetch(tokens[i].h_raw);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) lex.stems.prefetch(tokens[i + kAhead].h_raw);
    Token& t = tokens[i];
    switch (t.kind) {
      case TokKind::kArabic: analyze_arabic(text, lex, t); break;
      case TokKind::kDigit:
        set_stem(text, t, 0, false, t.h_raw);
        t.h_bare = mix(0xD161, std::min<std::uint32_t>(t.span.size(), 6));
        break;
      case TokKind::kLatin:
      case TokKind::kPunct: set_stem(text, t, 0, false, t.h_raw); break;
    }
    t.gaz_begin = t.gaz_inside = t.gaz_end = 0;
  }
}

// ---- gazetteers ----------------------------------------------------------------------------
Status load_gazetteer_words(const std::string& dir, Gazetteer& gaz) {
  gaz.words.clear();
  for (int g = 0; g < kGazKinds; ++g) {
    const std::string path = dir + "/" + std::string(gaz_file_name(static_cast<Gaz>(g))) + ".txt";
    std::ifstream in(path);
    if (!in) continue;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::string norm = normalize_string(line);
      if (norm.empty()) continue;
      // Keep the kind with the entry: "<kind>\t<text>".
      gaz.words.push_back(std::to_string(g) + "\t" + norm);
    }
  }
  return {};
}

namespace {
constexpr std::uint64_t kGazSeed = 0x6A5Dull;
// Marks a stem sequence that begins some longer entry, so matching stops at the first sequence
// nothing starts with (most tokens cost one lookup, not kMaxGazWords).
constexpr std::uint32_t kGazPrefix = 1u << 31;
bool breaks_match(const Token& t) { return t.kind == TokKind::kPunct; }
}  // namespace

void extend_lexicon(const Gazetteer& gaz, Lexicon& lex) {
  std::vector<Token> toks;
  for (const std::string& entry : gaz.words) {
    const std::string_view text = std::string_view(entry).substr(entry.find('\t') + 1);
    toks.clear();
    scan_tokens(text, toks);
    for (const Token& t : toks)
      if (t.kind == TokKind::kArabic) lex.stems.insert(hash_str(t.span.of(text)), 1);
  }
}

void build_gazetteer(const Lexicon& lex, Gazetteer& gaz) {
  std::vector<Token> toks;
  for (const std::string& entry : gaz.words) {
    const auto tab = entry.find('\t');
    const int g = std::stoi(entry.substr(0, tab));
    const std::string_view text = std::string_view(entry).substr(tab + 1);
    toks.clear();
    scan_tokens(text, toks);
    if (toks.empty() || toks.size() > kMaxGazWords) continue;
    // Offsets of `toks` are relative to `text`.
    analyze_tokens(text, lex, toks);
    if (std::any_of(toks.begin(), toks.end(), breaks_match)) continue;
    std::uint64_t h = kGazSeed;
    for (std::size_t k = 0; k < toks.size(); ++k) {
      h = mix(h, toks[k].h_stem);
      gaz.entries.or_value(h, k + 1 == toks.size() ? 1u << g : kGazPrefix);
    }
  }
}

void mark_gazetteer(const Gazetteer& gaz, std::vector<Token>& tokens) {
  if (gaz.entries.size() == 0) return;
  const std::size_t n = tokens.size();
  // The first probe of a token, as in analyze_tokens, is requested a few tokens ahead.
  constexpr std::size_t kAhead = 8;
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) gaz.entries.prefetch(mix(kGazSeed, tokens[i].h_stem));
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) gaz.entries.prefetch(mix(kGazSeed, tokens[i + kAhead].h_stem));
    std::uint64_t h = kGazSeed;
    for (std::size_t len = 1; len <= kMaxGazWords && i + len <= n; ++len) {
      const Token& last = tokens[i + len - 1];
      if (breaks_match(last)) break;
      h = mix(h, last.h_stem);
      const std::uint32_t bits = gaz.entries.find(h);
      if (bits == HashIndex::kMissing) break;
      const auto b = static_cast<std::uint16_t>(bits);
      if (b == 0) continue;
      tokens[i].gaz_begin |= b;
      for (std::size_t k = i + 1; k < i + len; ++k) tokens[k].gaz_inside |= b;
      tokens[i + len - 1].gaz_end |= b;
    }
  }
}

// ---- features ------------------------------------------------------------------------------
namespace {
enum Tpl : std::uint64_t {
  kBias = 1, kStem, kRaw, kBare, kPrefix, kSuf1, kSuf2, kSuf3, kPre2, kPre3, kShape, kStemM1, kStemP1,
  kStemM2, kStemP2, kRawM1, kBiM1, kBiP1, kGazB, kGazI, kGazE, kGazM1, kGazP1, kSufM1, kSufP1,
  kPrefixP1, kKindM1P1, kGazM2, kBareP1Gaz, kPrefixStem, kStat, kStatM1, kStatP1, kStatPair,
  kClu, kCluCoarse, kCluM1, kCluP1, kCluBi
};

inline std::uint64_t f(Tpl t, std::uint64_t v) { return mix(static_cast<std::uint64_t>(t) * 0x100000001B3ULL, v); }

constexpr std::uint64_t kBos = 0xB05, kEos = 0xE05;

std::uint64_t suffix_hash(std::string_view stem, TokKind kind, std::size_t letters) {
  const std::size_t bytes = kind == TokKind::kArabic ? letters * 2 : letters;
  if (stem.size() < bytes) return mix(0x5F, stem.size());
  return hash_str(stem.substr(stem.size() - bytes));
}

std::uint32_t letters_bucket(std::uint32_t n) {
  return n <= 3 ? n : n <= 5 ? 4 : n <= 8 ? 5 : 6;
}
}  // namespace

// The features fall in groups by the tokens they read, so that the runtime can cache the weight
// sums of the groups that read one word only (WordScores). extract_features is every group, the
// definition the trainer learns from.
namespace {
bool raw_differs(const Token& t) { return t.h_raw != t.h_stem; }
}  // namespace

int word_features(std::string_view text, const Token& t, std::uint64_t* out) {
  int n = 0;
  const std::string_view stem = t.stem.of(text);
  out[n++] = f(kSuf1, suffix_hash(stem, t.kind, 1));
  out[n++] = f(kSuf2, suffix_hash(stem, t.kind, 2));
  out[n++] = f(kSuf3, suffix_hash(stem, t.kind, 3));
  const std::string_view bare = t.has_al && stem.size() > 8 ? stem.substr(starts_with(stem, kAl) ? 4 : 2) : stem;
  const std::size_t unit = t.kind == TokKind::kArabic ? 2 : 1;
  out[n++] = f(kPre2, hash_str(bare.substr(0, 2 * unit)));
  out[n++] = f(kPre3, hash_str(bare.substr(0, 3 * unit)));
  out[n++] = f(kPrefixStem, mix(t.h_prefix, t.h_stem));
  out[n++] = f(kBias, 0);
  out[n++] = f(kStem, t.h_stem);
  if (raw_differs(t)) out[n++] = f(kRaw, t.h_raw);
  out[n++] = f(kBare, t.h_bare);
  out[n++] = f(kPrefix, mix(t.h_prefix, t.has_al));
  out[n++] = f(kShape, mix(static_cast<std::uint64_t>(t.kind), letters_bucket(t.stem_letters)));
  for (int k = 0; k < kStatFields; ++k) out[n++] = f(kStat, mix(k, stat_field(t.stats, k)));
  out[n++] = f(kStatPair, mix(stat_field(t.stats, 0), stat_field(t.stats, 1)));
  return n;
}

int neighbour_features(std::string_view text, const Token* t, Neighbour role, std::uint64_t* out) {
  int n = 0;
  switch (role) {
    case Neighbour::kPrev:
      if (t != nullptr) out[n++] = f(kSufM1, suffix_hash(t->stem.of(text), t->kind, 2));
      out[n++] = f(kStemM1, t ? t->h_stem : kBos);
      if (t != nullptr && raw_differs(*t)) out[n++] = f(kRawM1, t->h_raw);
      out[n++] = f(kStatM1, t ? mix(stat_field(t->stats, 1), stat_field(t->stats, 2)) : kBos);
      break;
    case Neighbour::kNext:
      if (t != nullptr) out[n++] = f(kSufP1, suffix_hash(t->stem.of(text), t->kind, 2));
      out[n++] = f(kStemP1, t ? t->h_stem : kEos);
      out[n++] = f(kPrefixP1, t ? t->h_prefix : kEos);
      out[n++] = f(kStatP1, t ? mix(stat_field(t->stats, 1), stat_field(t->stats, 2)) : kEos);
      break;
    case Neighbour::kPrev2: out[n++] = f(kStemM2, t ? t->h_stem : kBos); break;
    case Neighbour::kNext2: out[n++] = f(kStemP2, t ? t->h_stem : kEos); break;
  }
  return n;
}

int pair_features(const std::vector<Token>& tokens, std::size_t i, std::uint64_t* out) {
  int n = 0;
  const Token& t = tokens[i];
  const Token* m1 = i > 0 ? &tokens[i - 1] : nullptr;
  const Token* m2 = i > 1 ? &tokens[i - 2] : nullptr;
  const Token* p1 = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
  out[n++] = f(kBiM1, mix(m1 ? m1->h_stem : kBos, t.h_stem));
  out[n++] = f(kBiP1, mix(t.h_stem, p1 ? p1->h_stem : kEos));
  out[n++] = f(kKindM1P1, mix(m1 ? static_cast<std::uint64_t>(m1->kind) : 9, p1 ? static_cast<std::uint64_t>(p1->kind) : 9));
  const bool clustered = t.cluster != 0 || (m1 && m1->cluster != 0) || (p1 && p1->cluster != 0);
  if (clustered) {
    // Word clusters from the unlabelled corpus: a rare name shares the cluster of frequent ones.
    const std::uint32_t fine = t.cluster & 0xFFFFu, fm1 = m1 ? (m1->cluster & 0xFFFFu) : 0xFFFFu;
    out[n++] = f(kClu, fine);
    out[n++] = f(kCluCoarse, t.cluster >> 16);
    out[n++] = f(kCluM1, fm1);
    out[n++] = f(kCluP1, p1 ? (p1->cluster & 0xFFFFu) : 0xFFFFu);
    out[n++] = f(kCluBi, mix(fm1, fine));
  }
  // Gazetteer features come last and are capped: the cap counts the context features the first
  // model was trained with (everything but the affixes), so it is computed, not taken from n.
  const int context = 23 + (raw_differs(t) ? 1 : 0) + (m1 && raw_differs(*m1) ? 1 : 0) + (clustered ? 5 : 0);
  int gaz = 0;
  for (int g = 0; g < kGazKinds; ++g) {
    const std::uint16_t bit = static_cast<std::uint16_t>(1u << g);
    if (context + gaz + 6 > kMaxFeatures - 10) break;  // affix features take the first slots
    const int before = n;
    if (t.gaz_begin & bit) out[n++] = f(kGazB, g);
    if (t.gaz_inside & bit) out[n++] = f(kGazI, g);
    if (t.gaz_end & bit) out[n++] = f(kGazE, g);
    if (m1 && (m1->gaz_end & bit)) out[n++] = f(kGazM1, g);
    if (p1 && (p1->gaz_begin & bit)) out[n++] = f(kGazP1, g);
    if (m2 && (m2->gaz_end & bit) && m1 && m1->kind == TokKind::kArabic) out[n++] = f(kGazM2, g);
    gaz += n - before;
  }
  return n;
}

int extract_features(std::string_view text, const std::vector<Token>& tokens, std::size_t i,
                     std::uint64_t* out) {
  const Token* m1 = i > 0 ? &tokens[i - 1] : nullptr;
  const Token* m2 = i > 1 ? &tokens[i - 2] : nullptr;
  const Token* p1 = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
  const Token* p2 = i + 2 < tokens.size() ? &tokens[i + 2] : nullptr;
  int n = word_features(text, tokens[i], out);
  n += neighbour_features(text, m1, Neighbour::kPrev, out + n);
  n += neighbour_features(text, p1, Neighbour::kNext, out + n);
  n += neighbour_features(text, m2, Neighbour::kPrev2, out + n);
  n += neighbour_features(text, p2, Neighbour::kNext2, out + n);
  return n + pair_features(tokens, i, out + n);
}

}  // namespace isnad::ner
