#include "isnad/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "isnad/utf8.h"

namespace isnad {

namespace {

constexpr char32_t kDrop = 0xFFFFFFFF;

bool is_removed_mark(char32_t c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 ||  // tashkeel, superscript alef, tatweel
         (c >= 0x0610 && c <= 0x061A) || (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E8) ||
         (c >= 0x06EA && c <= 0x06ED) ||                                         // Quranic annotation marks
         c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF ||  // zero width, BOM
         c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) ||  // bidi controls
         c == 0x00AD;                     // soft hyphen
}

// Characters whose compatibility decomposition we want (presentation forms, full-width forms,
// ligatures). Decided by block so the common path never calls ICU.
bool needs_nfkc(char32_t c) {
  return (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC) || (c >= 0xFF01 && c <= 0xFF5E) ||
         (c >= 0xFB00 && c <= 0xFB06);
}

// The per-character rules; returns kDrop to delete the character.
char32_t map_char(char32_t c, const NormalizeOptions& o) {
  if (c < 0x80) {
    if (c == '\r') return '\n';
    if (c == '\n' || c == '\t') return c;
    if (c < 0x20 || c == 0x7F) return c == 0 ? kDrop : U' ';
    return c;
  }
  if (is_removed_mark(c)) return kDrop;
  switch (c) {
    case 0x0623: case 0x0625: case 0x0622: case 0x0671: case 0x0672: case 0x0673: return 0x0627;
    case 0x0649: return o.fold_yeh ? 0x064A : c;
    case 0x0629: return o.fold_teh_marbuta ? 0x0647 : c;
    case 0x06A9: return 0x0643;  // Persian keheh
    case 0x06CC: return 0x064A;  // Persian yeh
    case 0x06C0: return 0x0647;  // heh with yeh above
    case 0x060C: return ',';
    case 0x061B: return ';';
    case 0x061F: return '?';
    case 0x066A: return '%';
    case 0x066B: return '.';  // Arabic decimal separator
    case 0x066C: return ',';  // Arabic thousands separator
    case 0x06D4: return '.';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: return '-';
    case 0x2018: case 0x2019: case 0x201A: case 0x2032: return '\'';
    case 0x00A0: case 0x2007: case 0x202F: case 0x3000: return ' ';
    default: break;
  }
  if (c >= 0x0660 && c <= 0x0669) return U'0' + (c - 0x0660);
  if (c >= 0x06F0 && c <= 0x06F9) return U'0' + (c - 0x06F0);
  if (c >= 0x2000 && c <= 0x200A) return ' ';
  if (c == 0x2028 || c == 0x2029 || c == 0x0085) return '\n';
  return c;
}

struct NamedEntity {
  std::string_view name;
  char32_t cp;
};
// The references that occur in scraped Arabic news; numeric references cover the rest.
constexpr std::array<NamedEntity, 20> kNamedEntities{{
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"laquo", 0xAB},    {"raquo", 0xBB},    {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"hellip", 0x2026}, {"ndash", 0x2013},  {"mdash", 0x2014},
    {"zwnj", 0x200C},  {"zwj", 0x200D},    {"lrm", 0x200E},    {"rlm", 0x200F},    {"shy", 0xAD},
}};

// Parses an HTML character reference at text[pos] == '&'. Returns its length (0 if none).
std::uint32_t parse_entity(std::string_view text, std::size_t pos, char32_t& cp) {
  const std::size_t limit = std::min(text.size(), pos + 12);
  std::size_t semi = pos + 1;
  while (semi < limit && text[semi] != ';') ++semi;
  if (semi >= limit || semi == pos + 1) return 0;
  std::string_view body = text.substr(pos + 1, semi - pos - 1);
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    std::uint32_t value = 0;
    for (char ch : digits) {
      std::uint32_t d;
      if (ch >= '0' && ch <= '9') d = static_cast<std::uint32_t>(ch - '0');
      else if (hex && ch >= 'a' && ch <= 'f') d = static_cast<std::uint32_t>(ch - 'a' + 10);
      else if (hex && ch >= 'A' && ch <= 'F') d = static_cast<std::uint32_t>(ch - 'A' + 10);
      else return 0;
      value = value * (hex ? 16 : 10) + d;
      if (value > 0x10FFFF) return 0;
    }
    if (value == 0 || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    cp = value;
    return static_cast<std::uint32_t>(semi - pos + 1);
  }
  for (const auto& e : kNamedEntities) {
    if (e.name == body) {
      cp = e.cp;
      return static_cast<std::uint32_t>(semi - pos + 1);
    }
  }
  return 0;
}

// What the fast path does with a two-byte character (U+0080–U+07FF, which holds the whole
// Arabic block): decided once per option set by map_char, so the two paths cannot disagree.
// Every settled rule is "write these `length` bytes" (0 removes the character; a kept one writes
// its own bytes), so the fast path writes without branching on which rule it was.
struct TwoByteRule {
  bool slow = true;  // needs map_char (or NFKC): the slow path
  std::uint8_t length = 0;
  std::uint8_t b0 = 0, b1 = 0;
};
using TwoByteTable = std::array<TwoByteRule, 0x800>;  // indexed by code point

