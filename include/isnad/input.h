// isnad/input.h — turning files into documents, and refusing what is not Arabic news text.
//
// Every command that reads articles goes through this layer, so the same bad input gets the same
// answer everywhere. The extension (any case) decides how a file is read:
//   FILE.txt / any other name   one UTF-8 document; id = file name without extension. If a
//                               `meta.jsonl` sits in the same directory, the record whose `id`
//                               equals that id supplies outlet, url, published and title.
//   FILE.jsonl                  one document per line: {"id","outlet","url","published","title",
//                               "text"}; only `text` is required (id defaults to FILE:LINE).
//   FILE.html / .htm / .xhtml   one document: the page's main article text (libxml2 HTML parser;
//                               navigation, share/subscribe/related blocks, comments, footers and
//                               scripts dropped; paragraphs joined by a blank line) with title,
//                               published, outlet and url from og:/article: meta, JSON-LD, <h1>,
//                               <time>, canonical link; id = file name without extension. A sidecar
//                               record's non-empty fields override the page's. See src/ingest/html.h.
//   FILE.xml / .rss / .atom     an RSS or Atom feed: one document per <item>/<entry> (id = guid/id/
//                               link, text = content:encoded/content/description stripped of HTML,
//                               published = pubDate/published/updated as ISO 8601, line = line of
//                               the item). Items without Arabic text go to `rejected`; broken XML
//                               keeps the items that closed before the first error and reports the
//                               rest as one kParse problem (line, column, byte offset). External
//                               entities are never loaded. See src/ingest/feed.h.
//   meta.jsonl                  a sidecar, not articles: load() returns it with no documents, so
//                               `isnad analyze DIR/*` works.
//
//   isnad::InputLoader loader({.max_bytes = 64 << 20});
//   auto file = loader.load("a.txt");
//   if (!file) { print(path, file.error().offset, file.error().message); }   // whole file refused
//   for (const auto& bad : file->rejected) print(bad.path, bad.error.offset, bad.error.message);
//   for (const auto& doc : file->documents) analyze(doc.text);
//
// What is refused, and with which ErrorCode (message says the same in words):
//   kIo            missing file, broken symlink, permission denied, directory, FIFO, socket or
//                  device (opened non-blocking and refused, so a FIFO cannot hang a run), read error
//   kTooLarge      file larger than `max_bytes` — decided from the size before reading anything,
//                  so a 200 MB file costs one stat() when the limit is 64 MiB
//   kEmptyInput    zero bytes, only white space, or a JSONL file with only blank lines
//   kBinaryInput   NUL/control bytes above 1% of the bytes (as normalize() decides), or a
//                  UTF-16 byte order mark (with a hint to convert)
//   kInvalidUtf8   offset = first bad byte (in JSONL the JSON parser finds it: a kParse record error)
//   kNoArabic      not a single Arabic letter in the text
//   kParse         a JSONL line that is not a JSON object with a string `text` (offset = where
//                  the JSON parser stopped, as a byte offset in the file); a feed that is not XML,
//                  not RSS/Atom, or broken before its first item
//   kEmptyInput    also: an HTML page with no article text found, a feed with no items
// In a JSONL file a bad line rejects only that record: it lands in `LoadedFile::rejected`, the
// other records are still returned. Offsets of record errors are offsets in the JSONL file.
//
// Spans computed later on `SourceDocument::text` are byte offsets into that text: for .txt input
// that is the file itself, for JSONL input the decoded `text` string of the record, for HTML pages
// and feed items the extracted text (not the markup). Offsets in errors are offsets in the file,
// except kNoArabic/kEmptyInput for a page, which carry none.
//
// Cost: one read of the file into one std::string; documents of a JSONL file are copies of their
// `text` fields; an HTML page or feed also builds one libxml2 tree (a few times the file size). Sidecars are parsed once per directory and cached in the loader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/status.h"

namespace isnad {

struct SourceDocument {
  std::string id;
  std::string outlet;     // empty when unknown
  std::string url;        // empty when unknown
  std::string published;  // as given (usually YYYY-MM-DD or an ISO timestamp); empty when unknown
  std::string title;      // empty when unknown
  std::string text;       // the article, valid UTF-8, contains Arabic
  std::string path;       // file it came from
  std::uint32_t line = 0; // 1-based line in a JSONL file; 0 for a plain-text file
};

struct InputOptions {
  std::uint64_t max_bytes = std::uint64_t{64} << 20;  // per file; larger files are refused unread
  bool use_sidecar = true;                            // read meta.jsonl next to plain-text files
};

// A problem with part of an input: a JSONL line, or a line of a sidecar.
struct InputProblem {
  std::string path;
  Error error;
};

struct LoadedFile {
  std::vector<SourceDocument> documents;
  std::vector<InputProblem> rejected;  // records refused; the rest of the file is in `documents`
};

// Reads a regular file of at most `max_bytes` bytes. kIo or kTooLarge; never blocks on a FIFO.
Expected<std::string> read_file(const std::filesystem::path& path, std::uint64_t max_bytes);

// The content checks applied to every document text: empty, binary, UTF-8, no Arabic.
Status check_text(std::string_view text);

// Documents sent as one request body (the HTTP API): one JSON object, a JSON array of objects, or
// JSON Lines, with the fields and checks of a JSONL file. A record without `id` keeps it empty
// (the caller names it). The whole body refused → Error (kEmptyInput; kParse with the byte offset
// where parsing stopped); otherwise the documents plus refused records ("line 3: …" with the byte
// offset of the line for JSON Lines, "item 2: …" for an array).
Expected<LoadedFile> parse_documents(std::string_view bytes, const std::string& name);

class InputLoader {
 public:
  explicit InputLoader(InputOptions options = {}) : options_(options) {}

  // The whole file refused → Error; otherwise its documents plus any refused records.
  Expected<LoadedFile> load(const std::filesystem::path& path);

 private:
  struct Sidecar {
    std::map<std::string, SourceDocument, std::less<>> records;  // by id; text empty
    std::vector<InputProblem> problems;  // reported once, with the first file that uses the sidecar
    bool problems_reported = false;
  };
  Sidecar& sidecar_for(const std::filesystem::path& directory);

  InputOptions options_;
  std::map<std::filesystem::path, Sidecar> sidecars_;
};

}  // namespace isnad
