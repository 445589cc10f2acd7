// Throughput of the text core on ~20 MB of Arabic news, and of Lucene++'s ArabicAnalyzer on the
// same text in the same run; and of the whole per-document pipeline (BM_AnalyzePipeline).
// Bytes are UTF-8 input bytes for every benchmark, so MB/s compare.
// Run: build/release/bench/isnad_bench   (bench/compare-lucene prints the ratio)
#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corpus_text.h"
#include "isnad/analyze.h"
#include "isnad/analyzer.h"
#include "isnad/dates.h"
#include "isnad/ner.h"
#include "isnad/normalize.h"
#include "isnad/numbers.h"
#include "isnad/tokenize.h"

#ifdef ISNAD_HAVE_LUCENE
#include <LuceneHeaders.h>
#include <ArabicAnalyzer.h>
#include <TermAttribute.h>
#include <TokenStream.h>
#include <StringUtils.h>
#endif

namespace {

using isnad::bench::corpus_text;

bool have_text(benchmark::State& state) {
  if (!corpus_text().empty()) return true;
  state.SkipWithError("no corpus under ISNAD_SHARED_DIR/data");
  return false;
}

void report(benchmark::State& state, std::size_t tokens) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus_text().size()));
  state.counters["tokens"] = benchmark::Counter(static_cast<double>(tokens) * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(corpus_text().size()) / (1 << 20);
}

