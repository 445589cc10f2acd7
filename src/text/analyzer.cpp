#include "isnad/analyzer.h"

#include <array>
#include <cstring>

#include "text/arabic_scan.h"
#include "text/word_hash.h"

namespace isnad {

bool LatinLowercaseFilter::apply(std::string_view, const Token& token, Term& term) {
  if (token.kind != TokenKind::kLatin) return true;
  buffer_.assign(term.text);
  for (char& c : buffer_)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  term.text = buffer_;
  return true;
}

const std::vector<std::string>& StopwordFilter::default_words() {
  // Normalized forms (ى → ي, ة → ه, no hamza on alef). Stems, since clitics are already off.
  static const std::vector<std::string> kWords{
      "في", "من", "علي", "الي", "عن", "مع", "ان", "او", "ام", "ثم", "حتي", "منذ", "لدي", "عند", "بين", "خلال", "ضد",
      "نحو", "حول", "دون", "غير", "سوي", "بعد", "قبل", "فوق", "تحت", "امام", "خلف", "حيث", "اذا", "اذ", "لو", "لولا",
      "كي", "لكي", "لكن", "بل", "قد", "لقد", "لا", "لم", "لن", "ما", "ماذا", "متي", "اين", "كيف", "هل", "كل", "بعض",
      "اي", "ايضا", "هذا", "هذه", "ذلك", "تلك", "هؤلاء", "اولئك", "هنا", "هناك", "الذي", "التي", "الذين", "اللذان",
      "اللذين", "اللتان", "اللتين", "اللاتي", "اللواتي", "هو", "هي", "هم", "هما", "هن", "انا", "نحن", "انت", "انتم",
      "كان", "كانت", "يكون", "تكون", "كانوا", "ليس", "ليست", "انه", "انها", "فيه", "فيها", "ل", "ب", "ك", "و", "ف",
      "الا", "اما", "عليه", "كما", "مثل", "وفق", "لدى", "عدم", "تم", "يتم"};
  return kWords;
}

StopwordFilter::StopwordFilter() : StopwordFilter(default_words()) {}

StopwordFilter::StopwordFilter(const std::vector<std::string>& words) {
  storage_.reserve(words.size());
  for (const std::string& w : words) storage_.push_back(normalize_string(w));
  for (const std::string& w : storage_) set_.insert(w);
}

bool StopwordFilter::apply(std::string_view, const Token&, Term& term) { return set_.count(term.text) == 0; }

// Stems of distinct words, so the stemmer's lexicon lookups run once per word, not per token.
struct StemFilter::Cache {
  static constexpr std::size_t kSlots = 1 << 15;
  struct alignas(32) Slot {
    std::uint64_t key[3] = {0, 0, 0};
    std::uint8_t length = 0;  // 0 = empty
    std::uint8_t pronoun = 0;  // the stem depends on whether a pronoun followed (حكومت+ها)
    std::uint8_t kept = 0;     // stem bytes kept from the start of the word
  };
  std::vector<Slot> slots = std::vector<Slot>(kSlots);
};

StemFilter::StemFilter(const Lexicon& lexicon) : stemmer_(lexicon), cache_(std::make_unique<Cache>()) {}
StemFilter::~StemFilter() = default;

bool StemFilter::apply(std::string_view normalized, const Token& token, Term& term) {
  if (token.kind != TokenKind::kArabic) return true;
  const Analysis& a = token.best();
  const std::string_view word = a.stem.of(normalized);
  const std::uint8_t pronoun = a.enclitic != Enclitic::kNone ? 1 : 0;
  detail::WordKey key;
  Cache::Slot* slot = nullptr;
  if (key.assign(word)) {
    slot = &cache_->slots[(key.hash() ^ pronoun) & (Cache::kSlots - 1)];
    if (slot->length == key.size && slot->pronoun == pronoun && slot->key[0] == key.w[0] && slot->key[1] == key.w[1] &&
        slot->key[2] == key.w[2]) {
      term.text = word.substr(0, slot->kept);
      return true;
    }
  }
  const Span s = stemmer_.stem(normalized, a);
  term.text = s.of(normalized);
  if (slot) {
    std::memcpy(slot->key, key.w, sizeof key.w);
    slot->length = static_cast<std::uint8_t>(key.size);
    slot->pronoun = pronoun;
    slot->kept = static_cast<std::uint8_t>(s.size());
  }
  return true;
}

// An Arabic word of up to 12 letters, one byte per letter. After normalize() every Arabic
// letter is two UTF-8 bytes, lead D8–DB and a trail byte, so the lead's low two bits and the
// trail's low six bits say which letter it is; the key is half the size of the word's bytes,
// and a cache way holding it fits in 16 bytes.
namespace {
struct LetterKey {
  static constexpr std::size_t kMaxLetters = 12;
  static_assert(detail::WordKey::kMaxBytes == 2 * kMaxLetters, "two bytes per Arabic letter; lo and hi hold 12");
  std::uint64_t lo = 0;  // letters 0–7
  std::uint32_t hi = 0;  // letters 8–11
  std::uint32_t letters = 0;

