#include "isnad/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
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

class Writer {
 public:
  Writer(std::string& out, std::vector<std::uint32_t>* origin, const NormalizeOptions& o)
      : out_(out), origin_(origin), options_(o) {}

  // Emits the normalized form of `c`, which came from original bytes starting at `source`.
  void emit(char32_t c, std::uint32_t source) {
    if (needs_nfkc(c)) {
      emit_compatibility(c, source);
      return;
    }
    const char32_t m = map_char(c, options_);
    if (m == kDrop) return;
    const std::size_t before = out_.size();
    append_utf8(out_, m);
    if (origin_) origin_->insert(origin_->end(), out_.size() - before, source);
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
  std::vector<std::uint32_t>* origin_;
  const NormalizeOptions& options_;
};

template <class Emit>
void scan(std::string_view original, const NormalizeOptions& options, Emit&& emit) {
  const auto n = static_cast<std::uint32_t>(original.size());
  std::uint32_t i = 0;
  while (i < n) {
    const auto byte = static_cast<unsigned char>(original[i]);
    if (byte == '\r' && i + 1 < n && original[i + 1] == '\n') {  // CR LF counts as one line break
      ++i;
      continue;
    }
    if (byte == '&' && options.decode_html_entities) {
      char32_t cp = 0;
      if (const std::uint32_t len = parse_entity(original, i, cp)) {
        emit(cp, i);
        i += len;
        continue;
      }
    }
    const DecodedChar d = decode_utf8(original, i);
    emit(d.cp, i);
    i += d.length;
  }
}

}  // namespace

Span NormalizedText::to_original(Span s) const {
  const std::uint32_t begin = origin_[s.begin];
  std::uint32_t end = origin_[s.end];
  // A span that ends inside the expansion of one original character (ﻻ → لا) must still
  // cover that character.
  if (s.end > s.begin && s.end < text_.size() && origin_[s.end] == origin_[s.end - 1]) {
    std::uint32_t j = s.end;
    while (j < text_.size() && origin_[j] == origin_[s.end - 1]) ++j;
    end = origin_[j];
  }
  return Span{begin, std::max(begin, end)};
}

Expected<NormalizedText> normalize(std::string_view original, const NormalizeOptions& options) {
  if (original.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return make_error(ErrorCode::kTooLarge, "input larger than 4 GiB");
  }
  if (Status valid = validate_utf8(original); !valid) return valid.error();

  std::size_t controls = 0;
  for (char ch : original) {
    const auto b = static_cast<unsigned char>(ch);
    controls += (b < 0x20 && b != '\n' && b != '\r' && b != '\t') ? 1 : 0;
  }
  if (controls > 0 && static_cast<double>(controls) > options.max_control_ratio * static_cast<double>(original.size())) {
    const auto first = std::find_if(original.begin(), original.end(), [](char ch) {
      const auto b = static_cast<unsigned char>(ch);
      return b < 0x20 && b != '\n' && b != '\r' && b != '\t';
    });
    return make_error(ErrorCode::kBinaryInput, "binary data (NUL or control bytes), not text",
                      static_cast<std::uint64_t>(first - original.begin()));
  }

  NormalizedText result;
  result.original_size_ = static_cast<std::uint32_t>(original.size());
  result.text_.reserve(original.size());
  result.origin_.reserve(original.size() + 1);
  Writer writer(result.text_, &result.origin_, options);
  scan(original, options, [&](char32_t cp, std::uint32_t source) { writer.emit(cp, source); });
  result.origin_.push_back(result.original_size_);
  return result;
}

std::string normalize_string(std::string_view text, const NormalizeOptions& options) {
  std::string out;
  if (!validate_utf8(text)) return out;
  out.reserve(text.size());
  Writer writer(out, nullptr, options);
  scan(text, options, [&](char32_t cp, std::uint32_t source) { writer.emit(cp, source); });
  return out;
}

}  // namespace isnad
