#include "isnad/resolve.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "isnad/chars.h"
#include "isnad/normalize.h"
#include "isnad/utf8.h"

namespace isnad {

namespace {

std::u32string letters(std::string_view word) {
  std::u32string out;
  for (std::size_t i = 0; i < word.size();) {
    const DecodedChar d = decode_utf8(word, i);
    out.push_back(d.cp);
    i += d.length;
  }
  return out;
}

// Hamza seats are spelled inconsistently in names (فؤاد/فواد, لؤي/لوي, بئر/بير, الرؤوف/الرءوف):
// the seat letter stands for the hamza, a bare hamza is dropped.
std::u32string without_hamza(const std::u32string& w) {
  std::u32string out;
  for (const char32_t c : w) {
    if (c == U'ء') continue;
    out.push_back(c == U'ؤ' ? U'و' : c == U'ئ' ? U'ي' : c);
  }
  return out;
}

std::u32string skeleton(const std::u32string& w) {
  std::u32string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    char32_t c = w[i];
    if (i > 0 && (c == U'ا' || c == U'و' || c == U'ي')) continue;
    // Western G is written ج by some outlets and غ by others (غريغوري/جريجوري).
    if (c == U'ج') c = U'غ';
    out.push_back(c);
  }
  return out;
}

// The article is dropped or kept on family names and institutions at will (الحداد/حداد,
// الهيئه/هيئه); three letters must remain so ال itself never matches.
std::u32string without_article(const std::u32string& w) {
  return w.size() >= 5 && w[0] == U'ا' && w[1] == U'ل' ? w.substr(2) : w;
}

bool one_edit_apart(const std::u32string& a, const std::u32string& b) {
  if (a.size() > b.size()) return one_edit_apart(b, a);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);  // substitution
  return a.substr(i) == b.substr(i + 1);                                // insertion
}

// Function words that carry no identity inside a name (و is handled as a clitic below).
bool is_function_word(std::string_view w) {
  return w == "في" || w == "من" || w == "علي" || w == "عن" || w == "و" || w == "ال";
}

std::vector<std::string> name_words(std::string_view text) {
  const std::string norm = normalize_string(text);
  std::vector<std::string> words;
  WordScanner scanner(norm);
  for (Span s; scanner.next(s);) words.emplace_back(s.of(norm));
  return words;
}

// Content word without the article or a conjunction: "والشام" → "شام", "الدوله" → "دوله".
std::string_view bare(std::string_view w) {
  if (w.size() > 8 && w.starts_with("وال")) return w.substr(6);
  if (w.size() > 4 && w.starts_with("ال")) return w.substr(4);
  if (w.size() > 8 && w.starts_with("لل")) return w.substr(4);  // للارصاد → ارصاد
  return w;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += w;
  return out;
}

bool all_alike(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  // Compound names are written in one word or two (عبد الله/عبدالله, نور الهدى/نورالهدى).
  if (a.size() != b.size()) return a.size() + 1 == b.size() || b.size() + 1 == a.size() ? words_alike(joined(a), joined(b)) : false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!words_alike(a[i], b[i])) return false;
  }
  return true;
}

// Is `shorter` a subsequence (word by word, alike) of `longer`, keeping ≥ 2 content words?
bool contained(const std::vector<std::string>& shorter, const std::vector<std::string>& longer) {
  std::size_t content = 0;
  std::size_t j = 0;
  for (const std::string& w : shorter) {
    while (j < longer.size() && !words_alike(bare(w), bare(longer[j]))) ++j;
    if (j == longer.size()) return false;
    ++j;
    content += is_function_word(w) ? 0 : 1;
  }
  return content >= 2;
}

bool is_acronym_of(const std::vector<std::string>& acronym, const std::vector<std::string>& full) {
  if (acronym.size() != 1 || full.size() < 3) return false;
  const std::u32string a = letters(acronym[0]);
  std::u32string initials;
  for (const std::string& w : full) {
    if (is_function_word(w)) continue;
    const std::u32string l = letters(bare(w));
    if (!l.empty()) initials.push_back(l[0]);
  }
  return a.size() >= 3 && a == initials;
}

char type_prefix(EntityType t) {
  switch (t) {
    case EntityType::kPer: return 'p';
    case EntityType::kOrg: return 'o';
    case EntityType::kGpe: return 'g';
    case EntityType::kLoc: return 'l';
    case EntityType::kFac: return 'f';
    case EntityType::kMisc: return 'm';
  }
  return 'm';
}

// "بن عماره", "ابو ريشه", "آل سعود": a family name of two words, used alone like a surname.
bool is_family_name(const std::vector<std::string>& words) {
  if (words.size() != 2) return false;
  const std::string& w = words[0];
  return w == "بن" || w == "ابن" || w == "ابو" || w == "ال" || w == "ولد" || w == "ابا";
}

struct Group {
  EntityType type;
  std::vector<std::string> words;  // of the longest variant so far
  std::vector<std::size_t> mentions;
};

}  // namespace

