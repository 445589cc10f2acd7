// Inputs for claims tests that do not depend on the number recognizer and sentence splitter, so a
// golden row fails only on a claims rule: a small digit/number-word finder with the hedges of
// numbers.h, and a split on . ? ! and line ends. They mirror the contracts of numbers.h and
// sentences.h, not their coverage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "isnad/chars.h"
#include "isnad/claims.h"
#include "isnad/numbers.h"
#include "isnad/span.h"

namespace isnad::test {

inline std::vector<Span> split_simple(std::string_view t) {
  std::vector<Span> out;
  std::uint32_t begin = 0;
  auto flush = [&](std::uint32_t end) {
    while (begin < end && (t[begin] == ' ' || t[begin] == '\n')) ++begin;
    if (begin < end) out.push_back({begin, end});
    begin = end;
  };
  for (std::uint32_t i = 0; i < t.size(); ++i)
    if (t[i] == '.' || t[i] == '?' || t[i] == '!' || t[i] == '\n') {
      if (t[i] == '.' && i + 1 < t.size() && t[i + 1] >= '0' && t[i + 1] <= '9') continue;
      flush(i + 1);
    }
  flush(static_cast<std::uint32_t>(t.size()));
  return out;
}

inline std::vector<NumberMention> numbers_simple(std::string_view t) {
  struct Word {
    std::string_view w;
    double value;
    Qualifier q;
  };
  static const Word kWords[] = {
      {"واحد", 1, Qualifier::kExact},     {"ثلاثه", 3, Qualifier::kExact},   {"الثلاثه", 3, Qualifier::kExact},
      {"اربعه", 4, Qualifier::kExact},    {"الاربعه", 4, Qualifier::kExact}, {"خمسه", 5, Qualifier::kExact},
      {"سبعه", 7, Qualifier::kExact},     {"عشره", 10, Qualifier::kExact},   {"عشرات", 10, Qualifier::kVague},
      {"مئات", 100, Qualifier::kVague},
  };
  static const std::pair<std::string_view, Qualifier> kBefore[] = {
      {"ما لا يقل عن ", Qualifier::kAtLeast}, {"اكثر من ", Qualifier::kMoreThan}, {"نحو ", Qualifier::kAbout},
      {"حوالي ", Qualifier::kAbout},          {"قرابه ", Qualifier::kAbout},      {"ما يصل الي ", Qualifier::kUpTo},
      {"اقل من ", Qualifier::kLessThan},
  };
  std::vector<NumberMention> out;
  WordScanner scanner(t);
  for (Span w; scanner.next(w);) {
    std::string_view s = w.of(t);
    if (s.starts_with("و") && s.size() > 2 && (s[2] >= '0' && s[2] <= '9')) s.remove_prefix(2), w.begin += 2;
    NumberMention n;
    n.span = w;
    if (s[0] >= '0' && s[0] <= '9') {
      std::string digits;
      for (char c : s)
        if (c != ',') digits += c;
      n.value = std::stod(digits);
    } else {
      const Word* found = nullptr;
      for (const Word& x : kWords)
        if (s == x.w || (s.size() > 2 && s.substr(2) == x.w && s.starts_with("و"))) found = &x;
      if (found == nullptr) continue;
      if (s != found->w) n.span.begin += 2;
      n.value = found->value;
      n.qualifier = found->q;
    }
    for (const auto& [hedge, q] : kBefore) {
      if (n.span.begin >= hedge.size() && t.substr(n.span.begin - hedge.size(), hedge.size()) == hedge) {
        n.span.begin -= static_cast<std::uint32_t>(hedge.size());
        n.qualifier = q;
      }
    }
    // علي الاقل directly after the number or after one counted noun, as numbers.h does.
    constexpr std::string_view kAtLeast = " علي الاقل";
    std::uint32_t end = n.span.end;
    for (int step = 0; step < 2; ++step) {
      if (t.substr(end, kAtLeast.size()) == kAtLeast) {
        n.span.end = end + static_cast<std::uint32_t>(kAtLeast.size());
        n.qualifier = Qualifier::kAtLeast;
        break;
      }
      WordScanner next(t, end);
      Span nw;
      if (!next.next(nw)) break;
      end = nw.end;
    }
    out.push_back(n);
  }
  return out;
}

// The claims of one text, with the simple inputs above.
inline std::vector<Claim> claims_simple(std::string_view t, int published_year = 2024,
                                        std::span<const EntityMention> entities = {}) {
  const auto sentences = split_simple(t);
  const auto numbers = numbers_simple(t);
  ClaimInput in{t, sentences, numbers};
  in.entities = entities;
  if (published_year != 0) in.published = CivilDate{published_year, 6, 1};
  return find_claims(in);
}

}  // namespace isnad::test
