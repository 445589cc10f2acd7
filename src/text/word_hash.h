// Private to src/text: the hash shared by the lexicon and the word caches of the tokenizer and
// stemmer. FNV-1a is enough for short words and needs no table.
#pragma once

#include <cstdint>
#include <string_view>

namespace isnad::detail {

inline std::uint64_t word_hash(std::string_view w) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : w) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h ^ (h >> 29);
}

}  // namespace isnad::detail
