// isnad/sentences.h — sentence splitting of normalized Arabic news text.
#pragma once

#include <string_view>
#include <vector>

#include "isnad/span.h"

namespace isnad {

// Splits normalized text (see normalize.h) into sentence spans, in order, trimmed of
// surrounding white space, never empty, never overlapping.
std::vector<Span> split_sentences(std::string_view normalized);

}  // namespace isnad
