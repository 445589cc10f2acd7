#include "isnad/resolve.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

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

// Letters of a Western name that outlets render differently, folded to one: "ch" as تش or ش
// (تشارلز/شارلز), "th" as ث or ت (ماثيو/ماتيو), G as ج or غ (غاريث/جاريث).
std::u32string transliteration_folded(const std::u32string& w) {
  std::u32string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == U'ت' && i + 1 < w.size() && w[i + 1] == U'ش') continue;
    out.push_back(w[i] == U'ث' ? U'ت' : w[i] == U'ج' ? U'غ' : w[i]);
  }
  return out;
}

// Is `shorter` the word `longer` with at most two long vowels left out? Greedy matching is exact
// here: when both spellings have the same letter, matching it never costs a later skip.
bool vowels_left_out(std::u32string_view shorter, std::u32string_view longer) {
  if (shorter.size() > longer.size() || longer.size() - shorter.size() > 2) return false;
  std::size_t i = 0;
  for (const char32_t c : longer) {
    if (i < shorter.size() && shorter[i] == c) {
      ++i;
    } else if (c != U'ا' && c != U'و' && c != U'ي') {
      return false;
    }
  }
  return i == shorter.size();
}

// The article is dropped or kept on family names and institutions at will (الحداد/حداد,
// الهيئه/هيئه); three letters must remain so ال itself never matches.
std::u32string without_article(const std::u32string& w) {
  return w.size() >= 5 && w[0] == U'ا' && w[1] == U'ل' ? w.substr(2) : w;
}

bool one_edit_apart(std::u32string_view a, std::u32string_view b) {
  if (a.size() > b.size()) return one_edit_apart(b, a);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // b is a with one more letter at the end (or equal)
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

}  // namespace

