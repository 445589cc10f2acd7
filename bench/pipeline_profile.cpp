// Where the time of the per-document pipeline goes, and a single-pass driver for callgrind.
//
//   isnad_pipeline_profile                 per-stage CPU time of isnad::analyze's stages over
//                                          $ISNAD_PIPELINE_MB of SaudiNewsNet articles (default 4)
//   isnad_pipeline_profile --only STAGE    run one thing once and print nothing else, for
//                                          `valgrind --tool=callgrind`; STAGE is one of
//                                          normalize, tokenize, analyzer (search chain over
//                                          $ISNAD_BENCH_MB of text), pipeline, pipeline-noner
//
// Word tokens (Arabic, Latin and number tokens; punctuation not counted) are counted once,
// outside the timed passes, with isnad::Tokenizer, so tokens/s of every line share a numerator.
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "corpus_text.h"
#include "isnad/analyze.h"
#include "isnad/analyzer.h"
#include "isnad/ner.h"
#include "isnad/sentences.h"
#include "isnad/tokenize.h"

namespace {

using isnad::bench::Article;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::size_t word_tokens(std::string_view normalized) {
  static isnad::Tokenizer tokenizer(isnad::Lexicon::builtin(), isnad::search_tokenizer_options());
  tokenizer.reset(normalized);
  std::size_t n = 0;
  for (isnad::Token t; tokenizer.next(t);) ++n;
  return n;
}

std::size_t run_stage(const char* stage, isnad::Analyzer& analyzer, const isnad::NerModel* ner) {
  const auto& articles = isnad::bench::corpus_articles();
  std::size_t sink = 0;
  if (std::strcmp(stage, "normalize") == 0) {
    sink = isnad::normalize(isnad::bench::corpus_text())->text().size();
  } else if (std::strcmp(stage, "tokenize") == 0) {
    static const std::string norm = isnad::normalize_string(isnad::bench::corpus_text());
    sink = word_tokens(norm);
  } else if (std::strcmp(stage, "analyzer") == 0 || std::strcmp(stage, "analyzer-cold") == 0) {
    sink = *analyzer.analyze(isnad::bench::corpus_text(), [&](const isnad::Term& t) { sink += t.text.size(); });
  } else if (std::strcmp(stage, "pipeline") == 0 || std::strcmp(stage, "pipeline-noner") == 0) {
    isnad::AnalyzeOptions options;
    options.ner = std::strcmp(stage, "pipeline") == 0 ? ner : nullptr;
    for (const Article& a : articles) {
      options.published = isnad::parse_published(a.published);
      if (auto r = isnad::analyze(a.text, options)) sink += r->claims.size() + r->entities.size();
    }
  }
  return sink;
}

[[gnu::noipa]] std::size_t warm_up(const char* stage, isnad::Analyzer& analyzer, const isnad::NerModel* ner) {
  return run_stage(stage, analyzer, ner);
}
// The pass callgrind should see (--toggle-collect=*measured*).
[[gnu::noipa]] std::size_t measured(const char* stage, isnad::Analyzer& analyzer, const isnad::NerModel* ner) {
  return run_stage(stage, analyzer, ner);
}

// A warm-up pass (caches filled, as in the steady state the benchmarks report), then the
// measured one; "analyzer-cold" measures the first pass of a fresh Analyzer instead.
int only(const char* stage, const isnad::NerModel* ner) {
  static const char* const kStages[] = {"normalize", "tokenize", "analyzer", "analyzer-cold", "pipeline", "pipeline-noner"};
  bool known = false;
  for (const char* k : kStages) known = known || std::strcmp(k, stage) == 0;
  if (!known) {
    std::fprintf(stderr, "unknown stage %s\n", stage);
    return 2;
  }
  isnad::Analyzer analyzer;
  if (std::strcmp(stage, "analyzer-cold") == 0) {
    isnad::Analyzer other;  // the corpus loaded outside the measured pass
    warm_up("normalize", other, ner);
    warm_up("pipeline-noner", other, ner);
  } else {
    warm_up(stage, analyzer, ner);
  }
  return measured(stage, analyzer, ner) == 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto model = isnad::NerModel::load_default();
  if (!model) std::fprintf(stderr, "no NER model (%s): entities stay empty\n", model.error().message.c_str());
  const isnad::NerModel* ner = model ? &*model : nullptr;
  if (argc == 3 && std::strcmp(argv[1], "--only") == 0) return only(argv[2], ner);

  const auto& articles = isnad::bench::corpus_articles();
  if (articles.empty()) {
    std::fprintf(stderr, "no corpus under ISNAD_SHARED_DIR/data/news/saudinewsnet\n");
    return 1;
  }
  std::size_t bytes = 0, tokens = 0;
  for (const Article& a : articles) {
    bytes += a.text.size();
    tokens += word_tokens(isnad::normalize_string(a.text));
  }

  enum Stage { kNormalize, kSentences, kNumbers, kDates, kNer, kQuotes, kClaims, kStages };
  const char* names[kStages] = {"normalize", "sentences", "numbers", "dates", "entities (NER)", "quotes", "claims"};
  double seconds[kStages] = {};
  for (const Article& a : articles) {
    const std::optional<isnad::CivilDate> published = isnad::parse_published(a.published);
    double t0 = cpu_seconds();
    auto norm = isnad::normalize(a.text);
    if (!norm) continue;
    const std::string_view text = norm->text();
    auto lap = [&](Stage s) {
      const double t = cpu_seconds();
      seconds[s] += t - t0;
      t0 = t;
    };
    lap(kNormalize);
    const auto sentences = isnad::split_sentences(text);
    lap(kSentences);
    const auto numbers = isnad::find_numbers(text);
    lap(kNumbers);
    const auto dates = isnad::find_dates(text, published);
    lap(kDates);
    std::vector<isnad::EntityMention> entities;
    if (ner) ner->tag(text, entities);
    lap(kNer);
    const auto quotes = isnad::extract_quotes(text, sentences, entities);
    lap(kQuotes);
    const auto claims = isnad::find_claims(isnad::ClaimInput{text, sentences, numbers, dates, entities, published});
    lap(kClaims);
  }

  auto whole = [&](const isnad::NerModel* m) {
    isnad::AnalyzeOptions options;
    options.ner = m;
    const double t0 = cpu_seconds();
    for (const Article& a : articles) {
      options.published = isnad::parse_published(a.published);
      auto r = isnad::analyze(a.text, options);
      if (!r) std::fprintf(stderr, "analyze failed: %s\n", r.error().message.c_str());
    }
    return cpu_seconds() - t0;
  };
  const double with_ner = whole(ner), without_ner = whole(nullptr);

  double total = 0;
  for (double s : seconds) total += s;
  std::printf("%zu articles, %.2f MB, %zu word tokens (one core, CPU time)\n", articles.size(),
              static_cast<double>(bytes) / (1 << 20), tokens);
  for (int s = 0; s < kStages; ++s)
    std::printf("  %-16s %8.3f s %6.1f %%  %10.0f tokens/s\n", names[s], seconds[s], 100 * seconds[s] / total,
                static_cast<double>(tokens) / seconds[s]);
  std::printf("analyze() with NER     %8.3f s  %10.0f tokens/s  %6.2f MB/s\n", with_ner,
              static_cast<double>(tokens) / with_ner, static_cast<double>(bytes) / (1 << 20) / with_ner);
  std::printf("analyze() without NER  %8.3f s  %10.0f tokens/s  %6.2f MB/s\n", without_ner,
              static_cast<double>(tokens) / without_ner, static_cast<double>(bytes) / (1 << 20) / without_ner);
  return 0;
}
