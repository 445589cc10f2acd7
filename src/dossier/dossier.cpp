#include "isnad/dossier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "isnad/analyzer.h"
#include "isnad/resolve.h"
#include "isnad/chars.h"
#include "isnad/claims.h"
#include "isnad/figures.h"
#include "isnad/near_duplicates.h"
#include "isnad/normalize.h"
#include "isnad/sentences.h"
#include "isnad/quotes.h"

namespace isnad {

namespace {

using TermVector = std::unordered_map<std::string, double>;

// Everything the event-level steps need to know about one analyzed document.
struct DocView {
  const DocumentResult* doc;  // null when only clustering features are wanted
  std::vector<bool> other_event;  // per sentence: it reports another event (comparison)
  std::vector<const TermVector*> sentence_terms;  // shared by the documents that repeat a sentence
};

std::size_t sentence_of(const DocumentAnalysis& a, Span span) {
  const auto it = std::upper_bound(a.sentences.begin(), a.sentences.end(), span.begin,
                                   [](std::uint32_t pos, const Span& s) { return pos < s.begin; });
  return it == a.sentences.begin() ? 0 : static_cast<std::size_t>(it - a.sentences.begin()) - 1;
}

std::string original_text(const DocumentResult& d, Span normalized) {
  const Span o = d.analysis.original_span(normalized);
  return std::string(o.of(d.source.text));
}

Citation cite(const DocumentResult& d, Span normalized) {
  Citation c;
  c.doc = d.source.id;
  c.span = d.analysis.original_span(normalized);
  c.text = std::string(c.span.of(d.source.text));
  if (!d.analysis.sentences.empty()) {
    const Span s = d.analysis.sentences[sentence_of(d.analysis, normalized)];
    c.sentence_span = d.analysis.original_span(s);
    c.sentence = std::string(c.sentence_span.of(d.source.text));
  }
  return c;
}

std::string key_of(std::string_view text) { return normalize_string(text); }

// Who is blamed, as a party: outlets add an epithet to a name ("تنظيم داعش الارهابي" is
// "تنظيم داعش"), so trailing epithets do not make another party.
std::string party_key(std::string_view name) {
  static constexpr std::string_view kEpithets[] = {"الارهابي", "الارهابيه", "المتطرف", "المتطرفه", "المتشدد",
                                                   "المتشدده", "المحظور", "المحظوره", "الاجرامي", "الاجراميه"};
  std::string key = key_of(name);
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (std::string_view e : kEpithets) {
      const std::size_t space = key.rfind(' ');
      if (space != std::string::npos && std::string_view(key).substr(space + 1) == e) {
        key.resize(space);
        dropped = true;
      }
    }
  }
  return key;
}

// "فرعه الجنوبي", "جناحها العسكري": a branch named through a pronoun is the organization the
// sentence named before it, not a party of its own.
bool branch_by_pronoun(std::string_view name) {
  static constexpr std::string_view kParts[] = {"فرعه", "فرعها", "ذراعه", "ذراعها", "جناحه", "جناحها", "فروعه", "فروعها"};
  const std::string key = key_of(name);
  const std::string_view first = std::string_view(key).substr(0, key.find(' '));
  return std::find(std::begin(kParts), std::end(kParts), first) != std::end(kParts);
}

double squared_norm(const TermVector& v) {
  double n = 0;
  for (const auto& [t, w] : v) n += w * w;
  return n;
}

// `nb` is squared_norm(b), given by a caller that compares many vectors with one large `b` (the
// summary's centroid holds every term of the event: summing it per candidate sentence made the
// summary quadratic).
double cosine(const TermVector& a, const TermVector& b, double nb) {
  double dot = 0, na = 0;
  for (const auto& [t, w] : a) {
    na += w * w;
    if (auto it = b.find(t); it != b.end()) dot += w * it->second;
  }
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

double cosine(const TermVector& a, const TermVector& b) { return cosine(a, b, squared_norm(b)); }

// One analyzer per thread, kept between dossiers: its term cache (see analyzer.h) is what makes
// re-reading an event's sentences cheap, and a fresh one starts cold.
Analyzer& thread_analyzer() {
  thread_local Analyzer analyzer;
  return analyzer;
}

// Shorter terms are one-letter stems, too ambiguous to compare documents by.
constexpr std::size_t kMinTermBytes = 4;

TermVector terms_of(Analyzer& analyzer, std::string_view normalized) {
  TermVector v;
  analyzer.run_normalized(normalized, [&](const Term& t) {
    if (t.text.size() >= kMinTermBytes) v[std::string(t.text)] += 1.0;
  });
  return v;
}

// features_of's title reader for a title not analysed yet.
auto title_terms(Analyzer& analyzer, std::string_view title) {
  return [&analyzer, normalized = key_of(title)](auto&& on_term) {
    analyzer.run_normalized(normalized, [&](const Term& t) { on_term(t.text); });
  };
}

// The terms of each distinct sentence, analysed once: wire copies and follow-ups repeat most
// sentences of their original (a third of a large event's articles are such copies). Keys view
// the documents' normalized text, which must outlive the cache.
class SentenceTerms {
 public:
  const TermVector* of(Analyzer& analyzer, std::string_view sentence) {
    auto [it, added] = cache_.try_emplace(sentence);
    if (added) it->second = terms_of(analyzer, sentence);
    return &it->second;  // node-based map: stays valid as it grows
  }

 private:
  std::unordered_map<std::string_view, TermVector> cache_;
};

std::vector<bool> other_event_sentences(const DocumentAnalysis& a) {
  std::vector<bool> other(a.sentences.size(), false);
  for (const Claim& c : a.claims) {
    if (!c.event_hint.empty() && !a.sentences.empty()) other[sentence_of(a, c.sentence)] = true;
  }
  return other;
}

DocView view_of(const DocumentResult* d, const DocumentAnalysis& a, Analyzer& analyzer, SentenceTerms& terms) {
  DocView v{d, other_event_sentences(a), {}};
  const std::string_view text = a.normalized.text();
  v.sentence_terms.reserve(a.sentences.size());
  for (const Span s : a.sentences) v.sentence_terms.push_back(terms.of(analyzer, s.of(text)));
  return v;
}

// `add_sentence_terms(i, weight, terms)` adds sentence i's terms, each occurrence × weight, in
// increasing i; `for_each_title_term(f)` calls f(term text) for each term of the title.
template <class AddSentenceTerms, class ForEachTitleTerm>
EventFeatures features_of(const std::vector<bool>& other_event, AddSentenceTerms&& add_sentence_terms,
                          ForEachTitleTerm&& for_each_title_term, const DocumentAnalysis& a,
                          std::optional<CivilDate> published) {
  EventFeatures f;
  f.published = published;
  for (std::size_t i = 0; i < other_event.size(); ++i) {
    if (other_event[i]) continue;
    const double weight = i < 2 ? 2.0 : 1.0;  // the lead says what the article is about
    add_sentence_terms(i, weight, f.terms);
  }
  for_each_title_term([&](std::string_view term) {
    if (term.size() >= kMinTermBytes) f.terms[std::string(term)] += 2.0;
  });
  std::set<std::string> places, names;
  const std::string_view text = a.normalized.text();
  for (const EntityMention& e : a.entities) {
    if (!a.sentences.empty() && other_event[sentence_of(a, e.span)]) continue;
    const std::string k(e.span.of(text));
    if (e.type == EntityType::kGpe || e.type == EntityType::kLoc || e.type == EntityType::kFac) places.insert(k);
    else if (e.type == EntityType::kPer || e.type == EntityType::kOrg) names.insert(k);
  }
  f.places.assign(places.begin(), places.end());
  // Outlets spell one person differently (درافيتش/درافتش); names meet by key, not as written.
  std::set<std::string> keys;
  for (const std::string& name : names) keys.insert(name_key(name));
  f.names.assign(keys.begin(), keys.end());
  return f;
}

// Words that say something *happened* (not that it was mourned, investigated or reported):
// a date only counts as the event's date when one of them stands just before it, or right
// after it. Normalized forms; a trailing ت/وا (verb agreement) and ال are allowed.
bool is_occurrence_word(std::string_view w) {
  static constexpr std::string_view kVerbs[] = {"اندلع", "وقع", "شب", "انفجر", "اقتحم", "استهدف", "شن", "نفذ",
                                                "هز", "تعرض", "ضرب", "انهار", "غرق", "هاجم", "فجر", "قتل", "اطلق",
                                                // votes happen too: "الانتخابات التي جرت/اجريت يوم الاحد"
                                                "جري", "جر", "اجري"};
  static constexpr std::string_view kNouns[] = {"هجوم", "انفجار", "تفجير", "حادث", "حادثه", "انهيار", "اعتداء", "هجمات",
                                                "اقتراع", "انتخابات"};
  if (w.starts_with("و") || w.starts_with("ف")) {
    if (w.size() > 6) w.remove_prefix(2);
  }
  if (w.starts_with("ال") && w.size() > 6) w.remove_prefix(4);
  for (std::string_view n : kNouns) {
    if (w == n) return true;
  }
  for (std::string_view v : kVerbs) {
    if (w == v || (w.starts_with(v) && (w.substr(v.size()) == "ت" || w.substr(v.size()) == "وا"))) return true;
  }
  return false;
}

bool occurrence_near(std::string_view text, Span sentence, Span date) {
  std::vector<Span> before, after;
  WordScanner words(text, sentence.begin);
  for (Span w; words.next(w) && w.begin < sentence.end;) {
    if (w.end <= date.begin) before.push_back(w);
    else if (w.begin >= date.end && after.size() < 3) after.push_back(w);
  }
  const std::size_t from = before.size() > 8 ? before.size() - 8 : 0;
  for (std::size_t i = from; i < before.size(); ++i) {
    if (is_occurrence_word(before[i].of(text))) return true;
  }
  for (const Span w : after) {
    if (is_occurrence_word(w.of(text))) return true;
  }
  return false;
}

// The day a document says the event happened: the first day-granularity date, within the week
// before publication, that an occurrence word introduces (اندلع الحريق مساء الثلاثاء). A date
// with no such word (the funeral was yesterday) is not evidence of the event's date.
std::optional<DateReport> event_date_of(const DocView& v) {
  const DocumentResult& d = *v.doc;
  const std::string_view text = d.analysis.normalized.text();
  for (const DateMention& m : d.analysis.dates) {
    if (m.granularity != Granularity::kDay || d.analysis.sentences.empty()) continue;
    const std::size_t s = sentence_of(d.analysis, m.span);
    if (v.other_event[s]) continue;
    if (d.published) {
      const long gap = days_from_civil(*d.published) - days_from_civil(CivilDate{m.year, m.month, m.day});
      if (gap < 0 || gap > 7) continue;
    }
    if (occurrence_near(text, d.analysis.sentences[s], m.span)) return DateReport{cite(d, m.span), m.iso()};
  }
  return std::nullopt;
}

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return std::to_string(v);
}

class EventBuilder {
 public:
  EventBuilder(const std::vector<const DocView*>& docs, const DossierOptions& options)
      : docs_(docs), options_(options) {}

