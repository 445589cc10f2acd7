// isnad/entities.h — named entity mentions (types and spans). The tagger is in ner.h.
#pragma once

#include <string_view>
#include <vector>

#include "isnad/dates.h"
#include "isnad/span.h"

namespace isnad {

enum class EntityType : unsigned char { kPer, kOrg, kLoc, kGpe, kFac, kMisc };
std::string_view to_string(EntityType t);  // "PER", "ORG", …

struct EntityMention {
  Span span;            // normalized offsets, clitics excluded (ولبوتين → بوتين)
  EntityType type = EntityType::kMisc;
  Span role;            // title or role kept apart (الرئيس الروسي), empty when none
};

// A transliterated surname whose first letter is also a proclitic (ب ل ك ف) is read by the tagger
// as clitic + another name when that other name is the better-known word: بريتشارد as
// ب + ريتشارد, so "given name + surname" comes out as two people. The letter is given back to a
// one-word PER mention when the document itself shows it belongs there: the word is written with
// it at least twice, once right after another person's name (the given name) and once not (the
// surname used alone, as news repeats it), and the name never appears without it or with another
// clitic. Then every such mention keeps the letter, and one that follows a PER mention with only
// spaces between (and no other clitic before the letter) is joined to it. A verb's object
// (اتصل سامر بكارلسون) fails that evidence: a name read with a real preposition shows up bare
// too, or never alone. و is left out: between two names it is "and", which no such evidence
// tells apart (entities.cpp).
// `mentions` in text order, spans in normalized offsets of `text`; only PER mentions change.
void keep_name_initial_letters(std::string_view text, std::vector<EntityMention>& mentions);

// A place the document names in full, read as a person where it is cut or alone: the tagger
// misses the first word of "وادي الريم (وكالة …) -" in a dateline and tags الريم PER, while the
// same document tags وادي الريم as a place four times. A PER mention without a role whose words
// end a place mention of the document, with that place's other words written right before it
// (and held by no other mention), becomes that place; one whose words equal a place mention's
// becomes that place when the document has them more often as a place than as a person, unless
// they start with بن/ابن/ابو/ام/بنت (a lineage names a person).
// `mentions` in text order, spans in normalized offsets of `text`; only PER mentions change.
void complete_place_names(std::string_view text, std::vector<EntityMention>& mentions);

// Dates and names read from the same words: the date recognizer reads الخميس in محمد الخميس as
// Thursday, the tagger reads صباح الجمعه ("Friday morning") as a person and نيسان in
// "أبريل (نيسان)" as MISC. The longer reading wins: an entity inside a date (or equal to it) is
// dropped, a date inside an entity is dropped, and an entity whose first or last words are a
// date's (نجران صباح | صباح غد) loses them (or is dropped when nothing is left). Run after the
// tagger's repairs (its `weekday_ends_name` already cuts "مايكروسوفت الخميس" where no given name
// precedes the weekday), before quotes and claims read either list.
// Both lists in text order, spans in normalized offsets of `text`.
void separate_dates_from_names(std::string_view text, std::vector<DateMention>& dates,
                               std::vector<EntityMention>& mentions);

}  // namespace isnad
