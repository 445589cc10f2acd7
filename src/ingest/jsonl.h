// Internal to src/ingest: reading JSON Lines without exceptions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/input.h"

namespace isnad::ingest {

enum class TextField : unsigned char { kRequired, kIgnored };

// Parses `bytes` (the whole content of `path`) as one JSON object per line. Blank lines are
// skipped. A record that fails (not JSON, not an object, a field of the wrong type, missing text
// when required, text that fails check_text) is appended to `rejected` with the byte offset in
// the file where the problem is; the others are appended to `documents`.
// With TextField::kIgnored (sidecars) `text` is neither required nor kept, and `id` is required.
// Otherwise a record without `id` keeps it empty (the file loader names it FILE:LINE).
void parse_jsonl(std::string_view bytes, const std::string& path, TextField text_field,
                 std::vector<SourceDocument>& documents, std::vector<InputProblem>& rejected);

}  // namespace isnad::ingest
