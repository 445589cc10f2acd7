// Private to src/text and src/extract: the word key shared by the lexicon and the word caches of
// the tokenizer, stemmer and analyzer, and the word lists of the recognizers (WordMap). A word of up to 24 bytes (12 Arabic letters: 99.8 % of the lexicon and
// of running text) is held as three zero-padded 64-bit words, so hashing is three multiplies
// and equality is three compares in the slot itself, with no pointer to follow and no memcmp.
// Longer words are simply not cached (and the lexicon keeps them apart).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isnad::detail {

struct WordKey {
  static constexpr std::size_t kMaxBytes = 24;
  std::uint64_t w[3] = {0, 0, 0};
  std::uint32_t size = 0;

  // False (and an empty key) when `word` is longer than kMaxBytes. Runs once per token, so the
  // copy is done with fixed-size loads that stay inside the word (a variable-length memcpy is a
  // library call): the last partial 64-bit word is an overlapping load shifted into place.
  bool assign(std::string_view word) {
    const std::size_t n = word.size();
    const char* p = word.data();
    w[0] = w[1] = w[2] = 0;
    size = 0;
    if (n > kMaxBytes) return false;
    size = static_cast<std::uint32_t>(n);
    if (n >= 8) {
      const std::size_t full = n / 8, rest = n % 8;
      for (std::size_t i = 0; i < full; ++i) w[i] = load(p + 8 * i);
      if (rest) w[full] = load(p + n - 8) >> (8 * (8 - rest));
    } else if (n >= 4) {
      const std::uint64_t lo = load32(p), hi = load32(p + n - 4);
      w[0] = lo | ((hi >> (8 * (8 - n))) << 32);
    } else {
      for (std::size_t i = 0; i < n; ++i) w[0] |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    return true;
  }
  std::uint64_t hash() const {
    std::uint64_t h = (w[0] ^ size) * 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 29) ^ w[1]) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 32) ^ w[2]) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  }

 private:
  // The shifts in assign() keep the right bytes only in little-endian order (x86-64, AArch64).
  static_assert(std::endian::native == std::endian::little);
  static std::uint64_t load(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static std::uint32_t load32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
};

// Word → 32-bit value, for the fixed word lists the recognizers look every word of a text up in
// (quote, claim and date lexicons). Almost every lookup misses, and between two lookups the NER
// tables push the slots out of the cache: a miss reads a tag byte per probed slot (the tags of a
// list of a thousand words are 2 KB, and stay cached) and the slot, holding the word's bytes,
// only on a tag match.
class WordMap {
 public:
  // The value of `word`, added as 0 when absent (references die at the next insertion).
  std::uint32_t& operator[](std::string_view word) {
    WordKey key;
    if (word.empty() || !key.assign(word)) {
      for (auto& [w, v] : long_)
        if (w == word) return v;
      return long_.emplace_back(std::string(word), 0).second;
    }
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = key.hash();
    std::size_t i = find(key, h);
    if (i == kNone) {
      i = place(h, Slot{{key.w[0], key.w[1], key.w[2]}, key.size, 0});
      ++size_;
    }
    return slots_[i].value;
  }

  // nullptr when `word` is absent.
  const std::uint32_t* find(std::string_view word) const {
    WordKey key;
    if (word.empty() || !key.assign(word)) {
      for (const auto& [w, v] : long_)
        if (w == word) return &v;
      return nullptr;
    }
    if (slots_.empty()) return nullptr;
    const std::size_t i = find(key, key.hash());
    return i == kNone ? nullptr : &slots_[i].value;
  }

 private:
  struct alignas(32) Slot {
    std::uint64_t key[3] = {0, 0, 0};  // the word, zero-padded
    std::uint32_t length = 0;
    std::uint32_t value = 0;
  };
  static constexpr std::size_t kNone = ~std::size_t{0};
  // Never 0 (the empty tag); the hash's top bits, which the slot index does not use.
  static std::uint8_t tag(std::uint64_t h) { return static_cast<std::uint8_t>(0x80u | (h >> 57)); }

  // The slot holding `key`, or kNone (load factor ≤ 0.5: a probe or two).
  std::size_t find(const WordKey& key, std::uint64_t h) const {
    const std::size_t mask = slots_.size() - 1;
    const std::uint8_t t = tag(h);
    for (std::size_t i = h & mask; tags_[i] != 0; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (tags_[i] == t && s.length == key.size && s.key[0] == key.w[0] && s.key[1] == key.w[1] && s.key[2] == key.w[2])
        return i;
    }
    return kNone;
  }
  void grow() {
    const std::size_t capacity = slots_.empty() ? 16 : 2 * slots_.size();
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    tags_.assign(capacity, 0);
    for (const Slot& s : old) {
      if (s.length == 0) continue;
      WordKey key;
      key.w[0] = s.key[0];
      key.w[1] = s.key[1];
      key.w[2] = s.key[2];
      key.size = s.length;
      place(key.hash(), s);
    }
  }
  // Puts `s` in the first empty slot of its probe sequence; returns where.
  std::size_t place(std::uint64_t h, const Slot& s) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (tags_[i] != 0) i = (i + 1) & mask;
    tags_[i] = tag(h);
    slots_[i] = s;
    return i;
  }

  std::vector<std::uint8_t> tags_;  // per slot: 0 = empty, else tag() of the word's hash
  std::vector<Slot> slots_;         // power-of-two size, linear probing
  std::vector<std::pair<std::string, std::uint32_t>> long_;  // words a key cannot hold: rare, scanned
  std::size_t size_ = 0;
};

}  // namespace isnad::detail
