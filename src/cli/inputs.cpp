#include "cli/inputs.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace isnad::cli {

namespace fs = std::filesystem;

void report(const std::string& path, const Error& error) {
  std::cerr << "isnad: " << path;
  if (error.offset) std::cerr << ':' << *error.offset;
  std::cerr << ": " << error.message;
  if (error.code == ErrorCode::kTooLarge) std::cerr << "; raise the limit with --max-bytes";
  std::cerr << '\n';
}

namespace {

bool is_article_file(const fs::path& p) {
  const std::string ext = p.extension().string();
  return (ext == ".txt" || ext == ".jsonl" || ext == ".html" || ext == ".htm" || ext == ".xml" || ext == ".rss" ||
          ext == ".atom") &&
         p.filename() != "meta.jsonl";
}

}  // namespace

std::vector<SourceDocument> load_inputs(const std::vector<std::string>& paths, const InputOptions& options,
                                        ExitStatus& status) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && is_article_file(it->path())) found.push_back(it->path().string());
    }
    if (ec) {
      report(path, make_error(ErrorCode::kIo, "cannot read directory: " + ec.message()));
      status.reject();
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  InputLoader loader(options);
  std::vector<SourceDocument> documents;
  for (const std::string& file : files) {
    auto loaded = loader.load(file);
    if (!loaded) {
      report(file, loaded.error());
      status.reject();
      continue;
    }
    for (const InputProblem& problem : loaded->rejected) {
      report(problem.path, problem.error);
      status.reject();
    }
    for (SourceDocument& d : loaded->documents) documents.push_back(std::move(d));
  }
  return documents;
}

std::optional<NerModel> load_model() {
  auto model = NerModel::load_default();
  if (model) return std::move(*model);
  std::cerr << "isnad: warning: no NER model (" << model.error().message << "); entities are not resolved\n";
  return std::nullopt;
}

}  // namespace isnad::cli
