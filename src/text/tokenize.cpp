#include "isnad/tokenize.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "isnad/chars.h"
#include "isnad/utf8.h"
#include "text/arabic_scan.h"
#include "text/word_hash.h"

namespace isnad {

// ---------------------------------------------------------------------------------------------
// Lexicon

Expected<Lexicon> Lexicon::parse(std::string contents) {
  Lexicon lex;
  lex.text_ = std::move(contents);
  const std::string_view text = lex.text_;
  struct Row {
    std::uint32_t offset, count;
    std::uint8_t length, flags;
  };
  std::vector<Row> rows;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    const std::size_t line_start = pos;
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab1 = line.find('\t');
    if (tab1 == 0 || tab1 == std::string_view::npos || tab1 > 255)
      return make_error(ErrorCode::kParse, "lexicon: expected word<TAB>count", line_start);
    std::size_t tab2 = line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) tab2 = line.size();
    std::uint64_t count = 0;
    if (tab2 == tab1 + 1) return make_error(ErrorCode::kParse, "lexicon: missing count", line_start);
    for (char c : line.substr(tab1 + 1, tab2 - tab1 - 1)) {
      if (c < '0' || c > '9') return make_error(ErrorCode::kParse, "lexicon: bad count", line_start);
      count = std::min<std::uint64_t>(count * 10 + static_cast<std::uint64_t>(c - '0'), 0xFFFFFFFFu);
    }
    std::uint8_t flags = 0;
    if (tab2 < line.size()) {
      for (char c : line.substr(tab2 + 1)) {
        if (c == 't') flags |= kTehMarbuta;
        else if (c == 'y') flags |= kAlefMaqsura;
        else if (c == 'h') flags |= kHamzaAlef;
        else if (c != '\r') return make_error(ErrorCode::kParse, "lexicon: unknown flag", line_start);
      }
    }
    rows.push_back({static_cast<std::uint32_t>(line_start), static_cast<std::uint32_t>(count),
                    static_cast<std::uint8_t>(tab1), flags});
  }
  // Load factor ≤ 0.5 keeps the probe sequence of a miss (the common case while segmenting)
  // within a line or two.
  std::size_t capacity = 16;
  while (capacity < rows.size() * 2) capacity *= 2;
  lex.slots_.assign(capacity, Slot{});
  const std::size_t mask = capacity - 1;
  for (const Row& r : rows) {
    const std::string_view word = text.substr(r.offset, r.length);
    detail::WordKey key;
    if (!key.assign(word)) {
      lex.long_words_.push_back({word, Entry{r.count, r.flags}});
      continue;
    }
    for (std::size_t i = key.hash() & mask;; i = (i + 1) & mask) {
      Slot& s = lex.slots_[i];
      if (s.length == 0) {
        s = Slot{{key.w[0], key.w[1], key.w[2]}, r.count, r.length, r.flags};
        ++lex.size_;
        break;
      }
      if (s.length == key.size && s.key[0] == key.w[0] && s.key[1] == key.w[1] && s.key[2] == key.w[2]) {
        s.count = static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{s.count} + r.count, 0xFFFFFFFFu));
        s.flags |= r.flags;  // duplicate row: counts add up
        break;
      }
    }
  }
  std::sort(lex.long_words_.begin(), lex.long_words_.end(),
            [](const LongWord& a, const LongWord& b) { return a.word < b.word; });
  std::vector<LongWord> merged;
  for (const LongWord& w : lex.long_words_) {
    if (!merged.empty() && merged.back().word == w.word) {
      merged.back().entry.count += w.entry.count;
      merged.back().entry.flags |= w.entry.flags;
    } else {
      merged.push_back(w);
    }
  }
  lex.size_ += merged.size();
  lex.long_words_ = std::move(merged);
  return lex;
}

Expected<Lexicon> Lexicon::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open lexicon " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse(std::move(buffer).str());
}