namespace {

// The spellings words_alike compares, computed once per word: resolving an event compares every
// name with every group, and the same few hundred words come back thousands of times.
struct WordForms {
  std::u32string letters;     // hamza seats folded
  std::u32string no_article;
  std::u32string skeleton;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using FormsCache = std::unordered_map<std::string, WordForms, StringHash, std::equal_to<>>;

const WordForms& forms_of(FormsCache& cache, std::string_view word) {
  if (const auto it = cache.find(word); it != cache.end()) return it->second;
  WordForms f;
  f.letters = without_hamza(letters(word));
  f.no_article = without_article(f.letters);
  f.skeleton = skeleton(f.letters);
  return cache.emplace(std::string(word), std::move(f)).first->second;
}

}  // namespace

bool words_alike(std::string_view a, std::string_view b) {
  if (a == b) return true;
  thread_local FormsCache cache;
  if (cache.size() > 100000) cache.clear();  // before taking references into it
  const WordForms& fa = forms_of(cache, a);
  const WordForms& fb = forms_of(cache, b);  // node-based map: `fa` stays valid
  if (fa.letters == fb.letters) return true;
  // Only an exact match without the article: the looser rules below would make a nisba of the
  // bare name (المنصوري ~ منصور) or eat the ال of a name that merely starts so (الينا).
  if (fa.no_article == fb.no_article) return true;
  const std::size_t longer = std::max(fa.letters.size(), fb.letters.size());
  const std::size_t shorter = std::min(fa.letters.size(), fb.letters.size());
  if (longer >= 5 && fa.skeleton == fb.skeleton) return true;
  return shorter >= 5 && one_edit_apart(fa.letters, fb.letters);
}

std::vector<ResolvedEntity> resolve_entities(const std::vector<NameMention>& mentions) {
  // Mentions with the same type and text always land in the same group (groups are tried in a
  // fixed order and never change their words), so only the first of each is compared; an event of
  // a hundred articles names the same place hundreds of times.
  std::vector<std::size_t> first_of(mentions.size());
  {
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < mentions.size(); ++i) {
      first_of[i] = seen.emplace(std::string(1, type_prefix(mentions[i].type)) + mentions[i].text, i).first->second;
    }
  }
  std::vector<Group> groups;
  std::vector<std::vector<std::string>> words(mentions.size());
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    if (first_of[i] == i) words[i] = name_words(mentions[i].text);
  }

  // Pass 1: multi-word names and non-person single words, longest first so that short forms
  // meet the full name they abbreviate.
  std::vector<std::size_t> order(mentions.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return words[a].size() > words[b].size(); });
  std::vector<std::size_t> surnames;
  for (std::size_t i : order) {
    if (words[i].empty()) continue;
    const EntityType type = mentions[i].type;
    if (type == EntityType::kPer && (words[i].size() == 1 || is_family_name(words[i]))) {
      surnames.push_back(i);
      continue;
    }
    Group* home = nullptr;
    for (Group& g : groups) {
      if (g.type != type) continue;
      const bool same = all_alike(words[i], g.words) ||
                        (type != EntityType::kPer && (contained(words[i], g.words) || is_acronym_of(words[i], g.words)));
      if (same) {
        home = &g;
        break;
      }
    }
    if (!home) home = &groups.emplace_back(Group{type, words[i], {}});
    home->mentions.push_back(i);
  }
  // Pass 2: a lone surname joins the single person it can name; if there are several, it is
  // kept apart rather than guessed; if none, it is a person of its own.
  for (std::size_t i : surnames) {
    const std::vector<std::string>& surname = words[i];
    std::vector<Group*> candidates;
    for (Group& g : groups) {
      if (g.type == EntityType::kPer && g.words.size() > surname.size() &&
          all_alike(surname, std::vector<std::string>(g.words.end() - static_cast<std::ptrdiff_t>(surname.size()), g.words.end())))
        candidates.push_back(&g);
    }
    Group* home = nullptr;
    if (candidates.size() == 1) {
      home = candidates[0];
    } else {
      for (Group& g : groups) {
        if (g.type == EntityType::kPer && g.words.size() == surname.size() && all_alike(surname, g.words)) home = &g;
      }
      if (!home) home = &groups.emplace_back(Group{EntityType::kPer, surname, {}});
    }
    home->mentions.push_back(i);
  }

  // Every mention joins the group of the first mention with its text; order entities by first
  // mention; name them.
  std::vector<std::vector<std::size_t>> repeats(mentions.size());
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    if (first_of[i] != i) repeats[first_of[i]].push_back(i);
  }
  for (Group& g : groups) {
    const std::size_t firsts = g.mentions.size();
    for (std::size_t k = 0; k < firsts; ++k) {
      const std::vector<std::size_t>& more = repeats[g.mentions[k]];
      g.mentions.insert(g.mentions.end(), more.begin(), more.end());
    }
    std::sort(g.mentions.begin(), g.mentions.end());
  }
  std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.mentions[0] < b.mentions[0]; });
  std::map<char, int> counters;
  std::vector<ResolvedEntity> out;
  for (const Group& g : groups) {
    ResolvedEntity e;
    e.type = g.type;
    e.id = std::string(1, type_prefix(g.type)) + std::to_string(++counters[type_prefix(g.type)]);
    e.mentions = g.mentions;
    std::unordered_map<std::string, int> frequency;
    for (std::size_t m : g.mentions) {
      const std::string& text = mentions[m].text;
      if (++frequency[text] == 1) e.variants.push_back(text);
      if (std::find(e.documents.begin(), e.documents.end(), mentions[m].document) == e.documents.end()) {
        e.documents.push_back(mentions[m].document);
      }
    }
    auto rank = [&](const std::string& v) { return std::make_pair(name_words(v).size(), frequency[v]); };
    e.name = *std::max_element(e.variants.begin(), e.variants.end(),
                               [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    std::stable_partition(e.variants.begin(), e.variants.end(), [&](const std::string& v) { return v == e.name; });
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace isnad