  EventOut build(std::size_t number) {
    EventOut e;
    e.id = fmt::format("e{}", number + 1);
    for (const DocView* v : docs_) e.documents.push_back(v->doc->source.id);
    resolve(e);
    dates(e);
    figures(e);
    quotes(e);
    statements(e);
    timeline(e);
    summary(e);
    title(e);
    return e;
  }

 private:
  // Entity id of a name as written, through any of its resolved variants.
  std::string entity_of(std::string_view text) const {
    if (auto it = entity_by_key_.find(key_of(text)); it != entity_by_key_.end()) return it->second;
    return {};
  }
  std::string canonical(std::string_view text) const {
    if (const auto it = by_id_.find(entity_of(text)); it != by_id_.end()) return resolved_[it->second].name;
    return std::string(text);
  }

  void resolve(EventOut& e) {
    std::vector<NameMention> mentions;
    for (const DocView* v : docs_) {
      const DocumentResult& d = *v->doc;
      for (const EntityMention& m : d.analysis.entities) {
        mentions.push_back({original_text(d, m.span), m.type, d.source.id});
      }
      for (const Quote& q : d.analysis.quotes) {
        if (q.speaker.empty() || q.anonymous()) continue;
        const EntityType t = q.source == SourceKind::kInstitution ? EntityType::kOrg : EntityType::kPer;
        mentions.push_back({original_text(d, q.speaker), t, d.source.id});
      }
    }
    resolved_ = resolve_entities(mentions);
    // A text's key names the entity of the text's first mention: each distinct text is
    // normalized once (a large event repeats each name dozens of times).
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < resolved_.size(); ++i) {
      const ResolvedEntity& r = resolved_[i];
      by_id_.emplace(r.id, i);
      for (std::size_t m : r.mentions) {
        if (seen.insert(mentions[m].text).second) entity_by_key_.emplace(key_of(mentions[m].text), r.id);
      }
    }
    e.entities = resolved_;
  }

