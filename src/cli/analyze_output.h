// The human-readable rendering of one analyzed document for `isnad analyze --format text` (the
// JSON object is render_analysis_json in dossier.h). Spans are byte offsets into the document's
// original text; quotes show the original bytes.
#pragma once

#include <optional>
#include <ostream>

#include "isnad/analyze.h"
#include "isnad/input.h"

namespace isnad::cli {

void write_text_report(std::ostream& out, const SourceDocument& doc, std::optional<CivilDate> published,
                       const DocumentAnalysis& analysis);

// "2024-03-22".
std::string iso_date(CivilDate date);

}  // namespace isnad::cli