// The full search chain: normalize → tokenize (clitics) → stopwords → stem, terms counted.
void BM_IsnadAnalyzer(benchmark::State& state) {
  if (!have_text(state)) return;
  isnad::Analyzer analyzer;
  std::size_t terms = 0;
  for (auto _ : state) {
    terms = 0;
    auto n = analyzer.analyze(corpus_text(), [&](const isnad::Term& t) { terms += t.text.size() > 0; });
    benchmark::DoNotOptimize(n);
  }
  report(state, terms);
}
BENCHMARK(BM_IsnadAnalyzer)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// BM_IsnadAnalyzer reads the same text again and again, so in its steady state the term cache
// holds most of that text's words, rare ones included. These two are the honest bounds for text
// never seen before: "Unseen" warms a fresh analyzer on corpus_text() (untimed) and then reads
// the following articles once, as a long-running indexer would; "Cold" is the first pass of a
// fresh analyzer, every distinct word analysed once.
void analyze_once(benchmark::State& state, const std::string& text, bool warm) {
  if (text.empty()) {
    state.SkipWithError("no SaudiNewsNet corpus under ISNAD_SHARED_DIR/data");
    return;
  }
  std::size_t terms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto analyzer = std::make_unique<isnad::Analyzer>();
    if (warm) benchmark::DoNotOptimize(analyzer->analyze(corpus_text(), [](const isnad::Term&) {}));
    terms = 0;
    state.ResumeTiming();
    auto n = analyzer->analyze(text, [&](const isnad::Term& t) { terms += t.text.size() > 0; });
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = benchmark::Counter(static_cast<double>(terms) * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(text.size()) / (1 << 20);
}
void BM_IsnadAnalyzerUnseen(benchmark::State& state) { analyze_once(state, isnad::bench::corpus_text_unseen(), true); }
BENCHMARK(BM_IsnadAnalyzerUnseen)->Unit(benchmark::kMillisecond)->Iterations(3);
void BM_IsnadAnalyzerCold(benchmark::State& state) { analyze_once(state, corpus_text(), false); }
BENCHMARK(BM_IsnadAnalyzerCold)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_IsnadNormalize(benchmark::State& state) {
  if (!have_text(state)) return;
  for (auto _ : state) {
    auto norm = isnad::normalize(corpus_text());
    benchmark::DoNotOptimize(norm);
  }
  report(state, 0);
}
BENCHMARK(BM_IsnadNormalize)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Tokenization with clitic analysis alone, on text normalized beforehand.
void BM_IsnadTokenize(benchmark::State& state) {
  if (!have_text(state)) return;
  const std::string norm = isnad::normalize_string(corpus_text());
  isnad::TokenizerOptions options;
  options.alternatives = state.range(0) != 0;
  isnad::Tokenizer tok(isnad::Lexicon::builtin(), options);
  std::size_t tokens = 0;
  for (auto _ : state) {
    tokens = 0;
    tok.reset(norm);
    for (isnad::Token t; tok.next(t);) ++tokens;
  }
  report(state, tokens);
}
BENCHMARK(BM_IsnadTokenize)->Arg(0)->Arg(1)->ArgName("alternatives")->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_FindNumbers(benchmark::State& state) {
  if (!have_text(state)) return;
  const std::string norm = isnad::normalize_string(corpus_text());
  std::size_t found = 0;
  for (auto _ : state) {
    auto numbers = isnad::find_numbers(norm);
    found = numbers.size();
    benchmark::DoNotOptimize(numbers);
  }
  report(state, 0);
  state.counters["mentions"] = static_cast<double>(found);
}
BENCHMARK(BM_FindNumbers)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_FindDates(benchmark::State& state) {
  if (!have_text(state)) return;
  const std::string norm = isnad::normalize_string(corpus_text());
  const auto published = isnad::parse_iso_date("2015-08-05");
  std::size_t found = 0;
  for (auto _ : state) {
    auto dates = isnad::find_dates(norm, published);
    found = dates.size();
    benchmark::DoNotOptimize(dates);
  }
  report(state, 0);
  state.counters["mentions"] = static_cast<double>(found);
}
BENCHMARK(BM_FindDates)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The whole per-document pipeline (isnad::analyze: normalize, sentences, numbers, dates,
// entities, quotes, claims) article by article over SaudiNewsNet ($ISNAD_PIPELINE_MB, default
// 4), with and without the NER model. tokens/s counts word tokens (Arabic, Latin, numbers; not
// punctuation), counted once beforehand, as in isnad_pipeline_profile.
void BM_AnalyzePipeline(benchmark::State& state) {
  const auto& articles = isnad::bench::corpus_articles();
  if (articles.empty()) {
    state.SkipWithError("no SaudiNewsNet corpus under ISNAD_SHARED_DIR/data");
    return;
  }
  static const auto model = isnad::NerModel::load_default();
  const bool with_ner = state.range(0) != 0;
  if (with_ner && !model) {
    state.SkipWithError("no NER model (data/ner)");
    return;
  }
  std::size_t bytes = 0, tokens = 0;
  isnad::Tokenizer tokenizer(isnad::Lexicon::builtin(), isnad::search_tokenizer_options());
  std::vector<std::optional<isnad::CivilDate>> published;
  for (const auto& a : articles) {
    bytes += a.text.size();
    const std::string norm = isnad::normalize_string(a.text);
    tokenizer.reset(norm);
    for (isnad::Token t; tokenizer.next(t);) ++tokens;
    published.push_back(isnad::parse_published(a.published));
  }
  isnad::AnalyzeOptions options;
  options.ner = with_ner ? &*model : nullptr;
  for (auto _ : state) {
    for (std::size_t i = 0; i < articles.size(); ++i) {
      options.published = published[i];
      auto r = isnad::analyze(articles[i].text, options);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["tokens"] = benchmark::Counter(static_cast<double>(tokens) * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
  state.counters["articles"] = static_cast<double>(articles.size());
}
BENCHMARK(BM_AnalyzePipeline)->Arg(1)->Arg(0)->ArgName("ner")->Unit(benchmark::kMillisecond)->MinTime(3.0);

#ifdef ISNAD_HAVE_LUCENE
// Lucene++ ArabicAnalyzer (ArabicLetterTokenizer → LowerCase → Stop → ArabicNormalization →
// ArabicStem), tokenStream loop reading TermAttribute. The UTF-8 → wide conversion Lucene++
// needs is done once outside the timed loop, which favours Lucene++.
void lucene_analyze(benchmark::State& state, const std::string& text) {
  if (text.empty()) {
    state.SkipWithError("no corpus under ISNAD_SHARED_DIR/data");
    return;
  }
  const Lucene::String wide = Lucene::StringUtils::toUnicode(text);
  Lucene::AnalyzerPtr analyzer = Lucene::newLucene<Lucene::ArabicAnalyzer>(Lucene::LuceneVersion::LUCENE_CURRENT);
  std::size_t tokens = 0;
  for (auto _ : state) {
    tokens = 0;
    Lucene::TokenStreamPtr stream =
        analyzer->reusableTokenStream(L"body", Lucene::newLucene<Lucene::StringReader>(wide));
    Lucene::TermAttributePtr term = stream->addAttribute<Lucene::TermAttribute>();
    stream->reset();
    while (stream->incrementToken()) tokens += term->termLength() > 0;
    stream->end();
    stream->close();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = benchmark::Counter(static_cast<double>(tokens) * static_cast<double>(state.iterations()),
                                                benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(text.size()) / (1 << 20);
}
void BM_LuceneArabicAnalyzer(benchmark::State& state) { lucene_analyze(state, corpus_text()); }
BENCHMARK(BM_LuceneArabicAnalyzer)->Unit(benchmark::kMillisecond)->MinTime(3.0);
// On the text of BM_IsnadAnalyzerUnseen (Lucene++ keeps nothing between calls, so only the
// text differs).
void BM_LuceneArabicAnalyzerUnseen(benchmark::State& state) {
  lucene_analyze(state, isnad::bench::corpus_text_unseen());
}
BENCHMARK(BM_LuceneArabicAnalyzerUnseen)->Unit(benchmark::kMillisecond)->MinTime(2.0);
#endif

}  // namespace

BENCHMARK_MAIN();
