#include "isnad/entities.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "isnad/chars.h"

namespace isnad {

std::string_view to_string(EntityType t) {
  switch (t) {
    case EntityType::kPer: return "PER";
    case EntityType::kOrg: return "ORG";
    case EntityType::kLoc: return "LOC";
    case EntityType::kGpe: return "GPE";
    case EntityType::kFac: return "FAC";
    case EntityType::kMisc: return "MISC";
  }
  return "MISC";
}

namespace {

// Arabic letters are two bytes in UTF-8: prefixes are cut and compared letter by letter.
constexpr std::size_t kLetter = 2;

bool is_clitic_letter(std::string_view letter) {
  return letter == "ب" || letter == "ل" || letter == "ك" || letter == "ف" || letter == "و";
}

// The letters given back to a name. Not و: between two names it is "and" (وليد باخشوين ومعتز
// هوساوي, with ومعتز again elsewhere in the list), and a document's evidence cannot tell that
// from a name beginning with و; every و the rule took on 3,000 news articles was "and".
bool is_name_initial_letter(std::string_view letter) { return letter != "و" && is_clitic_letter(letter); }

// A clitic chain as the tokenizer strips it (وب, فل, ك): up to three proclitic letters.
bool is_clitic_chain(std::string_view prefix) {
  if (prefix.size() % kLetter != 0 || prefix.size() > 3 * kLetter) return false;
  for (std::size_t i = 0; i < prefix.size(); i += kLetter) {
    if (!is_clitic_letter(prefix.substr(i, kLetter))) return false;
  }
  return true;
}

// How the document writes one name the tagger took without its first letter.
struct Evidence {
  std::string_view letter;  // the letter taken off (ب of بريتشارد)
  int without = 0;          // the name bare, or behind another clitic: the letter is a clitic
  int after_name = 0;       // letter + name right after a PER mention (given name + surname)
  int alone = 0;            // letter + name anywhere else (the surname used on its own)
};

}  // namespace

void keep_name_initial_letters(std::string_view text, std::vector<EntityMention>& mentions) {
  // Most documents have no person tagged right behind such a letter: they skip the word scan.
  const bool any = std::any_of(mentions.begin(), mentions.end(), [&](const EntityMention& m) {
    return m.type == EntityType::kPer && m.span.begin >= kLetter &&
           is_name_initial_letter(text.substr(m.span.begin - kLetter, kLetter));
  });
  if (!any) return;
  std::vector<Span> words;
  WordScanner scanner(text);
  for (Span w; scanner.next(w);) words.push_back(w);
  auto word_at = [&](std::uint32_t pos) -> const Span* {
    auto it = std::upper_bound(words.begin(), words.end(), pos,
                               [](std::uint32_t p, const Span& w) { return p < w.begin; });
    if (it == words.begin()) return nullptr;
    --it;
    return pos < it->end ? &*it : nullptr;
  };
  // The word of a one-word PER mention that the tagger took without its first letter(s): only a
  // surname is read this way (a mention of several words after a clitic is a full name, and the
  // clitic a preposition or "and").
  auto surname_word = [&](const EntityMention& m) -> const Span* {
    const Span* w = m.type == EntityType::kPer ? word_at(m.span.begin) : nullptr;
    return w != nullptr && w->end == m.span.end && m.span.begin >= w->begin + kLetter ? w : nullptr;
  };
  std::unordered_set<std::uint32_t> person_ends;
  for (const EntityMention& m : mentions) {
    if (m.type == EntityType::kPer) person_ends.insert(m.span.end);
  }
  // Where a name ending before `begin` with only spaces between would end (a line break ends a
  // name, as in the tagger); `begin` itself when there are no spaces.
  auto before_spaces = [&](std::uint32_t begin) {
    std::uint32_t from = begin;
    while (from > 0 && text[from - 1] == ' ') --from;
    return from;
  };
  auto follows_person = [&](std::uint32_t begin) {
    const std::uint32_t end = before_spaces(begin);
    return end < begin && person_ends.contains(end);
  };

  // The names (from the taken-off letter to the end of the word) to look for, and their evidence.
  std::unordered_map<std::string_view, std::vector<Evidence>> names;
  for (const EntityMention& m : mentions) {
    const Span* w = surname_word(m);
    if (w == nullptr) continue;
    const std::string_view letter = text.substr(m.span.begin - kLetter, kLetter);
    const std::string_view name = m.span.of(text);
    if (!is_name_initial_letter(letter) || name.size() < 3 * kLetter) continue;
    // ل before ل is "to the" (للعبادي = ل + العبادي), and a name with the article is no
    // transliteration: the letter is a preposition.
    if ((letter == "ل" && name.starts_with("ل")) || name.starts_with("ال")) continue;
    std::vector<Evidence>& e = names[name];
    if (std::none_of(e.begin(), e.end(), [&](const Evidence& x) { return x.letter == letter; })) {
      e.push_back({letter, 0, 0, 0});
    }
  }
  if (names.empty()) return;
  for (const Span& w : words) {
    const std::string_view word = w.of(text);
    for (std::size_t cut = 0; cut <= 3 * kLetter && cut + 3 * kLetter <= word.size(); cut += kLetter) {
      const std::string_view prefix = word.substr(0, cut);
      if (!is_clitic_chain(prefix)) break;
      const auto it = names.find(word.substr(cut));
      if (it == names.end()) continue;
      for (Evidence& e : it->second) {
        if (prefix.empty() || !prefix.ends_with(e.letter)) {
          ++e.without;
        } else if (prefix == e.letter && follows_person(w.begin)) {
          ++e.after_name;
        } else {
          ++e.alone;
        }
      }
    }
  }

  // Is `word` a name written with its letter (exactly that letter, no other clitic before it)
  // whose evidence says the letter belongs to it?
  auto written_with_letter = [&](std::string_view word, std::string_view letter) {
    const auto it = names.find(word.substr(std::min(word.size(), kLetter)));
    if (it == names.end() || !word.starts_with(letter)) return false;
    return std::any_of(it->second.begin(), it->second.end(), [&](const Evidence& e) {
      return e.letter == letter && e.without == 0 && e.after_name > 0 && e.alone > 0;
    });
  };

  std::vector<EntityMention> out;
  out.reserve(mentions.size());
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    EntityMention m = mentions[i];
    if (const Span* w = surname_word(m); w != nullptr) {
      const std::uint32_t with_letter = m.span.begin - kLetter;
      if (written_with_letter(Span{with_letter, w->end}.of(text), text.substr(with_letter, kLetter))) {
        m.span.begin = with_letter;
        EntityMention* given = out.empty() ? nullptr : &out.back();
        if (with_letter == w->begin && given != nullptr && given->type == EntityType::kPer &&
            given->span.end == before_spaces(w->begin) && given->span.end < w->begin) {
          given->span.end = m.span.end;
          continue;
        }
      }
    }
    out.push_back(m);
    // The surname right after a given name may also be left untagged (مدير التحرير مارتن بارون):
    // the same evidence joins it.
    if (m.type != EntityType::kPer) continue;
    Span next{};
    WordScanner after(text, m.span.end);
    if (!after.next(next) || before_spaces(next.begin) != m.span.end || next.begin == m.span.end) continue;
    if (i + 1 < mentions.size() && mentions[i + 1].span.begin < next.end) continue;
    if (written_with_letter(next.of(text), next.of(text).substr(0, kLetter))) out.back().span.end = next.end;
  }
  mentions = std::move(out);
}

