// isnad/tokenize.h — tokens of normalized text, with the clitics of each Arabic word.
//
// An Arabic word carries attached particles: وبالحكومه = و (and) + ب (with) + ال (the) + حكومه;
// حكومتها = حكومت + ها (her). A Token keeps the surface word whole and records how it splits,
// so later stages can match the stem (حكومه) yet point at the whole word in the text.
//
//   isnad::Tokenizer tok;                       // uses Lexicon::builtin()
//   tok.reset(norm.text());
//   for (isnad::Token t; tok.next(t);) {
//     if (t.kind != isnad::TokenKind::kArabic) continue;
//     const isnad::Analysis& a = t.best();
//     std::string_view stem = a.stem.of(norm.text());
//     bool has_and = a.has(isnad::kConjWa);
//   }
//
// Segmentation. Proclitics come in a fixed order: conjunction (و ف), then preposition (ب ل ك) or
// future marker (س, before ي ت ن ا only), then the article (ال; ل + ال is written لل). One enclitic
// pronoun may follow the stem (ه ها هم هما هن ك كم كما كن نا, and ي ني as alternatives only).
// Letters are ambiguous (وزير, بوتين, لندن, كتاب, فرنسا, ذلك are whole words), so each optional
// split is taken only when the word frequency lexicon (data/lexicon/words.tsv, see its README)
// says the remainder is a word in its own right: the split branch must reach at least
// `min_split_ratio` of the evidence of the unsplit branch. Evidence for a stem s is
// count(s) + count(ال s), plus count(s − ت + ه) when s ends in ت (حكومت → حكومه: teh marbuta
// written ت before a suffix). Consequences worth knowing:
//   * ال is split whenever at least two letters remain, unless the lexicon says the word was
//     mostly written with أل/إل/آل (ألمانيا, إلى, آلاف: not the article) or it is one of الله,
//     الذي, التي and the other relative pronouns, which keep their ال.
//   * A final ه is the pronoun only if the lexicon does not flag the word as mostly written
//     with ة; normalization folds ة → ه, the lexicon was built from unfolded text.
//   * When neither reading is known (both counts 0) the word stays whole, except that a
//     conjunction or preposition directly before ال is always split (وال…, بال…, لل…).
//   * Preposition + pronoun (له, بها, لنا …) analyse as stem ل/ب with the enclitic.
// Alternatives: the other segmentations that were considered, best first (up to kMaxAnalyses,
// `analyses[0]` is the chosen one), for callers that want to retry a lookup another way.
//
// Token kinds: runs of Arabic letters, runs of Latin letters, numbers (ASCII digits with inner
// , or . followed by a digit: 1,500 2.5), and punctuation (every other non-space code point,
// one token each). Spans are normalized byte offsets; map them with NormalizedText::to_original.
//
// Cost: no allocation per token. A Tokenizer owns a word cache (~2.6 MB, allocated once), so
// frequent words are analysed once; keep one Tokenizer per thread and reuse it. The Lexicon is
// immutable and shared; Lexicon::builtin() loads data/lexicon/words.tsv once, on first use
// (from $ISNAD_DATA_DIR/lexicon if that variable is set), and is empty if the file is missing,
// in which case only the rules above that need no counts apply.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/span.h"
#include "isnad/status.h"

namespace isnad {

// ---------------------------------------------------------------------------------------------
// Word frequency lexicon.

class Lexicon {
 public:
  enum Flag : std::uint8_t {
    kTehMarbuta = 1,   // final ه was mostly written ة
    kAlefMaqsura = 2,  // final ي was mostly written ى
    kHamzaAlef = 4,    // initial ال was mostly written أل/إل/آل, so it is not the article
  };
  struct Entry {
    std::uint32_t count = 0;
    std::uint8_t flags = 0;
  };

  Lexicon() = default;
  // Parses "word<TAB>count<TAB>flags" lines (flags: any of t y h; '#' starts a comment line).
  // Words must already be normalized. Fails with kParse and the byte offset of a bad line.
  static Expected<Lexicon> parse(std::string contents);
  static Expected<Lexicon> load(const std::string& path);
  // The shipped lexicon, loaded once (thread-safe); empty when the data file is missing.
  static const Lexicon& builtin();

