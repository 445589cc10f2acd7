#include <gtest/gtest.h>

#include <string>

#include "isnad/near_duplicates.h"
#include "isnad/normalize.h"

namespace isnad {
namespace {

// Our own sample wire story, a reprint with a new lead line and a typo, and an independent
// report of the same (fictional) event with the same facts in other words.
const char* kWire =
    "اندلع حريق كبير فجر الثلاثاء في مستودع للمواد الكيميائية في المنطقة الصناعية شمال مدينة الساحل، "
    "وأعلنت مديرية الدفاع المدني أن فرق الإطفاء تمكنت من السيطرة على النيران بعد ست ساعات من العمل المتواصل. "
    "وقال المتحدث باسم المديرية إن الحريق أسفر عن إصابة تسعة عمال بحروق متفاوتة نقلوا إلى المستشفى الحكومي، "
    "مشيرا إلى أن أسباب الحادث لا تزال قيد التحقيق. وأضاف أن السلطات أخلت المباني المجاورة احترازيا "
    "وطلبت من السكان إغلاق النوافذ بسبب الدخان الكثيف الذي غطى سماء المدينة حتى ساعات الظهر.";

const char* kReprint =
    "متابعات - اندلع حريق كبير فجر الثلاثاء في مستودع للمواد الكيميائية في المنطقة الصناعية شمال مدينة الساحل، "
    "وأعلنت مديرية الدفاع المدني أن فرق الإطفاء تمكنت من السيطره على النيران بعد ست ساعات من العمل المتواصل. "
    "وقال المتحدث باسم المديرية إن الحريق أسفر عن إصابة تسعة عمال بحروق متفاوتة نقلوا إلى المستشفى الحكومي، "
    "مشيرا إلى أن أسباب الحادث لا تزال قيد التحقيق. وأضاف أن السلطات أخلت المباني المجاورة احترازيا "
    "وطلبت من السكان إغلاق النوافذ بسبب الدخان الكثيف الذي غطى سماء المدينة.";

const char* kIndependent =
    "أصيب تسعة عمال في حريق شب في مستودع كيميائي بمدينة الساحل صباح الثلاثاء، بحسب ما ذكرت مصادر طبية. "
    "واحتاج رجال الإطفاء إلى ساعات طويلة لإخماد الحريق، فيما غطت سحابة سوداء الأحياء الشمالية. "
    "ولم تعلن السلطات حتى الآن سبب الحريق، لكن شهود عيان تحدثوا عن انفجار سبق اندلاع النيران.";

Signature sign(const char* text) { return minhash(normalize_string(text)); }

TEST(NearDuplicates, ReprintWithNewLeadAndTypoIsLinked) {
  const double j = estimated_jaccard(sign(kWire), sign(kReprint));
  EXPECT_GT(j, 0.7);
  NearDuplicateIndex index;
  EXPECT_TRUE(index.add(1, sign(kWire)).empty());
  const auto found = index.add(2, sign(kReprint));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].document, 1u);
}

TEST(NearDuplicates, IndependentReportOfSameEventIsNotLinked) {
  EXPECT_LT(estimated_jaccard(sign(kWire), sign(kIndependent)), 0.2);
  NearDuplicateIndex index;
  (void)index.add(1, sign(kWire));
  EXPECT_TRUE(index.add(2, sign(kIndependent)).empty());
}

TEST(NearDuplicates, IdenticalCopyHasSimilarityOne) {
  EXPECT_DOUBLE_EQ(estimated_jaccard(sign(kWire), sign(kWire)), 1.0);
}

TEST(NearDuplicates, NormalizationMakesDiacritizedCopyIdentical) {
  const std::string with_marks = std::string(kWire) + "";
  std::string diacritized;
  for (char c : with_marks) {  // insert a tatweel after every space: invisible to readers
    diacritized += c;
    if (c == ' ') diacritized += "ـ";
  }
  EXPECT_DOUBLE_EQ(estimated_jaccard(sign(kWire), sign(diacritized.c_str())), 1.0);
}

TEST(NearDuplicates, TooShortTextNeverMatches) {
  const Signature a = sign("خبر عاجل");
  EXPECT_TRUE(a.empty);
  NearDuplicateIndex index;
  (void)index.add(1, a);
  EXPECT_TRUE(index.add(2, a).empty());
}

}  // namespace
}  // namespace isnad
