#include "isnad/analyze.h"

#include <utility>

#include "isnad/ner.h"
#include "isnad/sentences.h"

namespace isnad {

Expected<DocumentAnalysis> analyze(std::string_view original, const AnalyzeOptions& options) {
  auto normalized = normalize(original, options.normalize);
  if (!normalized) return normalized.error();
  DocumentAnalysis a;
  a.normalized = std::move(*normalized);
  const std::string_view text = a.normalized.text();
  a.sentences = split_sentences(text);
  a.numbers = find_numbers(text);
  a.dates = find_dates(text, options.published);
  if (options.ner != nullptr) {
    options.ner->tag(text, a.entities);
    keep_name_initial_letters(text, a.entities);
    complete_place_names(text, a.entities);
    separate_dates_from_names(text, a.dates, a.entities);
  }
  a.quotes = extract_quotes(text, a.sentences, a.entities);
  a.claims = find_claims(ClaimInput{text, a.sentences, a.numbers, a.dates, a.entities, options.published});
  return a;
}

std::optional<CivilDate> parse_published(std::string_view text) {
  if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) text = text.substr(0, 10);
  return parse_iso_date(text);
}

}  // namespace isnad
