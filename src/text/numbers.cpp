// Number recognizer: words → tokens (lexicon + clitics), then a left-to-right scan that grows
// the longest well-formed number at each token and attaches hedges around it.
#include "isnad/numbers.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "isnad/chars.h"
#include "isnad/normalize.h"
#include "isnad/utf8.h"

namespace isnad {

std::string_view to_string(Qualifier q) {
  switch (q) {
    case Qualifier::kExact: return "exact";
    case Qualifier::kAtLeast: return "at_least";
    case Qualifier::kAtMost: return "at_most";
    case Qualifier::kAbout: return "about";
    case Qualifier::kMoreThan: return "more_than";
    case Qualifier::kLessThan: return "less_than";
    case Qualifier::kUpTo: return "up_to";
    case Qualifier::kVague: return "vague";
  }
  return "exact";
}

namespace {

enum class Kind : std::uint8_t {
  kNone,
  kDigits,       // 137, 1,500, 1.5 (tokens made by the scanner, not the lexicon)
  kZero,         // صفر
  kUnit,         // 1–9 in every gender
  kTeenPrefix,   // احد/احدي/اثنا/اثني: a number only before عشر
  kTen,          // عشر/عشره: 10 alone, or the second half of a teen
  kTeen,         // Egyptian one-word teens (اتناشر)
  kTens,         // 20–90
  kHundreds,     // 100–900
  kScale,        // الف, مليون, مليار (and their duals)
  kScalePlural,  // الاف, ملايين: a multiplier after a number, a magnitude alone
  kVague,        // عشرات, مئات
  kFew,          // عده, بضع: "several" before a plural magnitude
  kOrdinal,      // اول … عاشر, حادي
  kFraction,     // نصف, ربع, ثلث: only next to a scale
  kDecimalMark,  // فاصله
};

enum : std::uint8_t {
  kNeedsMore = 1,      // not a number alone: متين ("solid"), حادي
  kNeedsDefinite = 2,  // only with ال: اولي ("more worthy"), رابعه (a name)
  kDual = 4,           // the value already counts two (الفين): nothing multiplies it
  kWeekday = 8,        // with ال a weekday: الاثنين
  kTimeUnit = 16,      // ثانيه is also "a second": not an ordinal right after a number
};

struct Entry {
  Kind kind = Kind::kNone;
  std::uint8_t flags = 0;
  double value = 0;
};

struct LexiconWord {
  std::string_view text;  // written readably; normalized when the lexicon is built
  Kind kind;
  double value;
  std::uint8_t flags = 0;
};

// clang-format off
constexpr LexiconWord kWords[] = {
    {"صفر", Kind::kZero, 0},
    {"واحد", Kind::kUnit, 1}, {"واحدة", Kind::kUnit, 1},
    {"اثنان", Kind::kUnit, 2}, {"اثنين", Kind::kUnit, 2, kWeekday}, {"اثنتان", Kind::kUnit, 2},
    {"اثنتين", Kind::kUnit, 2}, {"اتنين", Kind::kUnit, 2, kWeekday},
    {"ثلاث", Kind::kUnit, 3}, {"ثلاثة", Kind::kUnit, 3}, {"تلاتة", Kind::kUnit, 3},
    {"أربع", Kind::kUnit, 4}, {"أربعة", Kind::kUnit, 4},
    {"خمس", Kind::kUnit, 5}, {"خمسة", Kind::kUnit, 5},
    {"ست", Kind::kUnit, 6}, {"ستة", Kind::kUnit, 6},
    {"سبع", Kind::kUnit, 7}, {"سبعة", Kind::kUnit, 7},
    {"ثمان", Kind::kUnit, 8}, {"ثماني", Kind::kUnit, 8}, {"ثمانية", Kind::kUnit, 8}, {"تمانية", Kind::kUnit, 8},
    {"تسع", Kind::kUnit, 9}, {"تسعة", Kind::kUnit, 9},
    {"أحد", Kind::kTeenPrefix, 1}, {"إحدى", Kind::kTeenPrefix, 1},
    {"اثنا", Kind::kTeenPrefix, 2}, {"اثني", Kind::kTeenPrefix, 2},
    {"اثنتا", Kind::kTeenPrefix, 2}, {"اثنتي", Kind::kTeenPrefix, 2},
    {"عشر", Kind::kTen, 10}, {"عشرة", Kind::kTen, 10},
    {"حداشر", Kind::kTeen, 11}, {"اتناشر", Kind::kTeen, 12}, {"تلتاشر", Kind::kTeen, 13},
    {"اربعتاشر", Kind::kTeen, 14}, {"خمستاشر", Kind::kTeen, 15}, {"ستاشر", Kind::kTeen, 16},
    {"سبعتاشر", Kind::kTeen, 17}, {"تمنتاشر", Kind::kTeen, 18}, {"تسعتاشر", Kind::kTeen, 19},
    {"عشرون", Kind::kTens, 20}, {"عشرين", Kind::kTens, 20},
    {"ثلاثون", Kind::kTens, 30}, {"ثلاثين", Kind::kTens, 30}, {"تلاتين", Kind::kTens, 30},
    {"أربعون", Kind::kTens, 40}, {"أربعين", Kind::kTens, 40},
    {"خمسون", Kind::kTens, 50}, {"خمسين", Kind::kTens, 50},
    {"ستون", Kind::kTens, 60}, {"ستين", Kind::kTens, 60},
    {"سبعون", Kind::kTens, 70}, {"سبعين", Kind::kTens, 70},
    {"ثمانون", Kind::kTens, 80}, {"ثمانين", Kind::kTens, 80}, {"تمانين", Kind::kTens, 80},
    {"تسعون", Kind::kTens, 90}, {"تسعين", Kind::kTens, 90},
    {"مائة", Kind::kHundreds, 100}, {"مئة", Kind::kHundreds, 100},
    {"مائتان", Kind::kHundreds, 200}, {"مائتين", Kind::kHundreds, 200}, {"مائتا", Kind::kHundreds, 200},
    {"مائتي", Kind::kHundreds, 200}, {"مئتان", Kind::kHundreds, 200}, {"مئتين", Kind::kHundreds, 200},
    {"مئتا", Kind::kHundreds, 200}, {"مئتي", Kind::kHundreds, 200},
    {"ثلاثمائة", Kind::kHundreds, 300}, {"ثلاثمئة", Kind::kHundreds, 300}, {"ثلثمائة", Kind::kHundreds, 300},
    {"أربعمائة", Kind::kHundreds, 400}, {"أربعمئة", Kind::kHundreds, 400},
    {"خمسمائة", Kind::kHundreds, 500}, {"خمسمئة", Kind::kHundreds, 500},
    {"ستمائة", Kind::kHundreds, 600}, {"ستمئة", Kind::kHundreds, 600},
    {"سبعمائة", Kind::kHundreds, 700}, {"سبعمئة", Kind::kHundreds, 700},
    {"ثمانمائة", Kind::kHundreds, 800}, {"ثمانمئة", Kind::kHundreds, 800}, {"ثمانيمائة", Kind::kHundreds, 800},
    {"تسعمائة", Kind::kHundreds, 900}, {"تسعمئة", Kind::kHundreds, 900},
    {"متين", Kind::kHundreds, 200, kNeedsMore}, {"تلتمية", Kind::kHundreds, 300},
    {"ربعمية", Kind::kHundreds, 400}, {"خمسمية", Kind::kHundreds, 500}, {"ستمية", Kind::kHundreds, 600},
    {"سبعمية", Kind::kHundreds, 700}, {"تمنمية", Kind::kHundreds, 800}, {"تسعمية", Kind::kHundreds, 900},
    {"ألف", Kind::kScale, 1e3}, {"ألفا", Kind::kScale, 1e3},
    {"ألفان", Kind::kScale, 1e3, kDual}, {"ألفين", Kind::kScale, 1e3, kDual}, {"ألفي", Kind::kScale, 1e3, kDual},
    {"مليون", Kind::kScale, 1e6}, {"مليونا", Kind::kScale, 1e6},
    {"مليونان", Kind::kScale, 1e6, kDual}, {"مليونين", Kind::kScale, 1e6, kDual},
    {"مليوني", Kind::kScale, 1e6, kDual},
    {"مليار", Kind::kScale, 1e9}, {"مليارا", Kind::kScale, 1e9}, {"بليون", Kind::kScale, 1e9},
    {"ملياران", Kind::kScale, 1e9, kDual}, {"مليارين", Kind::kScale, 1e9, kDual},
    {"ملياري", Kind::kScale, 1e9, kDual},
    {"تريليون", Kind::kScale, 1e12}, {"ترليون", Kind::kScale, 1e12},
    {"آلاف", Kind::kScalePlural, 1e3}, {"ألوف", Kind::kScalePlural, 1e3},
    {"ملايين", Kind::kScalePlural, 1e6}, {"مليارات", Kind::kScalePlural, 1e9},
    {"بلايين", Kind::kScalePlural, 1e9},
    {"عشرات", Kind::kVague, 10}, {"مئات", Kind::kVague, 100},
    {"عدة", Kind::kFew, 0}, {"بضع", Kind::kFew, 0}, {"بضعة", Kind::kFew, 0},
    {"أول", Kind::kOrdinal, 1}, {"أولى", Kind::kOrdinal, 1, kNeedsDefinite},
    {"حادي", Kind::kOrdinal, 1, kNeedsMore}, {"حادية", Kind::kOrdinal, 1, kNeedsMore},
    {"ثاني", Kind::kOrdinal, 2}, {"ثان", Kind::kOrdinal, 2}, {"ثانية", Kind::kOrdinal, 2, kTimeUnit},
    {"ثالث", Kind::kOrdinal, 3}, {"ثالثة", Kind::kOrdinal, 3},
    {"رابع", Kind::kOrdinal, 4}, {"رابعة", Kind::kOrdinal, 4, kNeedsDefinite},
    {"خامس", Kind::kOrdinal, 5}, {"خامسة", Kind::kOrdinal, 5},
    {"سادس", Kind::kOrdinal, 6}, {"سادسة", Kind::kOrdinal, 6},
    {"سابع", Kind::kOrdinal, 7}, {"سابعة", Kind::kOrdinal, 7},
    {"ثامن", Kind::kOrdinal, 8}, {"ثامنة", Kind::kOrdinal, 8},
    {"تاسع", Kind::kOrdinal, 9}, {"تاسعة", Kind::kOrdinal, 9},
    {"عاشر", Kind::kOrdinal, 10}, {"عاشرة", Kind::kOrdinal, 10},
    {"نصف", Kind::kFraction, 0.5}, {"ربع", Kind::kFraction, 0.25}, {"ثلث", Kind::kFraction, 1.0 / 3},
    {"فاصلة", Kind::kDecimalMark, 0},
};
// clang-format on

struct PhraseSource {
  std::string_view text;
  Qualifier qualifier;
};

// Hedges written before the number. Longest match wins, so "ما لا يزيد عن" (at most) beats
// "يزيد عن" (more than).
constexpr PhraseSource kPreHedges[] = {
    {"ما لا يقل عن", Qualifier::kAtLeast},   {"لا يقل عن", Qualifier::kAtLeast},
    {"ما لا تقل عن", Qualifier::kAtLeast},   {"لا تقل عن", Qualifier::kAtLeast},
    {"على الأقل", Qualifier::kAtLeast},      {"أكثر من", Qualifier::kMoreThan},
    {"ما يزيد على", Qualifier::kMoreThan},   {"ما يزيد عن", Qualifier::kMoreThan},
    {"يزيد على", Qualifier::kMoreThan},      {"يزيد عن", Qualifier::kMoreThan},
    {"ما تزيد على", Qualifier::kMoreThan},   {"ما تزيد عن", Qualifier::kMoreThan},
    {"ما يربو على", Qualifier::kMoreThan},   {"يربو على", Qualifier::kMoreThan},
    {"أزيد من", Qualifier::kMoreThan},       {"نحو", Qualifier::kAbout},
    {"حوالي", Qualifier::kAbout},            {"قرابة", Qualifier::kAbout},
    {"زهاء", Qualifier::kAbout},             {"ما يقرب من", Qualifier::kAbout},
    {"ما يقارب", Qualifier::kAbout},         {"يقارب", Qualifier::kAbout},
    {"ما يناهز", Qualifier::kAbout},         {"يناهز", Qualifier::kAbout},
    {"تقريبا", Qualifier::kAbout},           {"ما يصل إلى", Qualifier::kUpTo},
    {"يصل إلى", Qualifier::kUpTo},           {"تصل إلى", Qualifier::kUpTo},
    {"ما يصل لـ", Qualifier::kUpTo},         {"حتى", Qualifier::kUpTo},
    {"أقل من", Qualifier::kLessThan},        {"ما يقل عن", Qualifier::kLessThan},
    {"لا يزيد عن", Qualifier::kAtMost},      {"لا يزيد على", Qualifier::kAtMost},
    {"لا تزيد عن", Qualifier::kAtMost},      {"لا تزيد على", Qualifier::kAtMost},
    {"ما لا يزيد عن", Qualifier::kAtMost},   {"ما لا يزيد على", Qualifier::kAtMost},
    {"على الأكثر", Qualifier::kAtMost},      {"كحد أقصى", Qualifier::kAtMost},
};

// Hedges written after the number (or after its counted noun: 40 شخصا على الأقل).
constexpr PhraseSource kPostHedges[] = {
    {"على الأقل", Qualifier::kAtLeast}, {"كحد أدنى", Qualifier::kAtLeast}, {"أو أكثر", Qualifier::kAtLeast},
    {"فأكثر", Qualifier::kAtLeast},     {"على الأكثر", Qualifier::kAtMost}, {"كحد أقصى", Qualifier::kAtMost},
    {"أو أقل", Qualifier::kAtMost},     {"فأقل", Qualifier::kAtMost},       {"تقريبا", Qualifier::kAbout},
};

constexpr std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

// Open-addressing hash of the normalized lexicon: one probe sequence per lookup, no allocation.
class Lexicon {
 public:
  Lexicon() {
    keys_.reserve(std::size(kWords));
    for (const LexiconWord& w : kWords) keys_.push_back(normalize_string(w.text));
    std::size_t capacity = 64;
    while (capacity < keys_.size() * 4) capacity <<= 1;
    slots_.resize(capacity);
    mask_ = capacity - 1;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      const std::string_view key = keys_[i];
      first_letters_[first_letter(key)] = true;
      min_size_ = std::min(min_size_, key.size());
      max_size_ = std::max(max_size_, key.size());
      std::size_t h = fnv1a(key) & mask_;
      while (!slots_[h].key.empty() && slots_[h].key != key) h = (h + 1) & mask_;
      if (slots_[h].key.empty()) slots_[h] = Slot{key, Entry{kWords[i].kind, kWords[i].flags, kWords[i].value}};
    }
  }

