// isnad/resolve.h — cross-document entity resolution.
//
// The same person is spelled three ways across outlets (رحمان / رحمون / رحمن), named in full
// once and by surname after, and an organisation appears by its long name, a short name and an
// acronym. The dossier needs one entity per real-world referent with every variant listed, and
// must not merge two people who merely share a surname.
//
//   std::vector<isnad::NameMention> mentions = ...;          // every entity mention of an event
//   auto entities = isnad::resolve_entities(mentions);      // ids "p1", "o1", "g1", …
//
// Rules, applied to normalized names (normalize.h folds alef, ي/ى, ة/ه, diacritics):
// - Two name words are alike when they are equal once hamza seats are folded (فؤاد ~ فواد,
//   بئر ~ بير) and a leading article is dropped from words of ≥ 5 letters (الحداد ~ حداد); or
//   when their consonant skeletons (long vowels ا و ي removed after the first letter, ج read as
//   غ for the Western G) are equal and the longer word has ≥ 5 letters (رحمان ~ رحمون ~ رحمن,
//   غريغوري ~ جريجوري, but not سعيد ~ سعد); or when they are one edit apart and both have ≥ 5
//   letters (a typo). سيتي ~ ستي is the skeleton rule. Or, for transliterations, when they are
//   equal once تش/ش, ث/ت and ج/غ are folded, but for up to two long vowels one leaves out, and
//   both have ≥ 5 letters folded (بريتشرد ~ بريشارد; not كاثلين ~ كيتلين: a vowel changed).
// - Names one word apart in length are compared written together (عبد الله ~ عبدالله).
// - Multi-word names of the same type are the same entity when they have the same number of
//   words and all are alike, or (ORG, GPE, LOC, FAC) when the shorter one's words are all
//   alike to words of the longer one in order and it keeps ≥ 2 content words (وزاره الخارجيه
//   الروسيه ~ الخارجيه الروسيه), or when one is the acronym of the other's content words
//   (داعش ← الدوله الاسلاميه في العراق والشام).
// - A one-word PER mention (a surname), or a two-word family name (بن عماره, ابو ريشه), joins
//   the one longer person name ending in it; when two people share it, it stays apart
//   (ambiguous), never guessed.
// - The canonical name is the most frequent longest variant.
//
// Cost: each distinct (type, text) is compared once; each word's comparison forms are computed
// once per call. A person's name is compared only with the people sharing a blocking key of its
// first, joined or last word (spelling without the article, skeleton, folded skeleton, one-letter
// deletions), so
// an event with thousands of people is near-linear; other types (fewer entities) are scanned.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/entities.h"

namespace isnad {

struct NameMention {
  std::string text;      // as written (original bytes)
  EntityType type = EntityType::kMisc;
  std::string document;  // id of the document it is in
};

struct ResolvedEntity {
  std::string id;  // p1, o1, g1, l1, f1, m1 — by type, in order of first mention
  EntityType type = EntityType::kMisc;
  std::string name;                    // canonical
  std::vector<std::string> variants;   // distinct spellings as written, canonical first
  std::vector<std::string> documents;  // distinct, in order of first mention
  std::vector<std::size_t> mentions;   // indexes into the input
};

std::vector<ResolvedEntity> resolve_entities(const std::vector<NameMention>& mentions);

// A spelling-insensitive key of a normalized name, for comparing names where the rules above are
// too costly (event clustering compares every document's names with every event's): each word's
// consonant skeleton with the transliteration alternations folded, so إيلينا درافيتش and إلينا
// درافتش share one. Looser than the rules (سعيد and سعد share it too): a hint, not a merge.
std::string name_key(std::string_view normalized);

// Exposed for tests: are two normalized name words alike (see above)?
bool words_alike(std::string_view a, std::string_view b);

}  // namespace isnad
