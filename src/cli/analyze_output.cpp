#include "cli/analyze_output.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>

namespace isnad::cli {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json span_json(Span s) { return ordered_json::array({s.begin, s.end}); }

// 137 rather than 137.0: counts are integers, and JSON readers in other languages keep the type.
ordered_json number_value(double v) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < kExactIntegerLimit) {
    return static_cast<std::int64_t>(v);
  }
  return v;
}

std::string number_text(double v) {
  const ordered_json j = number_value(v);
  return j.dump();
}

// One line of a sentence for the text report: line breaks inside it become spaces.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

}  // namespace

std::string iso_date(CivilDate date) { return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day); }

ordered_json analysis_to_json(const SourceDocument& doc, std::optional<CivilDate> published,
                              const DocumentAnalysis& analysis) {
  const std::string_view original = doc.text;
  ordered_json out;
  out["schema"] = "isnad/1";
  out["id"] = doc.id;
  out["published"] = published ? ordered_json(iso_date(*published)) : ordered_json(nullptr);

  ordered_json sentences = ordered_json::array();
  for (Span s : analysis.sentences) sentences.push_back({{"span", span_json(analysis.original_span(s))}});
  out["sentences"] = std::move(sentences);

  ordered_json numbers = ordered_json::array();
  for (const NumberMention& n : analysis.numbers) {
    const Span span = analysis.original_span(n.span);
    ordered_json item;
    item["text"] = std::string(span.of(original));
    item["value"] = number_value(n.value);
    item["qualifier"] = std::string(to_string(n.qualifier));
    item["span"] = span_json(span);
    if (n.ordinal) item["ordinal"] = true;
    numbers.push_back(std::move(item));
  }
  out["numbers"] = std::move(numbers);

  ordered_json dates = ordered_json::array();
  for (const DateMention& d : analysis.dates) {
    const Span span = analysis.original_span(d.span);
    ordered_json item;
    item["text"] = std::string(span.of(original));
    item["value"] = d.iso();
    item["granularity"] = std::string(to_string(d.granularity));
    item["span"] = span_json(span);
    dates.push_back(std::move(item));
  }
  out["dates"] = std::move(dates);

  auto text_of = [&](Span normalized) { return std::string(analysis.original_span(normalized).of(original)); };
  auto optional_text = [&](Span normalized) {
    return normalized.empty() ? ordered_json(nullptr) : ordered_json(text_of(normalized));
  };
  auto optional_span = [&](Span normalized) {
    return normalized.empty() ? ordered_json(nullptr) : span_json(analysis.original_span(normalized));
  };

  ordered_json entities = ordered_json::array();
  for (const EntityMention& e : analysis.entities) {
    ordered_json item;
    item["text"] = text_of(e.span);
    item["type"] = std::string(to_string(e.type));
    item["span"] = span_json(analysis.original_span(e.span));
    if (!e.role.empty()) item["role"] = text_of(e.role);
    entities.push_back(std::move(item));
  }
  out["entities"] = std::move(entities);

  ordered_json quotes = ordered_json::array();
  for (const Quote& q : analysis.quotes) {
    ordered_json item;
    item["speaker"] = optional_text(q.speaker);
    item["speaker_span"] = optional_span(q.speaker_span);
    item["text"] = text_of(q.text);
    item["kind"] = std::string(to_string(q.kind));
    item["cue"] = optional_text(q.cue);
    item["span"] = span_json(analysis.original_span(q.span));
    item["role"] = optional_text(q.role);
    item["outlet"] = optional_text(q.outlet);
    item["source"] = std::string(to_string(q.source));
    item["resolution"] = std::string(to_string(q.resolution));
    quotes.push_back(std::move(item));
  }
  out["quotes"] = std::move(quotes);

  ordered_json claims = ordered_json::array();
  for (const Claim& c : analysis.claims) {
    ordered_json item;
    item["type"] = std::string(to_string(c.type));
    item["value"] = c.value ? number_value(*c.value) : ordered_json(nullptr);
    item["qualifier"] = std::string(to_string(c.qualifier));
    item["event_hint"] = c.event_hint;
    item["span"] = span_json(analysis.original_span(c.span));
    item["actor"] = optional_text(c.actor);
    item["target"] = optional_text(c.target);
    item["attributed_to"] = optional_text(c.attributed_to);
    item["revision"] = c.revision;
    item["sentence"] = span_json(analysis.original_span(c.sentence));
    claims.push_back(std::move(item));
  }
  out["claims"] = std::move(claims);
  return out;
}

