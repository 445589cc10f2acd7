// Fuzz body: the HTML extractor (src/ingest/html.h) on arbitrary bytes, as a page and as a feed
// fragment, and iso_date on the same bytes. See fuzz_check.h.
#pragma once

#include <string>

#include "fuzz/fuzz_check.h"
#include "ingest/html.h"
#include "isnad/utf8.h"

namespace isnad::fuzz {

inline void check_extracted_string(const std::string& s, bool single_line) {
  check(validate_utf8(s).ok(), "extracted strings are valid UTF-8");
  if (s.empty()) return;
  check(s.front() != ' ' && s.back() != ' ' && s.front() != '\n' && s.back() != '\n', "extracted strings are trimmed");
  if (single_line) check(s.find('\n') == std::string::npos, "metadata is one line");
  check(s.find("\n\n\n") == std::string::npos, "paragraphs are separated by exactly one blank line");
}

inline int html_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = as_text(data, size);
  const auto page = ingest::extract_html(bytes);
  if (page) {
    check(!page->text.empty(), "a page that is accepted has text");
    check_extracted_string(page->text, false);
    check_extracted_string(page->title, true);
    check_extracted_string(page->outlet, true);
    check_extracted_string(page->url, true);
    check_extracted_string(page->published, true);
  } else {
    check(!page.error().message.empty(), "errors say why");
    check(!page.error().offset || *page.error().offset < size, "error offsets point into the input");
  }
  if (validate_utf8(bytes).ok()) check_extracted_string(ingest::html_fragment_text(bytes), false);
  const std::string_view date = bytes.substr(0, 64);
  if (validate_utf8(date).ok()) check_extracted_string(ingest::iso_date(date), true);
  return 0;
}

}  // namespace isnad::fuzz
