#include "ingest/jsonl.h"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

#include "isnad/status.h"

namespace isnad::ingest {

namespace {

using json = nlohmann::json;

// nlohmann::json::parse(..., allow_exceptions=false) says *that* a line is bad but not *where*.
// Re-running the failed line through this SAX handler recovers the position and the message
// without anything being thrown.
struct ErrorLocator {
  std::size_t position = 0;
  std::string message;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(std::string&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& e) {
    position = pos;
    message = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error ..." →
    // keep what follows the column: the line and column are ours to report.
    if (const auto colon = message.find(": "); colon != std::string::npos) message.erase(0, colon + 2);
    return false;
  }
};

std::string line_prefix(std::size_t line) { return "line " + std::to_string(line) + ": "; }

// Reads an optional string field; nullopt (and `error` set) when present with another type.
std::optional<std::string> string_field(const json& record, const char* name, std::string& error) {
  const auto it = record.find(name);
  if (it == record.end() || it->is_null()) return std::string{};
  if (it->is_string()) return it->get<std::string>();
  error = std::string("field \"") + name + "\" must be a string";
  return std::nullopt;
}

struct RecordError {
  ErrorCode code = ErrorCode::kParse;
  std::string message;
};

// Fills `doc` from one parsed record, or says why the record is refused. A missing id stays empty:
// the caller knows what to name it after (file and line, or nothing for an API body).
std::optional<RecordError> read_record(const json& record, TextField text_field, SourceDocument& doc) {
  if (!record.is_object()) return RecordError{ErrorCode::kParse, "not a JSON object"};
  std::string error;
  if (const auto it = record.find("id"); it != record.end() && it->is_string()) {
    doc.id = it->get<std::string>();
  } else if (it != record.end() && it->is_number_integer()) {
    doc.id = it->dump();
  } else if (it != record.end() && !it->is_null()) {
    error = "field \"id\" must be a string or an integer";
  }
  const std::array<std::pair<const char*, std::string*>, 4> fields{{
      {"outlet", &doc.outlet}, {"url", &doc.url}, {"published", &doc.published}, {"title", &doc.title}}};
  for (const auto& [name, target] : fields) {
    if (!error.empty()) break;
    if (auto value = string_field(record, name, error)) *target = std::move(*value);
  }
  if (!error.empty()) return RecordError{ErrorCode::kParse, error};

  if (text_field == TextField::kIgnored) {
    if (doc.id.empty()) return RecordError{ErrorCode::kParse, "metadata record without \"id\""};
    return std::nullopt;
  }
  const std::string name = doc.id.empty() ? std::string("record") : "record \"" + doc.id + "\"";
  const auto text = record.find("text");
  if (text == record.end() || !text->is_string()) return RecordError{ErrorCode::kParse, name + " has no \"text\" string"};
  doc.text = text->get<std::string>();
  if (Status ok = check_text(doc.text); !ok) return RecordError{ok.error().code, name + ": " + ok.error().message};
  return std::nullopt;
}

// Where the JSON parser stopped in `bytes`, and why.
std::pair<std::size_t, std::string> locate_parse_error(std::string_view bytes) {
  ErrorLocator locator;
  json::sax_parse(bytes, &locator, json::input_format_t::json, /*strict=*/true);
  // The SAX position counts the character that stopped the parser; point at it.
  const std::size_t at = locator.position > 0 ? locator.position - 1 : 0;
  return {std::min(at, bytes.size()), locator.message};
}

}  // namespace

void parse_jsonl(std::string_view bytes, const std::string& path, TextField text_field,
                 std::vector<SourceDocument>& documents, std::vector<InputProblem>& rejected) {
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < bytes.size();) {
    std::size_t stop = bytes.find('\n', start);
    if (stop == std::string_view::npos) stop = bytes.size();
    ++line_number;
    std::string_view line = bytes.substr(start, stop - start);
    const std::size_t line_start = start;
    start = stop + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    auto reject = [&](ErrorCode code, const std::string& why, std::size_t offset) {
      rejected.push_back({path, make_error(code, line_prefix(line_number) + why, line_start + offset)});
    };

    json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      const auto [at, message] = locate_parse_error(line);
      reject(ErrorCode::kParse, "invalid JSON: " + message, at);
      continue;
    }
    SourceDocument doc;
    doc.path = path;
    doc.line = static_cast<std::uint32_t>(line_number);
    if (auto error = read_record(record, text_field, doc)) {
      // Offsets inside the decoded text do not map to file bytes (escapes); the line start does.
      reject(error->code, error->message, 0);
      continue;
    }
    documents.push_back(std::move(doc));
  }
}

}  // namespace isnad::ingest

namespace isnad {

Expected<LoadedFile> parse_documents(std::string_view bytes, const std::string& name) {
  using ingest::TextField;
  using nlohmann::json;
  LoadedFile out;
  const std::size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return make_error(ErrorCode::kEmptyInput, "empty body");
  if (bytes[first] != '{' && bytes[first] != '[') {
    return make_error(ErrorCode::kParse, "expected a JSON object, an array of objects, or JSON Lines", first);
  }
  json whole = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (whole.is_discarded()) {
    // Several lines of objects are JSON Lines; anything else that does not parse is one broken value.
    if (bytes[first] == '{' && bytes.find('\n', first) != std::string_view::npos) {
      ingest::parse_jsonl(bytes, name, TextField::kRequired, out.documents, out.rejected);
      return out;
    }
    const auto [at, message] = ingest::locate_parse_error(bytes);
    return make_error(ErrorCode::kParse, "invalid JSON: " + message, at);
  }
  if (whole.is_object()) whole = json::array({std::move(whole)});
  for (std::size_t i = 0; i < whole.size(); ++i) {
    SourceDocument doc;
    doc.path = name;
    doc.line = static_cast<std::uint32_t>(i + 1);
    if (auto error = ingest::read_record(whole[i], TextField::kRequired, doc)) {
      out.rejected.push_back({name, make_error(error->code, "item " + std::to_string(i + 1) + ": " + error->message)});
      continue;
    }
    out.documents.push_back(std::move(doc));
  }
  if (out.documents.empty() && out.rejected.empty()) return make_error(ErrorCode::kEmptyInput, "an empty array");
  return out;
}

}  // namespace isnad
