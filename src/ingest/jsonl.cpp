#include "ingest/jsonl.h"

#include <array>
#include <filesystem>
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

}  // namespace

void parse_jsonl(std::string_view bytes, const std::string& path, TextField text_field,
                 std::vector<SourceDocument>& documents, std::vector<InputProblem>& rejected) {
  const std::string stem = std::filesystem::path(path).stem().string();
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
      ErrorLocator locator;
      json::sax_parse(line, &locator, json::input_format_t::json, /*strict=*/true);
      // The SAX position counts the character that stopped the parser; point at it.
      const std::size_t at = locator.position > 0 ? locator.position - 1 : 0;
      reject(ErrorCode::kParse, "invalid JSON: " + locator.message, std::min(at, line.size()));
      continue;
    }
    if (!record.is_object()) {
      reject(ErrorCode::kParse, "not a JSON object", 0);
      continue;
    }

    SourceDocument doc;
    doc.path = path;
    doc.line = static_cast<std::uint32_t>(line_number);
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
    if (!error.empty()) {
      reject(ErrorCode::kParse, error, 0);
      continue;
    }

    if (text_field == TextField::kIgnored) {
      if (doc.id.empty()) {
        reject(ErrorCode::kParse, "metadata record without \"id\"", 0);
        continue;
      }
      documents.push_back(std::move(doc));
      continue;
    }

    if (doc.id.empty()) doc.id = stem + ":" + std::to_string(line_number);
    const auto text = record.find("text");
    if (text == record.end() || !text->is_string()) {
      reject(ErrorCode::kParse, "record \"" + doc.id + "\" has no \"text\" string", 0);
      continue;
    }
    doc.text = text->get<std::string>();
    if (Status ok = check_text(doc.text); !ok) {
      // Offsets inside the decoded text do not map to file bytes (escapes); the line start does.
      reject(ok.error().code, "record \"" + doc.id + "\": " + ok.error().message, 0);
      continue;
    }
    documents.push_back(std::move(doc));
  }
}

}  // namespace isnad::ingest
