// isnad/analyze.h — the per-document pipeline: normalize, then every recognizer, in one call.
//
//   isnad::AnalyzeOptions options;
//   options.published = isnad::parse_iso_date("2024-03-24");   // resolves يوم الجمعة, أمس
//   auto a = isnad::analyze(document_text, options);
//   if (!a) { /* a.error(): kInvalidUtf8 (offset), kBinaryInput, kTooLarge */ }
//   for (const auto& n : a->numbers) {
//     isnad::Span in_text = a->original_span(n.span);      // what to show a user
//   }
//
// All spans in `DocumentAnalysis` are in *normalized* offsets (a->normalized.text()), because that is
// what the stages share; `original_span` maps them back to the bytes given to `analyze`.
// The order of stages is fixed here, in one place, so a stage can use the results of the ones
// before it (dates know the sentences, claims will know numbers and quotes).
//
// Cost: one normalization (one copy of the text plus a 4-byte offset map per byte) and one pass
// per recognizer. `analyze` does not check that the text is Arabic: that is the input layer's job
// (input.h), so a short fragment such as "137" can be analyzed on its own.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "isnad/claims.h"
#include "isnad/dates.h"
#include "isnad/entities.h"
#include "isnad/normalize.h"
#include "isnad/numbers.h"
#include "isnad/quotes.h"
#include "isnad/span.h"
#include "isnad/status.h"

namespace isnad {

class NerModel;

struct AnalyzeOptions {
  // The document's own date; weekdays and relative dates resolve against it, and are not
  // reported without it.
  std::optional<CivilDate> published;
  NormalizeOptions normalize;
  // Entities need a trained model (ner.h), loaded once by the caller and shared; without one,
  // `entities` stays empty and quotes/claims find their speakers and actors by cue words alone.
  const NerModel* ner = nullptr;
};

struct DocumentAnalysis {
  NormalizedText normalized;
  std::vector<Span> sentences;         // normalized offsets, in order, non-overlapping
  std::vector<NumberMention> numbers;  // normalized offsets, in order
  std::vector<DateMention> dates;      // normalized offsets, in order
  std::vector<EntityMention> entities; // normalized offsets, in order (empty without a model)
  std::vector<Quote> quotes;           // with resolved speakers
  std::vector<Claim> claims;           // figures and statements, with event hints

  Span original_span(Span normalized_span) const { return normalized.to_original(normalized_span); }
};

Expected<DocumentAnalysis> analyze(std::string_view original, const AnalyzeOptions& options = {});

// The date a document was published, from the loose strings found in metadata: "2024-03-24",
// "2024-03-24T10:15:00Z", "2024-03-24 10:15". nullopt when it is not one of those.
std::optional<CivilDate> parse_published(std::string_view text);

}  // namespace isnad
