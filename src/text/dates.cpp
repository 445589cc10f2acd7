// Date recognizer: a lexicon lookup per word (done once, into a small record per word), then
// hand-written matchers tried at each word; the longest match wins and scanning resumes after it.
#include "isnad/dates.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include "isnad/chars.h"
#include "isnad/normalize.h"
#include "isnad/tokenize.h"
#include "text/word_hash.h"

namespace isnad {

long days_from_civil(const CivilDate& date) {
  // Howard Hinnant's days_from_civil.
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const auto mu = static_cast<unsigned>(date.month);
  const unsigned doy = (153 * (mu > 2 ? mu - 3 : mu + 9) + 2) / 5 + static_cast<unsigned>(date.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097L + static_cast<long>(doe) - 719468;
}

CivilDate civil_from_days(long z) {
  // Howard Hinnant's civil_from_days.
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}


// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (H. Hinnant's days_from_civil / civil_from_days).
namespace {

long days_from_civil(int y, int m, int d) { return isnad::days_from_civil(CivilDate{y, m, d}); }

long days_of(CivilDate d) { return days_from_civil(d.year, d.month, d.day); }
int weekday_of(long days) { return static_cast<int>(((days % 7) + 7 + 4) % 7); }  // 0 = Sunday

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}
bool valid_date(int y, int m, int d) { return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

// Day of the n-th (1..5) or, for n = 0, the last `weekday` of a month.
std::optional<int> nth_weekday(int y, int m, int weekday, int n) {
  const int last = days_in_month(y, m);
  if (n == 0) return last - (weekday_of(days_from_civil(y, m, last)) - weekday + 7) % 7;
  const int day = 1 + (weekday - weekday_of(days_from_civil(y, m, 1)) + 7) % 7 + 7 * (n - 1);
  if (day > last) return std::nullopt;
  return day;
}

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;
// Hijri years read as such: 1300 AH began in 1882, 1500 AH begins in 2077. The two ranges do not
// overlap, so a four-digit number is never both.
constexpr int kMinHijriYear = 1300;
constexpr int kMaxHijriYear = 1500;

// Umm al-Qura, the Saudi civil calendar, is a table (months set by the authorities from computed
// moonsets), not arithmetic: the tabular Islamic calendar differs from it by a day or two in many
// months. ICU carries the table, so conversions go through an ICU calendar. One per thread,
// created on first use: creating one loads locale data, and a Calendar is not thread-safe. It is
// strict, so that 30 in a 29-day month is an error rather than the 1st of the next.
icu::Calendar* umm_al_qura() {
  thread_local const std::unique_ptr<icu::Calendar> calendar = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Calendar> c(icu::Calendar::createInstance(
        icu::TimeZone::getGMT()->clone(), icu::Locale("@calendar=islamic-umalqura"), status));
    if (U_FAILURE(status)) c.reset();
    if (c) c->setLenient(false);
    return c;
  }();
  return calendar.get();
}

// Days from 1970-01-01 of a Hijri date; nullopt when the month has no such day (or no ICU).
std::optional<long> days_from_hijri(int year, int month, int day) {
  icu::Calendar* c = umm_al_qura();
  if (c == nullptr) return std::nullopt;
  c->clear();
  c->set(year, month - 1, day);
  UErrorCode status = U_ZERO_ERROR;
  const UDate ms = c->getTime(status);
  if (U_FAILURE(status)) return std::nullopt;
  return static_cast<long>(std::floor(ms / U_MILLIS_PER_DAY));
}

struct HijriMonth {
  int year = 0;
  int month = 0;  // 1..12
};

std::optional<HijriMonth> hijri_month_of(long days) {
  icu::Calendar* c = umm_al_qura();
  if (c == nullptr) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  c->setTime(static_cast<UDate>(days) * U_MILLIS_PER_DAY, status);
  const int year = c->get(UCAL_YEAR, status);
  const int month = c->get(UCAL_MONTH, status) + 1;
  if (U_FAILURE(status)) return std::nullopt;
  return HijriMonth{year, month};
}

}  // namespace

std::optional<CivilDate> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  CivilDate d;
  if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day)) return std::nullopt;
  if (!valid_date(d.year, d.month, d.day)) return std::nullopt;
  return d;
}

std::string_view to_string(Granularity g) {
  switch (g) {
    case Granularity::kDay: return "day";
    case Granularity::kMonth: return "month";
    case Granularity::kYear: return "year";
  }
  return "day";
}

