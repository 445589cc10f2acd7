// isnad/near_duplicates.h — syndicated copies and light rewrites, found incrementally.
//
// Outlets reprint wire copy, sometimes with a new first line, a changed title or a fixed typo.
// Such copies must be linked, not counted as independent sources. We use MinHash over
// overlapping word shingles of the normalized text, and LSH banding so that a new document is
// compared only with candidates that share a band, not with the whole corpus:
//
//   isnad::NearDuplicateIndex index;                     // default: 4-word shingles, 64 hashes
//   auto sig = isnad::minhash(normalized_text);          // 64 × uint32, no heap beyond the result
//   for (auto m : index.add(doc_number, sig)) ...        // earlier docs with Jaccard ≥ threshold
//
// Estimated Jaccard similarity = share of equal signature slots. With 16 bands of 4 rows,
// pairs at Jaccard 0.5 are candidates with probability ~0.65, at 0.8 with ~1.0; candidates are
// then checked against `threshold` (default 0.5) on the full signature, so false links are rare.
// Texts shorter than one shingle get an empty signature and never match.
//
// Memory: 256 bytes per document for the signature plus 16 hash-table entries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace isnad {

inline constexpr std::size_t kMinHashSize = 64;
using MinHashSignature = std::array<std::uint32_t, kMinHashSize>;

struct MinHashOptions {
  std::size_t shingle_words = 4;
};

// Signature of normalized text (see normalize.h); `empty` is set when it has too few words.
struct Signature {
  MinHashSignature slots{};
  bool empty = true;
};
Signature minhash(std::string_view normalized, const MinHashOptions& options = {});

// Share of equal slots: an unbiased estimate of the Jaccard similarity of the shingle sets.
double estimated_jaccard(const Signature& a, const Signature& b);

struct NearDuplicate {
  std::uint32_t document;  // the earlier document's number
  double similarity;       // estimated Jaccard
};

class NearDuplicateIndex {
 public:
  explicit NearDuplicateIndex(double threshold = 0.5) : threshold_(threshold) {}

  // Adds a document and returns the earlier documents it nearly duplicates, most similar first.
  std::vector<NearDuplicate> add(std::uint32_t document, const Signature& signature);
  std::size_t size() const { return signatures_.size(); }

 private:
  static constexpr std::size_t kBands = 16;
  static constexpr std::size_t kRows = kMinHashSize / kBands;

  double threshold_;
  std::unordered_map<std::uint32_t, Signature> signatures_;
  std::array<std::unordered_multimap<std::uint64_t, std::uint32_t>, kBands> bands_;
};

}  // namespace isnad
