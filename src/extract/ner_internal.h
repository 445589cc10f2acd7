// ner_internal.h — the parts of the NER tagger shared by the runtime (ner.cpp), the trainer
// (tools/train_ner.cpp) and the tests: token scanning, clitic analysis, gazetteer matching,
// feature extraction, the weight table and Viterbi decoding.
//
// Training and tagging must see tokens the same way, so both go through `scan_tokens` +
// `analyze_tokens` + `extract_features` on normalized text; the trainer only joins its corpus
// tokens with spaces first.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/entities.h"
#include "isnad/span.h"
#include "isnad/status.h"

namespace isnad::ner {

// ---- hashing -------------------------------------------------------------------------------
constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

inline std::uint64_t hash_bytes(std::uint64_t h, std::string_view s) {
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return h;
}
inline std::uint64_t hash_str(std::string_view s) { return hash_bytes(kFnvOffset, s); }
// Order-dependent combination (splitmix64 finalizer over a ^ rotated b).
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// ---- memory --------------------------------------------------------------------------------
// The tagger's tables (weights, lexicon, statistics, the word-score memo) are read at random, a
// dozen MB in all: with 4 KB pages nearly every read also missed the TLB. Blocks of 2 MB and more
// are 2 MB-aligned and advised for transparent huge pages (a no-op where the kernel has none).
constexpr std::size_t kHugePage = std::size_t{2} << 20;
void* allocate_huge(std::size_t bytes);  // bytes: a multiple of kHugePage
void free_huge(void* p);

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n * sizeof(T) < kHugePage) return std::allocator<T>().allocate(n);
    return static_cast<T*>(allocate_huge((n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage));
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage) std::allocator<T>().deallocate(p, n);
    else free_huge(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// Open-addressing set/map from 64-bit hashes (0 is the empty key; a real 0 hash is remapped).
class HashIndex {
 public:
  void reserve(std::size_t n);
  // Returns the slot value for `key`, inserting `value_if_new` when absent.
  std::uint32_t insert(std::uint64_t key, std::uint32_t value_if_new);
  // kMissing when absent.
  std::uint32_t find(std::uint64_t key) const {
    if (mask_ == 0) return kMissing;
    key = key == 0 ? 1 : key;
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) return kMissing;
    }
  }
  // Starts loading the slot of `key` into the CPU cache, for a find() a little later.
  void prefetch(std::uint64_t key) const {
    if (mask_ == 0) return;
    __builtin_prefetch(&slots_[slot(key == 0 ? 1 : key)]);
  }
  void or_value(std::uint64_t key, std::uint32_t bits);
  bool contains(std::uint64_t key) const { return find(key) != kMissing; }
  std::size_t size() const { return size_; }
  template <class F>
  void for_each(F&& f) const {
    for (const Slot& e : slots_)
      if (e.key != 0) f(e.key, e.value);
  }
  static constexpr std::uint32_t kMissing = 0xFFFFFFFFu;

 private:
  // FNV hashes of similar short words share low bits; scramble before masking.
  std::size_t slot(std::uint64_t key) const { return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask_; }
  void grow();
  // Key and value side by side: a hit costs one cache line, not one in each of two arrays.
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0;
  };
  HugeVector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// ---- labels --------------------------------------------------------------------------------
constexpr int kTypes = 6;                 // EntityType order: PER ORG LOC GPE FAC MISC
constexpr int kLabels = 1 + 2 * kTypes;   // O, then B-t, I-t for each type
constexpr int label_b(EntityType t) { return 1 + 2 * static_cast<int>(t); }
constexpr int label_i(EntityType t) { return 2 + 2 * static_cast<int>(t); }
constexpr bool is_b(int label) { return label > 0 && label % 2 == 1; }
constexpr bool is_i(int label) { return label > 0 && label % 2 == 0; }
constexpr EntityType label_type(int label) { return static_cast<EntityType>((label - 1) / 2); }
std::string label_name(int label);  // "O", "B-PER", …
int label_from_name(std::string_view name);  // -1 when unknown

// ---- gazetteer kinds -----------------------------------------------------------------------
// Each gazetteer file data/ner/gazetteers/<kind>.txt feeds one bit of feature information.
enum class Gaz : std::uint8_t {
  kGpe, kLoc, kOrg, kFac, kPerFirst, kPerName, kTitle, kOrgCue, kLocCue, kFacCue, kNisba, kGpeCue,
  kCount
};
constexpr int kGazKinds = static_cast<int>(Gaz::kCount);
std::string_view gaz_file_name(Gaz g);  // "gpe", "loc", …

// ---- tokens --------------------------------------------------------------------------------
enum class TokKind : std::uint8_t { kArabic, kLatin, kDigit, kPunct };