  void dates(EventOut& e) {
    std::map<std::string, std::vector<std::string>> by_value;
    for (const DocView* v : docs_) {
      if (auto r = event_date_of(*v)) {
        by_value[r->value].push_back(v->doc->source.id);
        e.date_reports.push_back(std::move(*r));
      }
    }
    if (by_value.empty()) return;
    auto best = std::max_element(by_value.begin(), by_value.end(),
                                 [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
    e.date_best = best->first;
    e.date_conflict = by_value.size() > 1;
    if (e.date_conflict) {
      ConflictOut c{"date", {}, {}, ""};
      for (const auto& [value, docs] : by_value) {
        c.values.push_back(value);
        c.docs.push_back(docs);
      }
      c.note = "sources give different days for the event; the majority says " + *e.date_best;
      e.conflicts.push_back(std::move(c));
    }
  }

  void figures(EventOut& e) {
    std::map<std::string, std::pair<std::vector<FigureReport>, std::vector<FigureReportOut>>> kinds;
    std::size_t order = 0;
    for (const DocView* v : docs_) {
      const DocumentResult& d = *v->doc;
      for (const Claim& c : d.analysis.claims) {
        if (!is_figure(c.type) || !c.value || !c.event_hint.empty()) continue;
        auto& [in, out] = kinds[std::string(to_string(c.type))];
        in.push_back(FigureReport{d.source.id, *c.value, c.qualifier, d.published, c.revision, ++order});
        FigureReportOut r;
        r.where = cite(d, c.span);
        r.value = *c.value;
        r.qualifier = c.qualifier;
        r.attributed_to = c.attributed_to.empty() ? std::string() : original_text(d, c.attributed_to);
        r.independent = !d.duplicate_of.has_value();
        r.revision = c.revision;
        out.push_back(std::move(r));
      }
    }
    for (auto& [kind, reports] : kinds) {
      auto& [in, out] = reports;
      const FigureSummary s = reconcile_figure(in);
      FigureOut f{kind, s.best, s.low, s.high, s.consistent, s.rationale, std::move(out)};
      for (std::size_t i = 0; i < f.reports.size(); ++i) f.reports[i].superseded = s.superseded[i];
      if (!s.consistent) {
        ConflictOut c{"figure:" + kind, {}, {}, s.rationale};
        for (std::size_t i : s.conflicting) {
          const std::string value = std::string(to_string(in[i].qualifier)) + " " + format_number(in[i].value);
          auto it = std::find(c.values.begin(), c.values.end(), value);
          if (it == c.values.end()) {
            c.values.push_back(value);
            c.docs.push_back({});
            it = c.values.end() - 1;
          }
          auto& docs = c.docs[static_cast<std::size_t>(it - c.values.begin())];
          if (std::find(docs.begin(), docs.end(), in[i].document) == docs.end()) docs.push_back(in[i].document);
        }
        e.conflicts.push_back(std::move(c));
      }
      e.figures.push_back(std::move(f));
    }
  }

  void quotes(EventOut& e) {
    for (const DocView* v : docs_) {
      const DocumentResult& d = *v->doc;
      for (const Quote& q : d.analysis.quotes) {
        QuoteOut o;
        o.where = cite(d, q.text.empty() ? q.span : q.text);
        o.text = o.where.text;
        const std::string speaker = q.speaker.empty() ? std::string() : original_text(d, q.speaker);
        o.entity = speaker.empty() || q.anonymous() ? std::string() : entity_of(speaker);
        o.speaker = o.entity.empty() ? speaker : canonical(speaker);
        o.kind = std::string(to_string(q.kind));
        o.role = q.role.empty() ? std::string() : original_text(d, q.role);
        o.cue = q.cue.empty() ? std::string() : original_text(d, q.cue);
        o.outlet = d.source.outlet;
        // "told our paper" adds nothing to the chain when our paper is the outlet itself.
        if (!q.outlet.empty()) {
          o.cited_medium = original_text(d, q.outlet);
          if (normalize_string(o.cited_medium) == normalize_string(o.outlet)) o.cited_medium.clear();
        }
        o.source_kind = std::string(to_string(q.source));
        e.quotes.push_back(std::move(o));
      }
    }
  }

  void statements(EventOut& e) {
    struct Denial {
      std::string actor;
      std::string doc;
    };
    std::vector<Denial> denials;
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
    std::set<std::size_t> blaming;  // claims that say who is behind the event (not counter-charges)
    for (const DocView* v : docs_) {
      const DocumentResult& d = *v->doc;
      for (const Claim& c : d.analysis.claims) {
        if (is_figure(c.type) || !c.event_hint.empty()) continue;
        const std::string actor = c.actor.empty() ? std::string() : canonical(original_text(d, c.actor));
        const std::string target = c.target.empty() ? std::string() : canonical(original_text(d, c.target));
        if (c.type == ClaimType::kDenial) denials.push_back({actor, d.source.id});
        const auto key = std::make_tuple(std::string(to_string(c.type)), key_of(actor), key_of(target));
        auto [it, inserted] = index.emplace(key, e.claims.size());
        if (inserted) e.claims.push_back(ClaimOut{std::get<0>(key), actor, target, {}, {}, {}});
        ClaimOut& out = e.claims[it->second];
        if (!c.charge_elsewhere) blaming.insert(it->second);
        if (std::find(out.docs.begin(), out.docs.end(), d.source.id) == out.docs.end()) out.docs.push_back(d.source.id);
        out.where.push_back(cite(d, c.span));
      }
    }
    // Who denies what: the accused denying an accusation, or a claimant retracting.
    auto same = [&](const std::string& a, const std::string& b) {
      if (a.empty() || b.empty()) return false;
      const std::string ea = entity_of(a), eb = entity_of(b);
      return (!ea.empty() && ea == eb) || key_of(a) == key_of(b);
    };
    for (ClaimOut& c : e.claims) {
      const std::string& party = c.type == "accusation" ? c.target : c.type == "responsibility" ? c.actor : std::string();
      for (const Denial& d : denials) {
        if (same(party, d.actor) && std::find(c.denied_by.begin(), c.denied_by.end(), d.actor) == c.denied_by.end()) {
          c.denied_by.push_back(d.actor);
        }
      }
    }
    // Attribution conflict: who is said to be behind the event differs between claims.
    struct Party {
      std::string name;  // the shortest spelling seen
      std::vector<std::string> docs;
    };
    std::map<std::string, Party> culprits;  // party_key → party
    for (std::size_t k = 0; k < e.claims.size(); ++k) {
      const ClaimOut& c = e.claims[k];
      if (!blaming.count(k)) continue;
      const std::string* culprit = c.type == "responsibility" ? &c.actor : c.type == "accusation" ? &c.target : nullptr;
      if (!culprit || culprit->empty() || branch_by_pronoun(*culprit)) continue;
      Party& party = culprits[party_key(*culprit)];
      if (party.name.empty() || culprit->size() < party.name.size()) party.name = *culprit;
      for (const auto& d : c.docs) {
        if (std::find(party.docs.begin(), party.docs.end(), d) == party.docs.end()) party.docs.push_back(d);
      }
    }
    if (culprits.size() > 1) {
      ConflictOut c{"attribution", {}, {}, "sources name different parties as responsible"};
      for (const auto& [key, party] : culprits) {
        c.values.push_back(party.name);
        c.docs.push_back(party.docs);
      }
      e.conflicts.push_back(std::move(c));
    }
  }

  void timeline(EventOut& e) {
    std::set<std::pair<std::string, std::string>> seen;  // (date, doc)
    for (const DocView* v : docs_) {
      const DocumentResult& d = *v->doc;
      for (const DateMention& m : d.analysis.dates) {
        if (m.granularity != Granularity::kDay) continue;
        const std::size_t s = d.analysis.sentences.empty() ? 0 : sentence_of(d.analysis, m.span);
        if (s < v->other_event.size() && v->other_event[s]) continue;
        if (d.published && std::labs(days_from_civil(*d.published) - days_from_civil({m.year, m.month, m.day})) > 31) continue;
        if (!seen.emplace(m.iso(), d.source.id).second) continue;
        e.timeline.push_back(TimelineEntry{m.iso(), cite(d, m.span)});
      }
    }
    std::stable_sort(e.timeline.begin(), e.timeline.end(),
                     [](const TimelineEntry& a, const TimelineEntry& b) { return a.date < b.date; });
  }

  void summary(EventOut& e) {
    TermVector centroid;
    for (const DocView* v : docs_) {
      for (std::size_t i = 0; i < v->sentence_terms.size(); ++i) {
        if (v->other_event[i]) continue;
        for (const auto& [t, w] : *v->sentence_terms[i]) centroid[t] += w;
      }
    }
    struct Candidate {
      const DocView* view;
      std::size_t sentence;
      double score;
    };
    const double centroid_norm = squared_norm(centroid);
    std::vector<Candidate> candidates;
    for (const DocView* v : docs_) {
      if (v->doc->duplicate_of) continue;  // a copy adds no new sentence
      const DocumentAnalysis& a = v->doc->analysis;
      std::vector<double> bonus(a.sentences.size(), 0.0);
      for (const Claim& c : a.claims) {
        if (c.event_hint.empty()) bonus[sentence_of(a, c.sentence)] = 0.2;
      }
      // Headlines are not summary sentences (they repeat the lead in telegraphic form); the lead
      // is the first two real sentences after them.
      const std::string title = key_of(v->doc->source.title);
      std::size_t real = 0;
      for (std::size_t i = 0; i < a.sentences.size(); ++i) {
        const std::string_view sentence = a.sentences[i].of(a.normalized.text());
        const std::size_t words = static_cast<std::size_t>(std::count(sentence.begin(), sentence.end(), ' ')) + 1;
        const char last = sentence.empty() ? ' ' : sentence.back();
        const bool headline = sentence == title || (last != '.' && last != '?' && last != '!' && last != '"' && words < 20);
        if (v->other_event[i] || headline || words < 6 || words > 70) continue;
        const double lead = real == 0 ? 0.3 : real == 1 ? 0.15 : 0.0;
        ++real;
        candidates.push_back({v, i, cosine(*v->sentence_terms[i], centroid, centroid_norm) + lead + bonus[i]});
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    std::vector<const Candidate*> chosen;
    for (const Candidate& c : candidates) {
      if (chosen.size() >= options_.summary_sentences) break;
      const TermVector& terms = *c.view->sentence_terms[c.sentence];
      const bool redundant = std::any_of(chosen.begin(), chosen.end(), [&](const Candidate* p) {
        return cosine(terms, *p->view->sentence_terms[p->sentence]) > 0.5;
      });
      if (!redundant) chosen.push_back(&c);
    }
    for (const Candidate* c : chosen) {
      const DocumentResult& d = *c->view->doc;
      // The dateline is the outlet's byline, not part of what happened.
      Span sentence = d.analysis.sentences[c->sentence];
      sentence.begin = dateline_end(d.analysis.normalized.text(), sentence);
      e.summary.push_back(cite(d, sentence));
    }
  }

  void title(EventOut& e) {
    for (const DocView* v : docs_) {
      if (!v->doc->source.title.empty()) {
        e.title = v->doc->source.title;
        return;
      }
    }
    if (!e.summary.empty()) {
      const std::string& s = e.summary.front().text;
      // Cut on a character boundary: step back to the start of the code point at 160.
      std::size_t cut = std::min<std::size_t>(160, s.size());
      while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
      e.title = cut < s.size() ? s.substr(0, cut) + "…" : s;
    }
  }

  const std::vector<const DocView*>& docs_;
  const DossierOptions& options_;
  std::vector<ResolvedEntity> resolved_;
  std::unordered_map<std::string, std::size_t> by_id_;  // entity id → index in resolved_
  std::unordered_map<std::string, std::string> entity_by_key_;
};

}  // namespace

EventFeatures event_features(const SourceDocument& source, const DocumentAnalysis& analysis,
                             std::optional<CivilDate> published) {
  // Straight from the analyzer into the feature vector: one document has no repeated sentences
  // to share, and a term map per sentence cost as much as the analysis of its words.
  Analyzer& analyzer = thread_analyzer();
  const std::string_view text = analysis.normalized.text();
  auto add_sentence_terms = [&](std::size_t i, double weight, std::unordered_map<std::string, double>& terms) {
    analyzer.run_normalized(analysis.sentences[i].of(text), [&](const Term& t) {
      if (t.text.size() >= kMinTermBytes) terms[std::string(t.text)] += weight;
    });
  };
  return features_of(other_event_sentences(analysis), add_sentence_terms, title_terms(analyzer, source.title), analysis,
                     published);
}

DocumentTerms document_terms(const SourceDocument& source, const DocumentAnalysis& analysis) {
  Analyzer& analyzer = thread_analyzer();
  DocumentTerms terms;
  (void)analyzer.analyze(source.title, [&](const Term& t) { terms.title.add(t); });
  analyzer.run(analysis.normalized, [&](const Term& t) { terms.text.add(t); });
  return terms;
}

EventFeatures event_features(const DocumentAnalysis& analysis, std::optional<CivilDate> published,
                             const DocumentTerms& terms) {
  // Terms arrive in text order and sentences are in order: one cursor assigns each term to the
  // sentence holding it. A term outside every sentence (between them) counts for none, as
  // when sentences are read one by one.
  struct Located {
    Span span;
    std::string_view text;
  };
  std::vector<Located> text_terms;
  text_terms.reserve(terms.text.size());
  terms.text.for_each([&](const Term& t) {
    if (t.text.size() >= kMinTermBytes) text_terms.push_back({t.span, t.text});
  });
  auto add_sentence_terms = [&, next = std::size_t{0}](std::size_t i, double weight, std::unordered_map<std::string, double>& into) mutable {
    const Span sentence = analysis.sentences[i];
    while (next < text_terms.size() && text_terms[next].span.begin < sentence.begin) ++next;
    for (; next < text_terms.size() && text_terms[next].span.end <= sentence.end; ++next) {
      into[std::string(text_terms[next].text)] += weight;
    }
  };
  auto title_terms = [&](auto&& on_term) { terms.title.for_each([&](const Term& t) { on_term(t.text); }); };
  return features_of(other_event_sentences(analysis), add_sentence_terms, title_terms, analysis, published);
}

Dossier build_dossier(const std::vector<SourceDocument>& documents, const DossierOptions& options) {
  std::vector<DocumentResult> analysed;
  std::vector<std::string> warnings;
  for (const SourceDocument& source : documents) {
    AnalyzeOptions ao;
    ao.published = parse_published(source.published);
    ao.ner = options.ner;
    auto analysis = analyze(source.text, ao);
    if (!analysis) {
      warnings.push_back(source.id + ": " + analysis.error().message);
      continue;
    }
    analysed.push_back(DocumentResult{source, ao.published, std::move(*analysis), std::nullopt, 0});
  }
  DossierOptions kept = options;
  // Keep the store's event assignment only when it still lines up with the documents.
  if (analysed.size() != documents.size()) kept.events.clear();
  Dossier dossier = build_dossier(std::move(analysed), kept);
  dossier.warnings.insert(dossier.warnings.begin(), warnings.begin(), warnings.end());
  return dossier;
}

Dossier build_dossier(std::vector<DocumentResult> analysed, const DossierOptions& options) {
  Dossier dossier;
  dossier.documents = std::move(analysed);
  for (DocumentResult& d : dossier.documents) {
    d.duplicate_of.reset();
    d.event = 0;
  }

  // Near-duplicates first: a copy joins its original's event and is not an independent source.
  NearDuplicateIndex copies;
  for (std::size_t i = 0; i < dossier.documents.size(); ++i) {
    const auto found = copies.add(static_cast<std::uint32_t>(i), minhash(dossier.documents[i].analysis.normalized.text()));
    if (!found.empty()) dossier.documents[i].duplicate_of = found.front().document;
  }

  Analyzer& analyzer = thread_analyzer();
  SentenceTerms terms;
  std::vector<DocView> views;
  views.reserve(dossier.documents.size());
  for (const DocumentResult& d : dossier.documents) views.push_back(view_of(&d, d.analysis, analyzer, terms));

  // Cluster in publication order (undated last), as documents would arrive.
  std::vector<std::size_t> order(views.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& pa = dossier.documents[a].published;
    const auto& pb = dossier.documents[b].published;
    if (pa.has_value() != pb.has_value()) return pa.has_value();
    return pa && pb && days_from_civil(*pa) < days_from_civil(*pb);
  });
  if (options.events.size() == dossier.documents.size()) {
    // Clustered already (incrementally, in the store): keep that assignment as it is.
    for (std::size_t i = 0; i < dossier.documents.size(); ++i) {
      dossier.documents[i].event = static_cast<std::size_t>(options.events[i]);
    }
  } else {
    EventClusterer clusterer(options.clustering);
    for (std::size_t i : order) {
      DocumentResult& d = dossier.documents[i];
      if (d.duplicate_of) continue;  // joins its original's event below
      const DocView& v = views[i];
      auto add_sentence_terms = [&](std::size_t s, double weight, TermVector& into) {
        for (const auto& [t, w] : *v.sentence_terms[s]) into[t] += w * weight;
      };
      d.event = clusterer.add(
          features_of(v.other_event, add_sentence_terms, title_terms(analyzer, d.source.title), d.analysis, d.published));
    }
    for (DocumentResult& d : dossier.documents) {
      if (d.duplicate_of) d.event = dossier.documents[*d.duplicate_of].event;
    }
  }

  // Events numbered by their first document in input order.
  std::map<std::size_t, std::size_t> renumber;
  for (const DocumentResult& d : dossier.documents) renumber.emplace(d.event, renumber.size());
  std::vector<std::vector<const DocView*>> members(renumber.size());
  for (std::size_t i = 0; i < dossier.documents.size(); ++i) {
    DocumentResult& d = dossier.documents[i];
    d.event = renumber[d.event];
    members[d.event].push_back(&views[i]);
  }
  for (std::size_t e = 0; e < members.size(); ++e) {
    EventBuilder builder(members[e], options);
    dossier.events.push_back(builder.build(e));
  }
  return dossier;
}

}  // namespace isnad
