#include "isnad/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "ingest/feed.h"
#include "ingest/html.h"
#include "ingest/jsonl.h"
#include "isnad/chars.h"
#include "isnad/utf8.h"

namespace isnad {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSidecarName = "meta.jsonl";

enum class FileKind : unsigned char { kText, kJsonl, kHtml, kFeed };

FileKind kind_of(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (ext == ".jsonl") return FileKind::kJsonl;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return FileKind::kHtml;
  if (ext == ".xml" || ext == ".rss" || ext == ".atom") return FileKind::kFeed;
  return FileKind::kText;
}

std::string errno_message(int err) { return std::error_code(err, std::generic_category()).message(); }

std::string human_size(std::uint64_t bytes) {
  if (bytes < (1u << 20)) return std::to_string(bytes) + " bytes";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f MiB (%llu bytes)", static_cast<double>(bytes) / (1024.0 * 1024.0),
                static_cast<unsigned long long>(bytes));
  return buffer;
}

// Closes the descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Error open_error(const fs::path& path, int err) {
  if (err == ENOENT) {
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
      return make_error(ErrorCode::kIo, "broken symbolic link (its target does not exist)");
    }
    return make_error(ErrorCode::kIo, "no such file");
  }
  if (err == EACCES) return make_error(ErrorCode::kIo, "permission denied");
  return make_error(ErrorCode::kIo, "cannot open: " + errno_message(err));
}

// Arabic letters as they occur in raw (unnormalized) text, presentation forms included.
bool is_raw_arabic_letter(char32_t c) {
  return is_arabic_letter(c) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC);
}

bool is_blank(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 || c == 0xFEFF ||
         (c >= 0x2000 && c <= 0x200F) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x3000;
}

// Checks that hold for any text-bearing file, JSONL included: not empty, not binary.
Status check_not_binary(std::string_view bytes) {
  if (bytes.empty()) return make_error(ErrorCode::kEmptyInput, "empty (0 bytes), nothing to analyze");
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    return make_error(ErrorCode::kBinaryInput,
                      "UTF-16 text; isnad reads UTF-8 (convert with: iconv -f UTF-16 -t UTF-8)");
  }
  // Same rule as normalize(): text with a stray NUL is text, a buffer full of them is not.
  std::size_t controls = 0;
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    controls += (b < 0x20 && b != '\n' && b != '\r' && b != '\t') ? 1 : 0;
  }
  if (controls * 100 > bytes.size()) return make_error(ErrorCode::kBinaryInput, "binary data, not text");
  return {};
}

}  // namespace

