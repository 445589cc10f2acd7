#include "isnad/analyzer.h"

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

// 64K words in 16K sets of four ways (two cache lines). A hit moves to the front; a new word
// goes in last, so it replaces the least recently used word and must be seen again before it
// can push out a frequent one (the long tail of names and typos would otherwise evict the
// common words of its set: a third fewer misses than plain LRU on news text).
struct Analyzer::TermCache {
  static constexpr std::size_t kSets = 1 << 14;
  static constexpr std::size_t kWays = 4;
  struct Way {
    std::uint64_t key[3] = {0, 0, 0};
    std::uint8_t length = 0;  // 0 = empty
    std::uint8_t keep = 0;    // 0: the chain dropped the word (a stopword)
    std::uint8_t term_begin = 0, term_end = 0;  // the term's bytes, relative to the word
    bool matches(const detail::WordKey& k) const {
      return length == k.size && key[0] == k.w[0] && key[1] == k.w[1] && key[2] == k.w[2];
    }
  };
  struct alignas(128) Set {
    Way way[kWays];  // most recently used first
  };
  std::vector<Set> sets = std::vector<Set>(kSets);

  // The way holding `key`, moved to the front, or nullptr.
  static const Way* find(Set& set, const detail::WordKey& key) {
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

Analyzer::Analyzer(AnalyzerOptions options, const Lexicon& lexicon)
    : options_(options), tokenizer_(lexicon, options.tokenize), cache_(std::make_unique<TermCache>()) {
  if (options_.lowercase_latin) filters_.push_back(std::make_unique<LatinLowercaseFilter>());
  if (options_.stopwords) filters_.push_back(std::make_unique<StopwordFilter>());
  if (options_.stem) filters_.push_back(std::make_unique<StemFilter>(lexicon));
}

Analyzer::~Analyzer() = default;

Analyzer& Analyzer::add_filter(std::unique_ptr<TermFilter> filter) {
  filters_.push_back(std::move(filter));
  cache_.reset();
  return *this;
}

bool Analyzer::next_term(std::string_view text, Term& term) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto n = static_cast<std::uint32_t>(text.size());
  Token& token = token_;
  std::uint32_t pos = pos_;
  for (;;) {
    while (pos < n && (p[pos] == ' ' || p[pos] == '\n')) ++pos;
    if (pos >= n) break;
    // Arabic words are read here, so a cached one never reaches the tokenizer; anything else
    // is the tokenizer's (which skips the rarer kinds of space and, for search, punctuation).
    if (detail::arabic_letter_at(p, pos, n)) {
      token.span = Span{pos, detail::arabic_run_end(p, pos + 2, n)};
      token.kind = TokenKind::kArabic;
      token.analysis_count = 0;
    } else {
      tokenizer_.seek(pos);
      if (!tokenizer_.scan(token)) {
        pos = n;
        break;
      }
      if (token.kind == TokenKind::kPunct) {
        pos = tokenizer_.position();
        continue;
      }
    }
    const Span span = token.span;
    pos = span.end;
    const std::uint32_t position = position_++;
    detail::WordKey key;
    TermCache::Set* set = nullptr;
    if (token.kind == TokenKind::kArabic && cache_ && key.assign(span.of(text))) {
      set = &cache_->sets[key.hash() & (TermCache::kSets - 1)];
      if (const TermCache::Way* hit = TermCache::find(*set, key)) {
        if (!hit->keep) continue;
        term = Term{text.substr(span.begin + hit->term_begin, hit->term_end - hit->term_begin), span, span, position};
        pos_ = pos;
        return true;
      }
    }
    if (token.kind == TokenKind::kArabic) tokenizer_.analyze(text, span, token);
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
    if (set && (!keep || (term.text.data() >= word && term.text.data() + term.text.size() <= word + span.size()))) {
      TermCache::Way& w = set->way[TermCache::kWays - 1];
      std::memcpy(w.key, key.w, sizeof key.w);
      w.length = static_cast<std::uint8_t>(key.size);
      w.keep = keep ? 1 : 0;
      w.term_begin = keep ? static_cast<std::uint8_t>(term.text.data() - word) : 0;
      w.term_end = keep ? static_cast<std::uint8_t>(term.text.data() + term.text.size() - word) : 0;
    }
    if (keep) {
      pos_ = pos;
      return true;
    }
  }
  pos_ = pos;
  return false;
}

}  // namespace isnad
