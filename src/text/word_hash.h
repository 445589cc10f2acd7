// Private to src/text: the word key shared by the lexicon and the word caches of the tokenizer,
// stemmer and analyzer. A word of up to 24 bytes (12 Arabic letters: 99.8 % of the lexicon and
// of running text) is held as three zero-padded 64-bit words, so hashing is three multiplies
// and equality is three compares in the slot itself, with no pointer to follow and no memcmp.
// Longer words are simply not cached (and the lexicon keeps them apart).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace isnad::detail {

struct WordKey {
  static constexpr std::size_t kMaxBytes = 24;
  std::uint64_t w[3] = {0, 0, 0};
  std::uint32_t size = 0;

  // False (and an empty key) when `word` is longer than kMaxBytes.
  bool assign(std::string_view word) {
    w[0] = w[1] = w[2] = 0;
    if (word.size() > kMaxBytes) {
      size = 0;
      return false;
    }
    std::memcpy(w, word.data(), word.size());
    size = static_cast<std::uint32_t>(word.size());
    return true;
  }
  std::uint64_t hash() const {
    std::uint64_t h = (w[0] ^ size) * 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 29) ^ w[1]) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 32) ^ w[2]) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  }
};

}  // namespace isnad::detail
