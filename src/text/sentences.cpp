// Sentence splitting, line by line. The rules and their reasons are in include/isnad/sentences.h.
//
// Each line is scanned once. Terminators propose break positions; quote marks are matched on a
// stack as the scan goes. At the end of the line, breaks that fall strictly inside a matched
// quotation are dropped (unless there are too many of them), and the pieces are emitted.
#include "isnad/sentences.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>

#include "isnad/chars.h"
#include "isnad/utf8.h"

namespace isnad {
namespace {

using u32 = std::uint32_t;

enum class Glyph : unsigned char { kOther, kGuillemetOpen, kCurlyOpen, kLowOpen, kClose, kBullet, kEllipsis };

struct GlyphAt {
  Glyph glyph;
  u32 length;
};

// The non-ASCII punctuation the splitter reacts to, recognised from its UTF-8 bytes.
GlyphAt glyph_at(std::string_view t, u32 pos) {
  const auto byte = [&](u32 k) -> unsigned { return pos + k < t.size() ? static_cast<unsigned char>(t[pos + k]) : 0u; };
  const unsigned c0 = byte(0);
  if (c0 == 0xC2) {
    if (byte(1) == 0xAB) return {Glyph::kGuillemetOpen, 2};  // «
    if (byte(1) == 0xBB) return {Glyph::kClose, 2};          // »
  } else if (c0 == 0xE2) {
    const unsigned c1 = byte(1);
    const unsigned c2 = byte(2);
    if (c1 == 0x80) {
      switch (c2) {
        case 0x9C: return {Glyph::kCurlyOpen, 3};  // “
        case 0x9D: return {Glyph::kClose, 3};      // ”
        case 0x9E: return {Glyph::kLowOpen, 3};    // „
        case 0xA2: return {Glyph::kBullet, 3};     // •
        case 0xA6: return {Glyph::kEllipsis, 3};   // …
        default: break;
      }
    } else if ((c1 == 0x96 && (c2 == 0xA0 || c2 == 0xAA)) || (c1 == 0x97 && (c2 == 0x8F || c2 == 0xA6))) {
      return {Glyph::kBullet, 3};  // ■ ▪ ● ◦
    }
  }
  return {Glyph::kOther, 0};
}

bool is_opener(Glyph g) { return g == Glyph::kGuillemetOpen || g == Glyph::kCurlyOpen || g == Glyph::kLowOpen; }

constexpr bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool ascii_alnum(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

// Bytes to step over the character whose lead byte is `c` (1 for a stray continuation byte).
constexpr u32 char_length(unsigned char c) {
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return c < 0xF8 ? 4 : 1;
}

// Latin abbreviations that precede a name or a number, so their '.' never ends a sentence.
// Words that often end one too (etc., Inc., Jr.) are left out on purpose.
constexpr std::array<std::string_view, 21> kLatinTitles = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj",
    "Sen", "Rep", "Gov", "Rev", "St", "Mt", "No", "vs", "cf", "approx"};

class Splitter {
 public:
  Splitter(std::string_view text, std::vector<Span>& out) : t_(text), out_(out) {}

  void line(u32 begin, u32 end) {
    end_ = end;
    stack_.clear();
    quoted_.clear();
    breaks_.clear();
    ascii_open_ = 0;
    body_ = begin + marker_length(begin);
    u32 pos = body_;
    while (pos < end_) {
      const char c = t_[pos];
      if (c == '.' || c == '?' || c == '!') {
        pos = terminator(pos);
      } else if (c == '"') {
        if (ascii_open_ > 0) {
          close_ascii(pos + 1);
        } else {
          stack_.push_back({pos, Glyph::kOther});
          ++ascii_open_;
        }
        ++pos;
      } else if (const u32 url = url_end(pos); url > pos) {
        pos = url;
      } else if (static_cast<unsigned char>(c) < 0x80) {
        ++pos;
      } else {
        pos = non_ascii(pos);
      }
    }
    emit_line();
  }

 private:
  struct Open {
    u32 pos;
    Glyph glyph;  // kOther for ASCII "
  };

