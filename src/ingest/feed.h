// Internal to src/ingest: RSS 2.0 (and 1.0) and Atom feeds, one document per <item>/<entry>.
//
// Per item: id = guid / atom:id / link (else "STEM#N"), title, url = link (Atom: rel=alternate
// href), published = pubDate / published / updated / dc:date as ISO 8601 (see iso_date()),
// outlet = the item's <source> or the channel/feed title, text = the first of content:encoded,
// Atom content, description/summary whose HTML-stripped text (html_fragment_text) passes
// check_text(); line = line of the item in the file.
//
// Safety: libxml2 runs with XML_PARSE_NONET and without XML_PARSE_NOENT/DTDLOAD, so external
// entities (XXE) are neither fetched nor read from disk, and entity references are never expanded
// by our walks (no "billion laughs").
//
// Broken XML: the first libxml2 error gives line, column and byte offset. libxml2's recovery
// builds what it can; items that closed before the error are kept, the rest are dropped and one
// InputProblem says so. With no item before the error the whole file is refused (kParse).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "isnad/input.h"

namespace isnad::ingest {

// Parses `bytes` (the content of `path`). A whole-file error (kParse: not XML, not a feed, broken
// before any item; kEmptyInput: no items; kInvalidUtf8: bad bytes and no declared encoding) is
// returned; item-level failures go to `rejected` with the byte offset of the item.
Status parse_feed(std::string_view bytes, const std::string& path, std::vector<SourceDocument>& documents,
                  std::vector<InputProblem>& rejected);

}  // namespace isnad::ingest