struct Token {
  Span span;  // the whole token in normalized text
  Span stem;  // without proclitics (و ف ب ل ك); equals span when nothing was stripped
  TokKind kind = TokKind::kPunct;
  std::uint8_t stem_letters = 0;   // code points in stem, capped at 255
  bool has_al = false;             // stem starts with the article ال
  std::uint16_t gaz_begin = 0;     // bit per Gaz kind: a gazetteer match starts here
  std::uint16_t gaz_inside = 0;    // bit per Gaz kind: covered by a match, not its first token
  std::uint16_t gaz_end = 0;       // bit per Gaz kind: a match ends here
  std::uint64_t h_raw = 0, h_stem = 0, h_bare = 0, h_prefix = 0;
  std::uint32_t stats = 0;         // packed WordStats code of the bare stem (0 = unseen)
  std::uint32_t cluster = 0;       // WordStats cluster code of the bare stem (0 = unseen)
};

// Splits normalized text into runs of Arabic letters, Latin letters, digits (with internal
// , . between digits) and single punctuation characters; spaces separate. Appends to `out`.
void scan_tokens(std::string_view text, std::vector<Token>& out);

// The lexicon of known stems decides clitic stripping: و+بوتين is split when بوتين is known,
// وليد is not split because وليد itself is known.
struct Lexicon {
  HashIndex stems;
};

// Fills stem/h_* fields of every token.
void analyze_tokens(std::string_view text, const Lexicon& lex, std::vector<Token>& tokens);

// ---- gazetteers ----------------------------------------------------------------------------
constexpr int kMaxGazWords = 6;
struct Gazetteer {
  HashIndex entries;  // hash of the stem sequence → bitmask of Gaz kinds
  std::vector<std::string> words;  // every word of every entry (to extend the lexicon)
};
// Reads data/ner/gazetteers/*.txt under `dir` (missing files are empty lists). Entries are
// analysed with `lex`, so call after the lexicon is complete.
Status load_gazetteer_words(const std::string& dir, Gazetteer& gaz);
// Every Arabic word of every entry becomes a known stem (so واشنطن is never read as و+اشنطن).
void extend_lexicon(const Gazetteer& gaz, Lexicon& lex);
void build_gazetteer(const Lexicon& lex, Gazetteer& gaz);
void mark_gazetteer(const Gazetteer& gaz, std::vector<Token>& tokens);

// ---- distributional word statistics ----------------------------------------------------------
// Counted on an unlabelled news corpus by the trainer, keyed by the bare stem (without ال):
// how frequent a word is, how often it takes the article (names almost never do) and how often
// it follows a title or a given name. Packed in 4-bit fields.
struct WordStats {
  HashIndex codes;     // h_bare → code
  HashIndex clusters;  // h_bare → (coarse cluster + 1) << 16 | (fine cluster + 1)
};
// Fields: frequency, article share, share after a person cue, share after an organization head
// noun, and the share of occurrences a first-stage tagger labelled PER, ORG, place.
constexpr int kStatFields = 7;
inline std::uint32_t stat_field(std::uint32_t code, int field) { return (code >> (4 * field)) & 0xFu; }

// ---- features ------------------------------------------------------------------------------
constexpr int kMaxFeatures = 64;
// Feature hashes of token i of `text`; returns the count (≤ kMaxFeatures). The union of the
// three groups below.
int extract_features(std::string_view text, const std::vector<Token>& tokens, std::size_t i,
                     std::uint64_t* out);
// Features of a token that read the token alone.
int word_features(std::string_view text, const Token& t, std::uint64_t* out);
// Features of token i that read one neighbour `t` in the given position relative to i (kPrev:
// t is token i-1); t is nullptr past either end of the text.
enum class Neighbour : std::uint8_t { kPrev, kNext, kPrev2, kNext2 };
int neighbour_features(std::string_view text, const Token* t, Neighbour role, std::uint64_t* out);
// Features of token i that read two tokens at once, or gazetteer marks (which depend on the
// words around a token, not on the token alone).
int pair_features(const std::vector<Token>& tokens, std::size_t i, std::uint64_t* out);

// ---- model ---------------------------------------------------------------------------------
struct Weights {
  HashIndex index;                 // feature hash → row
  HugeVector<float> rows;          // row * kLabels + label
  std::array<float, kLabels * kLabels> trans{};  // prev * kLabels + cur
  std::array<float, kLabels> start{};
};

// Legal BIO transitions: I-t only after B-t or I-t.
constexpr bool allowed(int prev, int cur) {
  return !is_i(cur) || (prev > 0 && label_type(prev) == label_type(cur));
}

