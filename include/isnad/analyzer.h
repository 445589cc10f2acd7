// isnad/analyzer.h — the search analyzer: normalize → tokenize → filters (stopwords, stem …).
//
// Turns text into index/query terms, each with the span of the word it came from. It is the
// engine behind search (and the SQLite FTS5 tokenizer), so it allocates nothing per token: the
// callback receives a Term whose text views the normalized buffer or a filter's scratch buffer.
//
//   isnad::Analyzer analyzer;                                  // default chain, builtin lexicon
//   auto n = analyzer.analyze(original_bytes, [&](const isnad::Term& t) {
//     index.add(t.text, t.original, t.position);               // original = byte span in input
//   });
//   if (!n) { /* invalid UTF-8 etc. */ }
//
// The chain is configured, not hard-coded (like MeTA's filter chains): AnalyzerOptions picks the
// standard filters, in this order — LatinLowercaseFilter, StopwordFilter, StemFilter — and
// add_filter() appends custom ones. Every filter sees the Term produced by the previous one and
// the Token it came from (with its clitic analyses), may rewrite term.text, or drop the term.
// Starting term text: the clitic-free stem for Arabic words (وبالحكومه → حكومه), the token
// itself otherwise. Punctuation never becomes a term. Stopwords are matched on that stem, so
// وفي, ومنها and لها are dropped like في, من and ل.
//
// Positions count every word token, including dropped stopwords, so phrase queries keep gaps.
// Term::text is valid only during the callback. An Analyzer is not thread-safe (it reuses its
// tokenizer cache and buffers); use one per thread.
//
// Cost: with the standard chain, an Arabic word seen before is read, hashed and found in a
// cache of final terms (128K words of up to 12 letters, 4-way, 2 MB, kept across calls) without
// going through the tokenizer; a new word costs clitic analysis and stemming, a few dozen
// lexicon probes. Analyzers of the default options on one thread share that cache (one per
// thread), so a second analyzer reading the same documents finds their words already done.
// add_filter() turns that cache off, so custom chains pay the full price per token. Reuse one
// Analyzer rather than building one per document: its caches (~5 MB in all) are what make it
// fast, and analyze() keeps the normalization buffers of the largest document seen so far
// (5 bytes per input byte) to spare the allocation and page faults of fresh ones.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "isnad/normalize.h"
#include "isnad/span.h"
#include "isnad/status.h"
#include "isnad/stem.h"
#include "isnad/tokenize.h"

namespace isnad {

struct Term {
  std::string_view text;     // the term; valid during the callback only
  Span span;                 // normalized offsets of the whole surface token
  Span original;             // original byte offsets (equal to span when the input was pre-normalized)
  std::uint32_t position = 0;
};

// Terms kept for a second consumer, in delivery order: ingest reads a document's terms once
// for its clustering features and hands the same terms to the search index, which would
// otherwise analyse the text again (the default chain's output depends on the text alone).
// Text of all terms in one buffer: a term costs no allocation of its own.
class RecordedTerms {
 public:
  void add(const Term& term) {
    entries_.push_back({static_cast<std::uint32_t>(texts_.size()), static_cast<std::uint32_t>(term.text.size()),
                        term.span, term.original, term.position});
    texts_.append(term.text);
  }
  // Calls `on_term(const Term&)` for each term as it was recorded.
  template <class F>
  void for_each(F&& on_term) const {
    for (const Entry& e : entries_) {
      const Term t{std::string_view(texts_).substr(e.text_begin, e.text_size), e.span, e.original, e.position};
      on_term(t);
    }
  }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint32_t text_begin, text_size;
    Span span, original;
    std::uint32_t position;
  };
  std::string texts_;
  std::vector<Entry> entries_;
};

// A document's terms as an Analyzer of the default options gives them: the title's from
// `analyze(title)`, the text's from `run` over the text normalized with default options (which
// is what `analyze(text)` does), so both carry original byte offsets.
struct DocumentTerms {
  RecordedTerms title, text;
};

class TermFilter {
 public:
  virtual ~TermFilter() = default;
  // Rewrites `term` (text may point into the filter's own buffer) or returns false to drop it.
  virtual bool apply(std::string_view normalized, const Token& token, Term& term) = 0;
};

