// Internal to the claims recognizer: the state shared by its three parts — figures (claims.cpp),
// statements (claim_statements.cpp) and other-event hints (claim_events.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/claim_lexicon.h"
#include "isnad/claims.h"

namespace isnad::claims_internal {

// What holds for the whole document: the year figures of the article's own event belong to.
struct DocumentContext {
  DocumentContext(const ClaimInput& input, std::span<const Span> sentences);
  int current_year = 0;  // 0 when neither published nor any year in the text
  std::optional<long> published_day;  // days_from_civil of the publication date
  Span lead;             // the first sentence: places named there are the event's own
};

// A figure's type and where its words are, before it becomes a Claim.
struct Figure {
  ClaimType type;
  Span trigger;
  std::uint32_t end;  // end of the words that tie the number to people
  bool revision;
};

// One sentence at a time; buffers are reused between sentences.
struct SentenceContext {
  SentenceContext(const ClaimInput& input, const DocumentContext& doc_in) : in(input), doc(doc_in), text(input.text) {}

  void reset(Span s, std::size_t first_number, std::size_t end_number);
  void figures(std::vector<Claim>& out) const;
  void statements(std::vector<Claim>& out) const;
  // Sets sentence, source and event hint of the claims out[from…].
  void finish(std::vector<Claim>& out, std::size_t from) const;

  std::size_t counted_noun(std::size_t first, std::size_t after) const;
  Qualifier verb_hedge(Span trigger, std::size_t number) const;
  std::optional<Figure> classify(std::size_t k, std::size_t first, std::size_t after, std::size_t noun) const;
  std::optional<std::size_t> trigger_after_revision(std::size_t first) const;
  bool revision_before(std::size_t trigger, std::size_t number) const;
  bool about_attackers(Span trigger, std::uint32_t number_begin, std::size_t noun) const;
  void people_without_number(std::vector<Claim>& out) const;
  bool recovered_bodies(std::size_t first, std::size_t noun) const;
  void push_figure(std::vector<Claim>& out, ClaimType type, double value, Span span, std::size_t trigger,
                   std::size_t last) const;
  bool part_of_counted(std::size_t after) const;
  // The word stands after a revised total and a بعد that explains it ("… الي 15، بعد وفاه …").
  bool increment_after(std::uint32_t revision_end, std::size_t word) const;
  bool after_revision(const std::vector<Claim>& out, std::size_t word) const;
  bool in_date(Span s) const;
  bool followed_by_percent(std::uint32_t pos) const;

  // Statements.
  bool negated(std::size_t verb) const;
  std::size_t find_word(std::size_t from, std::size_t limit, std::uint64_t roles) const;
  Span entity_in(Span region, std::size_t nth) const;
  void split_actor_target(std::size_t first, std::size_t limit, Span& actor, Span& target) const;
  Span subject_before(std::size_t verb) const;
  bool continues_statement(const std::vector<Claim>& out) const;
  bool charge_names_event(std::size_t charge) const;
  void push_statement(std::vector<Claim>& out, ClaimType type, std::size_t verb, Span actor, Span target,
                      std::uint32_t end) const;

  // Other events.
  struct Cue {
    std::uint32_t pos;   // where the cue starts
    int year;            // a year other than the current one, or 0
    Span hint;           // words naming the other event, may be empty
    bool after_ok;       // a year may also follow the figure it marks
    bool since;          // منذ …: measures against the past, never names a statement's target
    bool relative_only = false;  // marks only claims inside a relative clause after it ("… التي اودت")
  };
  void collect_cues(std::vector<Cue>& cues) const;
  std::string hint_for(const Claim& c, const std::vector<Cue>& cues) const;
  int year_of_number(std::size_t word) const;
  std::optional<Cue> after_other_event(std::size_t word, bool several_events) const;
  bool speaks_of_own_event_before(std::uint32_t pos) const;

  const ClaimInput& in;
  const DocumentContext& doc;
  std::string_view text;
  Span sentence;
  std::size_t num_begin = 0, num_end = 0;
  std::vector<Word> words;
  std::vector<int> number_at;  // per word: index of the number mention it is part of, or -1
};

}  // namespace isnad::claims_internal