const Lexicon& Lexicon::builtin() {
  static const Lexicon instance = [] {
    const char* env = std::getenv("ISNAD_DATA_DIR");
    const std::string dir = env && *env ? env : ISNAD_DATA_DIR;
    Expected<Lexicon> lex = load(dir + "/lexicon/words.tsv");
    return lex ? std::move(*lex) : Lexicon{};
  }();
  return instance;
}

Lexicon::Entry Lexicon::find(std::string_view word) const {
  if (slots_.empty() || word.empty()) return {};
  detail::WordKey key;
  if (!key.assign(word)) {
    const auto it = std::lower_bound(long_words_.begin(), long_words_.end(), word,
                                     [](const LongWord& a, std::string_view b) { return a.word < b; });
    return it != long_words_.end() && it->word == word ? it->entry : Entry{};
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = key.hash() & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.length == key.size && s.key[0] == key.w[0] && s.key[1] == key.w[1] && s.key[2] == key.w[2])
      return Entry{s.count, s.flags};
    if (s.length == 0) return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Enclitics

namespace {

struct EncliticForm {
  std::string_view letters;
  Enclitic kind;
  // ي ني are far more often nisba/verb endings than "my"/"me"; كن كما (you, fem. plural/dual)
  // hardly occur in news but end common words (لكن تمكن كما).
  bool alternative_only;
};
// Longest first, so هما is tried before ما-less forms and كما before كم.
constexpr std::array<EncliticForm, 12> kEnclitics{{
    {"هما", Enclitic::kHuma, false},
    {"كما", Enclitic::kKuma, true},
    {"ها", Enclitic::kHa, false},
    {"هم", Enclitic::kHum, false},
    {"هن", Enclitic::kHunna, false},
    {"كم", Enclitic::kKum, false},
    {"كن", Enclitic::kKunna, true},
    {"نا", Enclitic::kNa, false},
    {"ني", Enclitic::kNi, true},
    {"ه", Enclitic::kHu, false},
    {"ك", Enclitic::kKa, false},
    {"ي", Enclitic::kI, true},
}};

}  // namespace

std::string_view to_string(Enclitic e) {
  for (const auto& f : kEnclitics)
    if (f.kind == e) return f.letters;
  return "";
}

// ---------------------------------------------------------------------------------------------
// Segmentation of one Arabic word. Letters are all two bytes in UTF-8 (U+0600–U+06FF), so
// lengths below are in bytes and "two letters" is 4 bytes.

namespace {

constexpr std::uint32_t kLetter = 2;

bool is_relative_pronoun(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kWords{
      "الله", "الذي", "التي", "الذين", "اللذان", "اللذين", "اللتان", "اللتين", "اللاتي", "اللواتي", "اللائي", "اللهم"};
  return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

// Words whose first letter looks like a conjunction or preposition but whose remainder is a
// frequent unrelated word, so the counts alone would split them.
bool never_split(std::string_view w) {
  static constexpr std::array<std::string_view, 9> kWords{"واحد", "واحده", "ولي", "لله", "لكن", "كان", "بان", "فان", "لان"};
  return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

// Prepositions that take a pronoun directly: له بها لنا … analyse as stem ل/ب + enclitic.
bool is_prep_pronoun(std::string_view w, Enclitic& enc) {
  if (w.size() < 2 * kLetter || !(w.starts_with("ل") || w.starts_with("ب"))) return false;
  const std::string_view rest = w.substr(kLetter);
  for (const auto& f : kEnclitics) {
    if (f.letters == rest && f.kind != Enclitic::kKunna && f.kind != Enclitic::kKuma && f.kind != Enclitic::kNi) {
      enc = f.kind;
      return true;
    }
  }
  return false;
}

struct Leaf {
  std::uint32_t stem_begin = 0;  // byte offsets relative to the word
  std::uint32_t stem_end = 0;
  std::uint8_t proclitics = 0;
  Enclitic enclitic = Enclitic::kNone;
  std::uint32_t evidence = 0;
};

class Segmenter {
 public:
  Segmenter(const Lexicon& lex, double ratio) : lex_(lex), ratio_(ratio) {}

  // Fills leaves_ with every analysis considered and returns the index of the chosen one.
  std::size_t run(std::string_view word) {
    word_ = word;
    count_ = 0;
    // A final ه written ة in the lexicon, for the word with or without its first one or two
    // letters (بلدية is not ب + لدي + ه).
    final_teh_marbuta_ = false;
    for (std::size_t skip = 0; word.ends_with("ه") && skip <= 2 * kLetter && skip + 3 * kLetter <= word.size();
         skip += kLetter)
      final_teh_marbuta_ = final_teh_marbuta_ || (flags(word.substr(skip)) & Lexicon::kTehMarbuta);
    return solve_conj();
  }
  const Leaf* leaves() const { return leaves_.data(); }
  std::size_t leaf_count() const { return count_; }

 private:
  std::uint32_t count(std::string_view w) const { return lex_.count(w); }
  std::uint8_t flags(std::string_view w) const { return lex_.find(w).flags; }

  // count(s) + count(ال s) + count(s − ت + ه) for a teh-marbuta word written ت before a suffix.
  std::uint32_t evidence(std::string_view s) const {
    std::uint64_t ev = count(s);
    char buf[160];
    if (s.size() + 4 <= sizeof buf) {
      std::memcpy(buf, "ال", 4);
      std::memcpy(buf + 4, s.data(), s.size());
      ev += count({buf, s.size() + 4});
      if (s.ends_with("ت") && s.size() >= 3 * kLetter) {
        std::memcpy(buf, s.data(), s.size() - kLetter);
        std::memcpy(buf + s.size() - kLetter, "ه", kLetter);
        const Lexicon::Entry e = lex_.find({buf, s.size()});
        if (e.flags & Lexicon::kTehMarbuta) ev += e.count;
      }
    }
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(ev, 0xFFFFFFFFu));
  }

  // A two-letter stem matches some unrelated word too easily (لديهم → ل + دي + هم).
  bool short_stem(std::size_t leaf) const { return leaves_[leaf].stem_end - leaves_[leaf].stem_begin < 3 * kLetter; }

  std::size_t add(std::uint32_t begin, std::uint32_t end, std::uint8_t pro, Enclitic enc, std::uint32_t ev) {
    if (count_ == leaves_.size()) return count_ - 1;  // cannot happen with the fixed grammar
    leaves_[count_] = Leaf{begin, end, pro, enc, ev};
    return count_++;
  }

  // Chooses between the unsplit and split branches (indices into leaves_). A `strict` split must
  // be at least as well attested as the unsplit word (see the callers).
  std::size_t choose(std::size_t unsplit, std::size_t split, bool forced_on_unknown, bool strict = false) const {
    const std::uint32_t u = leaves_[unsplit].evidence, s = leaves_[split].evidence;
    if (s == 0 && u == 0) return forced_on_unknown ? split : unsplit;
    const double ratio = strict ? 1.0 : ratio_;
    return s > 0 && static_cast<double>(s) >= ratio * static_cast<double>(u) ? split : unsplit;
  }

  // Stem [begin, end) of word_, after proclitics `pro`: optional enclitic.
  std::size_t solve_enclitic(std::uint32_t begin, std::uint32_t end, std::uint8_t pro) {
    const std::string_view core = word_.substr(begin, end - begin);
    // With a final ة, a remainder known only as something + pronoun ه is another word (بلديه is
    // not ب + لديه).
    const bool contradicts = final_teh_marbuta_ && pro != 0 && core.ends_with("ه") &&
                             !(flags(core) & Lexicon::kTehMarbuta) && lex_.count(core) > 0;
    const std::size_t whole = add(begin, end, pro, Enclitic::kNone, contradicts ? 0 : evidence(core));
    if (pro & kArticle) return whole;  // an article and a possessive never go together
    std::size_t best = whole;
    for (const auto& f : kEnclitics) {
      if (!core.ends_with(f.letters) || core.size() < f.letters.size() + 2 * kLetter) continue;
      if (f.kind == Enclitic::kHu && (final_teh_marbuta_ || (flags(core) & Lexicon::kTehMarbuta))) continue;
      const std::string_view stem = core.substr(0, core.size() - f.letters.size());
      const std::size_t split = add(begin, end - static_cast<std::uint32_t>(f.letters.size()), pro, f.kind, evidence(stem));
      // Second-person pronouns are rare in news outside quotes, and ك ends many nouns (مشارك).
      const bool second_person = f.kind == Enclitic::kKa || f.kind == Enclitic::kKum || f.kind == Enclitic::kKuma ||
                                 f.kind == Enclitic::kKunna;
      if (!f.alternative_only && best == whole) best = choose(whole, split, false, second_person || short_stem(split));
    }
    return best;
  }

  // Remainder [begin, end): the article, when there is one, is split unconditionally.
  std::size_t solve_article(std::uint32_t begin, std::uint32_t end, std::uint8_t pro) {
    const std::string_view r = word_.substr(begin, end - begin);
    if (r.starts_with("ال") && r.size() >= 4 * kLetter && !is_relative_pronoun(r) &&
        !(flags(r) & Lexicon::kHamzaAlef)) {
      // The stem's evidence includes count(ال stem), so definite-only words are not penalized.
      return solve_enclitic(begin + 2 * kLetter, end, pro | kArticle);
    }
    return solve_enclitic(begin, end, pro);
  }

  std::size_t solve_prep(std::uint32_t begin, std::uint32_t end, std::uint8_t pro) {
    const std::string_view r = word_.substr(begin, end - begin);
    Enclitic enc;
    if (is_prep_pronoun(r, enc)) return add(begin, begin + kLetter, pro, enc, count(r) + 1);
    const std::size_t unsplit = solve_article(begin, end, pro);
    if (r.size() < 3 * kLetter || never_split(r)) return unsplit;
    if (r.starts_with("لل") && r.size() >= 4 * kLetter) {
      // لل is ل + ال with the alef dropped (للحكومه), or ل before a word starting with ل (للبنان).
      const std::size_t with_article = solve_enclitic(begin + 2 * kLetter, end, pro | kPrepLi | kArticle);
      const std::size_t plain = solve_article(begin + kLetter, end, pro | kPrepLi);
      const std::size_t split =
          leaves_[plain].evidence > leaves_[with_article].evidence ? plain : with_article;
      return choose(unsplit, split, true);
    }
    std::uint8_t bit = 0;
    if (r.starts_with("ب")) bit = kPrepBi;
    else if (r.starts_with("ل")) bit = kPrepLi;
    else if (r.starts_with("ك")) bit = kPrepKa;
    else if (r.starts_with("س")) {
      const std::string_view next = r.substr(kLetter, kLetter);
      if (next == "ي" || next == "ت" || next == "ن" || next == "ا") bit = kFutureSa;
    }
    if (bit == 0) return unsplit;
    const std::uint32_t rest = begin + kLetter;
    const bool article_follows = word_.substr(rest).starts_with("ال") && bit != kFutureSa;
    const std::size_t split = bit == kFutureSa ? solve_enclitic(rest, end, pro | bit) : solve_article(rest, end, pro | bit);
    // س and ك start many words (سالم كاس كامل) and their remainders are often words too.
    const bool strict = bit == kFutureSa || bit == kPrepKa || short_stem(split);
    return choose(unsplit, split, article_follows && (leaves_[split].proclitics & kArticle), strict);
  }

  std::size_t solve_conj() {
    const auto end = static_cast<std::uint32_t>(word_.size());
    const std::size_t unsplit = solve_prep(0, end, 0);
    if (word_.size() < 3 * kLetter || never_split(word_)) return unsplit;
    std::uint8_t bit = 0;
    if (word_.starts_with("و")) bit = kConjWa;
    else if (word_.starts_with("ف")) bit = kConjFa;
    if (bit == 0) return unsplit;
    const std::size_t split = solve_prep(kLetter, end, bit);
    const bool article_follows = word_.substr(kLetter).starts_with("ال") || word_.substr(kLetter).starts_with("بال") ||
                                 word_.substr(kLetter).starts_with("لل") || word_.substr(kLetter).starts_with("كال");
    // Two one-letter particles in a row leave a short stem that often matches some unrelated
    // word (ولايه → و + ل + ايه), so that reading must beat the whole word outright.
    const bool stacked = (leaves_[split].proclitics & (kPrepBi | kPrepLi | kPrepKa | kFutureSa)) &&
                         !(leaves_[split].proclitics & kArticle);
    return choose(unsplit, split, article_follows && (leaves_[split].proclitics & kArticle), stacked || short_stem(split));
  }

  const Lexicon& lex_;
  double ratio_;
  std::string_view word_;
  std::array<Leaf, 48> leaves_{};
  std::size_t count_ = 0;
  bool final_teh_marbuta_ = false;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Word cache: a direct-mapped table of analysed words, so a frequent word is segmented once.

struct Tokenizer::Cache {
  static constexpr std::size_t kSlots = 1 << 15;
  struct Packed {
    std::uint8_t stem_begin, stem_end, proclitics;
    Enclitic enclitic;
    std::uint32_t evidence;
  };
  struct alignas(64) Slot {  // one cache line
    std::uint64_t key[3] = {0, 0, 0};
    std::uint8_t length = 0;  // 0 = empty
    std::uint8_t analysis_count = 0;
    std::array<Packed, kMaxAnalyses> analyses;
  };
  std::vector<Slot> slots = std::vector<Slot>(kSlots);
};

Tokenizer::Tokenizer(const Lexicon& lexicon, TokenizerOptions options)
    : lexicon_(&lexicon), options_(options), cache_(std::make_unique<Cache>()) {}
Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

void Tokenizer::reset(std::string_view normalized) {
  text_ = normalized;
  pos_ = 0;
}

void Tokenizer::analyze(std::string_view text, Span word, Token& token) {
  token.span = word;
  token.kind = TokenKind::kArabic;
  const std::string_view w = word.of(text);
  detail::WordKey key;
  Cache::Slot* slot = nullptr;
  if (key.assign(w)) {
    slot = &cache_->slots[key.hash() & (Cache::kSlots - 1)];
    if (slot->length == key.size && slot->key[0] == key.w[0] && slot->key[1] == key.w[1] && slot->key[2] == key.w[2]) {
      token.analysis_count = slot->analysis_count;
      for (std::size_t i = 0; i < slot->analysis_count; ++i) {
        const Cache::Packed& p = slot->analyses[i];
        token.analyses[i] = Analysis{{word.begin + p.stem_begin, word.begin + p.stem_end}, p.proclitics, p.enclitic, p.evidence};
      }
      return;
    }
  }

  Segmenter seg(*lexicon_, options_.min_split_ratio);
  const std::size_t best = seg.run(w);
  const Leaf* leaves = seg.leaves();
  auto to_analysis = [&](const Leaf& l) {
    return Analysis{{word.begin + l.stem_begin, word.begin + l.stem_end}, l.proclitics, l.enclitic, l.evidence};
  };
  token.analyses[0] = to_analysis(leaves[best]);
  token.analysis_count = 1;
  if (options_.alternatives) {
    // The other distinct segmentations, by evidence; the first considered wins ties.
    std::array<std::size_t, 48> order{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < seg.leaf_count(); ++i) {
      if (i == best) continue;
      const Analysis a = to_analysis(leaves[i]);
      bool seen = a.stem == token.analyses[0].stem && a.proclitics == token.analyses[0].proclitics &&
                  a.enclitic == token.analyses[0].enclitic;
      for (std::size_t j = 0; j < n && !seen; ++j) {
        const Leaf& o = leaves[order[j]];
        seen = o.stem_begin == leaves[i].stem_begin && o.stem_end == leaves[i].stem_end &&
               o.proclitics == leaves[i].proclitics && o.enclitic == leaves[i].enclitic;
      }
      if (!seen) order[n++] = i;
    }
    std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n),
                     [&](std::size_t a, std::size_t b) { return leaves[a].evidence > leaves[b].evidence; });
    for (std::size_t j = 0; j < n && token.analysis_count < kMaxAnalyses; ++j)
      token.analyses[token.analysis_count++] = to_analysis(leaves[order[j]]);
  }
  if (slot) {
    std::memcpy(slot->key, key.w, sizeof key.w);
    slot->length = static_cast<std::uint8_t>(key.size);
    slot->analysis_count = token.analysis_count;
    for (std::size_t i = 0; i < token.analysis_count; ++i) {
      const Analysis& a = token.analyses[i];
      slot->analyses[i] = Cache::Packed{static_cast<std::uint8_t>(a.stem.begin - word.begin),
                                        static_cast<std::uint8_t>(a.stem.end - word.begin), a.proclitics, a.enclitic,
                                        a.evidence};
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scanner

namespace {

inline bool ascii_letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool Tokenizer::next(Token& token) {
  if (!scan(token)) return false;
  if (token.kind == TokenKind::kArabic) analyze(text_, token.span, token);
  return true;
}

bool Tokenizer::scan(Token& token) {
  const auto n = static_cast<std::uint32_t>(text_.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  while (pos_ < n) {
    const auto b = static_cast<unsigned char>(text_[pos_]);
    const std::uint32_t begin = pos_;
    if (b < 0x80) {
      if (ascii_digit(b)) {
        ++pos_;
        while (pos_ < n) {
          const auto c = static_cast<unsigned char>(text_[pos_]);
          if (ascii_digit(c)) ++pos_;
          else if ((c == ',' || c == '.') && pos_ + 1 < n && ascii_digit(static_cast<unsigned char>(text_[pos_ + 1])))
            pos_ += 2;
          else break;
        }
        token.kind = TokenKind::kNumber;
      } else if (ascii_letter(b)) {
        ++pos_;
        while (pos_ < n) {
          const DecodedChar d = decode_utf8(text_, pos_);
          if (!is_latin_letter(d.cp)) break;
          pos_ += d.length;
        }
        token.kind = TokenKind::kLatin;
      } else if (b <= ' ' || b == 0x7F) {
        ++pos_;
        continue;
      } else {
        ++pos_;
        if (!options_.punctuation) continue;
        token.kind = TokenKind::kPunct;
      }
    } else if (detail::arabic_letter_at(p, pos_, n)) {
      pos_ = detail::arabic_run_end(p, pos_ + 2, n);
      token.span = Span{begin, pos_};
      token.kind = TokenKind::kArabic;
      token.analysis_count = 0;
      return true;
    } else {
      const DecodedChar d = decode_utf8(text_, pos_);
      pos_ += d.length;
      if (is_latin_letter(d.cp)) {
        while (pos_ < n) {
          const DecodedChar e = decode_utf8(text_, pos_);
          if (!is_latin_letter(e.cp)) break;
          pos_ += e.length;
        }
        token.kind = TokenKind::kLatin;
      } else if (is_space(d.cp) || d.cp == 0x85 || d.cp == 0xA0 || (d.cp >= 0x2000 && d.cp <= 0x200A)) {
        continue;
      } else {
        if (!options_.punctuation) continue;
        token.kind = TokenKind::kPunct;
      }
    }
    token.span = Span{begin, pos_};
    token.analysis_count = 1;
    token.analyses[0] = Analysis{token.span, 0, Enclitic::kNone, 0};
    return true;
  }
  return false;
}

}  // namespace isnad