  // False when the word is longer than kMaxLetters. `word` must be Arabic letters only.
  bool assign(std::string_view word) {
    detail::WordKey bytes;
    if (!bytes.assign(word)) return false;
    lo = pack(bytes.w[0]) | (std::uint64_t{pack(bytes.w[1])} << 32);
    hi = pack(bytes.w[2]);
    letters = bytes.size / 2;
    return true;
  }
  std::uint64_t hash() const {
    std::uint64_t h = (lo ^ letters) * 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 29) ^ hi) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
  }

 private:
  // Four letters (eight bytes, little-endian: lead, trail, lead, trail …) to four bytes.
  static std::uint32_t pack(std::uint64_t x) {
    const std::uint64_t y = x & 0x3F033F033F033F03ull;      // per letter: lead bits 0–1, trail bits 8–13
    const std::uint64_t t = (y | (y >> 6)) & 0x00FF00FF00FF00FFull;  // per letter: one byte in the low half
    const std::uint64_t z = t | (t >> 8);                  // bytes 0,1 in bits 0–15; bytes 2,3 in bits 32–47
    return static_cast<std::uint32_t>((z & 0xFFFF) | ((z >> 16) & 0xFFFF0000));
  }
};
}  // namespace

// 128K words in 32K sets of four 16-byte ways: 2 MB, one cache line per lookup. A hit moves to
// the front; a new word goes in last, so it replaces the least recently used word and must be
// seen again before it can push out a frequent one (the long tail of names and typos would
// otherwise evict the common words of its set).
struct Analyzer::TermCache {
  static constexpr std::size_t kSets = 1 << 15;
  static constexpr std::size_t kWays = 4;
  struct Way {
    std::uint64_t lo = 0;
    std::uint32_t hi = 0;
    std::uint8_t letters = 0;  // 0 = empty
    std::uint8_t keep = 0;     // 0: the chain dropped the word (a stopword)
    std::uint8_t term_begin = 0, term_end = 0;  // the term's bytes, relative to the word
    bool matches(const LetterKey& k) const { return letters == k.letters && lo == k.lo && hi == k.hi; }
  };
  struct alignas(64) Set {
    Way way[kWays];  // most recently used first
  };
  static_assert(sizeof(Set) == 64);
  std::vector<Set> sets = std::vector<Set>(kSets);

  // The way holding `key`, moved to the front, or nullptr.
  static const Way* find(Set& set, const LetterKey& key) {
    for (std::size_t i = 0; i < kWays; ++i) {
      if (!set.way[i].matches(key)) continue;
      const Way hit = set.way[i];
      for (std::size_t j = i; j > 0; --j) set.way[j] = set.way[j - 1];
      set.way[0] = hit;
      return &set.way[0];
    }
    return nullptr;
  }
};

// The words ahead of the one being delivered, with their cache sets already requested from
// memory: a term-cache set is often not in L2 (the table is 2 MB), and looking up the words
// one after another would wait for each line in turn.
struct Analyzer::Batch {
  static constexpr std::size_t kWords = 16;
  struct Word {
    Span span;
    TokenKind kind;
    TermCache::Set* set;  // null: not cacheable (not Arabic, too long, or no cache)
    LetterKey key;
  };
  std::array<Word, kWords> words{};
  std::size_t next = 0, size = 0;
};

Analyzer::Analyzer(AnalyzerOptions options, const Lexicon& lexicon)
    : options_(options), tokenizer_(lexicon, options.tokenize), batch_(std::make_unique<Batch>()) {
  if (options_.lowercase_latin) filters_.push_back(std::make_unique<LatinLowercaseFilter>());
  if (options_.stopwords) filters_.push_back(std::make_unique<StopwordFilter>());
  if (options_.stem) filters_.push_back(std::make_unique<StemFilter>(lexicon));
  // What the cache holds depends on the tokenizer options, the filters and the lexicon only
  // (normalization happens before it).
  const AnalyzerOptions standard;
  default_chain_ = &lexicon == &Lexicon::builtin() && options.tokenize == standard.tokenize &&
                   options.lowercase_latin == standard.lowercase_latin && options.stopwords == standard.stopwords &&
                   options.stem == standard.stem;
  if (!default_chain_) own_cache_ = std::make_unique<TermCache>();
}

