// `isnad analyze`: load each file (input.h), run the per-document pipeline (analyze.h), print
// one JSON object per document (docs/cli-contract.md) or a readable report. A bad file is
// reported on stderr and skipped; the others are still analyzed.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/analyze_output.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "isnad/analyze.h"
#include "isnad/dossier.h"
#include "isnad/input.h"
#include "isnad/ner.h"

namespace isnad::cli {

namespace {

struct AnalyzeArgs {
  std::string format = "json";
  std::string published;
  std::uint64_t max_bytes = InputOptions{}.max_bytes;
  std::vector<std::string> files;
};

constexpr const char* kFooter =
    "Output:\n"
    "  For every document: its sentences, numbers (with hedges such as \"at least\" or \"about\")\n"
    "  and dates, each with the byte span [begin, end) where it occurs in the input text.\n"
    "  --format json (default) writes JSON Lines, one object per document, schema \"isnad/1\"\n"
    "  (docs/cli-contract.md):\n"
    "    {\"schema\":\"isnad/1\",\"id\":\"a\",\"published\":\"2024-05-15\",\"sentences\":[{\"span\":[0,95]}],\n"
    "     \"numbers\":[{\"text\":\"ما لا يقل عن 12\",\"value\":12,\"qualifier\":\"at_least\",\"span\":[40,69]}],\n"
    "     \"dates\":[{\"text\":\"مساء الثلاثاء\",\"value\":\"2024-05-14\",\"granularity\":\"day\",\"span\":[70,95]}],\n"
    "     \"entities\":[],\"quotes\":[],\"claims\":[]}\n"
    "  --format text writes a readable report with the same content.\n"
    "\n"
    "Inputs:\n"
    "  FILE.txt    one UTF-8 article; its id is the file name without extension. A meta.jsonl\n"
    "              in the same directory may give its outlet, url, title and published date\n"
    "              ({\"id\":\"FILE\",\"outlet\":...,\"published\":\"YYYY-MM-DD\"}, one per line).\n"
    "  FILE.jsonl  one article per line: {\"id\",\"outlet\",\"url\",\"published\",\"title\",\"text\"};\n"
    "              spans are offsets into each record's text.\n"
    "  Directories are not read: pass the files inside them (DIR/*.txt).\n"
    "\n"
    "Examples:\n"
    "  isnad analyze demo/corpus/*.txt\n"
    "  isnad analyze --format text --published 2024-05-15 article.txt\n"
    "  isnad analyze articles.jsonl | jq -c '.numbers[] | {text, value, qualifier}'\n"
    "\n"
    "Exit status:\n"
    "  0  every input analyzed\n"
    "  1  some inputs rejected (empty, binary, not UTF-8, no Arabic text, too large, unreadable,\n"
    "     malformed JSONL line); each is reported on stderr as\n"
    "     'isnad: FILE[:BYTE-OFFSET]: reason' and the other inputs are still analyzed\n"
    "  2  usage error (unknown option, bad --published date, no FILE)";

// The date weekdays resolve against: --published wins over the document's own metadata.
std::optional<CivilDate> published_date(const AnalyzeArgs& args, const SourceDocument& doc) {
  if (!args.published.empty()) return parse_iso_date(args.published);
  if (doc.published.empty()) return std::nullopt;
  auto date = parse_published(doc.published);
  if (!date) {
    std::cerr << "isnad: " << doc.path << ": warning: document \"" << doc.id << "\": published \""
              << doc.published << "\" is not a date (YYYY-MM-DD); weekdays will not be resolved\n";
  }
  return date;
}

void run_analyze(const AnalyzeArgs& args, ExitStatus& status) {
  InputLoader loader(InputOptions{.max_bytes = args.max_bytes, .use_sidecar = true});
  auto model = NerModel::load_default();
  if (!model) std::cerr << "isnad: warning: no NER model (" << model.error().message << "); entities are not tagged\n";
  const bool json = args.format == "json";
  for (const std::string& file : args.files) {
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
    for (const SourceDocument& doc : loaded->documents) {
      const std::optional<CivilDate> published = published_date(args, doc);
      AnalyzeOptions options;
      options.published = published;
      options.ner = model ? &*model : nullptr;
      auto analysis = analyze(doc.text, options);
      if (!analysis) {
        // Offsets inside a JSONL record's text are not file offsets: name the line instead.
        Error error = analysis.error();
        if (doc.line != 0) {
          error.message = "line " + std::to_string(doc.line) + ": record \"" + doc.id + "\": " + error.message;
          error.offset.reset();
        }
        report(doc.path, error);
        status.reject();
        continue;
      }
      if (json) {
        std::cout << render_analysis_json(doc, published, *analysis) << '\n';
      } else {
        write_text_report(std::cout, doc, published, *analysis);
      }
    }
  }
  std::cout.flush();
}

}  // namespace

void register_analyze(CLI::App& app, ExitStatus& status) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd =
      app.add_subcommand("analyze", "Find sentences, numbers, dates, entities, quotes and claims in Arabic articles, with byte spans (JSON Lines)");
  cmd->footer(kFooter);
  cmd->add_option("--format", args->format, "Output: json (JSON Lines, default) or text (readable report)")
      ->check(CLI::IsMember({"json", "text"}));
  cmd->add_option("--published", args->published,
                  "Publication date for every input; overrides metadata. Weekdays and words such as\n"
                  "yesterday resolve against it.")
      ->type_name("YYYY-MM-DD")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            return parse_iso_date(value) ? std::string{} : "not a date in YYYY-MM-DD form: " + value;
          },
          ""));
  cmd->add_option("--max-bytes", args->max_bytes,
                  "Refuse files larger than this, without reading them (default 64MiB; units: KB, MB, MiB, GB)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_option("FILE", args->files, "Articles: .txt (one document) or .jsonl (one per line)")
      ->required()
      ->type_name("");
  cmd->callback([args, &status] { run_analyze(*args, status); });
}

}  // namespace isnad::cli
