// NerModel: loading, tagging, and turning BIO labels into mentions with roles.
#include "isnad/ner.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "extract/ner_internal.h"

#ifndef ISNAD_DATA_DIR
#define ISNAD_DATA_DIR "data"
#endif

namespace isnad {

namespace ner {

void prepare_tokens(const ModelData& m, std::string_view text, Scratch& s) {
  s.tokens.clear();
  scan_tokens(text, s.tokens);
  analyze_tokens(text, m.lex, s.tokens);
  mark_gazetteer(m.gaz, s.tokens);
  if (m.stats.codes.size() == 0) return;
  const bool clusters = m.stats.clusters.size() != 0;
  // Both tables are read at random; a token's slots are requested a few tokens ahead so that
  // the cache misses overlap.
  constexpr std::size_t kAhead = 8;
  const std::size_t n = s.tokens.size();
  auto prefetch = [&](const Token& t) {
    m.stats.codes.prefetch(t.h_bare);
    if (clusters) m.stats.clusters.prefetch(t.h_bare);
  };
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) prefetch(s.tokens[i]);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) prefetch(s.tokens[i + kAhead]);
    Token& t = s.tokens[i];
    const std::uint32_t code = m.stats.codes.find(t.h_bare);
    t.stats = code == HashIndex::kMissing ? 0 : code;
    if (!clusters) continue;
    const std::uint32_t c = m.stats.clusters.find(t.h_bare);
    t.cluster = c == HashIndex::kMissing ? 0 : c;
  }
}

namespace {
constexpr std::uint16_t bit(Gaz g) { return static_cast<std::uint16_t>(1u << static_cast<int>(g)); }

bool has_gaz(const Token& t, Gaz g) { return ((t.gaz_begin | t.gaz_inside | t.gaz_end) & bit(g)) != 0; }

bool ends_with_yeh(std::string_view s) { return s.size() >= 2 && s.substr(s.size() - 2) == "\xD9\x8A"; }

// Words that may sit between a title and a name: nisba adjectives (الروسي), definite nouns
// (وزير الخارجية), names of places or organizations (رئيس وزراء اسرائيل), باسم.
bool role_modifier(std::string_view text, const Token& t, int label) {
  if (t.kind != TokKind::kArabic) return false;
  if (label != 0 && label_type(label) != EntityType::kPer) return true;
  if (has_gaz(t, Gaz::kNisba) || t.has_al) return true;
  const std::string_view s = t.stem.of(text);
  return s == "\xD8\xA8\xD8\xA7\xD8\xB3\xD9\x85" /* باسم */ || (ends_with_yeh(s) && s.size() >= 8);
}

// The role of the person whose first token is `first`: from the earliest title word within a
// few tokens back (through modifiers only) to the token before the name.
Span find_role(std::string_view text, const Scratch& s, std::size_t first) {
  constexpr std::size_t kMaxBack = 6;
  std::size_t role_begin = first;
  for (std::size_t k = first; k-- > 0 && first - k <= kMaxBack;) {
    const Token& t = s.tokens[k];
    if (s.labels[k] != 0 && label_type(s.labels[k]) == EntityType::kPer) break;
    if (has_gaz(t, Gaz::kTitle)) {
      role_begin = k;
      continue;
    }
    if (!role_modifier(text, t, s.labels[k])) break;
  }
  if (role_begin == first) return {};
  return Span{s.tokens[role_begin].stem.begin, s.tokens[first - 1].span.end};
}
}  // namespace

namespace {
bool begins_place(const Token& t) {
  return (t.gaz_begin & (bit(Gaz::kLocCue) | bit(Gaz::kGpeCue) | bit(Gaz::kGpe) | bit(Gaz::kLoc) | bit(Gaz::kFac))) != 0;
}
EntityType place_type(const Token& t) {
  if (t.gaz_begin & (bit(Gaz::kGpeCue) | bit(Gaz::kGpe))) return EntityType::kGpe;
  if (t.gaz_begin & bit(Gaz::kFac)) return EntityType::kFac;
  return EntityType::kLoc;
}
}  // namespace

