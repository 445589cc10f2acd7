#include "corpus/search_index.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace isnad::corpus {

namespace {

// tsvector and tsquery literals quote a lexeme in '…', doubling quotes and backslashes.
void append_quoted(std::string& out, std::string_view lexeme) {
  out += '\'';
  for (char c : lexeme) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

template <class F>
void for_each_word(std::string_view query, F&& on_word) {
  for (std::size_t i = 0; i < query.size();) {
    while (i < query.size() && is_space(query[i])) ++i;
    std::size_t j = i;
    while (j < query.size() && !is_space(query[j])) ++j;
    if (j > i) on_word(query.substr(i, j - i));
    i = j;
  }
}

}  // namespace

std::string fts_match(std::string_view query) {
  std::string match;
  for_each_word(query, [&](std::string_view word) {
    match += match.empty() ? "\"" : " \"";
    for (char c : word) {
      if (c == '"') match += '"';
      match += c;
    }
    match += '"';
  });
  return match;
}

namespace {

// `for_each_field(add)` calls add(term, in_title) for every term of the title, then of the text.
template <class ForEachField>
IndexedTerms tsvector_of(ForEachField&& for_each_field) {
  // PostgreSQL positions run from 1 to 16383 (larger ones are clamped, and a clamped duplicate
  // dropped), so a term's frequency past that point in a very long article is undercounted.
  struct Occurrences {
    std::string positions;
  };
  std::unordered_map<std::string, Occurrences> terms;
  std::vector<const std::string*> order;  // first occurrence order: a stable literal
  std::int64_t position = 0;
  for_each_field([&](const Term& t, bool in_title) {
    ++position;
    auto [it, inserted] = terms.try_emplace(std::string(t.text));
    if (inserted) order.push_back(&it->first);
    std::string& p = it->second.positions;
    if (!p.empty()) p += ',';
    p += std::to_string(std::min<std::int64_t>(position, 16383));
    if (in_title) p += 'A';
  });
  IndexedTerms out;
  out.count = position;
  for (const std::string* term : order) {
    if (!out.tsvector.empty()) out.tsvector += ' ';
    append_quoted(out.tsvector, *term);
    out.tsvector += ':';
    out.tsvector += terms[*term].positions;
  }
  return out;
}

}  // namespace

IndexedTerms index_terms(Analyzer& analyzer, std::string_view title, std::string_view text) {
  return tsvector_of([&](auto&& add) {
    (void)analyzer.analyze(title, [&](const Term& t) { add(t, true); });
    (void)analyzer.analyze(text, [&](const Term& t) { add(t, false); });
  });
}

IndexedTerms index_terms(const DocumentTerms& recorded) {
  return tsvector_of([&](auto&& add) {
    recorded.title.for_each([&](const Term& t) { add(t, true); });
    recorded.text.for_each([&](const Term& t) { add(t, false); });
  });
}

std::vector<std::vector<std::string>> query_phrases(Analyzer& analyzer, std::string_view query) {
  std::vector<std::vector<std::string>> phrases;
  for_each_word(query, [&](std::string_view word) {
    std::vector<std::string> phrase;
    (void)analyzer.analyze(word, [&](const Term& t) { phrase.emplace_back(t.text); });
    if (!phrase.empty()) phrases.push_back(std::move(phrase));
  });
  return phrases;
}

std::string tsquery(const std::vector<std::vector<std::string>>& phrases) {
  std::string out;
  for (const auto& phrase : phrases) {
    if (!out.empty()) out += " & ";
    out += '(';
    for (std::size_t i = 0; i < phrase.size(); ++i) {
      if (i > 0) out += " <-> ";
      append_quoted(out, phrase[i]);
    }
    out += ')';
  }
  return out;
}

std::string snippet(Analyzer& analyzer, std::string_view text, const std::vector<std::vector<std::string>>& phrases,
                    std::size_t tokens) {
  std::unordered_map<std::string, std::size_t> phrase_of;  // a term → the first phrase holding it
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    for (const std::string& t : phrases[i]) phrase_of.try_emplace(t, i);
  }
  struct Token {
    Span original;
    int phrase = -1;
  };
  std::vector<Token> all;
  (void)analyzer.analyze(text, [&](const Term& t) {
    auto it = phrase_of.find(std::string(t.text));
    all.push_back(Token{t.original, it == phrase_of.end() ? -1 : static_cast<int>(it->second)});
  });
  if (all.empty() || tokens == 0) return {};
  // Like FTS5: a window is tried around each hit, with the hit in its middle; distinct phrases
  // count far more than repeated hits; the earliest best window wins.
  std::size_t best_start = 0;
  long best_score = -1;
  const std::size_t size = std::min(tokens, all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].phrase < 0) continue;
    std::size_t start = i >= size / 2 ? i - size / 2 : 0;
    start = std::min(start, all.size() - size);
    std::unordered_set<int> distinct;
    long hits = 0;
    for (std::size_t k = start; k < start + size; ++k) {
      if (all[k].phrase < 0) continue;
      distinct.insert(all[k].phrase);
      ++hits;
    }
    const long score = static_cast<long>(distinct.size()) * 1000 + hits;
    if (score > best_score) {
      best_score = score;
      best_start = start;
    }
  }
  const std::size_t end = best_start + size;
  std::string out;
  if (best_start > 0) out += "…";
  std::size_t cursor = all[best_start].original.begin;
  for (std::size_t k = best_start; k < end; ++k) {
    const Span s = all[k].original;
    if (s.end <= cursor) continue;  // inside the previous token (a word giving two terms)
    if (s.begin > cursor) out.append(text.substr(cursor, s.begin - cursor));
    if (all[k].phrase >= 0) out += '\x02';
    out.append(text.substr(s.begin, s.end - s.begin));
    if (all[k].phrase >= 0) out += '\x03';
    cursor = s.end;
  }
  if (end < all.size()) out += "…";
  return out;
}

}  // namespace isnad::corpus