// Lowercases ASCII letters of Latin tokens (BBC → bbc).
class LatinLowercaseFilter final : public TermFilter {
 public:
  bool apply(std::string_view normalized, const Token& token, Term& term) override;

 private:
  std::string buffer_;
};

// Drops terms whose text is in the set (normalized words; the default list is function words,
// pronoun carriers and the one-letter stems of له/بها).
class StopwordFilter final : public TermFilter {
 public:
  StopwordFilter();  // default Arabic list
  explicit StopwordFilter(const std::vector<std::string>& words);
  bool apply(std::string_view normalized, const Token& token, Term& term) override;
  static const std::vector<std::string>& default_words();

 private:
  std::unordered_set<std::string_view> set_;
  std::vector<std::string> storage_;
};

// Replaces an Arabic term by its light stem (see stem.h), caching results per distinct word.
class StemFilter final : public TermFilter {
 public:
  explicit StemFilter(const Lexicon& lexicon = Lexicon::builtin());
  ~StemFilter() override;
  bool apply(std::string_view normalized, const Token& token, Term& term) override;

 private:
  struct Cache;
  Stemmer stemmer_;
  std::unique_ptr<Cache> cache_;
};

// Search needs neither punctuation nor alternative analyses.
inline TokenizerOptions search_tokenizer_options() {
  TokenizerOptions o;
  o.punctuation = false;
  o.alternatives = false;
  return o;
}

struct AnalyzerOptions {
  NormalizeOptions normalize;
  TokenizerOptions tokenize = search_tokenizer_options();
  bool lowercase_latin = true;
  bool stopwords = true;
  bool stem = true;
};

class Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions options = {}, const Lexicon& lexicon = Lexicon::builtin());
  ~Analyzer();

  // Appends a filter after the standard ones.
  Analyzer& add_filter(std::unique_ptr<TermFilter> filter);

  // Terms of already-normalized text; `original` spans map through `norm`. Returns the number of
  // terms delivered.
  template <class F>
  std::size_t run(const NormalizedText& norm, F&& on_term) {
    return run_impl(norm.text(), &norm, on_term);
  }
  // Terms of text that is already normalized (queries, lexicon entries); original == span.
  template <class F>
  std::size_t run_normalized(std::string_view normalized, F&& on_term) {
    return run_impl(normalized, nullptr, on_term);
  }
  // Normalizes `original` (validating UTF-8) and delivers its terms.
  template <class F>
  Expected<std::size_t> analyze(std::string_view original, F&& on_term) {
    if (Status s = normalize_into(original, norm_, options_.normalize); !s) return s.error();
    return run(norm_, on_term);
  }

 private:
  template <class F>
  std::size_t run_impl(std::string_view text, const NormalizedText* norm, F& on_term) {
    start(text);
    std::size_t delivered = 0;
    for (Term term; next_term(text, term);) {
      if (norm) term.original = norm->to_original(term.span);
      on_term(static_cast<const Term&>(term));
      ++delivered;
    }
    return delivered;
  }
  void start(std::string_view text);
  // The next term that survives the filters, `original` left equal to `span`.
  bool next_term(std::string_view text, Term& term);
  // Reads the next words into batch_, requesting their cache sets; false at the end of text.
  bool fill(std::string_view text);

  // What the standard chain made of each distinct Arabic word (the term's place in the word, or
  // dropped), so a word seen before costs one hash and one cache line instead of clitic
  // analysis, a stopword lookup and stemming. Present only while the chain is the standard one:
  // a custom filter may look at anything in the Token.
  // Analyzers of the default chain on one thread share one cache (the FTS tokenizer and the
  // clustering features read the same documents); any other chain has its own.
  struct TermCache;
  struct Batch;
  static TermCache& thread_cache();

  AnalyzerOptions options_;
  Tokenizer tokenizer_;
  std::vector<std::unique_ptr<TermFilter>> filters_;
  bool default_chain_ = false;
  bool cacheable_ = true;                // false once a custom filter is added
  std::unique_ptr<TermCache> own_cache_;  // when not the default chain
  TermCache* cache_ = nullptr;            // the cache of the current run, set by start()
  std::unique_ptr<Batch> batch_;
  Token token_;
  NormalizedText norm_;     // analyze()'s buffers, reused from one document to the next
  std::uint32_t pos_ = 0;   // where fill() reads on
  std::uint32_t position_ = 0;
};

}  // namespace isnad