// Per-call scratch so that tagging allocates nothing once the buffers have grown.
struct Scratch {
  std::vector<Token> tokens;
  std::vector<float> scores;   // token * kLabels + label (emission)
  std::vector<float> delta;
  std::vector<std::uint8_t> back;
  std::vector<std::uint8_t> labels;
};

// Emission scores of all tokens into scratch.scores.
void score_tokens(const Weights& w, std::string_view text, Scratch& s);

// The weight sums of one word's single-word feature groups. A token's analysis (stem, clitics,
// statistics) depends on its bytes only, so the sums are a function of the word.
struct WordScores {
  std::uint64_t key = 0;  // the word's h_raw; 0 = empty slot
  std::array<float, kLabels> self{}, as_prev{}, as_next{}, as_prev2{}, as_next2{};
};

// Per-thread memo of WordScores for the tagger's hot path. Scoring a token the direct way reads
// ~45 rows of a weight table of several MB at random (cache misses: two thirds of the whole
// analysis pipeline's time). News repeats its words, so with this memo most tokens cost one probe
// plus the ~5 pair and gazetteer rows. Direct-mapped with a fixed number of slots, so memory is
// bounded and nothing is allocated after the first use.
class WordScoreCache {
 public:
  static constexpr int kSlotBits = 14;
  static constexpr std::size_t kSlots = std::size_t{1} << kSlotBits;
  // Forgets every entry when `model` is not the model the entries were computed with.
  void bind(std::uint64_t model, const Weights& w);
  // The entry of token t, computed on a miss. Valid until the next call.
  const WordScores& get(const Weights& w, std::string_view text, const Token& t);
  // Starts loading the slot of token t into the CPU cache, for a get() a few tokens later.
  void prefetch(const Token& t);
  // The sums for a missing neighbour (before the first or after the last token).
  const WordScores& edge() const { return edge_; }

 private:
  WordScores& slot(const Token& t);
  std::uint64_t model_ = 0;
  HugeVector<WordScores> slots_;
  WordScores edge_;
};

// Same scores as score_tokens (up to float rounding: the terms are added in another order).
void score_tokens_cached(const Weights& w, std::string_view text, Scratch& s, WordScoreCache& cache);
// Best label sequence under scores + transitions (legal BIO only) into scratch.labels.
void viterbi(const Weights& w, Scratch& s);

// File format (little endian): "ISNADNER" u32 version, u32 kLabels, u32 n_lex, u64[n_lex] lexicon,
// f32 trans[kLabels²], f32 start[kLabels], u32 n_rows, f32 scale, then n_rows × (u64 key,
// i16[kLabels] weight/scale).
// Version 2 adds, after the lexicon: u32 n_stats, n_stats × (u64 key, u32 code).
// Version 3 adds, after the stats: u32 n_clusters, n_clusters × (u64 key, u32 cluster code).
Status save_model(const std::string& path, const Lexicon& lex, const WordStats& stats, const Weights& w);
Status load_model(const std::string& path, Lexicon& lex, WordStats& stats, Weights& w);

}  // namespace isnad::ner

namespace isnad::ner {

// Everything a loaded model holds; shared read-only between copies of NerModel.
struct ModelData {
  std::uint64_t id = 0;  // distinct per loaded model, so per-thread caches never outlive theirs
  Lexicon lex;
  WordStats stats;
  Gazetteer gaz;
  Weights weights;
};

// Scan + clitic analysis + gazetteer marks of `text` into s.tokens (training and tagging share it).
void prepare_tokens(const ModelData& m, std::string_view text, Scratch& s);
// A title followed by a place and a person tagged as one PER span (محافظ وادي الريم ماجد العطار,
// or محافظ وادي + PER الريم ماجد العطار): when the span starts like a place (place head noun or
// gazetteer place) or follows a place head noun, the place becomes its own entity and the person
// starts at the first given name (else after head + one word), so the role reads title + place.
void split_place_from_name(Scratch& s);
// An unknown definite word after a settlement or landform noun (بلده المناره) is a place.
void place_after_cue(std::string_view text, Scratch& s);
// Title + lone given name tagged PER + definite word left outside (المحافظ سمير العوده): the
// definite word is the family name.
void family_name_after_titled_given_name(Scratch& s);
// A definite weekday inside a PER or ORG span ends it (مايكروسوفت الخميس: "on Thursday"), unless a
// given name precedes it (محمد الخميس, a family name).
void weekday_ends_name(std::string_view text, Scratch& s);
// Entities (and roles) from s.tokens/s.labels.
void collect_mentions(std::string_view text, const Scratch& s, std::vector<EntityMention>& out);

}  // namespace isnad::ner
