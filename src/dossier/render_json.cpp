#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "isnad/dossier.h"

namespace isnad {

namespace {

using json = nlohmann::ordered_json;

// Counts are integers in the contract (137, not 137.0).
json number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}

json span(Span s) { return json::array({s.begin, s.end}); }

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

std::string render_json(const Dossier& d) {
  json out;
  out["schema"] = "isnad/1";
  json documents = json::array();
  for (const DocumentResult& doc : d.documents) {
    json j;
    j["id"] = doc.source.id;
    j["outlet"] = or_null(doc.source.outlet);
    j["published"] = doc.published ? json(doc.source.published.substr(0, 10)) : json(nullptr);
    j["title"] = or_null(doc.source.title);
    j["url"] = or_null(doc.source.url);
    j["event"] = d.events.empty() ? json(nullptr) : json(d.events[doc.event].id);
    j["duplicate_of"] = doc.duplicate_of ? json(d.documents[*doc.duplicate_of].source.id) : json(nullptr);
    documents.push_back(std::move(j));
  }
  out["documents"] = std::move(documents);

  json events = json::array();
  for (const EventOut& e : d.events) {
    json j;
    j["id"] = e.id;
    j["title"] = e.title;
    j["documents"] = e.documents;
    json date;
    date["best"] = e.date_best ? json(*e.date_best) : json(nullptr);
    date["reports"] = json::array();
    for (const DateReport& r : e.date_reports) {
      date["reports"].push_back({{"doc", r.where.doc}, {"value", r.value}, {"text", r.where.text}, {"span", span(r.where.span)},
                                 {"sentence", r.where.sentence}});
    }
    date["conflict"] = e.date_conflict;
    j["date"] = std::move(date);

    json figures = json::array();
    for (const FigureOut& f : e.figures) {
      json fj;
      fj["kind"] = f.kind;
      fj["best"] = number(f.best);
      fj["low"] = number(f.low);
      fj["high"] = number(f.high);
      fj["consistent"] = f.consistent;
      fj["rationale"] = f.rationale;
      fj["reports"] = json::array();
      for (const FigureReportOut& r : f.reports) {
        fj["reports"].push_back({{"doc", r.where.doc},
                                 {"value", number(r.value)},
                                 {"qualifier", std::string(to_string(r.qualifier))},
                                 {"attributed_to", or_null(r.attributed_to)},
                                 {"sentence", r.where.sentence},
                                 {"span", span(r.where.span)},
                                 {"text", r.where.text},
                                 {"independent", r.independent},
                                 {"superseded", r.superseded},
                                 {"revision", r.revision}});
      }
      figures.push_back(std::move(fj));
    }
    j["figures"] = std::move(figures);

    json entities = json::array();
    for (const ResolvedEntity& r : e.entities) {
      entities.push_back({{"id", r.id}, {"type", std::string(to_string(r.type))}, {"name", r.name},
                          {"variants", r.variants}, {"documents", r.documents}, {"mentions", r.mentions.size()}});
    }
    j["entities"] = std::move(entities);

    json quotes = json::array();
    for (const QuoteOut& q : e.quotes) {
      quotes.push_back({{"doc", q.where.doc},
                        {"speaker", or_null(q.speaker)},
                        {"entity", or_null(q.entity)},
                        {"text", q.text},
                        {"kind", q.kind},
                        {"cue", or_null(q.cue)},
                        {"span", span(q.where.span)},
                        {"role", or_null(q.role)},
                        {"source", q.source_kind},
                        {"chain", {{"outlet", or_null(q.outlet)}, {"cited_medium", or_null(q.cited_medium)},
                                   {"speaker", or_null(q.speaker)}}}});
    }
    j["quotes"] = std::move(quotes);

    json claims = json::array();
    for (const ClaimOut& c : e.claims) {
      json cj{{"type", c.type}, {"actor", or_null(c.actor)}, {"target", or_null(c.target)}, {"docs", c.docs},
              {"denied_by", c.denied_by}};
      cj["evidence"] = json::array();
      for (const Citation& w : c.where) cj["evidence"].push_back({{"doc", w.doc}, {"span", span(w.span)}, {"sentence", w.sentence}});
      claims.push_back(std::move(cj));
    }
    j["claims"] = std::move(claims);

    json conflicts = json::array();
    for (const ConflictOut& c : e.conflicts) {
      json all_docs = json::array();
      for (const auto& docs : c.docs) {
        for (const auto& doc : docs) {
          if (std::find(all_docs.begin(), all_docs.end(), doc) == all_docs.end()) all_docs.push_back(doc);
        }
      }
      json sides = json::array();
      for (std::size_t i = 0; i < c.values.size(); ++i) sides.push_back({{"value", c.values[i]}, {"docs", c.docs[i]}});
      conflicts.push_back({{"field", c.field}, {"values", c.values}, {"docs", all_docs}, {"sides", sides}, {"note", c.note}});
    }
    j["conflicts"] = std::move(conflicts);

    json timeline = json::array();
    for (const TimelineEntry& t : e.timeline) {
      timeline.push_back({{"date", t.date}, {"doc", t.where.doc}, {"text", t.where.sentence}, {"span", span(t.where.sentence_span)}});
    }
    j["timeline"] = std::move(timeline);

    json summary = json::array();
    for (const Citation& c : e.summary) summary.push_back({{"text", c.text}, {"doc", c.doc}, {"span", span(c.span)}});
    j["summary"] = std::move(summary);
    events.push_back(std::move(j));
  }
  out["events"] = std::move(events);
  if (!d.warnings.empty()) out["warnings"] = d.warnings;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string render_analysis_json(const SourceDocument& doc, std::optional<CivilDate> published,
                                 const DocumentAnalysis& analysis) {
  const std::string_view original = doc.text;
  json out;
  out["schema"] = "isnad/1";
  out["id"] = doc.id;
  out["published"] = published ? json(fmt::format("{:04}-{:02}-{:02}", published->year, published->month, published->day)) : json(nullptr);

  json sentences = json::array();
  for (Span s : analysis.sentences) sentences.push_back({{"span", span(analysis.original_span(s))}});
  out["sentences"] = std::move(sentences);

  json numbers = json::array();
  for (const NumberMention& n : analysis.numbers) {
    const Span where = analysis.original_span(n.span);
    json item;
    item["text"] = std::string(where.of(original));
    item["value"] = number(n.value);
    item["qualifier"] = std::string(to_string(n.qualifier));
    item["span"] = span(where);
    if (n.ordinal) item["ordinal"] = true;
    numbers.push_back(std::move(item));
  }
  out["numbers"] = std::move(numbers);

  json dates = json::array();
  for (const DateMention& d : analysis.dates) {
    const Span where = analysis.original_span(d.span);
    json item;
    item["text"] = std::string(where.of(original));
    item["value"] = d.iso();
    item["granularity"] = std::string(to_string(d.granularity));
    item["span"] = span(where);
    dates.push_back(std::move(item));
  }
  out["dates"] = std::move(dates);

  auto text_of = [&](Span normalized) { return std::string(analysis.original_span(normalized).of(original)); };
  auto optional_text = [&](Span normalized) {
    return normalized.empty() ? json(nullptr) : json(text_of(normalized));
  };
  auto optional_span = [&](Span normalized) {
    return normalized.empty() ? json(nullptr) : span(analysis.original_span(normalized));
  };

  json entities = json::array();
  for (const EntityMention& e : analysis.entities) {
    json item;
    item["text"] = text_of(e.span);
    item["type"] = std::string(to_string(e.type));
    item["span"] = span(analysis.original_span(e.span));
    if (!e.role.empty()) item["role"] = text_of(e.role);
    entities.push_back(std::move(item));
  }
  out["entities"] = std::move(entities);

  json quotes = json::array();
  for (const Quote& q : analysis.quotes) {
    json item;
    item["speaker"] = optional_text(q.speaker);
    item["speaker_span"] = optional_span(q.speaker_span);
    item["text"] = text_of(q.text);
    item["kind"] = std::string(to_string(q.kind));
    item["cue"] = optional_text(q.cue);
    item["span"] = span(analysis.original_span(q.span));
    item["role"] = optional_text(q.role);
    item["outlet"] = optional_text(q.outlet);
    item["source"] = std::string(to_string(q.source));
    item["resolution"] = std::string(to_string(q.resolution));
    quotes.push_back(std::move(item));
  }
  out["quotes"] = std::move(quotes);

  json claims = json::array();
  for (const Claim& c : analysis.claims) {
    json item;
    item["type"] = std::string(to_string(c.type));
    item["value"] = c.value ? number(*c.value) : json(nullptr);
    item["qualifier"] = std::string(to_string(c.qualifier));
    item["event_hint"] = c.event_hint;
    item["span"] = span(analysis.original_span(c.span));
    item["actor"] = optional_text(c.actor);
    item["target"] = optional_text(c.target);
    item["attributed_to"] = optional_text(c.attributed_to);
    item["revision"] = c.revision;
    item["sentence"] = span(analysis.original_span(c.sentence));
    claims.push_back(std::move(item));
  }
  out["claims"] = std::move(claims);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}


}  // namespace isnad
