#include "extract/claim_lexicon.h"

#include <array>

#include "isnad/chars.h"
#include "text/word_hash.h"

namespace isnad::claims_internal {
namespace {

using T = ClaimType;

struct Row {
  std::string_view word;
  std::uint64_t roles;
  ClaimType type = ClaimType::kKilled;
  std::uint8_t count = 0;
};

constexpr std::uint64_t kLeftCount = kLeftTrigger | kCountNoun;
constexpr std::uint64_t kLeftAfter = kLeftTrigger | kAfterVerb;

// Spellings are normalized (see claim_lexicon.h). Verbs appear in the persons news uses: past
// masculine/feminine/plural and present; clitics و ف ب ل are stripped by lookup().
constexpr Row kRows[] = {
    // killed
    {"مقتل", kLeftTrigger, T::kKilled},
    {"قتل", kLeftTrigger, T::kKilled},
    {"قتلت", kLeftTrigger, T::kKilled},
    {"قتلوا", kLeftAfter, T::kKilled},
    {"يقتل", kLeftTrigger, T::kKilled},
    {"مصرع", kLeftTrigger, T::kKilled},
    {"وفاه", kLeftTrigger, T::kKilled},
    {"بحياه", kLeftTrigger, T::kKilled},  // اودي بحياه
    {"حصيله", kLeftTrigger, T::kKilled},
    {"الحصيله", kLeftTrigger, T::kKilled},
    {"قتيل", kCountNoun, T::kKilled},
    {"قتيلا", kCountNoun, T::kKilled},
    {"قتلي", kLeftCount, T::kKilled},
    {"القتلي", kLeftCount, T::kKilled},
    {"قتيلان", kCountNoun, T::kKilled, 2},
    {"قتيلين", kCountNoun, T::kKilled, 2},
    {"ضحيه", kCountNoun, T::kKilled},
    {"جثه", kCountNoun | kBodyNoun, T::kKilled},
    {"جثث", kCountNoun | kBodyNoun, T::kKilled},
    {"جثمان", kCountNoun | kBodyNoun, T::kKilled},
    {"جثامين", kCountNoun | kBodyNoun, T::kKilled},
    {"جثتين", kCountNoun | kBodyNoun, T::kKilled, 2},
    {"جثتان", kCountNoun | kBodyNoun, T::kKilled, 2},
    {"اغتيل", kLeftTrigger, T::kKilled},
    {"اغتيال", kLeftTrigger | kEventNoun, T::kKilled},
    {"ضحايا", kLeftCount, T::kKilled},
    {"الضحايا", kLeftCount, T::kKilled},
    {"حتفه", kAfterVerb, T::kKilled},
    {"حتفهم", kAfterVerb, T::kKilled},
    {"حتفها", kAfterVerb, T::kKilled},
    {"مصرعه", kAfterVerb, T::kKilled},
    {"مصرعهم", kAfterVerb, T::kKilled},
    {"مصرعها", kAfterVerb, T::kKilled},
    {"قضوا", kAfterVerb, T::kKilled},
    {"قتلا", kAfterVerb, T::kKilled},  // dual: "2 من جنوده قتلا"
    {"قتلتا", kAfterVerb, T::kKilled},
    {"توفوا", kAfterVerb, T::kKilled},
    {"ماتوا", kAfterVerb, T::kKilled},
    {"القضاء", kLeftTrigger, T::kAttackersKilled},  // القضاء علي المسلحين
    {"تصفيه", kLeftTrigger, T::kAttackersKilled},
    // injured
    {"اصابه", kLeftTrigger, T::kInjured},
    {"اصيب", kLeftTrigger, T::kInjured},
    {"اصيبت", kLeftTrigger, T::kInjured},
    {"اصيبوا", kLeftAfter, T::kInjured},
    {"جرح", kLeftTrigger, T::kInjured},
    {"جرحوا", kLeftAfter, T::kInjured},
    {"جريح", kCountNoun, T::kInjured},
    {"جريحا", kCountNoun, T::kInjured},
    {"جرحي", kLeftCount, T::kInjured},
    {"الجرحي", kLeftCount, T::kInjured},
    {"جريحان", kCountNoun, T::kInjured, 2},
    {"جريحين", kCountNoun, T::kInjured, 2},
    {"مصاب", kCountNoun, T::kInjured},
    {"مصابا", kCountNoun, T::kInjured},
    {"مصابين", kCountNoun, T::kInjured},
    {"المصابين", kLeftCount, T::kInjured},
    // arrested
    {"اعتقال", kLeftTrigger, T::kArrested},
    {"اعتقل", kLeftTrigger, T::kArrested},
    {"اعتقلت", kLeftTrigger, T::kArrested},
    {"اعتقلوا", kLeftAfter, T::kArrested},
    {"احتجاز", kLeftTrigger, T::kArrested},
    {"احتجز", kLeftTrigger, T::kArrested},
    {"احتجزت", kLeftTrigger, T::kArrested},
    {"القبض", kLeftTrigger, T::kArrested},
    {"توقيف", kLeftTrigger, T::kArrested},
    {"اوقف", kLeftTrigger, T::kArrested},
    {"اوقفت", kLeftTrigger, T::kArrested},
    {"اوقفوا", kAfterVerb, T::kArrested},
    {"اسر", kLeftTrigger, T::kArrested},  // captured: "وأسر 6 آخرين"
    {"اسرت", kLeftTrigger, T::kArrested},
    {"معتقلا", kCountNoun, T::kArrested},
    {"معتقلين", kCountNoun, T::kArrested},
    {"المعتقلين", kLeftCount, T::kArrested},
    {"موقوفا", kCountNoun, T::kArrested},
    {"موقوفين", kCountNoun, T::kArrested},
    {"الموقوفين", kLeftCount, T::kArrested},
    {"محتجزا", kCountNoun, T::kArrested},
    {"محتجزين", kCountNoun, T::kArrested},
    // missing
    {"فقدان", kLeftTrigger, T::kMissing},
    {"مفقودا", kCountNoun | kAfterVerb, T::kMissing},
    {"مفقودين", kCountNoun | kAfterVerb, T::kMissing},
    {"المفقودين", kLeftCount | kAfterVerb, T::kMissing},
    {"فقدوا", kAfterVerb, T::kMissing},
    {"مجهولا", kAfterVerb, T::kMissing},  // لا يزال مصير N مجهولا
    // attackers
    {"مسلح", kAttackerNoun},
    {"مسلحا", kAttackerNoun},
    {"مسلحين", kAttackerNoun},
    {"المسلحين", kAttackerNoun},
    {"مهاجم", kAttackerNoun},
    {"مهاجما", kAttackerNoun},
    {"مهاجمين", kAttackerNoun},
    {"المهاجمين", kAttackerNoun},
    {"ارهابيا", kAttackerNoun},
    {"ارهابيين", kAttackerNoun},
    {"الارهابيين", kAttackerNoun},
    {"انتحاريا", kAttackerNoun},
    {"انتحاريين", kAttackerNoun},
    {"الانتحاريين", kAttackerNoun},
    {"منفذي", kAttackerNoun},
    {"المنفذين", kAttackerNoun},
    {"متشددا", kAttackerNoun},
    {"متمردا", kAttackerNoun},
    {"متمردين", kAttackerNoun},
    {"المتمردين", kAttackerNoun},
    {"متشددين", kAttackerNoun},
    {"المتشددين", kAttackerNoun},
    // people without a number
    {"شخص", kPersonNoun, T::kKilled, 1},
    {"شرطي", kPersonNoun, T::kKilled, 1},
    {"جندي", kPersonNoun, T::kKilled, 1},
    {"طفل", kPersonNoun, T::kKilled, 1},
    {"امراه", kPersonNoun, T::kKilled, 1},
    {"رجل", kPersonNoun, T::kKilled, 1},
    {"مدني", kPersonNoun, T::kKilled, 1},
    {"ضابط", kPersonNoun, T::kKilled, 1},
    {"صحفي", kPersonNoun, T::kKilled, 1},
    {"شخصين", kPersonNoun, T::kKilled, 2},
    {"شخصان", kPersonNoun, T::kKilled, 2},
    {"طفلين", kPersonNoun, T::kKilled, 2},
    {"طفلان", kPersonNoun, T::kKilled, 2},
    {"جنديين", kPersonNoun, T::kKilled, 2},
    {"جنديان", kPersonNoun, T::kKilled, 2},
    {"رجلين", kPersonNoun, T::kKilled, 2},
    {"رجلان", kPersonNoun, T::kKilled, 2},
    {"امراتين", kPersonNoun, T::kKilled, 2},
    {"ضابطين", kPersonNoun, T::kKilled, 2},
    {"عامل", kPersonNoun, T::kKilled, 1},
    {"حارس", kPersonNoun, T::kKilled, 1},
    {"متظاهر", kPersonNoun, T::kKilled, 1},
    {"راكب", kPersonNoun, T::kKilled, 1},
    {"سائق", kPersonNoun, T::kKilled, 1},
    {"مواطن", kPersonNoun, T::kKilled, 1},
    {"طالب", kPersonNoun, T::kKilled, 1},
    {"ناشط", kPersonNoun, T::kKilled, 1},
    {"حارسان", kPersonNoun, T::kKilled, 2},
    {"حارسين", kPersonNoun, T::kKilled, 2},
    {"عاملان", kPersonNoun, T::kKilled, 2},
    {"عاملين", kPersonNoun, T::kKilled, 2},
    {"شابان", kPersonNoun, T::kKilled, 2},
    {"شابين", kPersonNoun, T::kKilled, 2},
    {"سجينان", kPersonNoun, T::kKilled, 2},
    {"سجينين", kPersonNoun, T::kKilled, 2},
    {"رهينتان", kPersonNoun, T::kKilled, 2},
    {"رهينتين", kPersonNoun, T::kKilled, 2},
    {"شرطيان", kPersonNoun, T::kKilled, 2},
    // not people
    {"عام", kUnit | kYearWord | kLongAgo},
    {"عاما", kUnit},
    {"اعوام", kUnit | kLongAgo},
    {"سنه", kUnit | kYearWord},
    {"سنوات", kUnit | kLongAgo},
    {"عامي", kYearWord},
    {"ساعه", kUnit},
    {"ساعات", kUnit},
    {"دقيقه", kUnit},
    {"دقائق", kUnit},
    {"ثانيه", kUnit},
    {"ثوان", kUnit},
    {"يوم", kUnit},
    {"يوما", kUnit},
    {"ايام", kUnit},
    {"اسبوع", kUnit | kLongAgo},
    {"اسبوعا", kUnit},
    {"اسابيع", kUnit},
    {"شهر", kUnit | kLongAgo},
    {"شهرا", kUnit},
    {"اشهر", kUnit | kLongAgo},
    {"شهور", kUnit | kLongAgo},
    {"كيلومتر", kUnit},
    {"كيلومترا", kUnit},
    {"كيلومترات", kUnit},
    {"كلم", kUnit},
    {"كم", kUnit},
    {"متر", kUnit},
    {"مترا", kUnit},
    {"امتار", kUnit},
    {"كيلوغرام", kUnit},
    {"كغ", kUnit},
    {"طن", kUnit},
    {"دولار", kUnit},
    {"دولارا", kUnit},
    {"دولارات", kUnit},
    {"يورو", kUnit},
    {"روبل", kUnit},
    {"جنيه", kUnit},
    {"ريال", kUnit},
    {"دينار", kUnit},
    {"درهم", kUnit},
    {"ليره", kUnit},
    {"بالمئه", kUnit},
    {"بالمائه", kUnit},
    {"المائه", kUnit},
    {"المئه", kUnit},
    {"مره", kUnit},
    {"مرات", kUnit},
    {"سياره", kUnit},
    {"سيارات", kUnit},
    {"مبني", kUnit},
    {"مباني", kUnit},
    {"منزلا", kUnit},
    {"منازل", kUnit},
    {"صاروخا", kUnit},
    {"صواريخ", kUnit},
    {"قذيفه", kUnit},
    {"قذائف", kUnit},
    {"طلقه", kUnit},
    {"مسيره", kUnit},
    {"مسيرات", kUnit},
    {"طائره", kUnit},
    {"طائرات", kUnit},
    {"مدن", kUnit},
    {"قري", kUnit},
    {"دول", kUnit},
    {"هجمات", kUnit | kEventNoun},
    {"مواقع", kUnit},
    {"الساعه", kUnitBefore},
    {"رقم", kUnitBefore},
    {"العمر", kUnitBefore},
    {"المرتبه", kUnitBefore},
    {"الماده", kUnitBefore},
    {"الفصل", kUnitBefore},
    {"الطابق", kUnitBefore},
    // subsets
    {"بينهم", kSubset},
    {"بينها", kSubset},
    {"بينهن", kSubset},
    {"منهم", kSubset},
    {"منها", kSubset},
    {"منهن", kSubset},
    {"ضمنهم", kSubset},
    // revisions
    {"ارتفع", kRevision},
    {"ارتفعت", kRevision},
    {"يرتفع", kRevision},
    {"ترتفع", kRevision},
    {"ارتفاع", kRevision},
    {"قفزت", kRevision},
    {"تصاعدت", kRevision},
    // other events
    {"مماثل", kCompare},
    {"مماثله", kCompare},
    {"مماثلا", kCompare},
    {"مشابه", kCompare},
    {"مشابهه", kCompare},
    {"غرار", kCompare},
    {"سابق", kCompareNearEvent},
    {"سابقه", kCompareNearEvent},
    {"السابق", kCompareNearEvent},
    {"السابقه", kCompareNearEvent},
    {"منفصل", kCompareNearEvent},
    {"منفصله", kCompareNearEvent},
    {"اخر", kCompareNearEvent},
    {"اخري", kCompareNearEvent},
    {"ذكري", kCompare},
    {"الذكري", kCompare},
    {"مرور", kCompare},  // مرور عشر سنوات علي تفجير …
    {"قبل", kBefore | kStop},
    {"حريق", kIncidentNoun},
    {"حريقا", kIncidentNoun},
    {"الحريق", kIncidentNoun},
    {"حرائق", kIncidentNoun},
    {"الحرائق", kIncidentNoun},
    {"فيضان", kIncidentNoun},
    {"فيضانات", kIncidentNoun},
    {"الفيضان", kIncidentNoun},
    {"الفيضانات", kIncidentNoun},
    {"سيول", kIncidentNoun},
    {"السيول", kIncidentNoun},
    {"زلزال", kIncidentNoun},
    {"زلزالا", kIncidentNoun},
    {"الزلزال", kIncidentNoun},
    {"انهيار", kIncidentNoun},
    {"الانهيار", kIncidentNoun},
    {"هجوما", kIncidentNoun},
    {"تفجيرا", kIncidentNoun},
    {"انفجارا", kIncidentNoun},
    {"حادثا", kIncidentNoun},
    {"منفصلا", kCompareNearEvent},
    {"ثاني", kOrdinal},
    {"ثالث", kOrdinal},
    {"رابع", kOrdinal},
    {"انتشال", kRecovery},
    {"انتشالها", kRecovery},
    {"انتشالهم", kRecovery},
    {"انتشل", kRecovery},
    {"انتشلت", kRecovery},
    {"انتشلوا", kRecovery},
    {"تنتشل", kRecovery},
    {"ينتشل", kRecovery},
    {"العثور", kRecovery},
    {"عثر", kRecovery},
    {"عثرت", kRecovery},
    {"عثروا", kRecovery},
    {"استخراج", kRecovery},
    {"استخرج", kRecovery},
    {"استخرجت", kRecovery},
    {"اخراج", kRecovery},
    {"اخرجت", kRecovery},
    {"نحو", kAbout},
    {"حوالي", kAbout},
    {"قرابه", kAbout},
    {"اسبوعين", kLongAgo},
    {"اسابيع", kLongAgo},
    {"شهرين", kLongAgo},
    {"عامين", kLongAgo},
    {"سنتين", kLongAgo},
    {"منذ", kSince},
    {"الاسوا", kSuperlative},
    {"اسوا", kSuperlative},
    {"الاكثر", kSuperlative},
    {"اكثر", kSuperlative},
    {"الاعنف", kSuperlative},
    {"اعنف", kSuperlative},
    {"الاكبر", kSuperlative},
    {"اكبر", kSuperlative},
    {"الاشد", kSuperlative},
    {"اشد", kSuperlative},
    {"الادمي", kSuperlative},
    {"كان", kKana},
    {"كانت", kKana},
    {"قد", kQad},
    {"الماضي", kPast},
    {"هجوم", kEventNoun},
    {"الهجوم", kEventNoun},
    {"الهجمات", kEventNoun},
    {"الهجومين", kEventNoun},
    {"تفجير", kEventNoun},
    {"التفجير", kEventNoun},
    {"التفجيرات", kEventNoun},
    {"انفجار", kEventNoun},
    {"الانفجار", kEventNoun},
    {"اعتداء", kEventNoun},
    {"الاعتداء", kEventNoun},
    {"العمليه", kEventNoun},
    {"الحادث", kEventNoun},
    {"حادث", kEventNoun},
    {"حادثه", kEventNoun},
    {"مجزره", kEventNoun},
    {"المجزره", kEventNoun},
    {"الاغتيال", kEventNoun},
    {"حصار", kEventNoun},
    {"الاختطاف", kEventNoun},
    // "لا يزال 5 في عداد المفقودين", "تجاوز عدد الجرحي 1200"
    {"يزال", kStill},
    {"يزالون", kStill},
    {"تزال", kStill},
    {"زال", kStill},
    {"زالوا", kStill},
    {"عداد", kStill},
    {"تجاوز", kExceed},
    {"تجاوزت", kExceed},
    {"يتجاوز", kExceed},
    {"تتجاوز", kExceed},
    {"تخطي", kExceed},
    {"تخطت", kExceed},
    {"فاق", kExceed},
    {"فاقت", kExceed},
    {"يفوق", kExceed},
    // sources
    {"قال", kAttribVerb},
    {"قالت", kAttribVerb},
    {"يقول", kAttribVerb},
    {"تقول", kAttribVerb},
    {"افاد", kAttribVerb},
    {"افادت", kAttribVerb},
    {"ذكر", kAttribVerb},
    {"ذكرت", kAttribVerb},
    {"اكد", kAttribVerb},
    {"اكدت", kAttribVerb},
    {"اوضح", kAttribVerb},
    {"اوضحت", kAttribVerb},
    {"صرح", kAttribVerb},
    {"صرحت", kAttribVerb},
    {"اشار", kAttribVerb},
    {"اشارت", kAttribVerb},
    {"نقلت", kAttribVerb},
    {"اضاف", kAttribVerb},
    {"اضافت", kAttribVerb},
    {"اعلن", kAttribVerb | kRespVerb},
    {"اعلنت", kAttribVerb | kRespVerb},
    {"يعلن", kRespVerb},
    {"تعلن", kRespVerb},
    {"اعلان", kRespVerb},
    {"ادعي", kRespVerb},
    {"ادعت", kRespVerb},
    {"ادعاء", kRespVerb},
    {"وفقا", kAttribPrep},
    {"بحسب", kAttribPrep},
    {"حسب", kAttribPrep},
    {"طبقا", kAttribPrep},
    {"نقلا", kAttribPrep},
    {"ما", kSourceSkip},
    // statements
    {"لم", kNegation},
    {"لا", kNegation},
    {"لن", kNegation},
    {"مسؤوليته", kRespNoun},
    {"مسؤوليتها", kRespNoun},
    {"مسؤوليتهم", kRespNoun},
    {"مسئوليته", kRespNoun},
    {"مسئوليتها", kRespNoun},
    {"المسؤوليه", kRespNoun | kDenyObject},
    {"المسئوليه", kRespNoun | kDenyObject},
    {"مسؤوليه", kDenyObject | kRespNoun},
    {"مسئوليه", kDenyObject | kRespNoun},
    {"تبني", kAdopt},
    {"تبنت", kAdopt},
    {"يتبني", kAdopt},
    {"تتبني", kAdopt},
    {"تبنيه", kAdopt},
    {"تبنيها", kAdopt},
    {"اتهم", kAccuseVerb},
    {"اتهمت", kAccuseVerb},
    {"يتهم", kAccuseVerb},
    {"تتهم", kAccuseVerb},
    {"اتهموا", kAccuseVerb},
    {"حمل", kBlameVerb},
    {"حملت", kBlameVerb},
    {"يحمل", kBlameVerb},
    {"تحمل", kBlameVerb},
    {"القي", kBlameVerb},
    {"القت", kBlameVerb},
    {"يلقي", kBlameVerb},
    {"تلقي", kBlameVerb},
    {"اللوم", kBlameNoun},
    {"باللوم", kBlameNoun},
    {"باللائمه", kBlameNoun},
    {"نفي", kDenyVerb},
    {"نفت", kDenyVerb},
    {"ينفي", kDenyVerb},
    {"تنفي", kDenyVerb},
    {"نفوا", kDenyVerb},
    {"حذر", kWarnVerb},
    {"حذرت", kWarnVerb},
    {"يحذر", kWarnVerb},
    {"تحذر", kWarnVerb},
    {"حذروا", kWarnVerb},
    {"اي", kDenyObject},
    {"علاقه", kDenyObject},
    {"صله", kDenyObject},
    {"تورط", kDenyObject},
    {"تورطها", kDenyObject},
    {"تورطه", kDenyObject},
    {"ضلوع", kDenyObject},
    {"ضلوعها", kDenyObject},
    {"ضلوعه", kDenyObject},
    {"وجود", kDenyObject},
    {"صحه", kDenyObject},
    {"التقارير", kDenyObject},
    {"الاتهامات", kDenyObject},
    {"الاتهام", kDenyObject},
    {"ذلك", kDenyObject},
    {"هذه", kDenyObject},
    // what an accusation is of (after ب)
    {"تنفيذ", kCharge},
    {"تدبير", kCharge},
    {"شن", kCharge},
    {"دعم", kCharge},
    {"ارتكاب", kCharge},
    {"تمويل", kCharge},
    {"تسهيل", kCharge},
    {"التخطيط", kCharge},
    {"الوقوف", kCharge},
    {"التورط", kCharge},
    {"الضلوع", kCharge},
    {"المسؤوليه", kCharge},
    {"الارهاب", kCharge},
    // counted people
    {"شخصا", kPeople},
    {"اشخاص", kPeople},
    {"مدنيا", kPeople},
    {"مدنيين", kPeople},
    {"طفلا", kPeople},
    {"اطفال", kPeople},
    {"جنديا", kPeople},
    {"جنود", kPeople},
    {"عسكريا", kPeople},
    {"عسكريين", kPeople},
    {"شرطيا", kPeople},
    {"عنصرا", kPeople},
    {"عناصر", kPeople},
    {"رجلا", kPeople},
    {"نساء", kPeople},
    {"مواطنا", kPeople},
    {"مواطنين", kPeople},
    {"اخرين", kPeople},
    {"اخرون", kPeople},
    {"فردا", kPeople},
    {"افراد", kPeople},
    {"مشتبها", kPeople},
    // phrase ends
    {"في", kStop},
    {"من", kStop},
    {"علي", kStop},
    {"الي", kStop},
    {"عن", kStop},
    {"ان", kStop},
    {"انه", kStop},
    {"انها", kStop},
    {"انهم", kStop},
    {"بان", kStop},
    {"بانه", kStop},
    {"بانها", kStop},
    {"الذي", kStop | kRelative},
    {"التي", kStop | kRelative},
    {"الذين", kStop | kRelative},
    {"امس", kStop},
    {"اليوم", kStop},
    {"مساء", kStop},
    {"صباح", kStop},
    {"خلال", kStop},
    {"عبر", kStop},
    {"بعد", kStop},
    {"لدي", kStop},
    {"مع", kStop},
    {"حول", kStop},
    {"وراء", kStop},
    {"السبت", kStop},
    {"الاحد", kStop},
    {"الاثنين", kStop},
    {"الثلاثاء", kStop},
    {"الاربعاء", kStop},
    {"الخميس", kStop},
    {"الجمعه", kStop},
};

struct Table {
  detail::WordMap index;  // word → position in entries
  std::vector<LexEntry> entries;
  Table() {
    for (const Row& r : kRows) {
      std::uint32_t& at = index[r.word];
      if (at == 0) {
        entries.emplace_back();
        at = static_cast<std::uint32_t>(entries.size());  // 1-based: 0 is the new slot's value
      }
      LexEntry& e = entries[at - 1];
      e.roles |= r.roles;
      if (r.roles & (kLeftTrigger | kCountNoun | kAfterVerb | kPersonNoun)) e.type = r.type;
      if (r.count != 0) e.count = r.count;
    }
  }
};

const LexEntry* find(std::string_view w) {
  static const Table* const t = new Table();
  const std::uint32_t* at = t->index.find(w);
  return at == nullptr ? nullptr : &t->entries[*at - 1];
}

// Arabic letters are two bytes in UTF-8; these are the one-letter proclitics news text glues on.
constexpr std::string_view kWaw = "و";
constexpr std::string_view kFa = "ف";
constexpr std::string_view kBa = "ب";
constexpr std::string_view kLam = "ل";

bool starts(std::string_view w, std::string_view p) { return w.size() > p.size() + 2 && w.starts_with(p); }

}  // namespace

const LexEntry* lookup(std::string_view word, std::uint32_t& stem_skip) {
  stem_skip = 0;
  if (const LexEntry* e = find(word)) return e;
  std::uint32_t skip = 0;
  if (starts(word, kWaw) || starts(word, kFa)) {
    skip = 2;
    if (const LexEntry* e = find(word.substr(skip))) {
      stem_skip = skip;
      return e;
    }
  }
  const std::string_view rest = word.substr(skip);
  // للهجوم is ل + الهجوم with the alef of the article elided: look up الهجوم.
  if (rest.starts_with("لل") && rest.size() > 6 && rest.size() <= 64) {
    std::array<char, 64> buf{};
    rest.copy(buf.data(), rest.size());
    buf[0] = '\xD8';  // ا
    buf[1] = '\xA7';
    if (const LexEntry* e = find(std::string_view(buf.data(), rest.size()))) {
      stem_skip = skip;
      return e;
    }
  }
  if (starts(rest, kBa) || starts(rest, kLam)) {
    if (const LexEntry* e = find(rest.substr(2))) {
      stem_skip = skip + 2;
      return e;
    }
  }
  return nullptr;
}

std::vector<std::string_view> lexicon_words() {
  std::vector<std::string_view> out;
  out.reserve(std::size(kRows));
  for (const Row& r : kRows) out.push_back(r.word);
  return out;
}

void scan_words(std::string_view text, Span sentence, std::vector<Word>& out) {
  out.clear();
  const std::string_view sub = text.substr(0, sentence.end);
  WordScanner scanner(sub, sentence.begin);
  std::uint32_t prev_end = sentence.begin;
  for (Span w; scanner.next(w);) {
    Word word;
    word.span = w;
    for (std::uint32_t i = prev_end; i < w.begin; ++i) {
      const char c = text[i];
      if (c == ';' || c == ':' || c == '.' || c == '?' || c == '!') word.strong_break = true;
      // Quote marks do not break: news quotes names ("جماعه "النصر القادم" المسؤوليه").
      if (word.strong_break || c == ',' || c == '(' || c == ')') word.break_before = true;
    }
    word.lex = lookup(w.of(text), word.stem);
    word.roles = word.lex != nullptr ? word.lex->roles : 0;
    out.push_back(word);
    prev_end = w.end;
  }
}

Span phrase_from(std::span<const Word> words, std::size_t first, std::size_t limit, std::uint64_t stop_roles,
                 std::size_t max_words) {
  if (limit > words.size()) limit = words.size();
  std::size_t last = first;
  for (std::size_t i = first; i < limit && i - first < max_words; ++i) {
    const Word& w = words[i];
    if (i > first && w.break_before) break;
    if (w.has(kStop | stop_roles)) break;
    last = i + 1;
  }
  if (last == first) return {};
  return Span{words[first].span.begin, words[last - 1].span.end};
}

}  // namespace isnad::claims_internal