TwoByteTable make_table(const NormalizeOptions& o) {
  TwoByteTable t{};
  for (char32_t c = 0x80; c < 0x800; ++c) {
    TwoByteRule& r = t[c];
    if (needs_nfkc(c)) continue;
    const char32_t m = map_char(c, o);
    if (m == kDrop) r = {false, 0, 0, 0};
    else if (m < 0x80) r = {false, 1, static_cast<std::uint8_t>(m), 0};
    else if (m < 0x800)
      r = {false, 2, static_cast<std::uint8_t>(0xC0 | (m >> 6)), static_cast<std::uint8_t>(0x80 | (m & 0x3F))};
  }
  return t;
}

// Only the yeh and teh marbuta folds change the table; every other option is handled outside it.
const TwoByteTable& table_for(const NormalizeOptions& o) {
  static const std::array<TwoByteTable, 4> tables = [] {
    std::array<TwoByteTable, 4> all{};
    for (int k = 0; k < 4; ++k) {
      NormalizeOptions v;
      v.fold_yeh = (k & 1) != 0;
      v.fold_teh_marbuta = (k & 2) != 0;
      all[static_cast<std::size_t>(k)] = make_table(v);
    }
    return all;
  }();
  return tables[(o.fold_yeh ? 1u : 0u) | (o.fold_teh_marbuta ? 2u : 0u)];
}

// Bytes of the valid UTF-8 sequence at p[i], or 0 when it is malformed (the rules of validate_utf8).
std::uint32_t valid_length(const unsigned char* p, std::size_t i, std::size_t n) {
  const unsigned char b0 = p[i];
  std::uint32_t len;
  char32_t min;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) { len = 2; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
  else return 0;
  if (i + len > n) return 0;
  char32_t cp = b0 & (0x7Fu >> len);
  for (std::uint32_t k = 1; k < len; ++k) {
    if ((p[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i + k] & 0x3Fu);
  }
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return len;
}

// The output of one pass: bytes written into a buffer sized up front, and, when `kMap`, the
// original offset of each output byte. Only compatibility expansions (ﷺ) make text longer, so
// the fast path may write without checks as long as the buffer keeps room for the rest of the
// input plus 16 bytes; the slow path restores that after every character.
using OriginMap = std::vector<std::uint32_t, detail::UninitAllocator<std::uint32_t>>;

template <bool kMap>
class Writer {
 public:
  Writer(std::string& out, OriginMap* origin, std::size_t input_size, const NormalizeOptions& o)
      : out_(out), origin_(origin), options_(o) {
    out_.resize(input_size + 16);
    if constexpr (kMap) origin_->resize(input_size + 17);
  }

  char* at() { return out_.data() + size_; }
  std::uint32_t* origin_at() { return origin_->data() + size_; }
  void advance(std::size_t bytes) { size_ += bytes; }
  void ensure(std::size_t more) {
    if (size_ + more <= out_.size()) return;
    const std::size_t grown = std::max(out_.size() * 2, size_ + more);
    out_.resize(grown);
    if constexpr (kMap) origin_->resize(grown + 1);
  }

  // Emits the normalized form of `c`, which came from original bytes starting at `source`.
  void emit(char32_t c, std::uint32_t source) {
    if (needs_nfkc(c)) {
      emit_compatibility(c, source);
      return;
    }
    const char32_t m = map_char(c, options_);
    if (m == kDrop) return;
    ensure(4);
    char buf[4];
    std::size_t len = 0;
    if (m < 0x80) {
      buf[len++] = static_cast<char>(m);
    } else if (m < 0x800) {
      buf[len++] = static_cast<char>(0xC0 | (m >> 6));
      buf[len++] = static_cast<char>(0x80 | (m & 0x3F));
    } else if (m < 0x10000) {
      buf[len++] = static_cast<char>(0xE0 | (m >> 12));
      buf[len++] = static_cast<char>(0x80 | ((m >> 6) & 0x3F));
      buf[len++] = static_cast<char>(0x80 | (m & 0x3F));
    } else {
      buf[len++] = static_cast<char>(0xF0 | (m >> 18));
      buf[len++] = static_cast<char>(0x80 | ((m >> 12) & 0x3F));
      buf[len++] = static_cast<char>(0x80 | ((m >> 6) & 0x3F));
      buf[len++] = static_cast<char>(0x80 | (m & 0x3F));
    }
    std::memcpy(at(), buf, len);
    if constexpr (kMap) std::fill_n(origin_at(), len, source);
    advance(len);
  }

  // Trims the buffers to what was written; the map gets its end sentinel.
  void finish(std::uint32_t original_size) {
    out_.resize(size_);
    if constexpr (kMap) {
      (*origin_)[size_] = original_size;
      origin_->resize(size_ + 1);
    }
  }

 private:
  void emit_compatibility(char32_t c, std::uint32_t source) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return;
    icu::UnicodeString decomposed = nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status)) return;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 d = decomposed.char32At(i);
      i += U16_LENGTH(d);
      if (!needs_nfkc(static_cast<char32_t>(d))) emit(static_cast<char32_t>(d), source);
    }
  }

  std::string& out_;
  OriginMap* origin_;
  const NormalizeOptions& options_;
  std::size_t size_ = 0;
};