namespace {

// The spellings words_alike compares, computed once per word.
struct WordForms {
  std::u32string letters;     // hamza seats folded
  std::u32string no_article;
  std::u32string skeleton;
  std::u32string folded;             // transliteration_folded
  std::u32string folded_skeleton;    // its skeleton
};

WordForms forms_of(std::string_view word) {
  WordForms f;
  f.letters = without_hamza(letters(word));
  f.no_article = without_article(f.letters);
  f.skeleton = skeleton(f.letters);
  f.folded = transliteration_folded(f.letters);
  f.folded_skeleton = skeleton(f.folded);
  return f;
}

// One transliterated name spelled by two outlets: equal once the alternations are folded, but
// for up to two long vowels one outlet writes and the other leaves out (بريتشرد ~ بريشارد). Only
// left out, never changed: names sharing their consonants but not their vowels are different
// names (كاثلين/كيتلين is Kathleen and Caitlin, ستيوارت/ساثيراتاي Stewart and Sathirathai), and
// below five letters folded too many names meet (ميتشل → ميشل ~ ميشال, Mitchell and Michel).
bool transliterations_alike(const WordForms& fa, const WordForms& fb) {
  if (std::min(fa.folded.size(), fb.folded.size()) < 5 || fa.folded_skeleton != fb.folded_skeleton) return false;
  return fa.folded.size() <= fb.folded.size() ? vowels_left_out(fa.folded, fb.folded)
                                              : vowels_left_out(fb.folded, fa.folded);
}

bool forms_alike(const WordForms& fa, const WordForms& fb) {
  if (fa.letters == fb.letters) return true;
  // Only an exact match without the article: the looser rules below would make a nisba of the
  // bare name (المنصوري ~ منصور) or eat the ال of a name that merely starts so (الينا).
  if (fa.no_article == fb.no_article) return true;
  const std::size_t longer = std::max(fa.letters.size(), fb.letters.size());
  const std::size_t shorter = std::min(fa.letters.size(), fb.letters.size());
  if (longer >= 5 && fa.skeleton == fb.skeleton) return true;
  if (shorter >= 5 && one_edit_apart(fa.letters, fb.letters)) return true;
  return transliterations_alike(fa, fb);
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The words of one resolve_entities call, each spelled once with its forms: resolving an event
// compares every name with every group of its type, and the same few thousand words come back
// millions of times, so a comparison is by id (equal words) or on forms computed once.
class Words {
 public:
  std::uint32_t id(std::string_view word) {
    if (const auto it = ids_.find(word); it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(forms_.size());
    forms_.push_back(forms_of(word));
    const WordForms& f = forms_.back();
    keys_.push_back(
        Keys{hash(f.letters), hash(f.no_article), hash(f.skeleton), hash(f.folded_skeleton), f.letters.size()});
    ids_.emplace(std::string(word), id);
    return id;
  }
  // forms_alike, with the forms' hashes compared before the forms themselves.
  bool alike(std::uint32_t a, std::uint32_t b) const {
    if (a == b) return true;
    const Keys& ka = keys_[a];
    const Keys& kb = keys_[b];
    const WordForms& fa = forms_[a];
    const WordForms& fb = forms_[b];
    if (ka.letters == kb.letters && fa.letters == fb.letters) return true;
    if (ka.no_article == kb.no_article && fa.no_article == fb.no_article) return true;
    const std::size_t longer = std::max(ka.length, kb.length);
    const std::size_t shorter = std::min(ka.length, kb.length);
    if (longer >= 5 && ka.skeleton == kb.skeleton && fa.skeleton == fb.skeleton) return true;
    if (shorter >= 5 && longer - shorter <= 1 && one_edit_apart(fa.letters, fb.letters)) return true;
    return ka.folded_skeleton == kb.folded_skeleton && transliterations_alike(fa, fb);
  }

  // Blocking keys: two words alike share at least one (the converse need not hold). Equal
  // letters imply equal letters without the article; one edit apart (both ≥ 5 letters) share a
  // deletion variant, or the shorter is the longer with one letter deleted; transliterations
  // alike share their folded skeleton.
  const std::vector<std::size_t>& keys(std::uint32_t id) {
    if (blocking_.size() <= id) blocking_.resize(forms_.size());
    std::vector<std::size_t>& k = blocking_[id];
    if (!k.empty()) return k;
    const WordForms& f = forms_[id];
    k.push_back(tagged(hash(f.no_article), 1));
    k.push_back(tagged(hash(f.skeleton), 2));
    if (f.folded.size() >= 5) k.push_back(tagged(hash(f.folded_skeleton), 4));
    if (f.letters.size() >= 5) {
      k.push_back(tagged(hash(f.letters), 3));
      for (std::size_t i = 0; i < f.letters.size(); ++i) {
        k.push_back(tagged(hash(f.letters.substr(0, i) + f.letters.substr(i + 1)), 3));
      }
    }
    return k;
  }

 private:
  struct Keys {
    std::size_t letters, no_article, skeleton, folded_skeleton;
    std::size_t length;  // of `letters`
  };
  static std::size_t hash(const std::u32string& s) { return std::hash<std::u32string>{}(s); }
  static std::size_t tagged(std::size_t h, std::size_t tag) { return h * 31 + tag; }

  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids_;
  std::vector<WordForms> forms_;
  std::vector<Keys> keys_;  // apart from the forms: the loop over groups reads only these, mostly
  std::vector<std::vector<std::size_t>> blocking_;  // per word, computed when first asked
};


// One distinct name as the rules compare it.
struct Name {
  std::vector<std::uint32_t> words;  // normalized words
  std::vector<std::uint32_t> bare;   // the same without article or conjunction (bare())
  std::vector<bool> function;        // is_function_word, per word
  std::uint32_t joined = 0;          // the words written together
  std::u32string letters;            // of a one-word name, as an acronym
  std::u32string initials;           // first letters of the content words, for acronyms
};

Name name_of(Words& dictionary, const std::vector<std::string>& words) {
  Name n;
  std::string joined;
  for (const std::string& w : words) {
    n.words.push_back(dictionary.id(w));
    n.bare.push_back(dictionary.id(bare(w)));
    n.function.push_back(is_function_word(w));
    joined += w;
    if (is_function_word(w)) continue;
    const std::u32string l = letters(bare(w));
    if (!l.empty()) n.initials.push_back(l[0]);
  }
  n.joined = dictionary.id(joined);
  if (words.size() == 1) n.letters = letters(words[0]);
  return n;
}

bool all_alike(const Words& d, const Name& a, const Name& b) {
  // Compound names are written in one word or two (عبد الله/عبدالله, نور الهدى/نورالهدى).
  if (a.words.size() != b.words.size()) {
    return a.words.size() + 1 == b.words.size() || b.words.size() + 1 == a.words.size() ? d.alike(a.joined, b.joined) : false;
  }
  for (std::size_t i = 0; i < a.words.size(); ++i) {
    if (!d.alike(a.words[i], b.words[i])) return false;
  }
  return true;
}

// Are the words of `surname` alike to the last words of `full`?
bool ends_with(const Words& d, const Name& full, const Name& surname) {
  const std::size_t from = full.words.size() - surname.words.size();
  for (std::size_t i = 0; i < surname.words.size(); ++i) {
    if (!d.alike(surname.words[i], full.words[from + i])) return false;
  }
  return true;
}

// Is `shorter` a subsequence (word by word, alike) of `longer`, keeping ≥ 2 content words?
bool contained(const Words& d, const Name& shorter, const Name& longer) {
  std::size_t content = 0;
  std::size_t j = 0;
  for (std::size_t k = 0; k < shorter.words.size(); ++k) {
    while (j < longer.words.size() && !d.alike(shorter.bare[k], longer.bare[j])) ++j;
    if (j == longer.words.size()) return false;
    ++j;
    content += shorter.function[k] ? 0 : 1;
  }
  return content >= 2;
}

bool is_acronym_of(const Name& acronym, const Name& full) {
  if (acronym.words.size() != 1 || full.words.size() < 3) return false;
  return acronym.letters.size() >= 3 && acronym.letters == full.initials;
}

struct Group {
  EntityType type;
  std::size_t name;  // the mention whose words the group is compared by (its first, longest)
  std::vector<std::size_t> mentions;
};

// Person groups by blocking key (of their first word, their words written together, their last
// word), so that a person's name is compared only with the groups that could be alike: an event
// has thousands of people and most pairs share nothing. Lists are in group order.
class PersonIndex {
 public:
  enum Part : std::size_t { kFirst = 0, kJoined = 1, kLast = 2 };

  void add(Words& words, const Name& name, std::size_t group) {
    const std::size_t n = name.words.size();
    for (const std::size_t k : words.keys(name.words.front())) lists_[key(k, kFirst, n)].push_back(group);
    for (const std::size_t k : words.keys(name.joined)) lists_[key(k, kJoined, n)].push_back(group);
    for (const std::size_t k : words.keys(name.words.back())) lists_[key(k, kLast, 0)].push_back(group);
  }
  // Groups holding any key of `word` in `part` (with `size` words; 0 for kLast), appended to `out`.
  void collect(Words& words, std::uint32_t word, Part part, std::size_t size, std::vector<std::size_t>& out) const {
    for (const std::size_t k : words.keys(word)) {
      if (const auto it = lists_.find(key(k, part, size)); it != lists_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
  }

 private:
  static std::size_t key(std::size_t k, Part part, std::size_t size) { return (k * 4 + part) * 64 + size % 64; }
  std::unordered_map<std::size_t, std::vector<std::size_t>> lists_;
};

void sort_unique(std::vector<std::size_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

bool words_alike(std::string_view a, std::string_view b) {
  if (a == b) return true;
  return forms_alike(forms_of(a), forms_of(b));
}

// skeleton(transliteration_folded(without_hamza(letters(word)))) for each word, in one pass
// without the intermediate strings: every ingested document keys its names.
std::string name_key(std::string_view normalized) {
  std::string key;
  WordScanner scanner(normalized);
  for (Span s; scanner.next(s);) {
    if (!key.empty()) key += ' ';
    const std::string_view word = s.of(normalized);
    bool first = true;
    for (std::size_t i = 0; i < word.size();) {
      const DecodedChar d = decode_utf8(word, i);
      i += d.length;
      char32_t c = d.cp == U'ؤ' ? U'و' : d.cp == U'ئ' ? U'ي' : d.cp;
      if (c == U'ء') continue;
      if (c == U'ت' && i < word.size() && decode_utf8(word, i).cp == U'ش') continue;
      if (c == U'ث') c = U'ت';
      if (c == U'ج') c = U'غ';
      if (!first && (c == U'ا' || c == U'و' || c == U'ي')) continue;
      first = false;
      append_utf8(key, c);
    }
  }
  return key;
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
  Words dictionary;
  std::vector<std::size_t> sizes(mentions.size(), 0);  // words per name; 0 for a repeat
  std::vector<bool> family(mentions.size(), false);
  std::vector<Name> names(mentions.size());
  for (std::size_t i = 0; i < mentions.size(); ++i) {
    if (first_of[i] != i) continue;
    const std::vector<std::string> words = name_words(mentions[i].text);
    sizes[i] = words.size();
    family[i] = is_family_name(words);
    names[i] = name_of(dictionary, words);
  }

  // Groups of each type in order of creation: a name is compared with its own type only.
  std::vector<Group> groups;
  std::map<EntityType, std::vector<std::size_t>> of_type;  // other types: few groups, all compared
  PersonIndex people;
  auto add_group = [&](EntityType type, std::size_t name) -> Group& {
    if (type == EntityType::kPer) {
      people.add(dictionary, names[name], groups.size());
    } else {
      of_type[type].push_back(groups.size());
    }
    return groups.emplace_back(Group{type, name, {}});
  };
  std::vector<std::size_t> candidates;

  // Pass 1: multi-word names and non-person single words, longest first so that short forms
  // meet the full name they abbreviate.
  std::vector<std::size_t> order(mentions.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  std::vector<std::size_t> surnames;
  for (std::size_t i : order) {
    if (sizes[i] == 0) continue;
    const EntityType type = mentions[i].type;
    const Name& name = names[i];
    if (type == EntityType::kPer && (sizes[i] == 1 || family[i])) {
      surnames.push_back(i);
      continue;
    }
    // A person's name is all_alike a group's: the same number of words with the first ones
    // alike, or one word more or less and alike written together.
    if (type == EntityType::kPer) {
      const std::size_t n = name.words.size();
      candidates.clear();
      people.collect(dictionary, name.words.front(), PersonIndex::kFirst, n, candidates);
      people.collect(dictionary, name.joined, PersonIndex::kJoined, n + 1, candidates);
      if (n > 1) people.collect(dictionary, name.joined, PersonIndex::kJoined, n - 1, candidates);
      sort_unique(candidates);
    }
    std::optional<std::size_t> home;
    for (const std::size_t g : type == EntityType::kPer ? candidates : of_type[type]) {
      const Name& other = names[groups[g].name];
      const bool same = all_alike(dictionary, name, other) ||
                        (type != EntityType::kPer && (contained(dictionary, name, other) || is_acronym_of(name, other)));
      if (same) {
        home = g;
        break;
      }
    }
    (home ? groups[*home] : add_group(type, i)).mentions.push_back(i);
  }
  // Pass 2: a lone surname joins the single person it can name; if there are several, it is
  // kept apart rather than guessed; if none, it is a person of its own.
  // Both rules need the last words alike.
  for (std::size_t i : surnames) {
    const Name& surname = names[i];
    candidates.clear();
    people.collect(dictionary, surname.words.back(), PersonIndex::kLast, 0, candidates);
    sort_unique(candidates);
    std::size_t full_names = 0;
    std::optional<std::size_t> home;
    for (const std::size_t g : candidates) {
      const Name& full = names[groups[g].name];
      if (full.words.size() > surname.words.size() && ends_with(dictionary, full, surname)) {
        ++full_names;
        home = g;
      }
    }
    if (full_names != 1) {
      home.reset();
      for (const std::size_t g : candidates) {
        const Name& other = names[groups[g].name];
        if (other.words.size() == surname.words.size() && all_alike(dictionary, surname, other)) home = g;
      }
    }
    (home ? groups[*home] : add_group(EntityType::kPer, i)).mentions.push_back(i);
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
    // Per variant: (words, mentions), the canonical name's rank. The first mention of a text in
    // a group is the first of its (type, text), whose words were counted.
    std::unordered_map<std::string_view, std::pair<std::size_t, int>> rank;
    std::unordered_set<std::string_view> documents;
    for (std::size_t m : g.mentions) {
      const std::string& text = mentions[m].text;
      auto [it, added] = rank.try_emplace(text, sizes[m], 0);
      ++it->second.second;
      if (added) e.variants.push_back(text);
      if (documents.insert(mentions[m].document).second) e.documents.push_back(mentions[m].document);
    }
    e.name = *std::max_element(e.variants.begin(), e.variants.end(),
                               [&](const std::string& a, const std::string& b) { return rank[a] < rank[b]; });
    std::stable_partition(e.variants.begin(), e.variants.end(), [&](const std::string& v) { return v == e.name; });
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace isnad