void split_place_from_name(Scratch& s) {
  const std::size_t n = s.tokens.size();
  for (std::size_t i = 1; i < n; ++i) {
    if (s.labels[i] != label_b(EntityType::kPer)) continue;
    std::size_t j = i + 1;
    while (j < n && s.labels[j] == label_i(EntityType::kPer)) ++j;
    // The place starts the span (محافظ [وادي الريم ماجد العطار]) or is its head noun left
    // outside (محافظ وادي [الريم ماجد العطار]).
    std::size_t c = i;
    if (!begins_place(s.tokens[i])) {
      const Token& head = s.tokens[i - 1];
      if (s.labels[i - 1] != 0 || !(head.gaz_begin & (bit(Gaz::kLocCue) | bit(Gaz::kGpeCue)))) c = n;
      else c = i - 1;
    }
    if (c == n || c == 0 || !(s.tokens[c - 1].gaz_end & bit(Gaz::kTitle))) {
      i = j - 1;
      continue;
    }
    // The person starts at the first given name after the place's head and one more word; with
    // no known given name, the place is head + word (+ nisba adjectives) and the person keeps at
    // least two words.
    std::size_t k = c + 2;
    while (k < j && !(s.tokens[k].gaz_begin & bit(Gaz::kPerFirst))) ++k;
    if (k >= j) {
      k = c + 2;
      while (k + 2 < j && has_gaz(s.tokens[k], Gaz::kNisba)) ++k;
      if (k + 2 > j) k = j;
    }
    if (k < j) {
      const EntityType place = place_type(s.tokens[c]);
      s.labels[c] = static_cast<std::uint8_t>(label_b(place));
      for (std::size_t q = c + 1; q < k; ++q) s.labels[q] = static_cast<std::uint8_t>(label_i(place));
      s.labels[k] = static_cast<std::uint8_t>(label_b(EntityType::kPer));
    }
    i = j - 1;
  }
}

// "بلده المناره", "محافظه الشمال", "جبل الكحل": a settlement or landform noun in construct with
// a definite word names a place even when the word itself is unknown to the model (invented or
// small places are exactly the ones no gazetteer lists). Only cue nouns that are not also common
// nouns of other senses (ناحيه "aspect", قناه "TV channel", بحر "during", دوله/منطقه too
// generic) are used.
void place_after_cue(std::string_view text, Scratch& s) {
  static constexpr std::string_view kGpeCues[] = {"مدينه", "محافظه", "ولايه", "اقليم", "قريه", "بلده",
                                                  "مخيم", "مقاطعه", "بلديه"};
  static constexpr std::string_view kLocCues[] = {"نهر", "جبل", "بحيره", "وادي", "جزيره", "سهل", "هضبه", "صحراء", "واحه"};
  const std::size_t n = s.tokens.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const Token& cue = s.tokens[i];
    const Token& name = s.tokens[i + 1];
    if (s.labels[i] != 0 || s.labels[i + 1] != 0 || cue.has_al || name.kind != TokKind::kArabic || !name.has_al ||
        name.stem_letters < 4 || has_gaz(name, Gaz::kNisba))
      continue;
    const std::string_view word = cue.stem.of(text);
    EntityType type = EntityType::kMisc;
    for (std::string_view c : kGpeCues) type = word == c ? EntityType::kGpe : type;
    for (std::string_view c : kLocCues) type = word == c ? EntityType::kLoc : type;
    if (type == EntityType::kMisc) continue;
    s.labels[i + 1] = static_cast<std::uint8_t>(label_b(type));
    ++i;
  }
}

// "قال المحافظ سمير العوده للصحفيين": after a title, a lone given name tagged as the whole
// person is followed by its family name, even when that name is also a common definite noun
// (العوده "the return") that the model left outside.
void family_name_after_titled_given_name(Scratch& s) {
  const std::size_t n = s.tokens.size();
  const auto per_b = static_cast<std::uint8_t>(label_b(EntityType::kPer));
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (s.labels[i] != per_b || s.labels[i + 1] != 0) continue;
    const Token& given = s.tokens[i];
    const Token& next = s.tokens[i + 1];
    if (!(given.gaz_begin & given.gaz_end & bit(Gaz::kPerFirst)) || !(s.tokens[i - 1].gaz_end & bit(Gaz::kTitle)))
      continue;
    if (next.kind != TokKind::kArabic || !next.has_al || next.stem.begin != next.span.begin || next.stem_letters < 4)
      continue;
    s.labels[i + 1] = static_cast<std::uint8_t>(label_i(EntityType::kPer));
  }
}

