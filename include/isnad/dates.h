// isnad/dates.h — calendar dates in normalized Arabic text.
//
// `find_dates` reads *normalized* text (see normalize.h: ASCII digits, one alef, ى→ي, ة→ه, no
// diacritics) and returns every date mention with the Gregorian value it denotes:
//
//   auto norm = isnad::normalize(article_bytes);
//   auto published = isnad::parse_iso_date("2024-03-24");
//   for (const isnad::DateMention& d : isnad::find_dates(norm->text(), published))
//     show(norm->to_original(d.span), d.iso(), to_string(d.granularity));
//
// What is recognized (clitics و ف ب ل are stripped, and stay outside the span):
//   explicit   22 مارس 2024 · 22 آذار/مارس 2024 · الاول من شباط 2013 · الثالث عشر من شهر شباط
//              · 22/3/2024 (day first) · 2024-03-22 · 22.3.2024                      → day
//              مارس 2024 · شباط (فبراير) 2022 · كانون الثاني من عام 2020 · 3/2024    → month
//              عام 2015 · العام 2015 · سنة 2015 · لعام 2015 · في 2015, (see below)   → year
//   months     Gregorian (يناير…), Levantine/Iraqi (كانون الثاني, شباط…, تشرين الاول), Maghrebi
//              (جانفي, فيفري, أفريل, ماي, جوان, جويلية, أوت) and Moroccan (شتنبر, نونبر, دجنبر);
//              paired forms "فبراير/شباط", "شباط (فبراير)" are one mention; "شهر 3", "شهر ثلاثة".
//   relative   اليوم · أمس · البارحة · أول أمس · غدا · يوم غد · بعد غد · الليلة · الليلة الماضية
//              (day) · الشهر الماضي/الجاري/المقبل (month) · العام الماضي/هذا العام (year)
//   weekdays   الجمعة · يوم الجمعة · ليلة/مساء/صباح الجمعة · الجمعة الماضية/المقبلة (day);
//              a weekday followed by a date ("الاثنين 18 شباط") takes the explicit date, and
//              with an ordinal day only ("السبت السادس عشر") the day of the reference month.
//   counted    ثالث ثلاثاء من أيلول 2014 · الثلاثاء الثالث من أيلول (when the 3rd is no Tuesday)
//              · آخر اثنين من الشهر المقبل · الجمعة الأخيرة من آذار · آخر يوم من شباط 2024 (day)
//   lists      عامي 2014 و2015 → two year mentions; digit days before one month ("7 و14 أكتوبر",
//              "10 و17 و24 أغسطس 2015", "20 و21 شوال") → a day mention each (a list runs upwards).
//   Hijri      28 شوال 1436هـ · الخامس من رمضان 1436 هجرية · غرة شهر رمضان · 12 ربيع الأول 1437
//              للهجرة · 9 ذي الحجة · 18/10/1436هـ · 1436/11/07 هـ · 24 /10 / 1436هـ (day, reported
//              as its Gregorian day, in Umm al-Qura, the Saudi civil calendar). Months: محرم, صفر,
//              ربيع الأول/الثاني/الآخر, جمادى الأولى/الآخرة/الثانية, رجب, شعبان, رمضان, شوال, ذو/ذي
//              القعدة, ذو/ذي الحجة. Numeric forms need the marker هـ/هجري: "18/10/1436" alone is as
//              often a file number. A paired "28 شوال 1436هـ الموافق 13 أغسطس 2015م" or "(…)" gives
//              two mentions of the same day.
//
// Resolution against the reference (publication) date:
//   - Without a reference, only explicit dates with a year are reported: relative words,
//     weekdays, and day-month or month without a year are skipped (no year, no ISO value).
//   - News convention (Lean::kPast, the default): a bare weekday is the most recent such day on
//     or before publication, up to five days back, unless its clause is in the future (a verb
//     with the future prefix س whose remainder the word lexicon of tokenize.h knows at least as
//     often, سوف, المقرر, up to six words before it in the sentence: "ستعقد الجلسة الثلاثاء"), then
//     the next one or the reference day. Six days back it is tomorrow's: news calls a day that far
//     back "الخميس الماضي", and "تعليق الدوام يوم الخميس" in Wednesday's paper means tomorrow.
//     "في الأسبوع المقبل" / "الأسبوع بعد المقبل" up to eight words after a weekday (or a list of
//     them) in the sentence puts it in that week, weeks running Sunday to Saturday. A weekday after a word for the day it is ("غدا الاثنين", "يوم غد
//     (الاثنين)", "بعد غد الخميس", "أمس السبت") is the one nearest that day, never across the
//     reference: the weekday decides when the two disagree, as they do when an archive dates an
//     article a day late. A plural modifier after two weekdays ("الأحد والاثنين المقبلين")
//     qualifies both; a day-month or month without a year takes the latest year that
//     puts it no more than ~2 months after publication, unless a day-month stands in a future
//     clause (the same cues, up to ten words back: "وسوف تستأنف المحاكمة في 18 أكتوبر"): then
//     it is the coming one, the reference day included. A modifier may follow the gloss of a
//     paired month ("14 أكتوبر (تشرين الأول) القادم"). "الماضي" means strictly before, "المقبل/
//     القادم" strictly after, "الجاري/الحالي" the reference's own month or year.
//   - Lean::kFuture (Duckling's convention, used to port its corpus): a bare weekday is the next
//     one strictly after the reference; a month without a year is the reference's month or the
//     next occurrence of it.
//   - When a weekday and a day-month without year meet, the year whose calendar agrees with the
//     weekday wins if exactly one of the three candidate years does.
//   - A Hijri day-month without year is resolved the same way among the Hijri years around the
//     reference's, as if every month had a 30th: month lengths change from year to year, and a
//     30th the nearest year lacks ("30 محرم" in 1436) is reported as nothing, not moved a year.
//
// Precision before recall, because a wrong date attached to an event is worse than none:
//   - A bare 4-digit number is a year only after عام/العام/سنة (always), or after في/منذ/حتى/
//     بحلول when punctuation, the end of text or a lone و follows ("في 2000 منزل" is a count).
//     Years outside 1900..2100 and numbers followed by هـ/هجري are not years.
//   - A month name standing alone (no day, no year) needs شهر before it, a preposition (في,
//     منذ, خلال, مطلع, منتصف…) before it, or الماضي/المقبل/الجاري after it. آب (= أب "father"
//     after normalization) and ماي need a day, a year or شهر next to them.
//   - الأحد after الواحد (God's name), الاثنين meaning "the two" (after بين/كلا or a definite
//     dual/plural noun, or before معا), and الجمعة after صلاة/خطبة/كل are not weekdays.
//   - اليوم followed by a definite adjective (اليوم العالمي, اليوم التالي) is not "today";
//     العام after a definite noun (الامين العام الحالي) is not a year. السابق/التالي are read
//     relative to the narrative, not the publication date, unless DateOptions says otherwise.
//   - M/YYYY after رقم (a decree number "رقم 15/2013") is not a date.
//   - Hijri month names are words and names too (صفر "zero"; طارق رمضان, رجب طيب أردوغان): a month
//     name is never a date by itself. Without a Hijri year the day must be digits, an ordinal with
//     من, or غرة; an ordinal after a definite noun is its adjective ("الأيام العشرة الأولى من
//     رمضان"); a day after مدينة/حي/شارع/طريق/جسر/ميدان/حرب… is a name (مدينة العاشر من رمضان);
//     صفر needs شهر, or digits headed by يوم or a weekday ("3 صفر" is a score); "من كل عام"
//     (recurring) or an unreadable year after it ("سنة 747 هـ") leaves it unreported. A 4-digit
//     number is read as a Hijri year only in 1300..1500, which no Gregorian year shares.
// Pitfall: a day-month without a year is resolved like any other even when it names a famous
// anniversary ("هجمات 11 سبتمبر" gets the recent year); callers weighing dates should prefer
// mentions with relative == false.
// Weeks (الاسبوع الماضي), times of day, intervals, durations ("قبل اسبوع") and holidays are out of
// scope. Mid-month words (منتصف آذار) yield the month, not a day. Hijri months and years alone
// ("شهر رمضان 1436هـ", "عام 1436هـ") are not reported: each spans two Gregorian months or years,
// which a single DateMention cannot say.
// Pitfall: Hijri values come from ICU's Umm al-Qura table. From 1420 AH (1999) to 1450 AH it
// agrees with other published tables except one month (Jumada II 1427); before 1420, when the
// calendar was set by another rule, and after 1450, it is often a day off from them. A declared
// month start (by moon sighting, e.g. Dhu al-Hijja 1436) can also differ from the table by a day.
//
// Cost: one pass over the words plus one vector of word records per call (about 110 MB/s of
// news text on one core, BM_FindDates in bench/, Release, 2026-12-08); lexicons are built once on first use (thread-safe).
// No regex, no allocation per word. Hijri dates go through one ICU calendar per thread, created
// on the first one; a few ICU conversions per Hijri mention.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  friend constexpr bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Days from 1970-01-01 in the proleptic Gregorian calendar, and back: for date windows and
// weekday arithmetic.
long days_from_civil(const CivilDate& date);
CivilDate civil_from_days(long days);

// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<CivilDate> parse_iso_date(std::string_view text);

enum class Granularity : unsigned char { kDay, kMonth, kYear };
std::string_view to_string(Granularity g);  // "day", "month", "year"

struct DateMention {
  Span span;  // normalized offsets
  int year = 0;
  int month = 0;  // 0 when granularity is year
  int day = 0;    // 0 unless granularity is day
  Granularity granularity = Granularity::kDay;
  bool relative = false;  // the value depends on the reference date (weekday, أمس, مارس الماضي…)
  std::string iso() const;  // 2024-03-22, 2022-02 or 2015
};

// Which way an underspecified date leans from the reference (see the top comment).
enum class Lean : unsigned char { kPast, kFuture };

struct DateOptions {
  Lean lean = Lean::kPast;
  // Read السابق/التالي (اليوم السابق, السنة التالية) relative to the reference date, as Duckling
  // does. Off for news, where they usually mean "the day before/after" the event narrated.
  bool sequence_words_are_deictic = false;
};

// All date mentions, in text order, non-overlapping. Weekdays and relative words (أمس, اليوم)
// resolve against `published`; without it they are not reported.
std::vector<DateMention> find_dates(std::string_view normalized, std::optional<CivilDate> published);
std::vector<DateMention> find_dates(std::string_view normalized, std::optional<CivilDate> published,
                                    const DateOptions& options);

}  // namespace isnad