Analyzer::~Analyzer() = default;

Analyzer& Analyzer::add_filter(std::unique_ptr<TermFilter> filter) {
  filters_.push_back(std::move(filter));
  cacheable_ = false;
  own_cache_.reset();
  return *this;
}

// Picked per run, not at construction: an analyzer may be used on another thread than the one
// that made it (a pooled SQLite connection's FTS tokenizer), and the cache must be this thread's.
Analyzer::TermCache& Analyzer::thread_cache() {
  thread_local TermCache cache;
  return cache;
}

void Analyzer::start(std::string_view text) {
  cache_ = !cacheable_ ? nullptr : default_chain_ ? &thread_cache() : own_cache_.get();
  tokenizer_.reset(text);
  pos_ = 0;
  position_ = 0;
  batch_->next = batch_->size = 0;
}

bool Analyzer::fill(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto n = static_cast<std::uint32_t>(text.size());
  Batch& batch = *batch_;
  batch.next = batch.size = 0;
  std::uint32_t pos = pos_;
  while (batch.size < Batch::kWords) {
    while (pos < n && (p[pos] == ' ' || p[pos] == '\n')) ++pos;
    if (pos >= n) break;
    Batch::Word& w = batch.words[batch.size];
    // Arabic words are read here, so a cached one never reaches the tokenizer; anything else
    // is the tokenizer's (which skips the rarer kinds of space and, for search, punctuation).
    if (detail::arabic_letter_at(p, pos, n)) {
      w.span = Span{pos, detail::arabic_run_end(p, pos + 2, n)};
      w.kind = TokenKind::kArabic;
    } else {
      tokenizer_.seek(pos);
      if (!tokenizer_.scan(token_)) {
        pos = n;
        break;
      }
      pos = tokenizer_.position();
      if (token_.kind == TokenKind::kPunct) continue;
      w.span = token_.span;
      w.kind = token_.kind;
    }
    pos = w.span.end;
    w.set = nullptr;
    if (w.kind == TokenKind::kArabic && cache_ && w.key.assign(w.span.of(text))) {
      w.set = &cache_->sets[w.key.hash() & (TermCache::kSets - 1)];
      __builtin_prefetch(w.set);
    }
    ++batch.size;
  }
  pos_ = pos;
  return batch.size > 0;
}

bool Analyzer::next_term(std::string_view text, Term& term) {
  Batch& batch = *batch_;
  Token& token = token_;
  for (;;) {
    if (batch.next == batch.size && !fill(text)) return false;
    const Batch::Word& w = batch.words[batch.next++];
    const Span span = w.span;
    const std::uint32_t position = position_++;
    if (w.set) {
      if (const TermCache::Way* hit = TermCache::find(*w.set, w.key)) {
        if (!hit->keep) continue;
        term = Term{text.substr(span.begin + hit->term_begin, hit->term_end - hit->term_begin), span, span, position};
        return true;
      }
    }
    if (w.kind == TokenKind::kArabic) {
      tokenizer_.analyze(text, span, token);
    } else {  // as Tokenizer::scan leaves a non-Arabic token
      token.span = span;
      token.kind = w.kind;
      token.analysis_count = 1;
      token.analyses[0] = Analysis{span, 0, Enclitic::kNone, 0};
    }
    term = Term{token.best().stem.of(text), span, span, position};
    bool keep = true;
    for (const auto& f : filters_) {
      if (!f->apply(text, token, term)) {
        keep = false;
        break;
      }
    }
    // The standard filters leave an Arabic term inside its word; cache only what can be replayed.
    const char* word = text.data() + span.begin;
    if (w.set && (!keep || (term.text.data() >= word && term.text.data() + term.text.size() <= word + span.size()))) {
      TermCache::Way& way = w.set->way[TermCache::kWays - 1];
      way.lo = w.key.lo;
      way.hi = w.key.hi;
      way.letters = static_cast<std::uint8_t>(w.key.letters);
      way.keep = keep ? 1 : 0;
      way.term_begin = keep ? static_cast<std::uint8_t>(term.text.data() - word) : 0;
      way.term_end = keep ? static_cast<std::uint8_t>(term.text.data() + term.text.size() - word) : 0;
    }
    if (keep) return true;
  }
}

}  // namespace isnad