  u32 non_ascii(u32 pos) {
    const GlyphAt g = glyph_at(t_, pos);
    switch (g.glyph) {
      case Glyph::kEllipsis:
        return terminator(pos);
      case Glyph::kGuillemetOpen:
      case Glyph::kLowOpen:
        stack_.push_back({pos, g.glyph});
        break;
      case Glyph::kCurlyOpen:
        // “ is the closer of German-style „…“ and the opener everywhere else.
        if (!stack_.empty() && stack_.back().glyph == Glyph::kLowOpen) {
          close_top(pos + g.length);
        } else {
          stack_.push_back({pos, g.glyph});
        }
        break;
      case Glyph::kClose:
        if (!stack_.empty()) close_top(pos + g.length);
        break;
      case Glyph::kBullet:
        if (pos > body_ && blank(t_[pos - 1])) breaks_.push_back(pos);
        break;
      case Glyph::kOther:
        return pos + char_length(static_cast<unsigned char>(t_[pos]));
    }
    return pos + g.length;
  }

  // A run of . ? ! … starting at `pos`, with the closing marks after it. Returns where it ends.
  u32 terminator(u32 pos) {
    const u32 run_begin = pos;
    u32 dots = 0;
    bool strong = false;  // ? or !
    bool ellipsis = false;
    while (pos < end_) {
      const char c = t_[pos];
      if (c == '.') {
        ++dots;
        ++pos;
      } else if (c == '?' || c == '!') {
        strong = true;
        ++pos;
      } else if (glyph_at(t_, pos).glyph == Glyph::kEllipsis) {
        ellipsis = true;
        pos += 3;
      } else {
        break;
      }
    }
    // Closing marks right behind a terminator belong to its sentence.
    while (pos < end_) {
      const char c = t_[pos];
      if (c == ')' || c == ']' || c == '}') {
        ++pos;
      } else if (c == '"') {
        // With no " open on this line, a " between a full stop and a space closes a quotation
        // opened on an earlier line: it must not open a new one.
        if (ascii_open_ > 0) {
          close_ascii(pos + 1);
        } else if (pos + 1 < end_ && !blank(t_[pos + 1])) {
          break;
        }
        ++pos;
      } else if (const GlyphAt g = glyph_at(t_, pos); g.glyph == Glyph::kClose) {
        if (!stack_.empty()) close_top(pos + g.length);
        pos += g.length;
      } else {
        break;
      }
    }
    if (pos >= end_) return pos;  // the line end breaks anyway
    if (!strong && (dots >= 3 || ellipsis)) return pos;
    if (ends_sentence(run_begin, pos, !strong && dots <= 2)) breaks_.push_back(pos);
    return pos;
  }

  // Whether the terminator run [run_begin, after) ends a sentence, judged by what follows it and,
  // for a full stop, by the word before it.
  bool ends_sentence(u32 run_begin, u32 after, bool full_stop) const {
    const char next = t_[after];
    if (blank(next)) {
      if (!full_stop) return true;
      if (abbreviation(run_begin, after)) return false;
      u32 k = after;
      while (k < end_ && blank(t_[k])) ++k;
      return k >= end_ || t_[k] < 'a' || t_[k] > 'z';
    }
    // Glued on: only an Arabic letter or an opening quote starts a new sentence.
    if (next != '"' && !is_opener(glyph_at(t_, after).glyph) &&
        (static_cast<unsigned char>(next) < 0x80 || !is_arabic_letter(decode_utf8(t_, after).cp))) {
      return false;
    }
    return !(full_stop && abbreviation(run_begin, after));
  }

  // Whether the word ending at `end` is an abbreviation whose '.' does not end a sentence;
  // `after` is where the text resumes behind the '.'.
  bool abbreviation(u32 end, u32 after) const {
    u32 k = end;
    u32 letters = 0;
    bool arabic = false;
    bool latin = false;
    bool digit = false;
    char32_t first = 0;
    while (k > body_ && letters <= 6) {
      const u32 len = utf8_length_before(t_, k);
      if (k - len < body_) break;
      const char32_t cp = decode_utf8(t_, k - len).cp;
      if (is_arabic_letter(cp)) {
        arabic = true;
      } else if (is_latin_letter(cp)) {
        latin = true;
      } else if (is_ascii_digit(cp)) {
        digit = true;
      } else {
        break;
      }
      k -= len;
      ++letters;
      first = cp;
    }
    if (letters == 0 || letters > 6 || digit) return false;
    if (letters == 1) {
      if (arabic && (first == U'\u0645' || first == U'\u0647')) {  // م ه after a year: an era, 1990 م.
        u32 j = k;
        while (j > body_ && blank(t_[j - 1])) --j;
        if (j > body_ && t_[j - 1] >= '0' && t_[j - 1] <= '9') return false;
      }
      if (arabic) return true;
      // A Latin letter is an initial inside U.S. or before a Latin name (J. Smith); before Arabic
      // text it is a word of its own ("على منصة X. وقال").
      if (k > body_ && t_[k - 1] == '.') return true;
      while (after < end_ && blank(t_[after])) ++after;
      return after < end_ && ascii_alnum(t_[after]) && !(t_[after] >= '0' && t_[after] <= '9');
    }
    if (arabic || !latin) return false;
    const std::string_view word = t_.substr(k, end - k);
    for (const std::string_view title : kLatinTitles) {
      if (word == title) return true;
    }
    return false;
  }

