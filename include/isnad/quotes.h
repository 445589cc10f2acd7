// isnad/quotes.h — quotations and who said them.
//
// Two levels, both on *normalized* text (normalize.h) with normalized byte offsets:
//
//   find_attributions(text, sentence)   one sentence → every "who says so" phrase in it:
//                                       وقال وزير الداخلية سامي الفارس للصحفيين إن …
//                                       بحسب مصدر أمني / وفقا للسلطات / نقلا عن وكالة رويترز
//                                       The source is taken as written (no coreference). This is
//                                       the piece claims.h reuses for "who reports it".
//   extract_quotes(text, sentences)     a whole document → direct and reported quotes with the
//                                       speaker resolved across sentences (see below).
//
//   auto norm = isnad::normalize(bytes);
//   auto sentences = isnad::split_sentences(norm->text());
//   for (const isnad::Quote& q : isnad::extract_quotes(norm->text(), sentences, mentions)) {
//     isnad::Span shown = norm->to_original(q.speaker);   // full name, e.g. "سامي الفارس"
//   }
//
// What is recognized
//   direct     text between “ ” « » „ " (any opener closes with any closer, so “…» counts;
//              ASCII " toggles). An opener left open closes at the paragraph end. A quote that
//              runs over several paragraphs (each paragraph reopening the mark) or a second quoted
//              stretch right after the first keeps the first one's speaker. Quoted stretches with
//              no speech cue attached (titles, names, scare quotes) are not quotes.
//   reported   a speech verb in any conjugation with و/ف (قال وقالت قالوا يقول تقول أكدت وأضاف
//              أشار إلى … اتهم صرح تابع أفاد كشف شدد اعتبر يرى) followed by إن/أن/بأن, or by
//              ':' and unquoted speech; "according to" phrases (بحسب، حسب، وفقا ل، طبقا ل،
//              حسبما أفاد، نقلا عن، على لسان), whose content is the rest of the sentence;
//              "نقلت X عن Y قوله إن" (Y speaks, X is the outlet).
//   bullets    "بحسب X:" or "ويقول X في تصريحات ل…:" at a line end followed by lines starting with
//              * - • or "1." — each bullet is one quote of X.
//   speakers   the words after the cue up to a comma, colon, إن/أن, preposition or time word,
//              split into role (وزير الداخلية، المتحدث باسم الشرطة), name, and an apposition role
//              after a comma (جون لوف، الزميل المشارك في …); the outlet (لصحيفة X، لوكالة رويترز،
//              في مقابلة مع قناة X، ل"X"). Institutions (وزارة الخارجية، الكرملين، الشرطة) are
//              speakers; indefinite sources (مسؤول أمريكي، مصدر أمني، شهود عيان) are flagged
//              anonymous and never resolved to a person. Postposed speakers: «…» قال فلان.
//   resolution a bare family name → the latest full name ending with it; a cue with no subject
//              (وأضاف: …، وتابع أن …، هو قال) → the most recent person (previous speaker or a
//              person mention, whichever is later); قائلا/مضيفا → the subject of its sentence.
//
// Entity mentions (ner.h) are optional: without them names are found from the cue context alone;
// with them a PER mention inside the source phrase fixes the name's boundaries and PER mentions
// outside quotes become antecedents for pronoun speakers. Tagger slips are cleaned first: a PER
// mention holding a speech verb is ignored, and a place or definite word before the name is cut
// off ("محافظ <place> <name>" tagged as one person keeps only the name).
//
// Cues inside a direct quote or a bullet are not attributions of their own (quotes in quotes).
//
// Cost: one pass over the sentences; words are looked up in hash tables keyed by string_view
// (built once, on first use); one small vector of words per sentence, reused.
// Pitfalls: the lexicons are normalized with the default NormalizeOptions, so text normalized
// with fold_teh_marbuta/fold_yeh off will miss cues ending in ة/ى. Sentence spans must be sorted
// and not overlap; if `sentences` is empty the text is split on lines and . ? ! instead.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "isnad/entities.h"
#include "isnad/span.h"