  const Entry* find(std::string_view key) const {
    if (key.size() < min_size_ || key.size() > max_size_ || !first_letters_[first_letter(key)]) return nullptr;
    for (std::size_t h = fnv1a(key) & mask_;; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.key.empty()) return nullptr;
      if (s.key == key) return &s.entry;
    }
  }

 private:
  struct Slot {
    std::string_view key;
    Entry entry;
  };
  // Most words fail here, before hashing: the first two letters (an Arabic letter is D8/D9
  // then 80–BF, so 7 bits each) index a bitset of the prefixes that keys start with.
  static std::size_t first_letter(std::string_view key) {
    auto letter = [&](std::size_t i) {
      return (static_cast<unsigned char>(key[i]) & 0x1u) << 6 | (static_cast<unsigned char>(key[i + 1]) & 0x3Fu);
    };
    return letter(0) << 7 | letter(2);
  }

  std::vector<std::string> keys_;
  std::bitset<1u << 14> first_letters_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t min_size_ = SIZE_MAX;
  std::size_t max_size_ = 0;
};

struct Phrase {
  std::vector<std::string> words;
  Qualifier qualifier;
};

std::vector<Phrase> build_phrases(const PhraseSource* begin, const PhraseSource* end) {
  std::vector<Phrase> out;
  for (const PhraseSource* p = begin; p != end; ++p) {
    const std::string norm = normalize_string(p->text);
    Phrase phrase{{}, p->qualifier};
    // One word per space; "ما يصل لـ" ends in the word ل, which the scanner splits from لـ100.
    std::size_t start = 0;
    while (start < norm.size()) {
      std::size_t space = norm.find(' ', start);
      if (space == std::string::npos) space = norm.size();
      if (space > start) phrase.words.push_back(norm.substr(start, space - start));
      start = space + 1;
    }
    out.push_back(std::move(phrase));
  }
  return out;
}