// One pass over valid-or-not UTF-8. Printable ASCII and the two-byte characters the table
// settles (all of the Arabic block) take the fast path; everything else is decoded, checked
// and mapped one character at a time. Returns the offset of the first malformed sequence, or
// `original.size()` when there is none; counts C0 controls (other than \t \n \r) in `controls`.
template <bool kMap>
std::size_t scan(std::string_view original, const NormalizeOptions& options, Writer<kMap>& w, std::size_t& controls) {
  const auto* p = reinterpret_cast<const unsigned char*>(original.data());
  const std::size_t n = original.size();
  const TwoByteTable& table = table_for(options);
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b = p[i];
    if (b >= 0x20 && b < 0x7F && b != '&') {  // printable ASCII: copied as is
      *w.at() = static_cast<char>(b);
      if constexpr (kMap) *w.origin_at() = static_cast<std::uint32_t>(i);
      w.advance(1);
      ++i;
      continue;
    }
    if (b >= 0xC2 && b < 0xE0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      const TwoByteRule r = table[((b & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)];
      if (!r.slow) {
        char* out = w.at();  // two bytes of room: at least two input bytes are left
        out[0] = static_cast<char>(r.b0);
        out[1] = static_cast<char>(r.b1);
        const std::size_t len = r.length;
        if constexpr (kMap) {
          std::uint32_t* o = w.origin_at();
          o[0] = static_cast<std::uint32_t>(i);
          o[1] = static_cast<std::uint32_t>(i);  // harmless past `len`: overwritten or trimmed
        }
        w.advance(len);
        i += 2;
        continue;
      }
    }
    if (b < 0x20) controls += (b != '\n' && b != '\r' && b != '\t') ? 1 : 0;
    if (b == '\r' && i + 1 < n && p[i + 1] == '\n') {  // CR LF counts as one line break
      ++i;
      continue;
    }
    if (b == '&' && options.decode_html_entities) {
      char32_t cp = 0;
      if (const std::uint32_t len = parse_entity(original, i, cp)) {
        w.emit(cp, static_cast<std::uint32_t>(i));
        i += len;
        w.ensure(n - i + 16);
        continue;
      }
    }
    const std::uint32_t len = valid_length(p, i, n);
    if (len == 0) return i;
    w.emit(decode_utf8(original, i).cp, static_cast<std::uint32_t>(i));
    i += len;
    w.ensure(n - i + 16);  // keeps the fast path's room: an expansion may have used it
  }
  return n;
}

}  // namespace

std::uint32_t NormalizedText::expansion_end(std::uint32_t end) const {
  std::uint32_t j = end;
  while (j < text_.size() && origin_[j] == origin_[end - 1]) ++j;
  return origin_[j];
}

Status normalize_into(std::string_view original, NormalizedText& result, const NormalizeOptions& options) {
  result.text_.clear();
  result.origin_.clear();
  result.original_size_ = 0;
  if (original.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return make_error(ErrorCode::kTooLarge, "input larger than 4 GiB");
  }
  Writer<true> writer(result.text_, &result.origin_, original.size(), options);
  std::size_t controls = 0;
  Status status;
  if (scan(original, options, writer, controls) != original.size()) {
    status = validate_utf8(original).error();
  } else if (controls > 0 &&
             static_cast<double>(controls) > options.max_control_ratio * static_cast<double>(original.size())) {
    const auto first = std::find_if(original.begin(), original.end(), [](char ch) {
      const auto b = static_cast<unsigned char>(ch);
      return b < 0x20 && b != '\n' && b != '\r' && b != '\t';
    });
    status = make_error(ErrorCode::kBinaryInput, "binary data (NUL or control bytes), not text",
                        static_cast<std::uint64_t>(first - original.begin()));
  }
  if (!status) {
    result.text_.clear();
    result.origin_.clear();
    return status;
  }
  result.original_size_ = static_cast<std::uint32_t>(original.size());
  writer.finish(result.original_size_);
  return status;
}

Expected<NormalizedText> normalize(std::string_view original, const NormalizeOptions& options) {
  NormalizedText result;
  if (Status s = normalize_into(original, result, options); !s) return s.error();
  return result;
}

std::string normalize_string(std::string_view text, const NormalizeOptions& options) {
  std::string out;
  Writer<false> writer(out, nullptr, text.size(), options);
  std::size_t controls = 0;
  if (scan(text, options, writer, controls) != text.size()) return {};
  writer.finish(0);
  return out;
}

}  // namespace isnad