namespace isnad {

enum class QuoteKind : unsigned char { kDirect, kIndirect };
std::string_view to_string(QuoteKind k);  // "direct", "indirect"

enum class SourceKind : unsigned char {
  kPerson,       // a named person (or a role standing for one: المتحدث باسم الشرطة)
  kInstitution,  // وزارة الخارجية، الكرملين، الشرطة، وكالة أنباء …
  kAnonymous,    // مسؤول أمريكي، مصدر أمني، شهود عيان، بعض الخبراء
  kUnknown,      // no source could be found (a cue with no subject and no antecedent)
};
std::string_view to_string(SourceKind k);  // "person", "institution", "anonymous", "unknown"

enum class CueType : unsigned char {
  kSpeechVerb,   // قال، أكد، أضاف …
  kAccordingTo,  // بحسب، وفقا ل، نقلا عن …
  kParticiple,   // قائلا، مضيفا، مشيرا … (subject is the sentence's subject)
};

// One "who says so" phrase of a sentence, as written.
struct Attribution {
  CueType type = CueType::kSpeechVerb;
  Span cue;       // the cue word(s), clitics included: "وقالت", "وفقا"
  Span source;    // the whole source phrase without clitics: "وزير الداخلية سامي الفارس"; empty when
                  // the cue has no subject (وأضاف أن …) — then `pronoun` may hold هو/هي
  Span name;      // the name inside `source` ("سامي الفارس"), or all of `source` for institutions
                  // and anonymous sources
  Span role;      // "وزير الداخلية", or the apposition after a comma; empty when none
  Span outlet;    // "صحيفة الأفق", "سكاي نيوز عربية"; empty when none
  Span pronoun;   // هو/هي/هم before the cue (SVO), empty otherwise
  Span whole;     // cue through the end of the attribution (before the content)
  Span content;   // reported content in this sentence; empty when the content is elsewhere
                  // (a quote after ':', bullets on the next lines, a quote before the cue)
  SourceKind kind = SourceKind::kUnknown;
  bool ends_with_colon = false;  // the attribution ends with ':' (content follows)
  bool female = false;           // قالت، تقول … (a hint for pronoun resolution)
  bool plural = false;           // قالوا، يعتقدون …: without a subject it does not continue one person
};

// Every attribution in `sentence` (normalized offsets), in text order. Cues inside quote marks
// within the sentence are skipped. `entities` (any order, whole document allowed) refine names.
std::vector<Attribution> find_attributions(std::string_view normalized, Span sentence,
                                           std::span<const EntityMention> entities = {});

// How a quote's speaker was found.
enum class Resolution : unsigned char {
  kNamed,        // named in the quote's own attribution
  kCoreference,  // a partial name resolved to a fuller one earlier in the document
  kCarried,      // no subject: the previous speaker (وأضاف، وتابع) or a bullet's introducer
  kPronoun,      // هو قال / a subject-less cue resolved to the latest person mention
  kUnresolved,   // no antecedent
};
std::string_view to_string(Resolution r);  // "named", "coreference", "carried", "pronoun", "unresolved"

struct Quote {
  QuoteKind kind = QuoteKind::kDirect;
  Span text;          // the content: inside the marks for direct quotes, after إن/أن for reported
  Span span;          // attribution plus content (the whole stretch a reader would cite)
  Span cue;           // the cue word, empty for continuations of an earlier quote
  Span speaker;       // the speaker's name as resolved (the full name, possibly earlier in the
                      // document); empty when unresolved
  Span speaker_span;  // the mention in this quote's attribution used for resolution (a family
                      // name, a pronoun); equals `speaker` when named in full; empty when implicit
  Span role;          // role/affiliation found with the speaker (here or at the resolved mention)
  Span outlet;        // outlet the words were given to or taken from
  SourceKind source = SourceKind::kUnknown;
  Resolution resolution = Resolution::kUnresolved;

  bool anonymous() const { return source == SourceKind::kAnonymous; }
};

// All quotes of a document in text order. `sentences` as returned by split_sentences.
std::vector<Quote> extract_quotes(std::string_view normalized, std::span<const Span> sentences,
                                  std::span<const EntityMention> entities = {});

}  // namespace isnad