  // Count 0 and no flags when the word is unknown.
  Entry find(std::string_view word) const;
  std::uint32_t count(std::string_view word) const { return find(word).count; }
  std::size_t size() const { return size_; }

 private:
  // Two slots per cache line: the word's bytes are in the slot (see text/word_hash.h), so a
  // lookup, hit or miss, reads one line and never the lexicon text.
  struct alignas(32) Slot {
    std::uint64_t key[3] = {0, 0, 0};  // the word, zero-padded
    std::uint32_t count = 0;
    std::uint8_t length = 0;           // 0 = empty slot
    std::uint8_t flags = 0;
  };
  struct LongWord {  // longer than a slot holds (0.2 % of the words): sorted, binary search
    std::string_view word;
    Entry entry;
  };
  std::string text_;
  std::vector<Slot> slots_;  // open addressing, linear probing, power-of-two size
  std::vector<LongWord> long_words_;
  std::size_t size_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Tokens.

enum class TokenKind : std::uint8_t { kArabic, kLatin, kNumber, kPunct };

enum Proclitic : std::uint8_t {
  kConjWa = 1,     // و
  kConjFa = 2,     // ف
  kPrepBi = 4,     // ب
  kPrepLi = 8,     // ل
  kPrepKa = 16,    // ك
  kFutureSa = 32,  // س
  kArticle = 64,   // ال (also the assimilated ال of لل)
};

enum class Enclitic : std::uint8_t { kNone, kHu, kHa, kHum, kHuma, kHunna, kKa, kKum, kKuma, kKunna, kNa, kI, kNi };
std::string_view to_string(Enclitic e);  // the Arabic letters, "" for kNone

struct Analysis {
  Span stem;                         // normalized offsets; inside the token, never empty
  std::uint8_t proclitics = 0;       // Proclitic bits
  Enclitic enclitic = Enclitic::kNone;
  std::uint32_t evidence = 0;        // lexicon evidence for the stem (0 = unknown)

  bool has(Proclitic p) const { return (proclitics & p) != 0; }
  // The proclitic and enclitic bytes of `token` (empty spans when there are none).
  Span proclitic_span(Span token) const { return {token.begin, stem.begin}; }
  Span enclitic_span(Span token) const { return {stem.end, token.end}; }
  friend bool operator==(const Analysis&, const Analysis&) = default;
};

inline constexpr std::size_t kMaxAnalyses = 4;

struct Token {
  Span span;  // normalized offsets of the surface word
  TokenKind kind = TokenKind::kPunct;
  std::uint8_t analysis_count = 0;  // 1..kMaxAnalyses; non-Arabic tokens have one, stem = span
  std::array<Analysis, kMaxAnalyses> analyses{};

  const Analysis& best() const { return analyses[0]; }
};

struct TokenizerOptions {
  bool punctuation = true;     // emit kPunct tokens
  bool alternatives = true;    // fill analyses[1..]; off saves a little time
  // A split is taken when its evidence reaches this share of the unsplit reading's evidence.
  double min_split_ratio = 0.1;
  friend bool operator==(const TokenizerOptions&, const TokenizerOptions&) = default;
};

class Tokenizer {
 public:
  explicit Tokenizer(const Lexicon& lexicon = Lexicon::builtin(), TokenizerOptions options = {});
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  // Starts tokenizing `normalized` (must outlive the iteration).
  void reset(std::string_view normalized);
  bool next(Token& token);
  // Like next(), but an Arabic token comes back unanalysed (span and kind only, analysis_count
  // 0): for callers that keep their own per-word results and call analyze() only on a miss.
  bool scan(Token& token);
  // Where the next scan() starts. seek() moves it, to a token boundary, for a caller that scans
  // some tokens itself (the Analyzer reads Arabic words directly and hands the rest to scan()).
  std::uint32_t position() const { return pos_; }
  void seek(std::uint32_t pos) { pos_ = pos; }

  // Analyses of one Arabic word `text[word]` (all of it Arabic letters) into `token`.
  void analyze(std::string_view text, Span word, Token& token);

  const Lexicon& lexicon() const { return *lexicon_; }

 private:
  struct Cache;
  const Lexicon* lexicon_;
  TokenizerOptions options_;
  std::unique_ptr<Cache> cache_;
  std::string_view text_;
  std::uint32_t pos_ = 0;
};

}  // namespace isnad