Expected<std::string> read_file(const fs::path& path, std::uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return open_error(path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(ErrorCode::kIo, "cannot stat: " + errno_message(errno));
  if (S_ISDIR(st.st_mode)) {
    return make_error(ErrorCode::kIo, "is a directory; give the files inside it (e.g. DIR/*.txt)");
  }
  if (!S_ISREG(st.st_mode)) {
    const char* kind = S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device";
    return make_error(ErrorCode::kIo, std::string("not a regular file (") + kind + ")");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    return make_error(ErrorCode::kTooLarge, "too large: " + human_size(size) + " exceeds the limit of " +
                                                human_size(max_bytes));
  }

  std::string bytes;
  bytes.resize(static_cast<std::size_t>(size));
  std::size_t got = 0;
  while (true) {
    if (got == bytes.size()) {
      // The file may have grown since fstat; keep the limit honest by reading past the end.
      if (bytes.size() > max_bytes) {
        return make_error(ErrorCode::kTooLarge, "too large: grew past the limit of " + human_size(max_bytes) +
                                                    " while being read");
      }
      bytes.resize(bytes.size() + 4096);
    }
    const ssize_t n = ::read(fd.get(), bytes.data() + got, bytes.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kIo, "read error: " + errno_message(errno), got);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

Status check_text(std::string_view text) {
  if (Status ok = check_not_binary(text); !ok) return ok;
  if (Status valid = validate_utf8(text); !valid) {
    return make_error(ErrorCode::kInvalidUtf8,
                      "invalid UTF-8 (isnad reads UTF-8 only; convert legacy encodings such as "
                      "Windows-1256 with iconv)",
                      valid.error().offset);
  }
  bool any_text = false;
  for (std::size_t i = 0; i < text.size();) {
    const DecodedChar d = decode_utf8(text, i);
    if (is_raw_arabic_letter(d.cp)) return {};
    any_text = any_text || !is_blank(d.cp);
    i += d.length;
  }
  if (!any_text) return make_error(ErrorCode::kEmptyInput, "only white space, nothing to analyze");
  return make_error(ErrorCode::kNoArabic, "no Arabic text");
}

InputLoader::Sidecar& InputLoader::sidecar_for(const fs::path& directory) {
  const auto [it, inserted] = sidecars_.try_emplace(directory);
  Sidecar& sidecar = it->second;
  if (!inserted) return sidecar;

  const fs::path path = directory / kSidecarName;
  std::error_code ec;
  if (!fs::exists(path, ec)) return sidecar;
  auto bytes = read_file(path, options_.max_bytes);
  if (!bytes) {
    sidecar.problems.push_back({path.string(), bytes.error()});
    return sidecar;
  }
  std::vector<SourceDocument> records;
  ingest::parse_jsonl(*bytes, path.string(), ingest::TextField::kIgnored, records, sidecar.problems);
  for (auto& record : records) {
    std::string id = record.id;
    sidecar.records.insert_or_assign(std::move(id), std::move(record));
  }
  return sidecar;
}

Expected<LoadedFile> InputLoader::load(const fs::path& path) {
  LoadedFile out;
  // A sidecar describes its neighbours; passing it along with them (DIR/*) is not an error.
  if (path.filename() == kSidecarName) return out;

  auto bytes = read_file(path, options_.max_bytes);
  if (!bytes) return bytes.error();

  const FileKind kind = kind_of(path);
  if (kind != FileKind::kText) {
    if (Status ok = check_not_binary(*bytes); !ok) return ok.error();
  }
  if (kind == FileKind::kJsonl) {
    ingest::parse_jsonl(*bytes, path.string(), ingest::TextField::kRequired, out.documents, out.rejected);
    for (SourceDocument& doc : out.documents) {
      if (doc.id.empty()) doc.id = path.stem().string() + ":" + std::to_string(doc.line);
    }
    if (out.documents.empty() && out.rejected.empty()) {
      return make_error(ErrorCode::kEmptyInput, "no records, only blank lines");
    }
    return out;
  }
  if (kind == FileKind::kFeed) {
    if (Status ok = ingest::parse_feed(*bytes, path.string(), out.documents, out.rejected); !ok) return ok.error();
    return out;
  }

  SourceDocument doc;
  doc.id = path.stem().string();
  doc.path = path.string();
  if (kind == FileKind::kHtml) {
    auto page = ingest::extract_html(*bytes);
    if (!page) return page.error();
    // Offsets of a content error would point into the extracted text, not the file: drop them.
    if (Status ok = check_text(page->text); !ok) return make_error(ok.error().code, ok.error().message);
    doc.text = std::move(page->text);
    doc.title = std::move(page->title);
    doc.published = std::move(page->published);
    doc.outlet = std::move(page->outlet);
    doc.url = std::move(page->url);
  } else {
    if (Status ok = check_text(*bytes); !ok) return ok.error();
    doc.text = std::move(*bytes);
  }
  if (options_.use_sidecar) {
    fs::path directory = path.parent_path();
    if (directory.empty()) directory = ".";
    Sidecar& sidecar = sidecar_for(directory);
    if (!sidecar.problems_reported) {
      out.rejected = sidecar.problems;
      sidecar.problems_reported = true;
    }
    // What the user wrote in the sidecar beats what a page says about itself.
    if (const auto it = sidecar.records.find(doc.id); it != sidecar.records.end()) {
      const SourceDocument& meta = it->second;
      if (!meta.outlet.empty()) doc.outlet = meta.outlet;
      if (!meta.url.empty()) doc.url = meta.url;
      if (!meta.published.empty()) doc.published = meta.published;
      if (!meta.title.empty()) doc.title = meta.title;
    }
  }
  out.documents.push_back(std::move(doc));
  return out;
}

}  // namespace isnad
