// Renderings of one analyzed document for `isnad analyze`: the contract's JSON object
// (docs/cli-contract.md, schema isnad/1) and a human-readable report. Both show spans as byte
// offsets into the document's original text and quote the original bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "isnad/analyze.h"
#include "isnad/input.h"

namespace isnad::cli {

// Keys keep the contract's order: schema, id, published, sentences, numbers, dates, entities,
// quotes, claims. `published` is null when unknown.
nlohmann::ordered_json analysis_to_json(const SourceDocument& doc, std::optional<CivilDate> published,
                                        const DocumentAnalysis& analysis);

void write_text_report(std::ostream& out, const SourceDocument& doc, std::optional<CivilDate> published,
                       const DocumentAnalysis& analysis);

// "2024-03-22".
std::string iso_date(CivilDate date);

}  // namespace isnad::cli
