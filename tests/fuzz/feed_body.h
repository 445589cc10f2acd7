// Fuzz body: the RSS/Atom reader (src/ingest/feed.h) on arbitrary bytes. See fuzz_check.h.
#pragma once

#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ingest/feed.h"
#include "isnad/input.h"

namespace isnad::fuzz {

inline int feed_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = as_text(data, size);
  std::vector<SourceDocument> documents;
  std::vector<InputProblem> rejected;
  const Status status = ingest::parse_feed(bytes, "fuzz.xml", documents, rejected);
  if (!status) {
    check(!status.error().message.empty(), "errors say why");
    check(!status.error().offset || *status.error().offset <= size, "error offsets point into the input");
  }
  for (const SourceDocument& d : documents) {
    check(!d.id.empty(), "every item has an id");
    check(check_text(d.text).ok(), "every item passed the input checks");
    check(d.path == "fuzz.xml", "items keep their path");
    check(d.title.find('\n') == std::string::npos, "titles are one line");
  }
  for (const InputProblem& p : rejected) {
    check(!p.error.message.empty(), "problems say why");
    check(!p.error.offset || *p.error.offset <= size, "problem offsets point into the input");
  }
  return 0;
}

}  // namespace isnad::fuzz
