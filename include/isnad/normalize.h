// isnad/normalize.h — Arabic normalization with a map back to the original bytes.
//
// Every later stage (sentences, tokens, numbers, dates, entities) works on the *normalized*
// text, because that is where lexicons and rules can be written once: one alef, one yeh, ASCII
// digits, no diacritics. Every output must still point into the *original* bytes, so
// `normalize` returns the normalized string together with an offset map.
//
//   auto norm = isnad::normalize(file_bytes);            // validates UTF-8 first
//   if (!norm) { /* norm.error().offset is the bad byte */ }
//   isnad::Span in_norm = ...;                            // found by some scanner
//   isnad::Span in_file = norm->to_original(in_norm);     // what a user is shown
//
// What it does, in one pass (each rule can be switched off in NormalizeOptions):
//   input      UTF-8 validated; BOM and NUL bytes dropped (a NUL-heavy buffer is rejected as
//              binary); CR LF and lone CR → LF; other C0 controls, NBSP and Unicode spaces → ' ';
//              HTML character references (&amp; &#1575; &#x627; &laquo; …) decoded.
//   removed    tashkeel (U+064B–U+065F, U+0670), Quranic marks, tatweel, bidi marks
//              (U+200E/F, U+061C, U+202A–E, U+2066–9), zero-width characters, soft hyphen.
//   folded     presentation forms and other compatibility characters through ICU NFKC
//              (ﻷ → لا, ﷲ → الله); alef variants أ إ آ ٱ → ا; Persian/Urdu ک → ك, ی → ي;
//              Eastern Arabic and Persian digits → ASCII; ، ؛ ؟ ٪ ٫ ٬ ۔ → , ; ? % . , . ;
//              dashes → '-'; single curly quotes → '.
//   optional   ى → ي and ة → ه (`fold_yeh`, `fold_teh_marbuta`): these lose information a
//              reader needs but a matcher does not, so they are on for analysis and search.
//   kept       « » “ ” „ " stay distinct: which side a quote opens is information.
//
// Cost: one pass, 4 bytes of map per output byte. normalize() allocates the text and the map
// (for a large input most of its time is the kernel handing out fresh pages); normalize_into()
// reuses the buffers of an existing NormalizedText, which is what a long-lived caller such as
// the Analyzer does.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "isnad/span.h"
#include "isnad/status.h"

namespace isnad {

namespace detail {
// Leaves new elements uninitialised: the normalizer writes every map entry it keeps, so zeroing
// the map first would be a wasted pass over 4 bytes per input byte.
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}  // NOLINT: allocator conversion
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
}  // namespace detail

struct NormalizeOptions {
  bool fold_yeh = true;          // ى → ي
  bool fold_teh_marbuta = true;  // ة → ه
  bool decode_html_entities = true;
  // Above this share of NUL/control bytes a buffer is binary, not text with stray NULs.
  double max_control_ratio = 0.01;
};

class NormalizedText {
 public:
  NormalizedText() = default;

  std::string_view text() const { return text_; }
  std::uint32_t original_size() const { return original_size_; }

  // Original byte offset where the normalized byte `offset` came from (offset ≤ text().size()).
  std::uint32_t original_offset(std::uint32_t offset) const { return origin_[offset]; }
  // The original bytes a normalized span came from. Characters removed by normalization that sit
  // inside or right at the end of the span (diacritics of its last letter) are included.
  Span to_original(Span normalized) const {
    const std::uint32_t begin = origin_[normalized.begin];
    const std::uint32_t end = origin_[normalized.end];
    // A span that ends inside the expansion of one original character (ﻻ → لا) must still
    // cover that character.
    if (normalized.end > normalized.begin && normalized.end < text_.size() && end == origin_[normalized.end - 1])
      return Span{begin, std::max(begin, expansion_end(normalized.end))};
    return Span{begin, std::max(begin, end)};
  }

 private:
  friend Status normalize_into(std::string_view, NormalizedText&, const NormalizeOptions&);
  std::uint32_t expansion_end(std::uint32_t end) const;
  std::string text_;
  std::vector<std::uint32_t, detail::UninitAllocator<std::uint32_t>> origin_;  // text_.size() + 1; non-decreasing
  std::uint32_t original_size_ = 0;
};

// Fails with kInvalidUtf8 (offset of the bad byte), kBinaryInput, or kTooLarge (> 4 GiB).
Expected<NormalizedText> normalize(std::string_view original, const NormalizeOptions& options = {});
// The same into `out`, reusing its buffers; on failure `out` is left empty.
Status normalize_into(std::string_view original, NormalizedText& out, const NormalizeOptions& options = {});

// Normalizes a lexicon entry or query the same way as a document (no offsets needed).
// Invalid UTF-8 yields an empty string.
std::string normalize_string(std::string_view text, const NormalizeOptions& options = {});

}  // namespace isnad