  // End of a URL starting at `pos` (0 if none there), without the punctuation that closes the
  // sentence around it.
  u32 url_end(u32 pos) const {
    if ((t_[pos] != 'h' && t_[pos] != 'w') || (pos > body_ && ascii_alnum(t_[pos - 1]))) return 0;
    const std::string_view rest = t_.substr(pos, end_ - pos);
    if (!rest.starts_with("http://") && !rest.starts_with("https://") && !rest.starts_with("www.")) return 0;
    u32 end = pos;
    while (end < end_ && !blank(t_[end])) ++end;
    while (end > pos) {
      const char last = t_[end - 1];
      if (last != '\0' && std::strchr(".?!,;:)]}\"'", last) != nullptr) {
        --end;
      } else if (end - pos >= 2 && t_.substr(end - 2, 2) == "\xC2\xBB") {
        end -= 2;
      } else if (end - pos >= 3 && t_.substr(end - 3, 3) == "\xE2\x80\x9D") {
        end -= 3;
      } else {
        break;
      }
    }
    return end;
  }

  // Bytes of a list marker (* - • 1. 2) 3-) and the blanks after it at line start, 0 if none.
  u32 marker_length(u32 begin) const {
    u32 k = begin;
    while (k < end_ && blank(t_[k])) ++k;
    if (k < end_ && (t_[k] == '*' || t_[k] == '-')) {
      while (k < end_ && (t_[k] == '*' || t_[k] == '-')) ++k;
      if (k < end_ && !blank(t_[k])) return 0;  // **bold**, -3
    } else if (const GlyphAt g = glyph_at(t_, k); g.glyph == Glyph::kBullet) {
      k += g.length;
    } else {
      const u32 digits = k;
      while (k < end_ && k - digits < 4 && t_[k] >= '0' && t_[k] <= '9') ++k;
      if (k == digits || k - digits > 3 || k + 1 >= end_) return 0;
      if ((t_[k] != '.' && t_[k] != ')' && t_[k] != '-') || !blank(t_[k + 1])) return 0;
      ++k;
    }
    while (k < end_ && blank(t_[k])) ++k;
    return k - begin;
  }

  void close_top(u32 end) {
    const Open o = stack_.back();
    stack_.pop_back();
    if (o.glyph == Glyph::kOther) --ascii_open_;
    record(Span{o.pos, end});
  }

  // Closes the innermost open ASCII quote; openers inside it are abandoned as unmatched.
  void close_ascii(u32 end) {
    while (stack_.back().glyph != Glyph::kOther) stack_.pop_back();
    close_top(end);
  }

  // Keeps only outermost quotations: a pair closes after every pair nested in it.
  void record(Span quote) {
    while (!quoted_.empty() && quoted_.back().begin >= quote.begin) quoted_.pop_back();
    quoted_.push_back(quote);
  }

  void emit_line() {
    std::size_t i = 0;
    u32 from = body_;
    const auto cut = [&](u32 at) {
      emit(from, at);
      from = at;
    };
    for (const Span q : quoted_) {
      while (i < breaks_.size() && breaks_[i] <= q.begin) cut(breaks_[i++]);
      std::size_t j = i;
      while (j < breaks_.size() && breaks_[j] < q.end) ++j;
      if (j - i > kMaxQuotedBoundaries) {
        while (i < j) cut(breaks_[i++]);
      }
      i = j;
    }
    while (i < breaks_.size()) cut(breaks_[i++]);
    emit(from, end_);
  }

