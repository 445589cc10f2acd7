#include "isnad/stem.h"

#include <array>
#include <cstring>

#include "isnad/normalize.h"

namespace isnad {

namespace {

constexpr std::uint32_t kLetter = 2;  // every Arabic letter is two bytes in UTF-8

// `a` + `b` in a stack buffer; empty when too long to be a word.
struct Joined {
  char buf[192];
  std::size_t size = 0;
  Joined(std::string_view a, std::string_view b) {
    if (a.size() + b.size() > sizeof buf) return;
    std::memcpy(buf, a.data(), a.size());
    std::memcpy(buf + a.size(), b.data(), b.size());
    size = a.size() + b.size();
  }
  std::string_view view() const { return {buf, size}; }
};

bool keeps_whole(std::string_view w) {
  static constexpr std::array<std::string_view, 11> kWords{"الله", "الذي", "التي", "الذين", "اللذان", "اللذين",
                                                           "اللتان", "اللتين", "اللاتي", "اللواتي", "اللهم"};
  for (std::string_view k : kWords)
    if (k == w) return true;
  return false;
}

}  // namespace

bool Stemmer::known(std::string_view word) const {
  if (word.empty()) return false;
  if (lexicon_->count(word) > 0) return true;
  const Joined definite("ال", word);
  return definite.size > 0 && lexicon_->count(definite.view()) > 0;
}

Span Stemmer::stem(std::string_view text, const Analysis& analysis) const {
  Span s = analysis.stem;
  const std::string_view c = s.of(text);
  if (c.size() < 3 * kLetter || keeps_whole(c)) return s;
  const auto letters = static_cast<std::uint32_t>(c.size() / kLetter);
  auto drop = [&](std::uint32_t n) { return Span{s.begin, s.end - n * kLetter}; };
  auto teh_marbuta_word = [&](std::string_view w) {  // w ends in ه written ة
    const Lexicon::Entry e = lexicon_->find(w);
    if (e.flags & Lexicon::kTehMarbuta) return true;
    const Joined definite("ال", w);
    return definite.size > 0 && (lexicon_->find(definite.view()).flags & Lexicon::kTehMarbuta) != 0;
  };
  // حكومت(ها) → حكوم: teh marbuta is written ت before a suffix.
  auto ta_stem = [&](std::string_view w) {
    if (!w.ends_with("ت") || w.size() < 3 * kLetter) return false;
    const Joined with_heh(w.substr(0, w.size() - kLetter), "ه");
    return with_heh.size > 0 && teh_marbuta_word(with_heh.view());
  };

  if (analysis.enclitic != Enclitic::kNone && ta_stem(c)) return drop(1);
  if (c.ends_with("ه")) {
    if (teh_marbuta_word(c) || !known(c)) return drop(1);
    return s;
  }
  const std::string_view rem = c.substr(0, c.size() - 2 * kLetter);
  const bool c_known = known(c);
  auto partner = [&](std::string_view suffix) {
    const Joined p(rem, suffix);
    return p.size > 0 && known(p.view());
  };
  // After a plural/dual ending, a ت may be the teh marbuta of the singular: حكومتين → حكوم.
  auto strip = [&]() { return ta_stem(rem) ? drop(3) : drop(2); };
  if (c.ends_with("ات") && letters >= 4) {
    const Joined singular(rem, "ه");
    if ((singular.size > 0 && teh_marbuta_word(singular.view())) || known(rem) || (!c_known && letters >= 5))
      return drop(2);
    return s;
  }
  if (c.ends_with("ين") && letters >= 5) {
    if (((partner("ون") || partner("ان")) && known(rem)) || ta_stem(rem) || (!c_known && letters >= 6)) return strip();
    return s;
  }
  if (c.ends_with("ون") && letters >= 5) {
    if ((partner("ين") && known(rem)) || (!c_known && letters >= 6)) return strip();
    return s;
  }
  if (c.ends_with("ان") && letters >= 5) {
    if (partner("ين") && (known(rem) || ta_stem(rem))) return strip();
    return s;
  }
  return s;
}

std::string stem_word(std::string_view word, const Stemmer& stemmer) {
  const std::string norm = normalize_string(word);
  Tokenizer tokenizer;
  tokenizer.reset(norm);
  Token token;
  if (!tokenizer.next(token)) return {};
  if (token.kind != TokenKind::kArabic) return std::string(token.span.of(norm));
  return std::string(stemmer.stem(norm, token.best()).of(norm));
}

}  // namespace isnad