namespace {

bool is_place(EntityType t) { return t == EntityType::kLoc || t == EntityType::kGpe || t == EntityType::kFac; }

// "بن زيدون", "ابو مازن": son/father/mother/daughter of — a person however often the tagger
// reads the words as a place.
bool names_a_lineage(std::string_view name) {
  for (std::string_view w : {"بن ", "ابن ", "ابو ", "ام ", "بنت "})
    if (name.starts_with(w)) return true;
  return false;
}

}  // namespace

void complete_place_names(std::string_view text, std::vector<EntityMention>& mentions) {
  std::vector<std::size_t> places;
  for (std::size_t i = 0; i < mentions.size(); ++i)
    if (is_place(mentions[i].type)) places.push_back(i);
  if (places.empty()) return;
  auto person_count = [&](std::string_view name) {
    return std::count_if(mentions.begin(), mentions.end(),
                         [&](const EntityMention& m) { return m.type == EntityType::kPer && m.span.of(text) == name; });
  };
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    EntityMention& m = mentions[i];
    if (m.type != EntityType::kPer || !m.role.empty()) continue;
    const std::string_view name = m.span.of(text);
    std::optional<EntityMention> longer;
    std::optional<EntityType> same_words;
    long as_place = 0;
    for (std::size_t p : places) {
      const std::string_view known = mentions[p].span.of(text);
      if (known == name) {
        ++as_place;
        same_words = mentions[p].type;
        continue;
      }
      if (known.size() <= name.size() + 1 || !known.ends_with(name) || known[known.size() - name.size() - 1] != ' ')
        continue;
      const std::size_t head = known.size() - name.size();
      if (m.span.begin < head || text.substr(m.span.begin - head, head) != known.substr(0, head)) continue;
      const auto begin = static_cast<std::uint32_t>(m.span.begin - head);
      const bool inside_word = begin > 0 && static_cast<unsigned char>(text[begin - 1]) >= 0x80;
      const bool taken = i > 0 && mentions[i - 1].span.end > begin;
      if (!inside_word && !taken) longer = EntityMention{Span{begin, m.span.end}, mentions[p].type, {}};
    }
    if (longer) {
      m = *longer;
    } else if (same_words && as_place > person_count(name) && !names_a_lineage(name)) {
      m.type = *same_words;
    }
  }
}

void separate_dates_from_names(std::string_view text, std::vector<DateMention>& dates,
                                std::vector<EntityMention>& mentions) {
  if (dates.empty() || mentions.empty()) return;
  std::erase_if(mentions, [&](const EntityMention& m) {
    return std::any_of(dates.begin(), dates.end(), [&](const DateMention& d) { return d.span.contains(m.span); });
  });
  std::erase_if(dates, [&](const DateMention& d) {
    return std::any_of(mentions.begin(), mentions.end(), [&](const EntityMention& m) { return m.span.contains(d.span); });
  });
  for (EntityMention& m : mentions) {
    for (const DateMention& d : dates) {
      if (!m.span.overlaps(d.span)) continue;
      if (d.span.begin > m.span.begin) {
        m.span.end = d.span.begin;
        while (m.span.end > m.span.begin && is_space(static_cast<unsigned char>(text[m.span.end - 1]))) --m.span.end;
      } else {
        m.span.begin = d.span.end;
        while (m.span.begin < m.span.end && is_space(static_cast<unsigned char>(text[m.span.begin]))) ++m.span.begin;
      }
    }
  }
  std::erase_if(mentions, [](const EntityMention& m) { return m.span.empty(); });
}

}  // namespace isnad