  void emit(u32 begin, u32 end) {
    while (begin < end) {
      if (blank(t_[begin])) {
        ++begin;
      } else if (const GlyphAt g = glyph_at(t_, begin); g.glyph == Glyph::kBullet) {
        begin += g.length;
      } else {
        break;
      }
    }
    while (end > begin && blank(t_[end - 1])) --end;
    for (u32 k = begin; k < end;) {
      const auto c = static_cast<unsigned char>(t_[k]);
      if (c < 0x80) {
        if (ascii_alnum(static_cast<char>(c))) {
          out_.push_back(Span{begin, end});
          return;
        }
        ++k;
      } else if (const GlyphAt g = glyph_at(t_, k); g.glyph != Glyph::kOther) {
        k += g.length;
      } else {
        out_.push_back(Span{begin, end});  // a letter of some script
        return;
      }
    }
  }

  std::string_view t_;
  std::vector<Span>& out_;
  u32 end_ = 0;   // end of the current line
  u32 body_ = 0;  // start of the current line after its list marker
  std::vector<Open> stack_;
  u32 ascii_open_ = 0;       // ASCII quotes on the stack
  std::vector<Span> quoted_;  // outermost quotations closed on this line, in order
  std::vector<u32> breaks_;   // proposed sentence ends on this line, in order
};

}  // namespace

std::vector<Span> split_sentences(std::string_view normalized) {
  std::vector<Span> out;
  if (normalized.size() >= std::numeric_limits<u32>::max()) return out;
  Splitter splitter(normalized, out);
  const auto n = static_cast<u32>(normalized.size());
  for (u32 begin = 0; begin < n;) {
    const void* newline = std::memchr(normalized.data() + begin, '\n', n - begin);
    const u32 end = newline ? static_cast<u32>(static_cast<const char*>(newline) - normalized.data()) : n;
    splitter.line(begin, end);
    begin = end + 1;
  }
  return out;
}

}  // namespace isnad

namespace isnad {
namespace {

// Length of a spaced dash at `p` ("-", "–", "—", "--"), 0 when there is none.
std::size_t dash_at(std::string_view t, std::size_t p) {
  if (p == 0 || t[p - 1] != ' ') return 0;
  std::size_t len = 0;
  if (t.compare(p, 2, "--") == 0) len = 2;
  else if (t[p] == '-') len = 1;
  else if (t.compare(p, 3, "\xE2\x80\x93") == 0 || t.compare(p, 3, "\xE2\x80\x94") == 0) len = 3;
  return len > 0 && p + len < t.size() && t[p + len] == ' ' ? len : 0;
}

}  // namespace

std::uint32_t dateline_end(std::string_view normalized, Span sentence) {
  // A dateline is a few words; anything further in is a dash inside the sentence.
  constexpr std::size_t kMaxLeadIn = 120;
  const std::string_view t = normalized;
  if (sentence.end > t.size() || sentence.empty()) return sentence.begin;
  std::size_t line = sentence.begin;
  while (line > 0 && (t[line - 1] == ' ' || t[line - 1] == '\t')) --line;
  if (line > 0 && t[line - 1] != '\n') return sentence.begin;

  const std::size_t limit = std::min<std::size_t>(sentence.end, sentence.begin + kMaxLeadIn);
  std::size_t words = 0;
  bool in_word = false, punctuation = false;
  for (std::size_t p = sentence.begin; p < limit; ++p) {
    const char c = t[p];
    if (const std::size_t dash = dash_at(t, p)) {
      std::size_t q = p - 1;
      while (q > sentence.begin && t[q - 1] == ' ') --q;
      const bool outlet = q > sentence.begin && t[q - 1] == ')';
      if (!(outlet ? words <= 10 : (words <= 3 && !punctuation))) return sentence.begin;
      std::size_t body = p + dash;
      while (body < sentence.end && t[body] == ' ') ++body;
      return body < sentence.end ? static_cast<std::uint32_t>(body) : sentence.begin;
    }
    if (c == ' ') {
      in_word = false;
      continue;
    }
    // Speech or quotation before the dash means this is a sentence, not a dateline.
    if (c == ':' || c == '"' || t.compare(p, 2, "\xC2\xAB") == 0 || t.compare(p, 3, "\xE2\x80\x9C") == 0)
      return sentence.begin;
    if (c == ',' || c == '(' || c == ')') punctuation = true;
    if (!in_word && c != '(' && c != ')' && c != ',') ++words;
    in_word = c != '(' && c != ')' && c != ',';
  }
  return sentence.begin;
}

}  // namespace isnad