std::string DateMention::iso() const {
  std::string out;
  out.reserve(10);
  auto put = [&](int v, int width) {
    std::array<char, 8> buf{};
    for (int i = width - 1; i >= 0; --i) {
      buf[static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    out.append(buf.data(), static_cast<std::size_t>(width));
  };
  put(year, 4);
  if (granularity == Granularity::kYear) return out;
  out += '-';
  put(month, 2);
  if (granularity == Granularity::kMonth) return out;
  out += '-';
  put(day, 2);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lexicon.
namespace {

enum class Key : std::uint8_t {
  kNone,
  kShahr,       // شهر
  kAlShahr,     // الشهر
  kAam,         // عام, سنة
  kAlAam,       // العام, السنة
  kYawm,        // يوم
  kAlYawm,      // اليوم
  kPartOfDay,   // ليلة, مساء, صباح…
  kAlLayla,     // الليلة
  kYesterday,   // أمس, البارحة
  kTomorrow,    // غدا
  kGhad,        // غد, الغد (needs a head word)
  kAfter,       // بعد
  kBefore,      // قبل
  kFirst,       // أول
  kFrom,        // من
  kIn,          // في
  kSince,       // منذ, حتى, بحلول
  kMonthPrep,   // خلال, مطلع, منتصف…
  kTo,          // إلى
  kWhich,       // الذي
  kMuwafiq,     // الموافق
  kThis,        // هذا, هذه
  kPast,        // الماضي…
  kSeqPrev,     // السابق
  kNext,        // المقبل, القادم
  kSeqNext,     // التالي
  kCurrent,     // الجاري, الحالي
  kNumberWord,  // رقم
  kHijri,       // هـ, هجري
  kMiladi,      // م, ميلادي
  kTeen,        // عشر, عشرة
  kTheOne,      // الواحد
  kBetween,     // بين, كلا
  kTogether,    // معا
  kPrayer,      // صلاة, خطبة, كل
  kAnd,         // و
  kLast,        // الأخير
  kLatter,      // الآخر, الآخرة: second half of ربيع الآخر, جمادى الآخرة
  kQaada,       // القعدة (ذو القعدة)
  kHijja,       // الحجة (ذو الحجة)
  kGhurra,      // غرة: the first day of a Hijri month
  kNamedPlace,  // مدينة, حي, شارع…: what follows is a name (مدينة العاشر من رمضان)
};

// kCount and kBareWeekday are only read together, in "ثالث ثلاثاء من أيلول" / "آخر يوم من".
// kHijriHead is the first word of a two-word Hijri month; its value is the month the first
// variant names (ربيع 3, جمادى 5, ذو 11).
enum class Role : std::uint8_t {
  kKey, kMonth, kMonthHead, kWeekday, kOrdinal, kCardinal, kCount, kBareWeekday, kHijriMonth, kHijriHead
};

// Month flags: an ambiguous name alone needs a preposition or modifier; a strict one needs a
// number or شهر next to it and never takes a clitic.
constexpr std::uint8_t kAmbiguous = 1;
constexpr std::uint8_t kStrict = 2;
// Ordinal/cardinal value meaning "one, only inside a compound" (الحادي عشر, أحد عشر).
constexpr int kUnitOne = 101;
constexpr int kUnitTwo = 102;  // اثني/اثنا: only before عشر

struct RawEntry {
  const char* word;  // readable; normalized at startup
  Role role;
  int value;
  std::uint8_t flags = 0;
};

struct Entry {
  std::string word;
  Role role;
  int value;
  std::uint8_t flags;
  std::uint8_t prefix_bytes;  // 2 for the لل form of an ال word: the clitic ل
};

constexpr int k(Key key) { return static_cast<int>(key); }

const RawEntry kRawLexicon[] = {
    // Gregorian months (Egypt, Gulf) and their spelling variants.
    {"يناير", Role::kMonth, 1}, {"فبراير", Role::kMonth, 2}, {"مارس", Role::kMonth, 3, kAmbiguous},
    {"أبريل", Role::kMonth, 4}, {"إبريل", Role::kMonth, 4}, {"مايو", Role::kMonth, 5},
    {"يونيو", Role::kMonth, 6}, {"يونيه", Role::kMonth, 6}, {"يوليو", Role::kMonth, 7},
    {"يوليه", Role::kMonth, 7}, {"أغسطس", Role::kMonth, 8}, {"سبتمبر", Role::kMonth, 9},
    {"أكتوبر", Role::kMonth, 10}, {"نوفمبر", Role::kMonth, 11}, {"ديسمبر", Role::kMonth, 12},
    // Levantine and Iraqi (Syriac) months; كانون and تشرين need الأول/الثاني.
    {"كانون", Role::kMonthHead, 1}, {"شباط", Role::kMonth, 2, kAmbiguous}, {"آذار", Role::kMonth, 3},
    {"نيسان", Role::kMonth, 4, kAmbiguous}, {"أيار", Role::kMonth, 5}, {"حزيران", Role::kMonth, 6},
    {"تموز", Role::kMonth, 7, kAmbiguous}, {"آب", Role::kMonth, 8, kStrict}, {"أيلول", Role::kMonth, 9},
    {"تشرين", Role::kMonthHead, 2},
    // Hijri months. صفر is also "zero": a clitic never attaches to it as a month (بصفر, وصفر).
    {"محرم", Role::kHijriMonth, 1}, {"المحرم", Role::kHijriMonth, 1}, {"صفر", Role::kHijriMonth, 2, kStrict},
    {"ربيع", Role::kHijriHead, 3}, {"جمادى", Role::kHijriHead, 5},
    {"رجب", Role::kHijriMonth, 7}, {"شعبان", Role::kHijriMonth, 8}, {"رمضان", Role::kHijriMonth, 9},
    {"شوال", Role::kHijriMonth, 10}, {"ذو", Role::kHijriHead, 11}, {"ذي", Role::kHijriHead, 11},
    {"ذوالقعدة", Role::kHijriMonth, 11}, {"ذيالقعدة", Role::kHijriMonth, 11},
    {"ذوالحجة", Role::kHijriMonth, 12}, {"ذيالحجة", Role::kHijriMonth, 12},
    {"الآخر", Role::kKey, k(Key::kLatter)}, {"الآخرة", Role::kKey, k(Key::kLatter)},
    {"القعدة", Role::kKey, k(Key::kQaada)}, {"الحجة", Role::kKey, k(Key::kHijja)},
    {"غرة", Role::kKey, k(Key::kGhurra)},
    // Heads of place names, which are often dates: Egypt's مدينة العاشر من رمضان and the
    // streets, bridges and squares named after the 1973 crossing (10 Ramadan = 6 October).
    // حرب: "حرب العاشر من رمضان" is the war, not a day of this year's Ramadan.
    {"مدينة", Role::kKey, k(Key::kNamedPlace)}, {"حي", Role::kKey, k(Key::kNamedPlace)},
    {"شارع", Role::kKey, k(Key::kNamedPlace)}, {"طريق", Role::kKey, k(Key::kNamedPlace)},
    {"جسر", Role::kKey, k(Key::kNamedPlace)}, {"كوبري", Role::kKey, k(Key::kNamedPlace)},
    {"ميدان", Role::kKey, k(Key::kNamedPlace)}, {"محطة", Role::kKey, k(Key::kNamedPlace)},
    {"مدرسة", Role::kKey, k(Key::kNamedPlace)}, {"حرب", Role::kKey, k(Key::kNamedPlace)},
    // Maghrebi (French-derived) and Moroccan forms.
    {"جانفي", Role::kMonth, 1}, {"فيفري", Role::kMonth, 2}, {"أفريل", Role::kMonth, 4},
    {"ماي", Role::kMonth, 5, kStrict}, {"جوان", Role::kMonth, 6, kAmbiguous}, {"جويلية", Role::kMonth, 7},
    {"يوليوز", Role::kMonth, 7}, {"أوت", Role::kMonth, 8}, {"غشت", Role::kMonth, 8},
    {"شتنبر", Role::kMonth, 9}, {"نونبر", Role::kMonth, 11}, {"دجنبر", Role::kMonth, 12},
    // Weekdays, Sunday = 0. Only the definite forms: "أحد" is "one", "اثنين" is "two".
    {"الأحد", Role::kWeekday, 0}, {"الإثنين", Role::kWeekday, 1}, {"الاتنين", Role::kWeekday, 1},
    {"الثلاثاء", Role::kWeekday, 2}, {"الثلاثا", Role::kWeekday, 2}, {"الأربعاء", Role::kWeekday, 3},
    {"الأربعا", Role::kWeekday, 3}, {"الخميس", Role::kWeekday, 4}, {"الجمعة", Role::kWeekday, 5},
    {"السبت", Role::kWeekday, 6},
    // Ordinal day words (masculine; the feminine is common in sloppy copy).
    {"الأول", Role::kOrdinal, 1}, {"الأولى", Role::kOrdinal, 1}, {"أول", Role::kOrdinal, 1},
    {"الحادي", Role::kOrdinal, kUnitOne}, {"الحادية", Role::kOrdinal, kUnitOne},
    {"الثاني", Role::kOrdinal, 2}, {"الثانية", Role::kOrdinal, 2}, {"ثاني", Role::kOrdinal, 2},
    {"الثالث", Role::kOrdinal, 3}, {"الثالثة", Role::kOrdinal, 3}, {"الرابع", Role::kOrdinal, 4},
    {"الرابعة", Role::kOrdinal, 4}, {"الخامس", Role::kOrdinal, 5}, {"الخامسة", Role::kOrdinal, 5},
    {"السادس", Role::kOrdinal, 6}, {"السادسة", Role::kOrdinal, 6}, {"السابع", Role::kOrdinal, 7},
    {"السابعة", Role::kOrdinal, 7}, {"الثامن", Role::kOrdinal, 8}, {"الثامنة", Role::kOrdinal, 8},
    {"التاسع", Role::kOrdinal, 9}, {"التاسعة", Role::kOrdinal, 9}, {"العاشر", Role::kOrdinal, 10},
    {"العاشرة", Role::kOrdinal, 10}, {"العشرين", Role::kOrdinal, 20}, {"العشرون", Role::kOrdinal, 20},
    {"الثلاثين", Role::kOrdinal, 30}, {"الثلاثون", Role::kOrdinal, 30},
    // Cardinals, only read after شهر ("شهر ثلاثة" = March).
    {"أحد", Role::kCardinal, kUnitOne}, {"إحدى", Role::kCardinal, kUnitOne},
    {"اثنين", Role::kCardinal, 2}, {"اثنان", Role::kCardinal, 2}, {"اثني", Role::kCardinal, kUnitTwo},
    {"اثنا", Role::kCardinal, kUnitTwo}, {"ثلاث", Role::kCardinal, 3}, {"ثلاثة", Role::kCardinal, 3},
    {"أربع", Role::kCardinal, 4}, {"أربعة", Role::kCardinal, 4}, {"خمس", Role::kCardinal, 5},
    {"خمسة", Role::kCardinal, 5}, {"ست", Role::kCardinal, 6}, {"ستة", Role::kCardinal, 6},
    {"سبع", Role::kCardinal, 7}, {"سبعة", Role::kCardinal, 7}, {"ثمان", Role::kCardinal, 8},
    {"ثماني", Role::kCardinal, 8}, {"ثمانية", Role::kCardinal, 8}, {"تسع", Role::kCardinal, 9},
    {"تسعة", Role::kCardinal, 9}, {"عشر", Role::kCardinal, 10}, {"عشرة", Role::kCardinal, 10},
    // Function words the matchers look for.
    {"شهر", Role::kKey, k(Key::kShahr)}, {"الشهر", Role::kKey, k(Key::kAlShahr)},
    {"عام", Role::kKey, k(Key::kAam)}, {"سنة", Role::kKey, k(Key::kAam)},
    {"العام", Role::kKey, k(Key::kAlAam)}, {"السنة", Role::kKey, k(Key::kAlAam)},
    {"يوم", Role::kKey, k(Key::kYawm)}, {"اليوم", Role::kKey, k(Key::kAlYawm)},
    {"ليلة", Role::kKey, k(Key::kPartOfDay)}, {"ليل", Role::kKey, k(Key::kPartOfDay)},
    {"مساء", Role::kKey, k(Key::kPartOfDay)}, {"صباح", Role::kKey, k(Key::kPartOfDay)},
    {"صبيحة", Role::kKey, k(Key::kPartOfDay)}, {"ظهر", Role::kKey, k(Key::kPartOfDay)},
    {"ظهيرة", Role::kKey, k(Key::kPartOfDay)}, {"عصر", Role::kKey, k(Key::kPartOfDay)},
    {"فجر", Role::kKey, k(Key::kPartOfDay)}, {"عشية", Role::kKey, k(Key::kPartOfDay)},
    {"الليلة", Role::kKey, k(Key::kAlLayla)},
    {"أمس", Role::kKey, k(Key::kYesterday)}, {"الأمس", Role::kKey, k(Key::kYesterday)},
    {"البارحة", Role::kKey, k(Key::kYesterday)}, {"امبارح", Role::kKey, k(Key::kYesterday)},
    {"غدا", Role::kKey, k(Key::kTomorrow)}, {"بكرة", Role::kKey, k(Key::kTomorrow)},
    {"بكرا", Role::kKey, k(Key::kTomorrow)}, {"غد", Role::kKey, k(Key::kGhad)},
    {"الغد", Role::kKey, k(Key::kGhad)}, {"بعد", Role::kKey, k(Key::kAfter)},
    {"قبل", Role::kKey, k(Key::kBefore)}, {"القبل", Role::kKey, k(Key::kBefore)},
    {"أول", Role::kKey, k(Key::kFirst)}, {"من", Role::kKey, k(Key::kFrom)},
    {"في", Role::kKey, k(Key::kIn)}, {"منذ", Role::kKey, k(Key::kSince)},
    {"حتى", Role::kKey, k(Key::kSince)}, {"بحلول", Role::kKey, k(Key::kSince)},
    {"خلال", Role::kKey, k(Key::kMonthPrep)}, {"مطلع", Role::kKey, k(Key::kMonthPrep)},
    {"مستهل", Role::kKey, k(Key::kMonthPrep)}, {"أوائل", Role::kKey, k(Key::kMonthPrep)},
    {"أواسط", Role::kKey, k(Key::kMonthPrep)}, {"أواخر", Role::kKey, k(Key::kMonthPrep)},
    {"منتصف", Role::kKey, k(Key::kMonthPrep)}, {"نصف", Role::kKey, k(Key::kMonthPrep)},
    {"نص", Role::kKey, k(Key::kMonthPrep)}, {"بداية", Role::kKey, k(Key::kMonthPrep)},
    {"نهاية", Role::kKey, k(Key::kMonthPrep)}, {"آخر", Role::kKey, k(Key::kMonthPrep)},
    {"إلى", Role::kKey, k(Key::kTo)}, {"الذي", Role::kKey, k(Key::kWhich)},
    {"الموافق", Role::kKey, k(Key::kMuwafiq)}, {"هذا", Role::kKey, k(Key::kThis)},
    {"هذه", Role::kKey, k(Key::kThis)},
    {"الماضي", Role::kKey, k(Key::kPast)}, {"الماضية", Role::kKey, k(Key::kPast)},
    {"المنصرم", Role::kKey, k(Key::kPast)}, {"المنصرمة", Role::kKey, k(Key::kPast)},
    {"الفائت", Role::kKey, k(Key::kPast)}, {"الفائتة", Role::kKey, k(Key::kPast)},
    {"المنقضي", Role::kKey, k(Key::kPast)}, {"السابق", Role::kKey, k(Key::kSeqPrev)},
    {"السابقة", Role::kKey, k(Key::kSeqPrev)}, {"المقبل", Role::kKey, k(Key::kNext)},
    {"المقبلة", Role::kKey, k(Key::kNext)}, {"القادم", Role::kKey, k(Key::kNext)},
    {"القادمة", Role::kKey, k(Key::kNext)}, {"المقبلين", Role::kKey, k(Key::kNext)},
    {"القادمين", Role::kKey, k(Key::kNext)}, {"الماضيين", Role::kKey, k(Key::kPast)},
    {"الجاي", Role::kKey, k(Key::kNext)},
    {"الجاية", Role::kKey, k(Key::kNext)}, {"التالي", Role::kKey, k(Key::kSeqNext)},
    {"التالية", Role::kKey, k(Key::kSeqNext)}, {"الجاري", Role::kKey, k(Key::kCurrent)},
    {"الجارية", Role::kKey, k(Key::kCurrent)}, {"الحالي", Role::kKey, k(Key::kCurrent)},
    {"الحالية", Role::kKey, k(Key::kCurrent)},
    {"رقم", Role::kKey, k(Key::kNumberWord)}, {"هـ", Role::kKey, k(Key::kHijri)},
    {"هجري", Role::kKey, k(Key::kHijri)}, {"هجرية", Role::kKey, k(Key::kHijri)},
    {"للهجرة", Role::kKey, k(Key::kHijri)}, {"م", Role::kKey, k(Key::kMiladi)},
    {"ميلادي", Role::kKey, k(Key::kMiladi)}, {"ميلادية", Role::kKey, k(Key::kMiladi)},
    {"عشر", Role::kKey, k(Key::kTeen)}, {"عشرة", Role::kKey, k(Key::kTeen)},
    {"الواحد", Role::kKey, k(Key::kTheOne)}, {"بين", Role::kKey, k(Key::kBetween)},
    {"كلا", Role::kKey, k(Key::kBetween)}, {"كلتا", Role::kKey, k(Key::kBetween)},
    {"هذين", Role::kKey, k(Key::kBetween)}, {"معا", Role::kKey, k(Key::kTogether)},
    {"صلاة", Role::kKey, k(Key::kPrayer)}, {"صلوات", Role::kKey, k(Key::kPrayer)},
    {"خطبة", Role::kKey, k(Key::kPrayer)}, {"كل", Role::kKey, k(Key::kPrayer)},
    {"و", Role::kKey, k(Key::kAnd)}, {"الأخير", Role::kKey, k(Key::kLast)},
    {"الأخيرة", Role::kKey, k(Key::kLast)}, {"عامي", Role::kKey, k(Key::kAam)},
    // "n-th weekday of a month": a count word (0 = last), then a weekday without article.
    {"أول", Role::kCount, 1}, {"ثاني", Role::kCount, 2}, {"ثان", Role::kCount, 2}, {"ثالث", Role::kCount, 3},
    {"رابع", Role::kCount, 4}, {"خامس", Role::kCount, 5}, {"آخر", Role::kCount, 0},
    {"أحد", Role::kBareWeekday, 0}, {"اثنين", Role::kBareWeekday, 1}, {"ثلاثاء", Role::kBareWeekday, 2},
    {"ثلاثا", Role::kBareWeekday, 2}, {"أربعاء", Role::kBareWeekday, 3}, {"أربعا", Role::kBareWeekday, 3},
    {"خميس", Role::kBareWeekday, 4}, {"جمعة", Role::kBareWeekday, 5}, {"سبت", Role::kBareWeekday, 6},
};

class Lexicon {
 public:
  Lexicon() {
    constexpr std::string_view kAlPrefix = "\xD8\xA7\xD9\x84";  // ال
    for (const RawEntry& raw : kRawLexicon) {
      std::string word = normalize_string(raw.word);
      if (word.starts_with(kAlPrefix)) {
        entries_.push_back(Entry{"\xD9\x84\xD9\x84" + word.substr(4), raw.role, raw.value, raw.flags, 2});
      }
      entries_.push_back(Entry{std::move(word), raw.role, raw.value, raw.flags, 0});
    }
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.word < b.word; });
    for (std::size_t lo = 0, hi = 0; lo < entries_.size(); lo = hi) {
      while (hi < entries_.size() && entries_[hi].word == entries_[lo].word) ++hi;
      ranges_[entries_[lo].word] = static_cast<std::uint32_t>(lo << 16 | (hi - lo));
    }
  }

  // The entries spelled exactly `word` (possibly several roles: أول is a key and an ordinal).
  // Hashed rather than binary-searched: almost no word of a text is in the lexicon, and each word
  // is looked up up to three times (whole, without و/ف, without ب/ل/ك); a binary search's string
  // comparisons were most of the recognizer's time.
  std::pair<const Entry*, const Entry*> find(std::string_view word) const {
    const std::uint32_t* r = ranges_.find(word);
    if (r == nullptr) return {nullptr, nullptr};
    const Entry* first = entries_.data() + (*r >> 16);
    return {first, first + (*r & 0xFFFF)};
  }

 private:
  std::vector<Entry> entries_;
  detail::WordMap ranges_;  // word → first entry << 16 | number of entries
};

const Lexicon& lexicon() {
  static const Lexicon kLexicon;
  return kLexicon;
}

// One record per word of the text, filled from the lexicon once.
struct Word {
  Span span;                // the whole word
  std::uint32_t core = 0;   // where the word starts once clitics are stripped
  bool digits = false;
  bool definite = false;    // core starts with ال
  Key key = Key::kNone;
  std::int8_t month = 0;    // 1..12
  std::int8_t month_head = 0;  // 1 كانون, 2 تشرين
  std::uint8_t month_flags = 0;
  std::int8_t weekday = -1;
  std::int16_t ordinal = 0;
  std::int16_t cardinal = 0;
  std::int8_t count = -1;         // أول 1 … خامس 5, آخر 0
  std::int8_t bare_weekday = -1;  // اثنين, ثلاثاء… (no article)
  std::int8_t hijri_month = 0;    // 1 محرم … 12 ذو الحجة (one-word names)
  std::int8_t hijri_head = 0;     // 3 ربيع, 5 جمادى, 11 ذو/ذي
  int number = -1;          // value of a plain digit word of at most 4 digits
};

// Arabic letters are two bytes in UTF-8.
constexpr std::string_view kWaw = "\xD9\x88";
constexpr std::string_view kFa = "\xD9\x81";
constexpr std::string_view kBa = "\xD8\xA8";
constexpr std::string_view kLam = "\xD9\x84";
constexpr std::string_view kKaf = "\xD9\x83";
constexpr std::string_view kAl = "\xD8\xA7\xD9\x84";  // ال

// Prefixes are a letter or two: a byte loop, where a string compare would call memcmp per word.
bool starts_with(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (s[i] != p[i]) return false;
  return true;
}

void fill(Word& w, std::pair<const Entry*, const Entry*> range, bool stripped) {
  for (const Entry* e = range.first; e != range.second; ++e) {
    switch (e->role) {
      case Role::kKey: w.key = static_cast<Key>(e->value); break;
      case Role::kMonth:
        if (stripped && (e->flags & kStrict)) break;
        w.month = static_cast<std::int8_t>(e->value);
        w.month_flags = e->flags;
        break;
      case Role::kMonthHead: w.month_head = static_cast<std::int8_t>(e->value); break;
      case Role::kWeekday: w.weekday = static_cast<std::int8_t>(e->value); break;
      case Role::kOrdinal: w.ordinal = static_cast<std::int16_t>(e->value); break;
      case Role::kCardinal: w.cardinal = static_cast<std::int16_t>(e->value); break;
      case Role::kCount: w.count = static_cast<std::int8_t>(e->value); break;
      case Role::kBareWeekday: w.bare_weekday = static_cast<std::int8_t>(e->value); break;
      case Role::kHijriMonth:
        if (stripped && (e->flags & kStrict)) break;
        w.hijri_month = static_cast<std::int8_t>(e->value);
        break;
      case Role::kHijriHead: w.hijri_head = static_cast<std::int8_t>(e->value); break;
    }
  }
}

// Looks `text` up whole, then without a conjunction (و ف), then without a preposition (ب ل ك).
// At least two letters must remain so that "و" + one letter never matches. ل + ال is spelled
// لل; the lexicon holds those forms itself, so no lookup needs a temporary string.
void classify(Word& w, std::string_view text) {
  const Lexicon& lex = lexicon();
  std::string_view s = w.span.of(text);
  w.core = w.span.begin;
  if (s.empty()) return;
  if (s[0] >= '0' && s[0] <= '9') {
    w.digits = true;
    if (s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      w.number = 0;
      for (char c : s) w.number = w.number * 10 + (c - '0');
    }
    return;
  }
  w.core = w.span.begin;
  std::string_view rest = s;
  std::uint32_t core = w.span.begin;
  auto try_form = [&](bool stripped) {
    auto range = lex.find(rest);
    if (range.first == range.second) return false;
    w.core = core + range.first->prefix_bytes;
    fill(w, range, stripped || range.first->prefix_bytes > 0);
    return true;
  };
  bool found = try_form(false);
  if (!found && rest.size() >= 6 && (starts_with(rest, kWaw) || starts_with(rest, kFa))) {
    rest.remove_prefix(2);
    core += 2;
    found = try_form(true);
  }
  if (!found && rest.size() >= 6 && (starts_with(rest, kBa) || starts_with(rest, kLam) || starts_with(rest, kKaf))) {
    rest.remove_prefix(2);
    core += 2;
    found = try_form(true);
  }
  w.definite = starts_with(text.substr(w.core, w.span.end - w.core), kAl) ||
               (w.core > w.span.begin && starts_with(text.substr(w.core - 2), "\xD9\x84\xD9\x84"));
}

// ---------------------------------------------------------------------------------------------
// Matchers.

struct Found {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;     // byte end of the mention
  std::size_t next = 0;      // first word after it
  int year = 0, month = 0, day = 0;
  Granularity granularity = Granularity::kDay;
  bool relative = false;
  bool invalid = false;  // a date-shaped phrase naming no real day (31 نيسان): report nothing
  bool day_word = false;  // the day was an ordinal word (الثالث), not digits
  bool hijri = false;     // read in the Hijri calendar; year/month/day are already Gregorian
};

struct MonthHit {
  int month = 0;
  std::size_t next = 0;
  std::uint32_t end = 0;
  bool strong = false;  // شهر before it, or a paired form
  bool closed_paren = false;  // ended by the ")" of "شباط (فبراير)"
  bool hijri = false;
  std::uint8_t flags = 0;
};

struct DayHit {
  int day = 0;
  std::size_t next = 0;
  bool word = false;      // an ordinal word, not digits
  bool definite = false;  // الأول…: needs من before the month
};

// A month of the reference: الشهر الجاري, هذا الشهر, الشهر الماضي…
struct RelMonth {
  int offset = 0;
  std::size_t next = 0;
  std::uint32_t end = 0;
};

enum class Modifier : std::uint8_t { kNone, kPast, kNext, kCurrent };

class Recognizer {
 public:
  Recognizer(std::string_view text, std::optional<CivilDate> ref, const DateOptions& options)
      : text_(text), ref_(ref), opt_(options) {
    words_.reserve(text.size() / 8 + 1);
    WordScanner scanner(text);
    for (Span s; scanner.next(s);) {
      Word w;
      w.span = s;
      classify(w, text);
      words_.push_back(w);
    }
  }

  std::vector<DateMention> run() {
    std::vector<DateMention> out;
    std::size_t i = 0;
    while (i < words_.size()) {
      std::optional<Found> best;
      auto consider = [&](std::optional<Found> f) {
        if (f && (!best || f->end > best->end)) best = f;
      };
      consider(weekday_at(i));
      consider(numeric_at(i));
      consider(day_month_at(i));
      // Most words start no day: skip the Hijri matcher's call for them (it showed in profiles).
      if (w(i).digits || w(i).ordinal != 0 || key(i) == Key::kYawm || key(i) == Key::kAlYawm ||
          key(i) == Key::kGhurra) {
        consider(hijri_date_at(i));
      }
      consider(month_alone_at(i));
      consider(year_at(i));
      consider(relative_day_at(i));
      consider(relative_period_at(i));
      consider(counted_day_at(i));
      if (!best) consider(listed_day_at(i));
      if (!best) {
        ++i;
        continue;
      }
      if (best->invalid) {
        i = std::max(best->next, i + 1);
        continue;
      }
      DateMention m;
      m.span = Span{best->begin, best->end};
      m.year = best->year;
      m.month = best->granularity == Granularity::kYear ? 0 : best->month;
      m.day = best->granularity == Granularity::kDay ? best->day : 0;
      m.granularity = best->granularity;
      m.relative = best->relative;
      out.push_back(m);
      i = std::max(best->next, i + 1);
    }
    return out;
  }

 private:
  std::size_t size() const { return words_.size(); }
  const Word& w(std::size_t i) const { return words_[i]; }
  bool has(std::size_t i) const { return i < words_.size(); }
  Key key(std::size_t i) const { return has(i) ? words_[i].key : Key::kNone; }

  // The bytes between word i and word i+1.
  std::string_view gap(std::size_t i) const {
    return text_.substr(words_[i].span.end, words_[i + 1].span.begin - words_[i].span.end);
  }
  static bool blank(std::string_view g) {
    return std::all_of(g.begin(), g.end(), [](char c) { return c == ' ' || c == '\t'; });
  }
  static std::string_view trim(std::string_view g) {
    while (!g.empty() && (g.front() == ' ' || g.front() == '\t')) g.remove_prefix(1);
    while (!g.empty() && (g.back() == ' ' || g.back() == '\t')) g.remove_suffix(1);
    return g;
  }
  // Word i+1 continues the phrase of word i (only spaces between them).
  bool joined(std::size_t i) const { return i + 1 < size() && blank(gap(i)); }
  // Same, a comma also allowed ("الاربعاء، 13 شباط", "مارس، 2024").
  bool joined_or_comma(std::size_t i) const {
    if (i + 1 >= size()) return false;
    std::string_view g = trim(gap(i));
    return g.empty() || g == ",";
  }
  std::uint32_t core(std::size_t i) const { return words_[i].core; }
  std::uint32_t end(std::size_t i) const { return words_[i].span.end; }

  Modifier modifier(std::size_t i) const {
    switch (key(i)) {
      case Key::kPast: return Modifier::kPast;
      case Key::kNext: return Modifier::kNext;
      case Key::kCurrent: return Modifier::kCurrent;
      case Key::kSeqPrev: return opt_.sequence_words_are_deictic ? Modifier::kPast : Modifier::kNone;
      case Key::kSeqNext: return opt_.sequence_words_are_deictic ? Modifier::kNext : Modifier::kNone;
      default: return Modifier::kNone;
    }
  }
  // A modifier right after word i, if any.
  Modifier modifier_after(std::size_t i) const { return joined(i) ? modifier(i + 1) : Modifier::kNone; }
  // After a month, also past the ")" of a paired form: "14 أكتوبر (تشرين الأول) القادم".
  Modifier modifier_after_month(const MonthHit& month) const {
    const std::size_t last = month.next - 1;
    if (!month.closed_paren) return modifier_after(last);
    return last + 1 < size() && trim(gap(last)) == ")" ? modifier(last + 1) : Modifier::kNone;
  }

  // --- building blocks ---

  // A month name at i (with the second word of كانون/تشرين), or nullopt.
  std::optional<MonthHit> month_name_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    MonthHit h;
    if (w(i).month > 0) {
      h.month = w(i).month;
      h.flags = w(i).month_flags;
      h.next = i + 1;
    } else if (w(i).month_head > 0 && joined(i) && (w(i + 1).ordinal == 1 || w(i + 1).ordinal == 2)) {
      const bool first = w(i + 1).ordinal == 1;
      h.month = w(i).month_head == 1 ? (first ? 12 : 1) : (first ? 10 : 11);
      h.next = i + 2;
    } else {
      return std::nullopt;
    }
    h.end = end(h.next - 1);
    return h;
  }

  // A month at i: a name, "شهر <name>", "شهر 3", "شهر ثلاثة"; with a paired second name.
  std::optional<MonthHit> month_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    if (key(i) == Key::kShahr && joined(i)) {
      if (auto named = month_name_at(i + 1)) {
        named->strong = true;
        return paired(*named);
      }
      const Word& n = w(i + 1);
      MonthHit h;
      h.strong = true;
      h.next = i + 2;
      if (n.number >= 1 && n.number <= 12 && n.span.size() <= 2) {
        h.month = n.number;
      } else if (n.cardinal >= 2 && n.cardinal <= 10) {
        h.month = n.cardinal;
      } else if ((n.cardinal == kUnitOne || n.cardinal == kUnitTwo) && joined(i + 1) &&
                 key(i + 2) == Key::kTeen) {
        h.month = n.cardinal == kUnitOne ? 11 : 12;
        h.next = i + 3;
      } else {
        return std::nullopt;
      }
      h.end = end(h.next - 1);
      return h;
    }
    if (auto named = month_name_at(i)) return paired(*named);
    return std::nullopt;
  }

  // "فبراير/شباط", "شباط (فبراير)", "آذار - مارس": the second name must agree.
  MonthHit paired(MonthHit h) const {
    const std::size_t last = h.next - 1;
    if (!has(h.next)) return h;
    std::string_view g = trim(gap(last));
    if (g != "/" && g != "(" && g != "-") return h;
    auto second = month_name_at(h.next);
    if (!second || second->month != h.month) return h;
    h.next = second->next;
    h.end = second->end;
    h.strong = true;
    if (g == "(" && has(h.next - 1)) {
      // Include the closing parenthesis when it follows.
      std::size_t p = h.end;
      while (p < text_.size() && text_[p] == ' ') ++p;
      if (p < text_.size() && text_[p] == ')') {
        h.end = static_cast<std::uint32_t>(p + 1);
        h.closed_paren = true;
      }
    }
    return h;
  }

  // A year in range at i, with م/ميلادي after it; a Hijri marker disqualifies it.
  std::optional<std::pair<int, std::size_t>> year_number_at(std::size_t i) const {
    if (!has(i) || !w(i).digits || w(i).span.size() != 4) return std::nullopt;
    const int y = w(i).number;
    if (y < kMinYear || y > kMaxYear) return std::nullopt;
    std::size_t next = i + 1;
    if (has(next) && trim(gap(i)).empty()) {
      if (key(next) == Key::kHijri) return std::nullopt;
      if (key(next) == Key::kMiladi) ++next;
    }
    return std::make_pair(y, next);
  }

  // A Hijri year at i, with its marker (هـ, هجري, للهجرة) when one follows: "1436هـ", "1436 هـ".
  std::optional<std::pair<int, std::size_t>> hijri_year_number_at(std::size_t i) const {
    if (!has(i) || !w(i).digits || w(i).span.size() != 4) return std::nullopt;
    const int y = w(i).number;
    if (y < kMinHijriYear || y > kMaxHijriYear) return std::nullopt;
    std::size_t next = i + 1;
    if (has(next) && trim(gap(i)).empty() && key(next) == Key::kHijri) ++next;
    return std::make_pair(y, next);
  }

  // A Hijri month at i: a name ("رمضان", "المحرم"), two words ("ربيع الأول", "جمادى الآخرة",
  // "ذي الحجة"), either after شهر.
  std::optional<MonthHit> hijri_month_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    MonthHit h;
    h.hijri = true;
    if (key(i) == Key::kShahr && joined(i)) {
      h.strong = true;
      ++i;
    }
    const Word& m = w(i);
    if (m.hijri_month > 0) {
      h.month = m.hijri_month;
      h.next = i + 1;
    } else if (m.hijri_head > 0 && joined(i) && core(i + 1) == w(i + 1).span.begin) {
      const Word& second = w(i + 1);
      if (m.hijri_head == 11) {
        h.month = second.key == Key::kQaada ? 11 : second.key == Key::kHijja ? 12 : 0;
      } else if (second.ordinal == 1) {
        h.month = m.hijri_head;
      } else if (second.ordinal == 2 || second.key == Key::kLatter) {
        h.month = m.hijri_head + 1;
      }
      if (h.month == 0) return std::nullopt;
      h.next = i + 2;
    } else {
      return std::nullopt;
    }
    h.end = end(h.next - 1);
    return h;
  }

  // What may follow a month to give its year: "2024", "، 2024", "من عام 2024", "لعام 2024"; for
  // a Hijri month, "1436هـ", "من عام 1436 للهجرة".
  std::optional<std::pair<int, std::size_t>> year_part_after(const MonthHit& month) const {
    const std::size_t last = month.next - 1;
    if (month.closed_paren) {
      if (last + 1 >= size() || trim(gap(last)) != ")") return std::nullopt;
    } else if (!joined_or_comma(last)) {
      return std::nullopt;
    }
    auto number_at = [&](std::size_t at) { return month.hijri ? hijri_year_number_at(at) : year_number_at(at); };
    std::size_t j = last + 1;
    for (int connectors = 0; connectors < 2 && has(j); ++connectors) {
      if (auto y = number_at(j)) return y;
      const Key kj = key(j);
      if (kj != Key::kFrom && kj != Key::kIn && kj != Key::kAam && kj != Key::kAlAam) return std::nullopt;
      if (!joined(j)) return std::nullopt;
      ++j;
    }
    return number_at(j);
  }

  // A day number: 1..31 in digits, or an ordinal word (الثالث عشر, الحادي والعشرين).
  std::optional<DayHit> day_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    const Word& d = w(i);
    DayHit h;
    h.next = i + 1;
    if (d.digits) {
      if (d.number < 1 || d.number > 31 || d.span.size() > 2) return std::nullopt;
      h.day = d.number;
      return h;
    }
    if (d.ordinal == 0) return std::nullopt;
    h.word = true;
    h.definite = d.definite;
    const int unit = d.ordinal == kUnitOne ? 1 : d.ordinal;
    if (unit <= 9 && joined(i) && key(i + 1) == Key::kTeen) {
      h.day = 10 + unit;
      h.next = i + 2;
    } else if (unit <= 9 && joined(i) && (w(i + 1).ordinal == 20 || w(i + 1).ordinal == 30) &&
               w(i + 1).core != w(i + 1).span.begin) {  // والعشرين: the و is the clitic
      h.day = unit + w(i + 1).ordinal;
      h.next = i + 2;
    } else if (d.ordinal == kUnitOne) {
      return std::nullopt;
    } else {
      h.day = unit;
    }
    if (h.day > 31) return std::nullopt;
    return h;
  }

  // "الشهر الجاري", "هذا الشهر", "الشهر الماضي", "الشهر المقبل".
  std::optional<RelMonth> relative_month_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    if (key(i) == Key::kThis && joined(i) && key(i + 1) == Key::kAlShahr) {
      return RelMonth{0, i + 2, end(i + 1)};
    }
    if (key(i) != Key::kAlShahr) return std::nullopt;
    switch (modifier_after(i)) {
      case Modifier::kPast: return RelMonth{-1, i + 2, end(i + 1)};
      case Modifier::kNext: return RelMonth{1, i + 2, end(i + 1)};
      case Modifier::kCurrent: return RelMonth{0, i + 2, end(i + 1)};
      case Modifier::kNone: return std::nullopt;
    }
    return std::nullopt;
  }

  // --- resolution ---

  // Which of the years around the reference's (one before, its own, one after: index 0, 1, 2) a
  // day-month without year falls in, in either calendar. `days` holds the day in each candidate
  // year (nullopt where that year has no such day); `month_from_ref` says whether the month is
  // the reference's own or a later one of the same calendar year. weekday >= 0 lets the calendar
  // decide when exactly one candidate agrees with it.
  std::optional<std::size_t> pick_year(const std::array<std::optional<long>, 3>& days, Modifier mod, int weekday,
                                       bool month_from_ref, bool coming = false) const {
    const long ref_days = days_of(*ref_);
    if (weekday >= 0) {
      std::size_t match = 0;
      int count = 0;
      for (std::size_t k = 0; k < days.size(); ++k) {
        if (days[k] && weekday_of(*days[k]) == weekday) {
          match = k;
          ++count;
        }
      }
      if (count == 1) return match;
    }
    std::optional<std::size_t> chosen;
    for (std::size_t k = 0; k < days.size(); ++k) {
      if (!days[k]) continue;
      const long dd = *days[k];
      switch (mod) {
        case Modifier::kPast:
          if (dd < ref_days) chosen = k;  // latest before
          break;
        case Modifier::kNext:
          if (dd > ref_days && !chosen) chosen = k;  // earliest after
          break;
        case Modifier::kCurrent:
          if (k == 1) chosen = k;
          break;
        case Modifier::kNone:
          if (opt_.lean == Lean::kFuture) {
            if (!chosen && (k == 2 || (k == 1 && month_from_ref))) chosen = k;
          } else if (coming) {
            if (dd >= ref_days && !chosen) chosen = k;  // earliest on or after
          } else if (dd <= ref_days + 62) {
            chosen = k;
          }
          break;
      }
    }
    return chosen;
  }

  // Year for a day-month without one.
  std::optional<int> year_for(int month, int day, Modifier mod, int weekday, bool coming = false) const {
    if (!ref_) return std::nullopt;
    std::array<std::optional<long>, 3> days;
    for (std::size_t k = 0; k < days.size(); ++k) {
      const int y = ref_->year - 1 + static_cast<int>(k);
      if (valid_date(y, month, day)) days[k] = days_from_civil(y, month, day);
    }
    const auto k = pick_year(days, mod, weekday, month >= ref_->month, coming);
    if (!k) return std::nullopt;
    return ref_->year - 1 + static_cast<int>(*k);
  }

  // The day a Hijri day-month without year names, by the same rule.
  std::optional<long> hijri_days_for(int month, int day, Modifier mod, int weekday, bool coming = false) const {
    if (!ref_) return std::nullopt;
    if (!ref_hijri_) ref_hijri_ = hijri_month_of(days_of(*ref_));
    const std::optional<HijriMonth>& ref = *ref_hijri_;
    if (!ref) return std::nullopt;
    // The year is picked as if every month had a 30th: a month's length changes from year to year,
    // and a 30th the nearest year lacks is no reason to move to another year.
    const int placed = std::min(day, 29);
    std::array<std::optional<long>, 3> days;
    for (std::size_t k = 0; k < days.size(); ++k) {
      if (auto d = days_from_hijri(ref->year - 1 + static_cast<int>(k), month, placed)) days[k] = *d + (day - placed);
    }
    const auto k = pick_year(days, mod, weekday, month >= ref->month, coming);
    if (!k) return std::nullopt;
    return days_from_hijri(ref->year - 1 + static_cast<int>(*k), month, day);
  }

  // Year for a month without one.
  std::optional<int> year_for_month(int month, Modifier mod) const {
    if (!ref_) return std::nullopt;
    const int ref_index = ref_->year * 12 + ref_->month;
    std::optional<int> chosen;
    for (int y = ref_->year - 1; y <= ref_->year + 1; ++y) {
      const int index = y * 12 + month;
      switch (mod) {
        case Modifier::kPast:
          if (index < ref_index) chosen = y;
          break;
        case Modifier::kNext:
          if (index > ref_index && !chosen) chosen = y;
          break;
        case Modifier::kCurrent:
          if (y == ref_->year) chosen = y;
          break;
        case Modifier::kNone:
          if (opt_.lean == Lean::kFuture) {
            if (!chosen && index >= ref_index) chosen = y;
          } else if (index <= ref_index + 2) {
            chosen = y;
          }
          break;
      }
    }
    return chosen;
  }

  std::optional<Found> day_offset(std::uint32_t begin, std::size_t last, std::uint32_t end_byte, long offset) const {
    if (!ref_) return std::nullopt;
    const CivilDate d = civil_from_days(days_of(*ref_) + offset);
    Found f;
    f.begin = begin;
    f.end = end_byte;
    f.next = last + 1;
    f.year = d.year;
    f.month = d.month;
    f.day = d.day;
    f.relative = true;
    return f;
  }

  // `future_tense`: a bare weekday of a clause in the future ("ستعقد الجلسة الأحد") is the next
  // one, or the reference day itself.
  // `weeks_ahead` (1 or 2): the clause places it in the next week or the one after ("الأحد
  // والاثنين في الأسبوع المقبل"); weeks run Sunday to Saturday, as in the Gulf and the Levant.
  // Without any of these, a bare weekday six days back is read as tomorrow's: news names a day
  // that far back "الخميس الماضي", and "وتعليق العمل يوم الخميس" in Wednesday's paper is tomorrow.
  std::optional<Found> weekday_resolved(std::uint32_t begin, std::size_t last, int weekday, Modifier mod,
                                        bool future_tense = false, int weeks_ahead = 0) const {
    if (!ref_) return std::nullopt;
    const int today = weekday_of(days_of(*ref_));
    const int back = (today - weekday + 7) % 7;   // days since the most recent one, 0 = today
    const int ahead = (weekday - today + 7) % 7;  // days to the next one, 0 = today
    long offset = 0;
    if (weeks_ahead > 0 && mod == Modifier::kNone) {
      const int to_next_week = 7 - today;  // days to next Sunday
      offset = to_next_week + weekday + 7 * (weeks_ahead - 1);
    } else if (mod == Modifier::kPast) {
      offset = -(back == 0 ? 7 : back);
    } else if (mod == Modifier::kNext) {
      offset = ahead == 0 ? 7 : ahead;
    } else if (opt_.lean == Lean::kFuture) {
      offset = ahead == 0 ? 7 : ahead;
    } else if (future_tense) {
      offset = ahead;
    } else {
      offset = back == 6 ? 1 : -back;
    }
    return day_offset(begin, last, end(last), offset);
  }

  // A weekday named with the day it is relative to: "غدا الثلاثاء", "يوم غد الأحد", "صباح الغد
  // الأحد", "غدا (الخميس)", "غدا «الخميس»" (+1), "بعد غد الخميس" (+2), "أمس الأحد", "مساء أمس
  // السبت" (−1). The weekday is the one nearest that day: when the two disagree, the reference is
  // usually a day off (a web archive's date is often the day after the paper's).
  struct AnchoredWeekday {
    std::size_t weekday_word;
    int anchor;  // days from the reference
    bool enclosed;
  };
  std::optional<AnchoredWeekday> anchored_weekday(std::size_t i) const {
    std::size_t j = i;
    int anchor = 0;
    if (key(j) == Key::kAfter && joined(j) && key(j + 1) == Key::kGhad) {
      ++j;
      anchor = 2;
    } else if ((key(j) == Key::kYawm || key(j) == Key::kPartOfDay) && joined(j) && key(j + 1) == Key::kGhad) {
      ++j;
      anchor = 1;
    } else if (key(j) == Key::kTomorrow || key(j) == Key::kGhad) {
      anchor = 1;
    } else if (key(j) == Key::kPartOfDay && joined(j) && key(j + 1) == Key::kYesterday) {
      ++j;
      anchor = -1;
    } else if (key(j) == Key::kYesterday) {
      anchor = -1;
    } else {
      return std::nullopt;
    }
    if (j + 1 >= size()) return std::nullopt;
    const std::string_view g = trim(gap(j));
    const bool opened = g == "(" || g == "\"" || g == "«";
    if (!g.empty() && !opened) return std::nullopt;
    if (w(j + 1).weekday < 0) return std::nullopt;
    return AnchoredWeekday{j + 1, anchor, opened};
  }

  std::optional<Found> anchored_weekday_resolved(std::uint32_t begin, const AnchoredWeekday& a) const {
    if (!ref_) return std::nullopt;
    const int on_anchor = weekday_of(days_of(*ref_) + a.anchor);
    int delta = (w(a.weekday_word).weekday - on_anchor + 7) % 7;  // 0..6 days after the anchor
    if (delta > 3) delta -= 7;
    int offset = a.anchor + delta;
    // Never across the reference: yesterday's weekday is not in the future, tomorrow's not past.
    if (a.anchor < 0 && offset > 0) offset -= 7;
    if (a.anchor > 0 && offset < 0) offset += 7;
    // "غدا (الخميس)", "غدا "الخميس"", "غدا «الخميس»": the mention closes what it opened.
    std::uint32_t end_byte = end(a.weekday_word);
    if (a.enclosed) {
      std::uint32_t p = end_byte;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
      const std::string_view rest = text_.substr(p);
      if (rest.starts_with(")") || rest.starts_with("\"")) end_byte = p + 1;
      if (rest.starts_with("»")) end_byte = p + 2;
    }
    return day_offset(begin, a.weekday_word, end_byte, offset);
  }

  // "في الأسبوع المقبل" (1) or "الأسبوع بعد المقبل" (2) within a few words after weekday word j
  // (past other weekdays of a list), in the same sentence; 0 when absent.
  int weeks_ahead_after(std::size_t j) const {
    constexpr std::size_t kReach = 8;
    for (std::size_t k = j + 1; k <= j + kReach && k < size(); ++k) {
      if (trim(gap(k - 1)).find_first_of(".!?;:") != std::string_view::npos) return 0;
      if (text_.substr(core(k), end(k) - core(k)) != "\xD8\xA7\xD9\x84\xD8\xA7\xD8\xB3\xD8\xA8\xD9\x88\xD8\xB9")  // الاسبوع
        continue;
      if (modifier_after(k) == Modifier::kNext) return 1;
      if (joined(k) && key(k + 1) == Key::kAfter && modifier_after(k + 1) == Modifier::kNext) return 2;
      return 0;
    }
    return 0;
  }

  // Is the clause before word i in the future tense? "سوف", "من المقرر", or a verb with the
  // future prefix س (سيلتقي, ستنعقد): the word without its س must be a word the lexicon knows at
  // least as often, which keeps nouns such as سياره, سنه, سته out. Up to six words back, within
  // the sentence.
  bool future_clause_before(std::size_t i, std::size_t reach = 6) const {
    const isnad::Lexicon& lexicon = isnad::Lexicon::builtin();
    for (std::size_t d = 1; d <= reach && d <= i; ++d) {
      const std::size_t k = i - d;
      if (trim(gap(k)).find_first_of(".!?;:") != std::string_view::npos) return false;
      std::string_view word = w(k).span.of(text_);
      if ((starts_with(word, kWaw) || starts_with(word, kFa)) && word.size() > 6) word.remove_prefix(2);
      if (word == "سوف" || word == "المقرر") return true;
      constexpr std::string_view kSeen = "\xD8\xB3";  // س
      if (word.size() < 8 || !starts_with(word, kSeen)) continue;
      const std::string_view rest = word.substr(2);
      if (!starts_with(rest, "\xD9\x8A") && !starts_with(rest, "\xD8\xAA") && !starts_with(rest, "\xD9\x86"))
        continue;  // ي ت ن
      const std::uint32_t without = lexicon.count(rest);
      if (without >= 5 && without >= lexicon.count(word)) return true;
    }
    return false;
  }

  // A day-month without year and without a modifier of its own is the coming one (the reference
  // day included) when its clause is in the future ("وسوف تستأنف المحاكمة في 18 أكتوبر",
  // "المقرر إقامتها … من 25 ذي الحجة"): the ~2-month window is for narration, and schedules reach
  // further. The reach is longer than for weekdays, since a date often ends a long phrase.
  bool coming(Modifier written, std::size_t i) const {
    return written == Modifier::kNone && opt_.lean == Lean::kPast && future_clause_before(i, 10);
  }

  // --- matchers, each starting at word i ---

  // [اليوم|يوم] day [من] [شهر] month [year | modifier]. `weekday` >= 0 when a weekday came
  // before, to pick the year the calendar agrees with.
  std::optional<Found> day_month_at(std::size_t i, int weekday = -1) const {
    if (!has(i)) return std::nullopt;
    std::size_t j = i;
    if ((key(j) == Key::kAlYawm || key(j) == Key::kYawm) && joined(j)) ++j;
    auto day = day_at(j);
    if (!day) return std::nullopt;
    if (!joined(day->next - 1)) return std::nullopt;
    std::size_t m = day->next;
    const bool has_from = key(m) == Key::kFrom;
    if (has_from) {
      if (!joined(m)) return std::nullopt;
      ++m;
    } else if (day->definite) {
      return std::nullopt;  // "الثالث مارس" is not how a date is written; "الثالث من مارس" is
    }
    Found f;
    f.begin = core(i);
    f.day = day->day;
    f.day_word = day->word;
    if (auto rel = relative_month_at(m)) {
      if (!ref_) return std::nullopt;
      const int index = ref_->year * 12 + (ref_->month - 1) + rel->offset;
      f.year = index / 12;
      f.month = index % 12 + 1;
      f.end = rel->end;
      f.next = rel->next;
      f.relative = true;
    } else if (auto month = month_at(m)) {
      f.month = month->month;
      f.end = month->end;
      f.next = month->next;
      if (auto y = year_part_after(*month)) {
        f.year = y->first;
        f.next = y->second;
        f.end = end(y->second - 1);
      } else {
        const Modifier mod = modifier_after_month(*month);
        auto year = year_for(f.month, f.day, mod, weekday, coming(mod, i));
        if (!year) return std::nullopt;
        f.year = *year;
        f.relative = true;
        if (mod != Modifier::kNone) {
          f.next = month->next + 1;
          f.end = end(month->next);
        }
      }
    } else {
      return std::nullopt;
    }
    f.invalid = !valid_date(f.year, f.month, f.day);
    return f;
  }

  // [اليوم|يوم] day [من] [شهر] Hijri month [year | modifier], or غرة [شهر] month: "28 شوال 1436هـ",
  // "الخامس من رمضان", "غرة شهر رمضان". A Hijri month is never a date by itself: رمضان, رجب and
  // شعبان are common names (طارق رمضان, رجب طيب أردوغان), صفر is "zero". Without a year the day
  // must be digits, an ordinal with من, or غرة, and not the name after a place word (مدينة العاشر
  // من رمضان); صفر then needs شهر, or digits right before it headed by يوم or a weekday: a bare
  // "3 صفر" is as often a score. An ordinal after a definite noun is its adjective, not a day
  // ("الأيام العشرة الأولى من رمضان"); a recurring date ("30 رجب من كل عام") or one whose year is
  // out of reach ("من شهر صفر سنة 747 هجرية") takes no year from the reference.
  std::optional<Found> hijri_date_at(std::size_t i, int weekday = -1) const {
    if (!has(i)) return std::nullopt;
    std::size_t j = i;
    if ((key(j) == Key::kAlYawm || key(j) == Key::kYawm) && joined(j)) ++j;
    Found f;
    f.begin = core(i);
    f.hijri = true;
    std::size_t m = j + 1;
    bool loose_day = false;     // an ordinal word without من ("أول رمضان"): only with a year
    bool digits_before = false;  // digits right before the month
    if (key(j) == Key::kGhurra && joined(j)) {
      f.day = 1;
    } else {
      auto day = day_at(j);
      if (!day || !joined(day->next - 1)) return std::nullopt;
      if (day->word && j == i && weekday < 0 && i > 0 && joined(i - 1) && w(i - 1).definite) return std::nullopt;
      f.day = day->day;
      f.day_word = day->word;
      m = day->next;
      if (key(m) == Key::kFrom) {
        if (!joined(m)) return std::nullopt;
        ++m;
      } else if (day->definite) {
        return std::nullopt;
      } else {
        loose_day = day->word;
        digits_before = !day->word;
      }
    }
    auto month = hijri_month_at(m);
    if (!month) return std::nullopt;
    f.end = month->end;
    f.next = month->next;
    std::optional<long> days;
    if (auto y = year_part_after(*month)) {
      f.next = y->second;
      f.end = end(y->second - 1);
      days = days_from_hijri(y->first, month->month, f.day);
      f.invalid = !days;
    } else {
      const bool headed = j > i || weekday >= 0;
      if (loose_day || (month->month == 2 && !month->strong && !(digits_before && headed))) return std::nullopt;
      if (i > 0 && joined(i - 1) && key(i - 1) == Key::kNamedPlace) return std::nullopt;
      if (year_or_every_year_after(month->next - 1)) return std::nullopt;
      const Modifier mod = modifier_after_month(*month);
      days = hijri_days_for(month->month, f.day, mod, weekday, coming(mod, i));
      if (!days) return std::nullopt;
      f.relative = true;
      if (mod != Modifier::kNone) {
        f.next = month->next + 1;
        f.end = end(month->next);
      }
    }
    if (days) set_day(f, *days);
    return f;
  }

  // After a day-month: a year the reader cannot place ("سنة 747", "1600 هـ"), or "[من] كل عام/سنة".
  bool year_or_every_year_after(std::size_t last) const {
    if (!joined_or_comma(last)) return false;
    std::size_t j = last + 1;
    if (key(j) == Key::kFrom && joined(j)) ++j;
    if (!has(j)) return false;
    const bool year_word = key(j) == Key::kAam || key(j) == Key::kAlAam;
    if (w(j).span.of(text_) == "\xD9\x83\xD9\x84") return joined(j) && key(j + 1) == Key::kAam;  // كل
    if (year_word && joined(j)) return w(j + 1).digits;
    return w(j).digits && j + 1 < size() && trim(gap(j)).empty() && key(j + 1) == Key::kHijri;
  }

  // "7 و14 أكتوبر", "10 و17 و24 أغسطس 2015", "20 و21 شوال": digit days listed before one month.
  // An earlier day is the last day's date moved back by the difference (so Hijri lists convert
  // too); a list runs upwards, and anything else ("3 و2") is left alone.
  std::optional<Found> listed_day_at(std::size_t i) const {
    if (!has(i) || !w(i).digits) return std::nullopt;
    const auto first = day_at(i);
    if (!first) return std::nullopt;
    int last_day = first->day;
    for (std::size_t k = i; joined(k) && key(k + 1) == Key::kAnd && joined(k + 1) && has(k + 2) && w(k + 2).digits;) {
      k += 2;
      const auto day = day_at(k);
      if (!day || day->day <= last_day) return std::nullopt;
      last_day = day->day;
      std::optional<Found> tail = day_month_at(k);
      if (!tail) tail = hijri_date_at(k);
      if (!tail) continue;
      if (tail->granularity != Granularity::kDay || tail->invalid) return std::nullopt;
      Found f = *tail;
      set_day(f, days_from_civil(CivilDate{tail->year, tail->month, tail->day}) - (last_day - first->day));
      f.begin = core(i);
      f.end = end(i);
      f.next = i + 1;
      f.day_word = false;
      return f;
    }
    return std::nullopt;
  }

  static void set_day(Found& f, long days) {
    const CivilDate d = civil_from_days(days);
    f.year = d.year;
    f.month = d.month;
    f.day = d.day;
  }

  // 22/3/2024, 22-3-2024, 22.3.2024, 2024-03-22, 2024/3/22; and 3/2024 as a month.
  // 18/10/1436هـ, 1436/10/18 هـ: a Hijri year counts only with its marker.
  std::optional<Found> numeric_at(std::size_t i) const {
    if (!has(i) || !w(i).digits) return std::nullopt;
    if (i > 0 && key(i - 1) == Key::kNumberWord) return std::nullopt;
    if (i > 0 && w(i - 1).digits && trim(gap(i - 1)).size() == 1) return std::nullopt;  // inside a longer chain
    std::string_view s = w(i).span.of(text_);
    std::array<int, 3> part{};
    std::array<std::size_t, 3> len{};
    int parts = 0;
    std::size_t next = i + 1;
    bool spaced = false;  // "14 / 10 / 1436هـ": read only as a Hijri date, whose marker vouches for it
    if (s.find('.') != std::string_view::npos) {  // 22.3.2024 is one word for the scanner
      int v = 0;
      std::size_t l = 0;
      for (std::size_t p = 0; p <= s.size(); ++p) {
        if (p == s.size() || s[p] == '.') {
          if (parts == 3 || l == 0) return std::nullopt;
          part[static_cast<std::size_t>(parts)] = v;
          len[static_cast<std::size_t>(parts)] = l;
          ++parts;
          v = 0;
          l = 0;
        } else if (s[p] >= '0' && s[p] <= '9') {
          if (++l > 4) return std::nullopt;  // no date part has more than four digits
          v = v * 10 + (s[p] - '0');
        } else {
          return std::nullopt;
        }
      }
      if (parts != 3) return std::nullopt;
    } else {
      if (w(i).number < 0) return std::nullopt;
      part[0] = w(i).number;
      len[0] = w(i).span.size();
      parts = 1;
      std::string_view sep;
      std::size_t j = i;
      while (parts < 3 && j + 1 < size() && w(j + 1).digits && w(j + 1).number >= 0) {
        std::string_view g = trim(gap(j));
        if (g.size() != 1 || (g[0] != '/' && g[0] != '-')) break;
        if (!sep.empty() && g != sep) break;
        spaced = spaced || gap(j).size() != 1;
        sep = g;
        ++j;
        part[static_cast<std::size_t>(parts)] = w(j).number;
        len[static_cast<std::size_t>(parts)] = w(j).span.size();
        ++parts;
      }
      next = j + 1;
      if (has(next) && w(next).digits && (spaced ? trim(gap(next - 1)) : gap(next - 1)) == sep) return std::nullopt;
      if (parts == 2 && (sep != "/" || spaced)) return std::nullopt;
    }
    Found f;
    f.begin = w(i).span.begin;
    f.end = end(next - 1);
    f.next = next;
    if (parts == 3) {
      if (len[0] == 4) {
        f.year = part[0], f.month = part[1], f.day = part[2];
      } else if (len[2] == 4 && len[0] <= 2 && len[1] <= 2) {
        f.day = part[0], f.month = part[1], f.year = part[2];
      } else {
        return std::nullopt;
      }
      if (f.year >= kMinHijriYear && f.year <= kMaxHijriYear) {
        if (!has(next) || !trim(gap(next - 1)).empty() || key(next) != Key::kHijri) return std::nullopt;
        const auto days = days_from_hijri(f.year, f.month, f.day);
        if (!days) return std::nullopt;
        set_day(f, *days);
        f.hijri = true;
        f.end = end(next);
        f.next = next + 1;
        return f;
      }
      if (spaced) return std::nullopt;
      if (f.year < kMinYear || f.year > kMaxYear || !valid_date(f.year, f.month, f.day)) return std::nullopt;
      return f;
    }
    if (parts == 2 && len[0] <= 2 && len[1] == 4 && part[0] >= 1 && part[0] <= 12 && part[1] >= kMinYear &&
        part[1] <= kMaxYear) {
      f.month = part[0];
      f.year = part[1];
      f.granularity = Granularity::kMonth;
      return f;
    }
    return std::nullopt;
  }

  // A month without a day: "مارس 2024" (explicit), or "في مارس", "شهر آذار", "مارس الماضي".
  std::optional<Found> month_alone_at(std::size_t i) const {
    auto month = month_at(i);
    if (!month) return std::nullopt;
    Found f;
    f.begin = core(i);
    f.month = month->month;
    f.granularity = Granularity::kMonth;
    f.end = month->end;
    f.next = month->next;
    if (auto y = year_part_after(*month)) {
      f.year = y->first;
      f.next = y->second;
      f.end = end(y->second - 1);
      return f;
    }
    const Modifier mod = modifier_after_month(*month);
    if (!month->strong) {
      if (month->flags & kStrict) return std::nullopt;
      const Key before = i > 0 && joined(i - 1) ? key(i - 1) : Key::kNone;
      const bool prep = before == Key::kIn || before == Key::kSince || before == Key::kMonthPrep ||
                        before == Key::kFrom || before == Key::kTo;
      if (!prep && mod == Modifier::kNone) return std::nullopt;
    }
    auto year = year_for_month(f.month, mod);
    if (!year) return std::nullopt;
    f.year = *year;
    f.relative = true;
    if (mod != Modifier::kNone) {
      f.next = month->next + 1;
      f.end = end(month->next);
    }
    return f;
  }

  // "عام 2015", "العام 2015", "لعام 2015"; "في 2015." / "منذ 2011," with a clear right edge.
  std::optional<Found> year_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    Found f;
    f.granularity = Granularity::kYear;
    if ((key(i) == Key::kAam || key(i) == Key::kAlAam) && joined(i)) {
      auto y = year_number_at(i + 1);
      if (!y) return std::nullopt;
      f.begin = core(i);
      f.year = y->first;
      f.next = y->second;
      f.end = end(y->second - 1);
      return f;
    }
    auto y = year_number_at(i);
    if (!y || i == 0 || !joined(i - 1)) return std::nullopt;
    // The second year of "عامي 2014 و2015" / "عام 2014 و2015".
    if (key(i - 1) == Key::kAnd && i >= 3 && joined(i - 2) && year_number_at(i - 2) &&
        (key(i - 3) == Key::kAam || key(i - 3) == Key::kAlAam)) {
      f.begin = w(i).span.begin;
      f.year = y->first;
      f.next = y->second;
      f.end = end(y->second - 1);
      return f;
    }
    if (key(i - 1) != Key::kIn && key(i - 1) != Key::kSince) return std::nullopt;
    const std::size_t after = y->second;
    const bool clear_edge = !has(after) || !trim(gap(after - 1)).empty() || key(after) == Key::kAnd;
    if (!clear_edge) return std::nullopt;
    f.begin = w(i).span.begin;
    f.year = y->first;
    f.next = after;
    f.end = end(after - 1);
    return f;
  }

  // Weekdays, with their head word (يوم, ليلة, مساء…), modifier, or following date.
  std::optional<Found> weekday_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    if (const auto anchored = anchored_weekday(i)) return anchored_weekday_resolved(core(i), *anchored);
    std::size_t j = i;
    bool headed = false;
    if (key(j) == Key::kPartOfDay && joined(j) && key(j + 1) == Key::kYawm) ++j;  // مساء يوم الجمعة
    if ((key(j) == Key::kPartOfDay || key(j) == Key::kYawm || key(j) == Key::kThis) && joined(j)) {
      ++j;
      headed = true;
    }
    if (!has(j) || w(j).weekday < 0) return std::nullopt;
    const int weekday = w(j).weekday;
    if (!headed && !plausible_weekday(j)) return std::nullopt;
    const std::uint32_t begin = core(i);
    // An explicit date after the weekday wins: "الاثنين 18 شباط", "الخميس الموافق 14 شهر شباط".
    if (joined_or_comma(j)) {
      std::size_t k = j + 1;
      // "في" joins only without a clitic: in "الجمعة وفي 4 يونيو" the و starts a new item.
      if ((key(k) == Key::kMuwafiq || key(k) == Key::kIn) && core(k) == w(k).span.begin && joined(k)) ++k;
      std::optional<Found> dated = day_month_at(k, weekday);
      if (!dated) dated = hijri_date_at(k, weekday);
      if (!dated) dated = numeric_at(k);
      if (dated && dated->granularity == Granularity::kDay) {
        dated->begin = begin;
        // "الثلاثاء الثالث من أيلول" where 3 September is no Tuesday: the third Tuesday.
        // A mismatch with digits ("الثلاثاء 3 أيلول") is a typo; the explicit day stays.
        if (!dated->invalid && !dated->hijri && dated->day_word && dated->day <= 5 &&
            weekday_of(days_from_civil(dated->year, dated->month, dated->day)) != weekday) {
          auto nth = nth_weekday(dated->year, dated->month, weekday, dated->day);
          if (!nth) return std::nullopt;
          dated->day = *nth;
        }
        return dated;
      }
      if (auto last = last_weekday_at(j, weekday)) {
        last->begin = begin;
        return last;
      }
      // "السبت السادس عشر": an ordinal day of the reference month.
      if (auto day = day_at(j + 1); day && day->word && ref_) {
        if (auto f = day_of_reference_month(day->day)) {
          f->begin = begin;
          f->end = end(day->next - 1);
          f->next = day->next;
          return f;
        }
      }
    }
    Modifier mod = modifier_after(j);
    const std::size_t last = mod == Modifier::kNone || mod == Modifier::kCurrent ? j : j + 1;
    // "يومي الأحد والاثنين المقبلين": the modifier after the second weekday qualifies both.
    if (mod == Modifier::kNone && joined(j) && w(j + 1).weekday >= 0 && core(j + 1) > w(j + 1).span.begin) {
      const Modifier both = modifier_after(j + 1);
      if (both == Modifier::kPast || both == Modifier::kNext) mod = both;
    }
    if (mod == Modifier::kCurrent) mod = Modifier::kNone;
    const int weeks = mod == Modifier::kNone ? weeks_ahead_after(j) : 0;
    return weekday_resolved(begin, last, weekday, mod, mod == Modifier::kNone && future_clause_before(i), weeks);
  }

  // "الاثنين الأخير من شهر آذار [2014]", "الجمعة الأخيرة من الشهر الماضي".
  std::optional<Found> last_weekday_at(std::size_t j, int weekday) const {
    if (!joined(j) || key(j + 1) != Key::kLast || !joined(j + 1) || key(j + 2) != Key::kFrom || !joined(j + 2)) {
      return std::nullopt;
    }
    auto f = month_part_at(j + 3);
    if (f) f->day = *nth_weekday(f->year, f->month, weekday, 0);
    return f;
  }

  // "ثالث ثلاثاء من أيلول 2014", "آخر اثنين من الشهر المقبل", "ثالث يوم من شهر عشرة",
  // "آخر يوم بشهر عشرة", "اليوم الأخير من شهر عشرة".
  std::optional<Found> counted_day_at(std::size_t i) const {
    if (!has(i) || !joined(i)) return std::nullopt;
    std::size_t j = i;
    int count = -1, weekday = -1;
    if (key(i) == Key::kAlYawm && key(i + 1) == Key::kLast) {
      count = 0;
      j = i + 2;
    } else if (w(i).count >= 0) {
      count = w(i).count;
      j = i + 1;
      if (key(j) == Key::kYawm && joined(j)) {
        ++j;
        if (w(j).bare_weekday < 0 && w(j).weekday < 0) --j;  // ثالث يوم: a day, not a weekday
      }
      weekday = w(j).bare_weekday >= 0 ? w(j).bare_weekday : w(j).weekday;
      if (weekday < 0 && key(j) != Key::kYawm) return std::nullopt;
      ++j;
    } else {
      return std::nullopt;
    }
    if (!joined(j - 1) || !has(j)) return std::nullopt;
    if ((key(j) == Key::kFrom || key(j) == Key::kIn) && core(j) == w(j).span.begin) {
      if (!joined(j)) return std::nullopt;
      ++j;
    } else if (core(j) == w(j).span.begin) {
      return std::nullopt;  // needs من/في or a clitic ب on the month (بأيلول)
    }
    auto f = month_part_at(j);
    if (!f) return std::nullopt;
    if (weekday >= 0) {
      auto day = nth_weekday(f->year, f->month, weekday, count);
      if (!day) return std::nullopt;
      f->day = *day;
    } else {
      f->day = count == 0 ? days_in_month(f->year, f->month) : count;
    }
    f->begin = core(i);
    return f;
  }

  // A month with its year for a day to be placed in: "شهر آذار 2014", "أيلول", "الشهر المقبل".
  std::optional<Found> month_part_at(std::size_t j) const {
    Found f;
    if (auto rel = relative_month_at(j)) {
      if (!ref_) return std::nullopt;
      const int index = ref_->year * 12 + (ref_->month - 1) + rel->offset;
      f.year = index / 12;
      f.month = index % 12 + 1;
      f.next = rel->next;
      f.end = rel->end;
      f.relative = true;
    } else if (auto month = month_at(j)) {
      f.month = month->month;
      f.next = month->next;
      f.end = month->end;
      if (auto y = year_part_after(*month)) {
        f.year = y->first;
        f.next = y->second;
        f.end = end(y->second - 1);
      } else {
        auto year = year_for_month(f.month, Modifier::kNone);
        if (!year) return std::nullopt;
        f.year = *year;
        f.relative = true;
      }
    } else {
      return std::nullopt;
    }
    return f;
  }

  std::optional<Found> day_of_reference_month(int day) const {
    int y = ref_->year, m = ref_->month;
    if (opt_.lean == Lean::kFuture && day < ref_->day) {
      m = m == 12 ? 1 : m + 1;
      y += m == 1 ? 1 : 0;
    } else if (opt_.lean == Lean::kPast && day > ref_->day) {
      m = m == 1 ? 12 : m - 1;
      y -= m == 12 ? 1 : 0;
    }
    if (!valid_date(y, m, day)) return std::nullopt;
    Found f;
    f.year = y;
    f.month = m;
    f.day = day;
    f.relative = true;
    return f;
  }

  // A bare weekday word that is not another reading of the same letters.
  bool plausible_weekday(std::size_t j) const {
    const Key before = j > 0 && joined(j - 1) ? key(j - 1) : Key::kNone;
    const Key after = joined(j) ? key(j + 1) : Key::kNone;
    switch (w(j).weekday) {
      case 0:  // الواحد الأحد; الأحد عشر (the eleven)
        return before != Key::kTheOne && after != Key::kTeen;
      case 1:  // الاثنين = "the two": بين الاثنين, الطرفين الاثنين, الاثنين معا
        if (before == Key::kBetween || after == Key::kTogether || after == Key::kTeen) return false;
        if (j > 0 && joined(j - 1) && w(j - 1).definite && w(j - 1).weekday < 0) {
          std::string_view prev = w(j - 1).span.of(text_);
          if (prev.size() >= 4) {
            std::string_view tail = prev.substr(prev.size() - 4);
            if (tail == "\xD9\x8A\xD9\x86" || tail == "\xD8\xA7\xD9\x86") return false;  // ين / ان
          }
        }
        return true;
      case 5:  // صلاة الجمعة, خطبة الجمعة, كل جمعة
        return before != Key::kPrayer;
      default: return true;
    }
  }

  // اليوم, أمس, غدا, بعد غد, أول أمس, الليلة…
  std::optional<Found> relative_day_at(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    const std::uint32_t begin = core(i);
    std::size_t j = i;
    // Head words: يوم أمس, مساء أمس, اليوم الذي بعد الغد, هذا اليوم, هذه الليلة.
    bool headed = false;
    if ((key(j) == Key::kYawm || key(j) == Key::kPartOfDay || key(j) == Key::kThis) && joined(j)) {
      const Key nk = key(j + 1);
      if (nk == Key::kYesterday || nk == Key::kGhad || nk == Key::kTomorrow || nk == Key::kAfter ||
          nk == Key::kBefore || nk == Key::kAlYawm || nk == Key::kAlLayla) {
        ++j;
        headed = true;
      }
    }
    if (key(j) == Key::kAlYawm && joined(j) && (key(j + 1) == Key::kWhich || key(j + 1) == Key::kTo) &&
        joined(j + 1) && (key(j + 2) == Key::kAfter || key(j + 2) == Key::kBefore)) {
      j += 2;  // اليوم الذي بعد الغد
    } else if (key(j) == Key::kAlYawm && joined(j) && (key(j + 1) == Key::kAfter || key(j + 1) == Key::kBefore)) {
      ++j;  // اليوم القبل البارحة
    }
    switch (key(j)) {
      case Key::kYesterday: return day_offset(begin, j, end(j), -1);
      case Key::kTomorrow: return day_offset(begin, j, end(j), 1);
      case Key::kGhad:
        if (!headed) return std::nullopt;  // الغد alone is "the future" (or a newspaper)
        return day_offset(begin, j, end(j), 1);
      case Key::kAfter:
        if (joined(j) && (key(j + 1) == Key::kGhad || key(j + 1) == Key::kTomorrow))
          return day_offset(begin, j + 1, end(j + 1), 2);
        return std::nullopt;
      case Key::kBefore:
        if (joined(j) && key(j + 1) == Key::kYesterday) return day_offset(begin, j + 1, end(j + 1), -2);
        return std::nullopt;
      case Key::kFirst: {  // أول أمس, أول من أمس
        std::size_t k = j;
        if (joined(k) && key(k + 1) == Key::kFrom) ++k;
        if (joined(k) && key(k + 1) == Key::kYesterday) return day_offset(begin, k + 1, end(k + 1), -2);
        return std::nullopt;
      }
      case Key::kAlLayla: {
        const Modifier mod = modifier_after(j);
        if (mod == Modifier::kPast) return day_offset(begin, j + 1, end(j + 1), -1);
        if (mod == Modifier::kNext) return day_offset(begin, j + 1, end(j + 1), 1);
        return day_offset(begin, j, end(j), 0);
      }
      case Key::kAlYawm: {
        if (joined(j) && w(j + 1).weekday >= 0) return day_offset(begin, j + 1, end(j + 1), 0);  // اليوم الأحد
        const Modifier mod = modifier_after(j);
        if (mod == Modifier::kPast) return day_offset(begin, j + 1, end(j + 1), -1);
        if (mod == Modifier::kNext && key(j + 1) == Key::kSeqNext) return day_offset(begin, j + 1, end(j + 1), 1);
        if (joined(j) && w(j + 1).definite) return std::nullopt;  // اليوم العالمي, اليوم التالي
        return day_offset(begin, j, end(j), 0);
      }
      default: return std::nullopt;
    }
  }

  // الشهر الماضي / هذا الشهر (month), العام الماضي / هذه السنة (year).
  std::optional<Found> relative_period_at(std::size_t i) const {
    if (!has(i) || !ref_) return std::nullopt;
    Found f;
    f.begin = core(i);
    f.relative = true;
    if (auto rel = relative_month_at(i)) {
      const int index = ref_->year * 12 + (ref_->month - 1) + rel->offset;
      f.year = index / 12;
      f.month = index % 12 + 1;
      f.granularity = Granularity::kMonth;
      f.end = rel->end;
      f.next = rel->next;
      return f;
    }
    f.granularity = Granularity::kYear;
    if (key(i) == Key::kThis && joined(i) && key(i + 1) == Key::kAlAam) {
      f.year = ref_->year;
      f.next = i + 2;
      f.end = end(i + 1);
      return f;
    }
    if (key(i) != Key::kAlAam) return std::nullopt;
    // الأمين العام الحالي: العام is an adjective there, agreeing with a masculine singular
    // definite noun. After a feminine or plural one (الانتخابات العام المقبل) it is the year.
    if (i > 0 && joined(i - 1) && w(i - 1).definite) {
      std::string_view prev = w(i - 1).span.of(text_);
      const bool feminine_or_plural = prev.ends_with("\xD9\x87") || prev.ends_with("\xD8\xA7\xD8\xAA");  // ه, ات
      if (!feminine_or_plural) return std::nullopt;
    }
    const Modifier mod = modifier_after(i);
    if (mod == Modifier::kNone) return std::nullopt;
    f.year = ref_->year + (mod == Modifier::kPast ? -1 : mod == Modifier::kNext ? 1 : 0);
    f.next = i + 2;
    f.end = end(i + 1);
    return f;
  }

  std::string_view text_;
  std::optional<CivilDate> ref_;
  // The reference's Hijri month, converted on the first Hijri date without a year (ICU is slow).
  mutable std::optional<std::optional<HijriMonth>> ref_hijri_;
  DateOptions opt_;
  std::vector<Word> words_;
};

}  // namespace

std::vector<DateMention> find_dates(std::string_view normalized, std::optional<CivilDate> published,
                                    const DateOptions& options) {
  return Recognizer(normalized, published, options).run();
}

std::vector<DateMention> find_dates(std::string_view normalized, std::optional<CivilDate> published) {
  return find_dates(normalized, published, DateOptions{});
}

}  // namespace isnad
