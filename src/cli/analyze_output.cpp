#include "cli/analyze_output.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>

namespace isnad::cli {

namespace {

// 137 rather than 137.0, as in the JSON.
std::string number_text(double v) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < kExactIntegerLimit) {
    return fmt::format("{}", static_cast<std::int64_t>(v));
  }
  return fmt::format("{}", v);
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