// "مايكروسوفت الخميس", "بوجدانوف الخميس": news puts the weekday right after the subject
// ("X said on Thursday"), and the tagger often draws it into a person or organization. A
// definite weekday inside such a mention ends it, unless a given name stands right before it:
// then it is a family name (محمد الخميس, مريم الجمعه). Places keep it (سوق الاحد).
void weekday_ends_name(std::string_view text, Scratch& s) {
  static constexpr std::string_view kWeekdays[] = {"الاحد", "الاثنين", "الثلاثاء", "الاربعاء",
                                                   "الخميس", "الجمعه", "السبت"};
  const std::size_t n = s.tokens.size();
  for (std::size_t i = 1; i < n; ++i) {
    const int l = s.labels[i];
    if (!is_i(l) || (label_type(l) != EntityType::kPer && label_type(l) != EntityType::kOrg)) continue;
    const Token& t = s.tokens[i];
    if (t.stem.begin != t.span.begin || std::find(std::begin(kWeekdays), std::end(kWeekdays), t.span.of(text)) == std::end(kWeekdays))
      continue;
    if (label_type(l) == EntityType::kPer && (s.tokens[i - 1].gaz_end & bit(Gaz::kPerFirst))) continue;
    for (std::size_t k = i; k < n && s.labels[k] == l; ++k) s.labels[k] = 0;
  }
}

void collect_mentions(std::string_view text, const Scratch& s, std::vector<EntityMention>& out) {
  const std::size_t n = s.tokens.size();
  // A name never runs across a line break: a headline's last word and the dateline under it
  // are two mentions even when the tagger chains them.
  auto line_break_before = [&](std::size_t k) {
    const std::uint32_t from = s.tokens[k - 1].span.end, to = s.tokens[k].span.begin;
    return to > from && text.substr(from, to - from).find('\n') != std::string_view::npos;
  };
  for (std::size_t i = 0; i < n;) {
    const int l = s.labels[i];
    if (!is_b(l) && !(is_i(l) && i > 0 && line_break_before(i))) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < n && s.labels[j] == label_i(label_type(l)) && !line_break_before(j)) ++j;
    EntityMention m;
    m.type = label_type(l);
    m.span = Span{s.tokens[i].stem.begin, s.tokens[j - 1].span.end};
    if (m.type == EntityType::kPer) m.role = find_role(text, s, i);
    out.push_back(m);
    i = j;
  }
}

}  // namespace ner

std::string NerModel::default_dir() {
  if (const char* env = std::getenv("ISNAD_DATA"); env != nullptr && *env != '\0')
    return std::string(env) + "/ner";
  return std::string(ISNAD_DATA_DIR) + "/ner";
}

Expected<NerModel> NerModel::load(const std::string& dir) {
  static std::atomic<std::uint64_t> loaded{0};
  auto data = std::make_shared<ner::ModelData>();
  data->id = ++loaded;
  if (Status st = ner::load_model(dir + "/ner.model", data->lex, data->stats, data->weights); !st) return st.error();
  if (Status st = ner::load_gazetteer_words(dir + "/gazetteers", data->gaz); !st) return st.error();
  // Gazetteer words join the lexicon exactly as the trainer did, so clitic stripping matches.
  ner::extend_lexicon(data->gaz, data->lex);
  ner::build_gazetteer(data->lex, data->gaz);
  return NerModel(std::move(data));
}

Expected<NerModel> NerModel::load_default() { return load(default_dir()); }

void NerModel::tag(std::string_view normalized, std::vector<EntityMention>& out) const {
  out.clear();
  thread_local ner::Scratch scratch;
  thread_local ner::WordScoreCache scores;
  scores.bind(data_->id, data_->weights);
  ner::prepare_tokens(*data_, normalized, scratch);
  ner::score_tokens_cached(data_->weights, normalized, scratch, scores);
  ner::viterbi(data_->weights, scratch);
  ner::place_after_cue(normalized, scratch);
  ner::split_place_from_name(scratch);
  ner::family_name_after_titled_given_name(scratch);
  ner::weekday_ends_name(normalized, scratch);
  ner::collect_mentions(normalized, scratch, out);
}

std::vector<EntityMention> NerModel::tag(std::string_view normalized) const {
  std::vector<EntityMention> out;
  tag(normalized, out);
  return out;
}

}  // namespace isnad
