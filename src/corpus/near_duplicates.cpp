#include "isnad/near_duplicates.h"

#include <algorithm>
#include <unordered_set>

#include "isnad/chars.h"

namespace isnad {

namespace {

// splitmix64: a cheap, well-mixed 64-bit hash step; MinHash needs independence between the
// slot hashes more than cryptographic strength.
constexpr std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_word(std::string_view w) {
  std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a
  for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  return h;
}

}  // namespace

Signature minhash(std::string_view normalized, const MinHashOptions& options) {
  Signature sig;
  sig.slots.fill(0xFFFFFFFFu);
  const std::size_t k = std::max<std::size_t>(1, options.shingle_words);
  // A ring of the last k word hashes; a shingle's hash combines them in order.
  std::vector<std::uint64_t> ring(k, 0);
  std::size_t words = 0;
  WordScanner scanner(normalized);
  for (Span w; scanner.next(w);) {
    ring[words % k] = hash_word(w.of(normalized));
    ++words;
    if (words < k) continue;
    std::uint64_t shingle = 0;
    for (std::size_t i = 0; i < k; ++i) shingle = mix(shingle ^ ring[(words + i) % k]);
    for (std::size_t slot = 0; slot < kMinHashSize; ++slot) {
      const auto h = static_cast<std::uint32_t>(mix(shingle + slot * 0x9E3779B97F4A7C15ULL) >> 32);
      sig.slots[slot] = std::min(sig.slots[slot], h);
    }
  }
  sig.empty = words < k;
  return sig;
}

double estimated_jaccard(const Signature& a, const Signature& b) {
  if (a.empty || b.empty) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kMinHashSize; ++i) equal += a.slots[i] == b.slots[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(kMinHashSize);
}

std::vector<NearDuplicate> NearDuplicateIndex::add(std::uint32_t document, const Signature& signature) {
  std::vector<NearDuplicate> found;
  if (signature.empty) return found;
  std::unordered_set<std::uint32_t> seen;
  std::array<std::uint64_t, kBands> keys{};
  for (std::size_t band = 0; band < kBands; ++band) {
    std::uint64_t key = band;
    for (std::size_t r = 0; r < kRows; ++r) key = mix(key ^ signature.slots[band * kRows + r]);
    keys[band] = key;
    auto [first, last] = bands_[band].equal_range(key);
    for (auto it = first; it != last; ++it) {
      if (it->second == document || !seen.insert(it->second).second) continue;
      const double similarity = estimated_jaccard(signature, signatures_.at(it->second));
      if (similarity >= threshold_) found.push_back({it->second, similarity});
    }
  }
  signatures_[document] = signature;
  for (std::size_t band = 0; band < kBands; ++band) bands_[band].emplace(keys[band], document);
  std::sort(found.begin(), found.end(), [](const NearDuplicate& a, const NearDuplicate& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.document < b.document;
  });
  return found;
}

}  // namespace isnad