void write_text_report(std::ostream& out, const SourceDocument& doc, std::optional<CivilDate> published,
                       const DocumentAnalysis& analysis) {
  const std::string_view original = doc.text;
  out << "== " << doc.id << "  (" << doc.path;
  if (doc.line != 0) out << ", line " << doc.line;
  out << ")\n";
  if (!doc.outlet.empty()) out << "   outlet:    " << doc.outlet << '\n';
  if (!doc.title.empty()) out << "   title:     " << doc.title << '\n';
  out << "   published: " << (published ? iso_date(*published) : std::string("unknown")) << '\n';
  out << "   length:    " << original.size() << " bytes\n";

  out << "\n   Sentences (" << analysis.sentences.size() << ")\n";
  for (std::size_t i = 0; i < analysis.sentences.size(); ++i) {
    const Span s = analysis.original_span(analysis.sentences[i]);
    out << fmt::format("   {:>3}. [{}, {})  ", i + 1, s.begin, s.end) << one_line(s.of(original)) << '\n';
  }

  out << "\n   Numbers (" << analysis.numbers.size() << ")\n";
  for (const NumberMention& n : analysis.numbers) {
    const Span s = analysis.original_span(n.span);
    out << "     " << number_text(n.value) << "  " << to_string(n.qualifier) << (n.ordinal ? " ordinal" : "")
        << "  «" << one_line(s.of(original)) << "»" << fmt::format("  [{}, {})", s.begin, s.end) << '\n';
  }

  out << "\n   Dates (" << analysis.dates.size() << ")";
  if (!published) out << "  (no publication date: weekdays and relative dates are not resolved)";
  out << '\n';
  for (const DateMention& d : analysis.dates) {
    const Span s = analysis.original_span(d.span);
    out << "     " << d.iso() << "  " << to_string(d.granularity) << "  «" << one_line(s.of(original)) << "»"
        << fmt::format("  [{}, {})", s.begin, s.end) << '\n';
  }
  auto text_of = [&](Span normalized) { return one_line(analysis.original_span(normalized).of(original)); };

  out << "\n   Entities (" << analysis.entities.size() << ")\n";
  for (const EntityMention& e : analysis.entities) {
    out << "     " << to_string(e.type) << "  " << text_of(e.span);
    if (!e.role.empty()) out << "  (role: " << text_of(e.role) << ")";
    out << '\n';
  }
  out << "\n   Quotes (" << analysis.quotes.size() << ")\n";
  for (const Quote& q : analysis.quotes) {
    out << "     " << (q.speaker.empty() ? std::string("?") : text_of(q.speaker)) << " [" << to_string(q.kind) << ", "
        << to_string(q.source) << "]: «" << text_of(q.text) << "»\n";
  }
  out << "\n   Claims (" << analysis.claims.size() << ")\n";
  for (const Claim& c : analysis.claims) {
    out << "     " << to_string(c.type);
    if (c.value) out << ' ' << to_string(c.qualifier) << ' ' << number_text(*c.value);
    if (!c.actor.empty()) out << "  actor: " << text_of(c.actor);
    if (!c.target.empty()) out << "  target: " << text_of(c.target);
    if (!c.attributed_to.empty()) out << "  per: " << text_of(c.attributed_to);
    if (!c.event_hint.empty()) out << "  (other event: " << c.event_hint << ")";
    out << "  «" << text_of(c.span) << "»\n";
  }
  out << '\n';
}

}  // namespace isnad::cli