struct Tables {
  Lexicon lexicon;
  std::vector<Phrase> pre = build_phrases(std::begin(kPreHedges), std::end(kPreHedges));
  std::vector<Phrase> post = build_phrases(std::begin(kPostHedges), std::end(kPostHedges));
  std::string up_to_until = normalize_string("حتى");
  std::string min = normalize_string("من");
  std::string fi = normalize_string("في");
  std::string definite = normalize_string("ال");
  std::array<std::string, 2> percent_after_fi = {normalize_string("المائة"), normalize_string("المئة")};
  std::array<std::string, 2> percent_words = {normalize_string("بالمائة"), normalize_string("بالمئة")};
  std::string alf = normalize_string("ألف");
  // Ordinals after these are month names (كانون الثاني, ربيع الأول, جمادى الأولى).
  std::array<std::string, 4> months = {normalize_string("كانون"), normalize_string("تشرين"),
                                       normalize_string("ربيع"), normalize_string("جمادى")};
  // حتى 5 مارس is "until 5 March", not "up to 5".
  std::vector<std::string> month_names = normalize_all({"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
      "يونيه", "يوليو", "يوليه", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار",
      "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين"});

  static std::vector<std::string> normalize_all(std::initializer_list<std::string_view> words) {
    std::vector<std::string> out;
    for (std::string_view w : words) out.push_back(normalize_string(w));
    return out;
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

constexpr std::string_view kWaw = "\xD9\x88";    // و
constexpr std::string_view kFa = "\xD9\x81";     // ف
constexpr std::string_view kBa = "\xD8\xA8";     // ب
constexpr std::string_view kLam = "\xD9\x84";    // ل
constexpr std::string_view kKaf = "\xD9\x83";    // ك
constexpr std::string_view kAl = "\xD8\xA7\xD9\x84";  // ال
constexpr std::size_t kLetter = 2;                // bytes of one Arabic letter

enum class Clitic : std::uint8_t { kNone, kAnd, kOther };  // kAnd: the و that joins number parts

struct Token {
  Span span;                // the word; for digits it may start at a '-' or '.'
  std::uint32_t begin = 0;  // where a mention starting at this word begins (after و ف ب ل ك)
  Entry entry;
  Clitic clitic = Clitic::kNone;
  bool definite = false;
  bool waw = false;         // the conjunction و written as a word of its own
  bool year_like = false;   // 1900–2100 written as four plain digits
  std::uint8_t digit_count = 0;  // plain integers only: digits of the fractional part after فاصله
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

double pow10(unsigned n) {
  double p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

unsigned decimal_digits(double n) {
  unsigned d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

// The value of a run of digits with at most one '.', or NaN (also when out of double's range).
double parse_plain(std::string_view s) {
  double v = NAN;
  if (s.empty() || s.front() == '.' || s.back() == '.') return NAN;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return (r.ec == std::errc() && r.ptr == s.data() + s.size()) ? v : NAN;
}

struct Chain {
  enum : std::uint8_t { kU = 1, kT = 2, kTeen = 4, kH = 8, kD = 16, kDec = 32, kPrefix = 64, kFrac = 128 };
  double total = 0;
  double group = 0;
  double last_scale = INFINITY;
  double last_unit = 0;
  std::uint8_t has = 0;
  Kind prev = Kind::kNone;
  unsigned count = 0;
  bool need_more = false;
  bool closed = false;

  double value() const { return total + group; }
  bool complete() const { return !(has & (kPrefix | kFrac)) && !(need_more && count == 1); }

  // Adds one token joined to the chain by adjacency or by و; false when it does not fit.
  bool step(const Entry& e, bool waw) {
    if (closed) return false;
    const bool empty = count == 0;
    const bool after_scale = !empty && has == 0;
    const double v = e.value;
    switch (e.kind) {
      case Kind::kDigits:
        if (!empty && !(after_scale && waw && v < last_scale)) return false;
        group = v;
        has = kD;
        return true;
      case Kind::kZero:
        if (!empty) return false;
        has = kU | kT | kTeen;
        return true;
      case Kind::kTen:
        if (!waw && !(has & (kT | kTeen)) &&
            (prev == Kind::kTeenPrefix || (prev == Kind::kUnit && last_unit >= 3))) {
          has = static_cast<std::uint8_t>((has & ~(kU | kPrefix)) | kTeen);
          group += 10;
          return true;
        }
        [[fallthrough]];
      case Kind::kUnit:
      case Kind::kTeen:
      case Kind::kTeenPrefix: {
        const std::uint8_t bit = e.kind == Kind::kUnit ? kU : e.kind == Kind::kTeenPrefix ? kPrefix : kTeen;
        if (!empty) {
          if (has & (kU | kT | kTeen | kD | kDec | kPrefix | kFrac)) return false;
          if (after_scale && !waw) return false;  // a bare kH group takes units with or without و
        }
        group += v;
        has |= bit;
        last_unit = v;
        return true;
      }
      case Kind::kTens:
        if (!empty) {
          if (has & (kT | kTeen | kD | kDec | kPrefix | kFrac)) return false;
          if (((has & kU) || after_scale) && !waw) return false;
        }
        group += v;
        has |= kT;
        return true;
      case Kind::kHundreds:
        if (empty) {
          need_more = (e.flags & kNeedsMore) != 0;
        } else if (has == kU && prev == Kind::kUnit && !waw && v == 100 && last_unit >= 3) {
          group = last_unit * 100;  // ثلاث مائه
          has = kH;
          return true;
        } else if (!(after_scale && waw)) {
          return false;
        }
        group = v;
        has = kH;
        return true;
      case Kind::kScale: {
        const double add = (e.flags & kDual) ? 2 * v : v;
        if (has & kPrefix) return false;
        if (empty || after_scale) {
          if (!empty && (!waw || v >= last_scale)) return false;
          total += add;
          last_scale = v;
          return true;
        }
        if (waw || (e.flags & kDual) || v >= last_scale) return false;
        total += group * v;
        group = 0;
        has = 0;
        last_scale = v;
        return true;
      }
      case Kind::kScalePlural:
        if (empty || after_scale || waw || (has & (kPrefix | kFrac)) || v >= last_scale) return false;
        total += group * v;
        group = 0;
        has = 0;
        last_scale = v;
        return true;
      case Kind::kFraction:
        if (empty) {
          group = v;
          has = kFrac;
          return true;
        }
        if (!(after_scale && waw)) return false;
        total += v * last_scale;  // مليون ونصف
        closed = true;
        return true;
      default:
        return false;
    }
  }
};

struct Match {
  std::size_t next = 0;  // first token after the mention
  double value = 0;
  bool ordinal = false;
  bool vague = false;
};

class Recognizer {
 public:
  explicit Recognizer(std::string_view text) : text_(text), t_(tables()) {}

  std::vector<NumberMention> run() {
    tokenize();
    std::vector<NumberMention> out;
    std::size_t i = 0;
    while (i < toks_.size()) {
      Match m;
      if (!starts_number(toks_[i].entry.kind) ||
          !(match_ordinal(i, m) || match_vague(i, m) || match_cardinal(i, m))) {
        ++i;
        continue;
      }
      NumberMention n;
      n.span = Span{toks_[i].begin, toks_[m.next - 1].span.end};
      n.value = m.value;
      n.ordinal = m.ordinal;
      const std::uint32_t floor = out.empty() ? 0 : out.back().span.end;
      if (m.ordinal) {
        if (!ordinal_allowed(i, out)) {
          i = m.next;
          continue;
        }
      } else if (m.vague) {
        n.qualifier = Qualifier::kVague;
      } else {
        std::size_t next = m.next;
        percent(next, n);
        const bool pre = pre_hedge(i, m.next, floor, n);
        if (!pre) post_hedge(next, n);
        m.next = next;
      }
      out.push_back(n);
      i = m.next;
    }
    return out;
  }

 private:
  static bool starts_number(Kind k) { return k != Kind::kNone && k != Kind::kDecimalMark; }

  std::string_view word(std::size_t i) const { return toks_[i].span.of(text_); }

  bool adjacent(std::uint32_t from, std::uint32_t to) const {
    if (from > to) return false;
    for (std::uint32_t p = from; p < to; ++p) {
      if (text_[p] != ' ' && text_[p] != '\t') return false;
    }
    return true;
  }
  bool adjacent_tokens(std::size_t a, std::size_t b) const {
    return b < toks_.size() && adjacent(toks_[a].span.end, toks_[b].span.begin);
  }

  // The code point just before `pos`, or 0 at the start.
  char32_t char_before(std::uint32_t pos) const {
    if (pos == 0) return 0;
    const std::uint32_t len = utf8_length_before(text_, pos);
    return decode_utf8(text_, pos - len).cp;
  }

  // ---- words → tokens ------------------------------------------------------------------

  void tokenize() {
    toks_.reserve(text_.size() / 6 + 4);
    WordScanner scanner(text_);
    for (Span w; scanner.next(w);) {
      const char first = text_[w.begin];
      if (is_digit(first)) {
        add_digits(w, scanner);
      } else if (static_cast<unsigned char>(first) >= 0x80) {
        add_arabic(w);
      } else {
        Token t;
        t.span = w;
        t.begin = w.begin;
        toks_.push_back(t);
      }
    }
  }

  void add_arabic(Span w) {
    Token t;
    t.span = w;
    t.begin = w.begin;
    const std::string_view s = w.of(text_);
    if (s == kWaw) {
      t.waw = true;
      toks_.push_back(t);
      return;
    }
    analyze(s, t);
    if (t.entry.kind != Kind::kNone) {
      const std::uint8_t f = t.entry.flags;
      if (((f & kWeekday) && t.definite) || ((f & kNeedsDefinite) && !t.definite)) t.entry = Entry{};
    }
    toks_.push_back(t);
  }

  // Looks a word up bare, then without [و|ف][ب|ل|ك][ال]. A preposition needs a stem of three
  // letters or more, so لست ("I am not") never reads as ل + ست.
  void analyze(std::string_view s, Token& t) const {
    const Lexicon& lex = t_.lexicon;
    for (int conj = 0; conj < 2; ++conj) {
      std::string_view a = s;
      if (conj == 1) {
        if (!(a.starts_with(kWaw) || a.starts_with(kFa))) break;
        a.remove_prefix(kLetter);
      }
      for (int prep = 0; prep < 2; ++prep) {
        std::string_view b = a;
        if (prep == 1) {
          if (!(b.starts_with(kBa) || b.starts_with(kLam) || b.starts_with(kKaf)) || b.size() < 4 * kLetter) break;
          b.remove_prefix(kLetter);
        }
        const auto clitic_bytes = static_cast<std::uint32_t>(s.size() - b.size());
        const Clitic clitic = clitic_bytes == 0                  ? Clitic::kNone
                              : (conj == 1 && s.starts_with(kWaw) && prep == 0) ? Clitic::kAnd
                                                                                : Clitic::kOther;
        if (b.size() < 2 * kLetter) continue;
        if (const Entry* e = lex.find(b)) {
          set(t, *e, clitic, clitic_bytes, false);
          return;
        }
        if (b.starts_with(kAl) && b.size() >= 4 * kLetter) {
          if (const Entry* e = lex.find(b.substr(2 * kLetter))) {
            set(t, *e, clitic, clitic_bytes, true);
            return;
          }
        }
        // لل = ل + ال with the alef dropped: keep the whole word in the span.
        if (prep == 1 && s[clitic_bytes - kLetter] == kLam[0] && s[clitic_bytes - kLetter + 1] == kLam[1] &&
            b.starts_with(kLam) && b.size() >= 3 * kLetter) {
          if (const Entry* e = lex.find(b.substr(kLetter))) {
            set(t, *e, clitic, clitic_bytes - kLetter, true);
            return;
          }
        }
      }
    }
  }

  static void set(Token& t, const Entry& e, Clitic c, std::uint32_t clitic_bytes, bool definite) {
    t.entry = e;
    t.clitic = c;
    t.begin = t.span.begin + clitic_bytes;
    t.definite = definite;
  }

  void push_number(std::uint32_t begin, std::uint32_t end, double value, std::uint8_t digit_count = 0) {
    // A digit run beyond the range of a double (over 308 digits, or a fraction with over 308
    // leading zeros) has no value and is no quantity anyone reports.
    if (!std::isfinite(value)) return;
    Token t;
    t.span = Span{begin, end};
    t.begin = begin;
    t.entry = Entry{Kind::kDigits, 0, value};
    t.digit_count = digit_count;
    t.year_like = digit_count == 4 && value >= 1900 && value <= 2100;
    toks_.push_back(t);
  }

  void add_digits(Span w, WordScanner& scanner) {
    const auto n = static_cast<std::uint32_t>(text_.size());
    // Digit groups joined by '/' or ':' are dates, times, scores or references.
    Span last = w;
    unsigned joined = 0;
    char sep = 0;
    while (last.end + 1 < n && (text_[last.end] == '/' || text_[last.end] == ':') && is_digit(text_[last.end + 1])) {
      sep = text_[last.end];
      Span next;
      if (!scanner.next(next)) break;
      last = next;
      ++joined;
    }
    const char32_t before = char_before(w.begin);
    const char32_t after = last.end < n ? decode_utf8(text_, last.end).cp : 0;
    if (is_latin_letter(before) || is_latin_letter(after) ||
        (before == '-' && is_latin_letter(char_before(w.begin - 1)))) {
      return;  // F-16, G20, 5G: names, not quantities
    }
    std::uint32_t begin = w.begin;
    // الـ100 (tatweel removed): the article belongs to the number.
    if (joined == 0 && !toks_.empty() && toks_.back().span.end == w.begin &&
        word(toks_.size() - 1) == t_.definite) {
      begin = toks_.back().span.begin;
      toks_.pop_back();
      parse_digit_word(w, begin, 1, scanner);
      return;
    }
    double sign = 1;
    bool leading_dot = false;
    if ((before == '-' || before == '.') && !is_word_char(char_before(w.begin - 1))) {
      begin = w.begin - 1;
      sign = before == '-' ? -1 : 1;
      leading_dot = before == '.';
    }
    if (joined > 0) {
      if (joined == 1 && sep == '/' && !leading_dot) {
        const double num = parse_plain(w.of(text_));
        const double den = parse_plain(last.of(text_));
        if (!std::isnan(num) && (den == 100 || den == 1000)) push_number(begin, last.end, sign * num / den);
      }
      return;
    }
    const std::string_view s = w.of(text_);
    if (leading_dot) {
      if (s.find_first_of(",.") == std::string_view::npos) {
        push_number(begin, w.end, parse_plain(std::string("0.").append(s)));
      } else {
        split_digits(w);
      }
      return;
    }
    parse_digit_word(w, begin, sign, scanner);
  }

  void parse_digit_word(Span w, std::uint32_t begin, double sign, const WordScanner& scanner) {
    const std::string_view s = w.of(text_);
    const std::size_t commas = static_cast<std::size_t>(std::count(s.begin(), s.end(), ','));
    const std::size_t dots = static_cast<std::size_t>(std::count(s.begin(), s.end(), '.'));
    if (commas == 0 && dots <= 1) {
      const double v = parse_plain(s);
      push_number(begin, w.end, sign * v, dots == 0 && s.size() < 256 ? static_cast<std::uint8_t>(s.size()) : 0);
      return;
    }
    // 1,500,000(.5) or 1.500.000: every group after the first has exactly three digits.
    const char group_sep = commas > 0 ? ',' : '.';
    const std::size_t groups = commas > 0 ? commas : dots;
    if (commas == 0 || dots <= 1) {
      std::string_view body = s;
      std::string_view fraction;
      if (commas > 0 && dots == 1) {
        const std::size_t dot = s.find('.');
        body = s.substr(0, dot);
        fraction = s.substr(dot);
      }
      // The decimal point comes after every group separator: 1,207.21,20 is no number.
      if ((commas > 0 || groups >= 2) && fraction.find(',') == std::string_view::npos && grouped(body, group_sep)) {
        char buf[64];
        std::size_t len = 0;
        for (char c : body) {
          if (c != group_sep && len < sizeof buf) buf[len++] = c;
        }
        for (char c : fraction) {
          if (len < sizeof buf) buf[len++] = c;
        }
        if (len < sizeof buf) {
          push_number(begin, w.end, sign * parse_plain(std::string_view(buf, len)));
          return;
        }
      }
      // 1,5: a decimal comma only before a scale word (1,5 مليون).
      if (commas == 1 && dots == 0) {
        const std::size_t comma = s.find(',');
        const std::size_t tail = s.size() - comma - 1;
        if (tail <= 2 && next_is_scale(w, scanner)) {
          char buf[64];
          if (s.size() < sizeof buf) {
            std::copy(s.begin(), s.end(), buf);
            buf[comma] = '.';
            push_number(begin, w.end, sign * parse_plain(std::string_view(buf, s.size())));
            return;
          }
        }
      }
    }
    split_digits(w);
  }

  // Groups of 1–3 digits then exactly 3 digits, separated by `sep`.
  static bool grouped(std::string_view s, char sep) {
    std::size_t run = 0;
    bool first = true;
    for (char c : s) {
      if (c == sep) {
        if (run == 0 || run > 3 || (!first && run != 3)) return false;
        first = false;
        run = 0;
      } else {
        ++run;
      }
    }
    return !first && run == 3;
  }

  bool next_is_scale(Span w, WordScanner scanner) const {
    Span next;
    if (!scanner.next(next) || !adjacent(w.end, next.begin)) return false;
    Token t;
    t.span = next;
    analyze(next.of(text_), t);
    return (t.entry.kind == Kind::kScale || t.entry.kind == Kind::kScalePlural) && t.clitic == Clitic::kNone &&
           !t.definite && !(t.entry.flags & kDual);
  }

  // A digit word that is no well-formed number (1,2,3; 4.5.6): each piece is a number.
  void split_digits(Span w) {
    std::uint32_t start = w.begin;
    for (std::uint32_t p = w.begin; p <= w.end; ++p) {
      if (p == w.end || text_[p] == ',' || text_[p] == '.') {
        if (p > start) {
          const std::string_view piece = text_.substr(start, p - start);
          push_number(start, p, parse_plain(piece),
                      piece.size() < 256 ? static_cast<std::uint8_t>(piece.size()) : 0);
        }
        start = p + 1;
      }
    }
  }

  // ---- tokens → mentions ------------------------------------------------------------

  // The token after `j` if it continues a number: adjacent, with or without و between.
  // Returns false when nothing can continue; `waw` tells whether و joined them.
  bool joined(std::size_t j, std::size_t& k, bool& waw) const {
    k = j + 1;
    waw = false;
    if (!adjacent_tokens(j, k)) return false;
    if (toks_[k].waw) {
      if (!adjacent_tokens(k, k + 1)) return false;
      ++k;
      waw = true;
    }
    if (toks_[k].clitic == Clitic::kAnd) {
      if (waw) return false;
      waw = true;
    } else if (toks_[k].clitic != Clitic::kNone) {
      return false;
    }
    return true;
  }

  bool match_ordinal(std::size_t i, Match& m) const {
    const Token& t = toks_[i];
    const Kind kind = t.entry.kind;
    const double v = t.entry.value;
    std::size_t k = 0;
    bool waw = false;
    const bool has_next = joined(i, k, waw);
    const Kind next = has_next ? toks_[k].entry.kind : Kind::kNone;
    auto found = [&](double value, std::size_t after) {
      m.value = value;
      m.next = after;
      m.ordinal = true;
      return true;
    };
    if (kind == Kind::kOrdinal || (t.definite && (kind == Kind::kTeenPrefix || kind == Kind::kUnit))) {
      if (has_next && !waw && next == Kind::kTen && !toks_[k].definite && v < 10 && kind != Kind::kUnit) {
        return found(10 + v, k + 1);  // الحادي عشر, الاثني عشر
      }
      if (has_next && waw && next == Kind::kTens && v < 10 && kind != Kind::kTeenPrefix &&
          (kind == Kind::kOrdinal || toks_[k].definite)) {
        return found(v + toks_[k].entry.value, k + 1);  // الحادي والعشرين, الواحد والعشرون
      }
      if (kind != Kind::kOrdinal || (t.entry.flags & kNeedsMore)) return false;
      return found(v, i + 1);
    }
    if (kind == Kind::kTens && t.definite &&
        !(has_next && !waw && (next == Kind::kScale || next == Kind::kScalePlural))) {
      return found(v, i + 1);  // التسعون
    }
    return false;
  }

  bool match_vague(std::size_t i, Match& m) const {
    std::size_t j = i;
    if (toks_[j].entry.kind == Kind::kFew) {
      if (!adjacent_tokens(j, j + 1) || toks_[j + 1].clitic != Clitic::kNone) return false;
      ++j;
    }
    const Token& t = toks_[j];
    if (t.entry.kind != Kind::kVague && t.entry.kind != Kind::kScalePlural) return false;
    m.vague = true;
    m.value = t.entry.value;
    m.next = j + 1;
    // عشرات الالاف, مئات الملايين
    if (t.entry.kind == Kind::kVague && adjacent_tokens(j, j + 1) && toks_[j + 1].entry.kind == Kind::kScalePlural &&
        toks_[j + 1].clitic == Clitic::kNone) {
      m.value *= toks_[j + 1].entry.value;
      m.next = j + 2;
    }
    return true;
  }

  bool match_cardinal(std::size_t i, Match& m) const { return parse_cardinal(i, false, m) && !verb_alf(i, m); }

  bool parse_cardinal(std::size_t i, bool small_only, Match& m) const {
    Chain c;
    bool found = false;
    std::size_t j = i;
    std::size_t k = i;
    bool waw = false;
    while (true) {
      const Token& u = toks_[k];
      const Kind kind = u.entry.kind;
      if (c.count > 0 && u.definite) break;
      if (small_only && (kind == Kind::kScale || kind == Kind::kScalePlural || kind == Kind::kFraction)) break;
      if (kind == Kind::kDecimalMark) {
        if (small_only || waw || c.total != 0 || !(c.has & (Chain::kU | Chain::kT | Chain::kTeen | Chain::kH | Chain::kD)) ||
            (c.has & (Chain::kDec | Chain::kPrefix | Chain::kFrac)) || c.group != std::floor(c.group)) {
          break;
        }
        const std::size_t f = k + 1;
        if (!adjacent_tokens(k, f) || toks_[f].clitic != Clitic::kNone || toks_[f].definite) break;
        double fraction = 0;
        std::size_t after = f + 1;
        if (toks_[f].entry.kind == Kind::kDigits) {
          if (toks_[f].digit_count == 0) break;
          fraction = toks_[f].entry.value / pow10(toks_[f].digit_count);
        } else {
          Match sub;
          if (!parse_cardinal(f, true, sub) || sub.value < 1) break;
          fraction = sub.value / pow10(decimal_digits(sub.value));
          after = sub.next;
        }
        c.group += fraction;
        c.has |= Chain::kDec;
        c.prev = Kind::kDigits;
        ++c.count;
        j = after - 1;
      } else {
        if (!c.step(u.entry, waw)) break;
        c.prev = kind;
        ++c.count;
        j = k;
      }
      if (c.complete()) {
        found = true;
        m.value = c.value();
        m.next = j + 1;
      }
      if (!joined(j, k, waw)) break;
    }
    return found;
  }

  bool month_at(std::size_t k) const {
    if (k == 0 || !adjacent_tokens(k - 1, k)) return false;
    const std::string_view w = word(k);
    for (const std::string& month : t_.month_names) {
      if (w == month) return true;
    }
    return false;
  }

  // ألّف الكاتب: without vowels the verb "wrote" is the word for a thousand. A counted
  // thousand is followed by an indefinite noun, so a lone الف before an ال word is the verb.
  bool verb_alf(std::size_t i, const Match& m) const {
    return m.next == i + 1 && toks_[i].entry.kind == Kind::kScale && adjacent_tokens(i, i + 1) &&
           toks_[i].span.of(text_).substr(toks_[i].begin - toks_[i].span.begin) == t_.alf &&
           word(i + 1).starts_with(kAl) && toks_[i + 1].entry.kind == Kind::kNone;
  }

  bool ordinal_allowed(std::size_t i, const std::vector<NumberMention>& out) const {
    if (i == 0 || !adjacent_tokens(i - 1, i)) return true;
    const Token& prev = toks_[i - 1];
    std::string_view p = word(i - 1);
    if (p.starts_with(kWaw) && p.size() > kLetter) p.remove_prefix(kLetter);
    for (const std::string& month : t_.months) {
      if (p == month) return false;
    }
    // 30 ثانيه is thirty seconds, not "second".
    if ((toks_[i].entry.flags & kTimeUnit) && !toks_[i].definite && !out.empty() &&
        out.back().span.end == prev.span.end) {
      return false;
    }
    return true;
  }

  // 40%, 40 في المائه, 40 بالمئه.
  void percent(std::size_t& next, NumberMention& n) const {
    std::uint32_t p = n.span.end;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    if (p < text_.size() && text_[p] == '%') {
      n.span.end = p + 1;
      n.percent = true;
      return;
    }
    if (next >= toks_.size() || !adjacent(n.span.end, toks_[next].span.begin)) return;
    const std::string_view w = word(next);
    for (const std::string& pw : t_.percent_words) {
      if (w == pw) {
        n.span.end = toks_[next].span.end;
        n.percent = true;
        ++next;
        return;
      }
    }
    if (w == t_.fi && adjacent_tokens(next, next + 1)) {
      for (const std::string& pw : t_.percent_after_fi) {
        if (word(next + 1) == pw) {
          n.span.end = toks_[next + 1].span.end;
          n.percent = true;
          next += 2;
          return;
        }
      }
    }
  }

  // Is `w` the phrase word `p`, allowing a و/ف/ب/ل proclitic (ونحو, بأكثر) on the first word?
  static std::uint32_t match_first_word(std::string_view w, std::string_view p) {
    if (w == p) return 0;
    if (w.size() <= p.size() || !w.ends_with(p)) return UINT32_MAX;
    std::string_view pre = w.substr(0, w.size() - p.size());
    if (pre.starts_with(kWaw) || pre.starts_with(kFa)) pre.remove_prefix(kLetter);
    if (pre.empty() || pre == kBa || pre == kLam) return static_cast<std::uint32_t>(w.size() - p.size());
    return UINT32_MAX;
  }

  bool pre_hedge(std::size_t i, std::size_t next, std::uint32_t floor, NumberMention& n) const {
    if (toks_[i].clitic != Clitic::kNone) return false;
    std::size_t best = 0;
    for (const Phrase& p : t_.pre) {
      const std::size_t len = p.words.size();
      if (len > i || len <= best) continue;
      const std::size_t first = i - len;
      if (toks_[first].span.begin < floor) continue;
      std::uint32_t clitic = UINT32_MAX;
      bool ok = true;
      for (std::size_t w = 0; w < len && ok; ++w) {
        const std::size_t at = first + w;
        if (!adjacent(toks_[at].span.end, toks_[at + 1].span.begin)) ok = false;
        else if (w == 0) ok = (clitic = match_first_word(word(at), p.words[0])) != UINT32_MAX;
        else ok = word(at) == p.words[w];
      }
      if (!ok) continue;
      // حتي 2030 and حتي 5 مارس are "until".
      if (len == 1 && p.words[0] == t_.up_to_until && (toks_[i].year_like || month_at(next))) continue;
      best = len;
      n.qualifier = p.qualifier;
      n.span.begin = toks_[first].span.begin + clitic;
    }
    return best > 0;
  }

  bool post_hedge(std::size_t& next, NumberMention& n) const {
    for (std::size_t skip = 0; skip < 2; ++skip) {
      const std::size_t at = next + skip;
      if (at >= toks_.size()) return false;
      if (skip == 1) {
        const Token& noun = toks_[next];
        if (noun.entry.kind != Kind::kNone || noun.waw || static_cast<unsigned char>(text_[noun.span.begin]) < 0x80 ||
            !adjacent(n.span.end, noun.span.begin)) {
          return false;
        }
      }
      const std::uint32_t from = skip == 0 ? n.span.end : toks_[next].span.end;
      if (!adjacent(from, toks_[at].span.begin)) return false;
      for (const Phrase& p : t_.post) {
        const std::size_t len = p.words.size();
        bool ok = at + len <= toks_.size();
        for (std::size_t w = 0; w < len && ok; ++w) {
          ok = word(at + w) == p.words[w] && (w == 0 || adjacent_tokens(at + w - 1, at + w));
        }
        // "او اكثر من 50" starts a new figure.
        if (ok && len == 2 && adjacent_tokens(at + 1, at + 2) && word(at + 2) == t_.min) ok = false;
        if (!ok) continue;
        n.qualifier = p.qualifier;
        n.span.end = toks_[at + len - 1].span.end;
        next = at + len;
        return true;
      }
    }
    return false;
  }

  std::string_view text_;
  const Tables& t_;
  std::vector<Token> toks_;
};

}  // namespace

std::vector<NumberMention> find_numbers(std::string_view normalized) {
  return Recognizer(normalized).run();
}

}  // namespace isnad
