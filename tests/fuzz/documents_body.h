// Fuzz body: request bodies of the HTTP API, isnad::parse_documents (one JSON object, an array of
// objects, or JSON Lines), and the JSONL file reader behind it (ingest::parse_jsonl, both as an
// article file and as a meta.jsonl sidecar) on arbitrary bytes. See fuzz_check.h.
#pragma once

#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ingest/jsonl.h"
#include "isnad/input.h"
#include "isnad/utf8.h"

namespace isnad::fuzz {

inline void check_problems(const std::vector<InputProblem>& rejected, const std::string& path, std::size_t size) {
  for (const InputProblem& p : rejected) {
    check(p.path == path, "problems keep their path");
    check(!p.error.message.empty(), "problems say why");
    check(!p.error.offset || *p.error.offset <= size, "problem offsets point into the body");
  }
}

inline void check_document(const SourceDocument& d, const std::string& path) {
  check(check_text(d.text).ok(), "every document passed the input checks");
  check(validate_utf8(d.text).ok(), "every document text is valid UTF-8");
  check(d.path == path, "documents keep their path");
  check(d.line >= 1, "documents carry their line or item number");
}

// Everything a caller can observe, to compare two runs.
inline bool same_result(const Expected<LoadedFile>& a, const Expected<LoadedFile>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a) return a.error().code == b.error().code && a.error().message == b.error().message &&
                  a.error().offset == b.error().offset;
  if (a->documents.size() != b->documents.size() || a->rejected.size() != b->rejected.size()) return false;
  for (std::size_t i = 0; i < a->documents.size(); ++i) {
    const SourceDocument& x = a->documents[i];
    const SourceDocument& y = b->documents[i];
    if (x.id != y.id || x.outlet != y.outlet || x.url != y.url || x.published != y.published ||
        x.title != y.title || x.text != y.text || x.line != y.line) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a->rejected.size(); ++i) {
    const Error& x = a->rejected[i].error;
    const Error& y = b->rejected[i].error;
    if (x.code != y.code || x.message != y.message || x.offset != y.offset) return false;
  }
  return true;
}

inline int documents_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = as_text(data, size);
  const std::string name = "body";

  const Expected<LoadedFile> body = parse_documents(bytes, name);
  if (!body) {
    check(!body.error().message.empty(), "errors say why");
    check(!body.error().offset || *body.error().offset <= size, "error offsets point into the body");
  } else {
    check(!body->documents.empty() || !body->rejected.empty(), "an accepted body has documents or problems");
    for (const SourceDocument& d : body->documents) check_document(d, name);
    check_problems(body->rejected, name, size);
  }
  check(same_result(body, parse_documents(bytes, name)), "parse_documents is deterministic");

  // The same bytes as a JSONL file, and as a sidecar (ids required, text ignored).
  const std::string path = "fuzz.jsonl";
  std::vector<SourceDocument> documents;
  std::vector<InputProblem> rejected;
  ingest::parse_jsonl(bytes, path, ingest::TextField::kRequired, documents, rejected);
  for (const SourceDocument& d : documents) check_document(d, path);
  check_problems(rejected, path, size);
  std::uint32_t previous_line = 0;
  for (const SourceDocument& d : documents) {
    check(d.line > previous_line, "JSONL documents come in line order");
    previous_line = d.line;
  }

  documents.clear();
  rejected.clear();
  ingest::parse_jsonl(bytes, path, ingest::TextField::kIgnored, documents, rejected);
  for (const SourceDocument& d : documents) {
    check(!d.id.empty(), "sidecar records have an id");
    check(d.text.empty(), "sidecar records keep no text");
  }
  check_problems(rejected, path, size);
  return 0;
}

}  // namespace isnad::fuzz
