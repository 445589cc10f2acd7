#include "isnad/analyzer.h"

#include <cstring>

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
  static constexpr std::size_t kMaxWord = 30;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint8_t length = 0;  // 0 = empty
    std::uint8_t kept = 0;    // stem bytes kept from the start of the word
    char word[kMaxWord];
  };
  std::vector<Slot> slots = std::vector<Slot>(kSlots);
};

StemFilter::StemFilter(const Lexicon& lexicon) : stemmer_(lexicon), cache_(std::make_unique<Cache>()) {}
StemFilter::~StemFilter() = default;

bool StemFilter::apply(std::string_view normalized, const Token& token, Term& term) {
  if (token.kind != TokenKind::kArabic) return true;
  const Analysis& a = token.best();
  const std::string_view word = a.stem.of(normalized);
  // The stem depends on whether a pronoun followed (حكومت+ها), so that is part of the key.
  const std::uint64_t h = detail::word_hash(word) ^ (a.enclitic != Enclitic::kNone ? 0x9E3779B97F4A7C15ull : 0);
  Cache::Slot* slot = nullptr;
  if (word.size() <= Cache::kMaxWord) {
    slot = &cache_->slots[h & (Cache::kSlots - 1)];
    if (slot->length == word.size() && slot->hash == h && std::memcmp(slot->word, word.data(), word.size()) == 0) {
      term.text = word.substr(0, slot->kept);
      return true;
    }
  }
  const Span s = stemmer_.stem(normalized, a);
  term.text = s.of(normalized);
  if (slot) {
    slot->hash = h;
    slot->length = static_cast<std::uint8_t>(word.size());
    slot->kept = static_cast<std::uint8_t>(s.size());
    std::memcpy(slot->word, word.data(), word.size());
  }
  return true;
}

Analyzer::Analyzer(AnalyzerOptions options, const Lexicon& lexicon)
    : options_(options), tokenizer_(lexicon, options.tokenize) {
  if (options_.lowercase_latin) filters_.push_back(std::make_unique<LatinLowercaseFilter>());
  if (options_.stopwords) filters_.push_back(std::make_unique<StopwordFilter>());
  if (options_.stem) filters_.push_back(std::make_unique<StemFilter>(lexicon));
}

Analyzer::~Analyzer() = default;

Analyzer& Analyzer::add_filter(std::unique_ptr<TermFilter> filter) {
  filters_.push_back(std::move(filter));
  return *this;
}

}  // namespace isnad
