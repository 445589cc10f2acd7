// Markdown and HTML renderings of a dossier, for people. Both say what the JSON says; every
// figure, quote, claim and summary sentence links to its source sentence.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "isnad/dossier.h"

namespace isnad {

namespace {

std::string number_text(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.1f}", v);
}

// Readers of a dossier are Arabic speakers: qualifiers are shown in Arabic.
std::string_view qualifier_ar(Qualifier q) {
  switch (q) {
    case Qualifier::kExact: return "";
    case Qualifier::kAtLeast: return "على الأقل";
    case Qualifier::kAtMost: return "على الأكثر";
    case Qualifier::kAbout: return "نحو";
    case Qualifier::kMoreThan: return "أكثر من";
    case Qualifier::kLessThan: return "أقل من";
    case Qualifier::kUpTo: return "ما يصل إلى";
    case Qualifier::kVague: return "عدد غير محدد";
  }
  return "";
}

std::string_view kind_ar(std::string_view kind) {
  if (kind == "killed") return "القتلى";
  if (kind == "injured") return "الجرحى";
  if (kind == "arrested") return "الموقوفون";
  if (kind == "missing") return "المفقودون";
  if (kind == "attackers_killed") return "المهاجمون القتلى";
  if (kind == "responsibility") return "تبني المسؤولية";
  if (kind == "accusation") return "اتهام";
  if (kind == "denial") return "نفي";
  if (kind == "warning") return "تحذير";
  if (kind == "date") return "تاريخ الحدث";
  if (kind == "attribution") return "الجهة المسؤولة";
  return kind;
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string anchor(const Citation& c) { return fmt::format("s-{}-{}", escape(c.doc), c.sentence_span.begin); }
std::string anchor(const std::string& doc, std::uint32_t begin) { return fmt::format("s-{}-{}", escape(doc), begin); }

std::string md_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '[' || c == ']' || c == '`') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string md_cite(const Citation& c) { return fmt::format("[{}@{}–{}]", md_escape(c.doc), c.span.begin, c.span.end); }

}  // namespace

std::string render_markdown(const Dossier& d) {
  std::string out = "# ملف الأحداث (isnad)\n\n";
  out += fmt::format("{} وثيقة، {} حدث\n\n", d.documents.size(), d.events.size());
  for (const EventOut& e : d.events) {
    out += fmt::format("## {} — {}\n\n", e.id, md_escape(e.title));
    out += fmt::format("- المصادر: {}\n", fmt::join(e.documents, "، "));
    if (e.date_best) out += fmt::format("- التاريخ: {}{}\n", *e.date_best, e.date_conflict ? " (⚠ تتعارض المصادر)" : "");
    out += "\n";
    if (!e.summary.empty()) {
      out += "### الملخص\n\n";
      for (const Citation& c : e.summary) out += fmt::format("- {} {}\n", md_escape(c.text), md_cite(c));
      out += "\n";
    }
    if (!e.conflicts.empty()) {
      out += "### تعارضات\n\n";
      for (const ConflictOut& c : e.conflicts) {
        std::vector<std::string> sides;
        for (std::size_t i = 0; i < c.values.size(); ++i) {
          sides.push_back(fmt::format("{} ({})", md_escape(c.values[i]), fmt::join(c.docs[i], "، ")));
        }
        out += fmt::format("- **{}**: {} — {}\n", kind_ar(c.field.starts_with("figure:") ? c.field.substr(7) : c.field),
                           fmt::join(sides, " ↔ "), md_escape(c.note));
      }
      out += "\n";
    }
    for (const FigureOut& f : e.figures) {
      out += fmt::format("### {}: {} (بين {} و{}){}\n\n", kind_ar(f.kind), number_text(f.best), number_text(f.low),
                         number_text(f.high), f.consistent ? "" : " ⚠ متعارضة");
      out += fmt::format("{}\n\n| المصدر | الرقم | الصيغة | المنسوب إليه | الجملة |\n|---|---|---|---|---|\n", md_escape(f.rationale));
      for (const FigureReportOut& r : f.reports) {
        out += fmt::format("| {}{}{} | {} | {} | {} | {} {} |\n", md_escape(r.where.doc), r.independent ? "" : " (نسخة)",
                           r.superseded ? " (قديم)" : "", number_text(r.value), qualifier_ar(r.qualifier),
                           md_escape(r.attributed_to), md_escape(r.where.sentence), md_cite(r.where));
      }
      out += "\n";
    }
    if (!e.quotes.empty()) {
      out += "### من قال ماذا\n\n";
      for (const QuoteOut& q : e.quotes) {
        out += fmt::format("- **{}**{}{}: «{}» — {}{} {}\n", md_escape(q.speaker.empty() ? "(غير معروف)" : q.speaker),
                           q.role.empty() ? "" : fmt::format(" ({})", md_escape(q.role)), q.cue.empty() ? "" : fmt::format(" {}", md_escape(q.cue)),
                           md_escape(q.text), md_escape(q.outlet),
                           q.cited_medium.empty() ? "" : fmt::format(" ← {}", md_escape(q.cited_medium)), md_cite(q.where));
      }
      out += "\n";
    }
    if (!e.claims.empty()) {
      out += "### ادعاءات\n\n";
      for (const ClaimOut& c : e.claims) {
        out += fmt::format("- {}: {} → {} ({}){}\n", kind_ar(c.type), md_escape(c.actor), md_escape(c.target), fmt::join(c.docs, "، "),
                           c.denied_by.empty() ? "" : fmt::format(" — نفاه: {}", fmt::join(c.denied_by, "، ")));
      }
      out += "\n";
    }
    if (!e.timeline.empty()) {
      out += "### التسلسل الزمني\n\n";
      for (const TimelineEntry& t : e.timeline) out += fmt::format("- {}: {} {}\n", t.date, md_escape(t.where.sentence), md_cite(t.where));
      out += "\n";
    }
    if (!e.entities.empty()) {
      out += "### الكيانات\n\n";
      for (const ResolvedEntity& r : e.entities) {
        out += fmt::format("- {} ({}): {}\n", md_escape(r.name), to_string(r.type), md_escape(fmt::format("{}", fmt::join(r.variants, " / "))));
      }
      out += "\n";
    }
  }
  return out;
}

namespace {

// One horizontal bar per report, drawn from the right (RTL). A lower bound is an open-ended bar
// that fades to the edge; an upper bound is an outline; "about" carries ±15% whiskers.
std::string figure_chart(const FigureOut& f) {
  double max = 0;
  for (const auto& r : f.reports) max = std::max(max, r.value);
  if (max <= 0) max = 1;
  const int row = 30, label = 150, width = 620, plot = width - label - 20;
  const int height = row * static_cast<int>(f.reports.size()) + 10;
  std::string svg = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">", width, height, escape(std::string(kind_ar(f.kind))));
  for (std::size_t i = 0; i < f.reports.size(); ++i) {
    const FigureReportOut& r = f.reports[i];
    const int y = 5 + static_cast<int>(i) * row;
    const double len = plot * 0.8 * r.value / max;
    const double right = width - label;
    const double x = right - len;
    const char* css = r.superseded ? "bar old" : "bar";
    svg += fmt::format("<a href=\"#{}\"><text x=\"{}\" y=\"{}\" class=\"lbl\">{}{}</text></a>", anchor(r.where), width - 5, y + 18,
                       escape(r.where.doc), r.independent ? "" : " (نسخة)");
    switch (r.qualifier) {
      case Qualifier::kAtLeast:
      case Qualifier::kMoreThan:
        svg += fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"20\"/>", css, x, y, len);
        svg += fmt::format("<rect class=\"open\" x=\"10\" y=\"{}\" width=\"{:.1f}\" height=\"20\"/>", y, std::max(0.0, x - 10));
        break;
      case Qualifier::kUpTo:
      case Qualifier::kAtMost:
      case Qualifier::kLessThan:
        svg += fmt::format("<rect class=\"upper\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"20\"/>", x, y, len);
        break;
      case Qualifier::kAbout:
        svg += fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"20\"/>", css, x, y, len);
        svg += fmt::format("<line class=\"whisker\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\"/>", x - len * 0.15, x + len * 0.15,
                           y + 10, y + 10);
        break;
      default:
        svg += fmt::format("<rect class=\"{}{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"20\"/>", css,
                           r.qualifier == Qualifier::kVague ? " vague" : "", x, y, len);
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"val\">{} {}</text>", std::max(60.0, x - 6), y + 15,
                       escape(std::string(qualifier_ar(r.qualifier))), number_text(r.value));
  }
  return svg + "</svg>";
}

constexpr const char* kStyle = R"css(
:root{--ink:#1d2433;--muted:#5b6577;--line:#d8dde6;--accent:#0b6e4f;--warn:#b3261e;--bg:#fbfbfd}
*{box-sizing:border-box}body{margin:0;font-family:"Noto Naskh Arabic","Noto Sans Arabic","Amiri","Geeza Pro","Segoe UI",Tahoma,sans-serif;
color:var(--ink);background:var(--bg);line-height:1.7}
header,main{max-width:980px;margin:auto;padding:1rem}h1{font-size:1.6rem;margin:.2rem 0}h2{border-bottom:2px solid var(--accent);padding-bottom:.2rem}
section.event{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem 1.2rem;margin:1rem 0}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e7f3ee;color:var(--accent);font-size:.85rem;margin-inline-start:.3rem}
.badge.warn{background:#fde8e6;color:var(--warn)}.conflict{border-inline-start:4px solid var(--warn);background:#fff6f5;padding:.4rem .8rem;margin:.4rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border-bottom:1px solid var(--line);padding:.3rem;text-align:start;vertical-align:top}
.chart{width:100%;max-width:620px;height:auto;direction:ltr}.bar{fill:var(--accent)}.bar.old{opacity:.35}.bar.vague{fill:#8fb8a8}
.open{fill:url(#fade)}.upper{fill:none;stroke:var(--accent);stroke-width:2;stroke-dasharray:4 3}.whisker{stroke:var(--ink);stroke-width:2}
.lbl{font-size:13px;text-anchor:end;fill:var(--ink)}.val{font-size:12px;text-anchor:end;fill:var(--ink)}
a{color:var(--accent)}blockquote{margin:.3rem 0;padding:.2rem .8rem;border-inline-start:3px solid var(--line)}
.src p{margin:.15rem 0}.src p:target{background:#fff3c4}.muted{color:var(--muted);font-size:.85rem}
@media (max-width:600px){td,th{font-size:.8rem}header,main{padding:.5rem}}
)css";

}  // namespace

std::string render_html(const Dossier& d) {
  std::string out = "<!doctype html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    "<title>ملف الأحداث — isnad</title><style>";
  out += kStyle;
  out += "</style></head><body>";
  out += "<svg width=\"0\" height=\"0\" aria-hidden=\"true\"><defs><linearGradient id=\"fade\" x1=\"1\" x2=\"0\">"
         "<stop offset=\"0\" stop-color=\"#0b6e4f\" stop-opacity=\".6\"/><stop offset=\"1\" stop-color=\"#0b6e4f\" stop-opacity=\"0\"/>"
         "</linearGradient></defs></svg>";
  out += fmt::format("<header><h1>ملف الأحداث</h1><p class=\"muted\">{} وثيقة، {} حدث. كل رقم واقتباس مرتبط بجملته في المصدر.</p></header><main>",
                     d.documents.size(), d.events.size());
  for (const EventOut& e : d.events) {
    out += fmt::format("<section class=\"event\" id=\"{}\"><h2>{}{}</h2>", escape(e.id), escape(e.title),
                       e.conflicts.empty() ? "" : fmt::format("<span class=\"badge warn\">{} تعارض</span>", e.conflicts.size()));
    out += fmt::format("<p class=\"muted\">المصادر: {}{}</p>", escape(fmt::format("{}", fmt::join(e.documents, "، "))),
                       e.date_best ? " — التاريخ: " + escape(*e.date_best) : "");
    if (!e.summary.empty()) {
      out += "<h3>الملخص</h3><ol>";
      for (const Citation& c : e.summary) {
        out += fmt::format("<li>{} <a href=\"#{}\">[{}]</a></li>", escape(c.text), anchor(c), escape(c.doc));
      }
      out += "</ol>";
    }
    if (!e.conflicts.empty()) {
      out += "<h3>تعارضات</h3>";
      for (const ConflictOut& c : e.conflicts) {
        out += fmt::format("<div class=\"conflict\"><strong>{}</strong>: ", escape(std::string(kind_ar(c.field.starts_with("figure:") ? c.field.substr(7) : c.field))));
        for (std::size_t i = 0; i < c.values.size(); ++i) {
          out += fmt::format("{}<b>{}</b> ({})", i ? " ↔ " : "", escape(c.values[i]), escape(fmt::format("{}", fmt::join(c.docs[i], "، "))));
        }
        out += fmt::format("<div class=\"muted\">{}</div></div>", escape(c.note));
      }
    }
    for (const FigureOut& f : e.figures) {
      out += fmt::format("<h3>{}: {} <span class=\"badge{}\">{}</span></h3>", escape(std::string(kind_ar(f.kind))), number_text(f.best),
                         f.consistent ? "" : " warn", f.consistent ? "متسقة" : "متعارضة");
      out += fmt::format("<p class=\"muted\">المدى {}–{}. {}</p>", number_text(f.low), number_text(f.high), escape(f.rationale));
      out += figure_chart(f);
      out += "<table><tr><th>المصدر</th><th>الرقم</th><th>المنسوب إليه</th><th>الجملة</th></tr>";
      for (const FigureReportOut& r : f.reports) {
        out += fmt::format("<tr><td>{}</td><td>{} {}</td><td>{}</td><td><a href=\"#{}\">{}</a></td></tr>", escape(r.where.doc),
                           escape(std::string(qualifier_ar(r.qualifier))), number_text(r.value), escape(r.attributed_to), anchor(r.where),
                           escape(r.where.sentence));
      }
      out += "</table>";
    }
    if (!e.quotes.empty()) {
      out += "<h3>من قال ماذا</h3>";
      for (const QuoteOut& q : e.quotes) {
        out += fmt::format("<blockquote><strong>{}</strong>{}{}: «{}» <span class=\"muted\">{}{}</span> <a href=\"#{}\">[{}]</a></blockquote>",
                           escape(q.speaker.empty() ? "(غير معروف)" : q.speaker), q.role.empty() ? "" : fmt::format(" ({})", escape(q.role)),
                           q.cue.empty() ? "" : fmt::format(" <span class=\"cue\">{}</span>", escape(q.cue)),
                           escape(q.text), escape(q.outlet), q.cited_medium.empty() ? "" : fmt::format(" ← {}", escape(q.cited_medium)),
                           anchor(q.where), escape(q.where.doc));
      }
    }
    if (!e.claims.empty()) {
      out += "<h3>ادعاءات</h3><ul>";
      for (const ClaimOut& c : e.claims) {
        out += fmt::format("<li>{}: {} → {}", escape(std::string(kind_ar(c.type))), escape(c.actor), escape(c.target));
        for (const Citation& w : c.where) out += fmt::format(" <a href=\"#{}\">[{}]</a>", anchor(w), escape(w.doc));
        if (!c.denied_by.empty()) out += " — <b>نفاه</b>: " + escape(fmt::format("{}", fmt::join(c.denied_by, "، ")));
        out += "</li>";
      }
      out += "</ul>";
    }
    if (!e.timeline.empty()) {
      out += "<h3>التسلسل الزمني</h3><ul>";
      for (const TimelineEntry& t : e.timeline) {
        out += fmt::format("<li><b>{}</b> <a href=\"#{}\">{}</a></li>", escape(t.date), anchor(t.where), escape(t.where.sentence));
      }
      out += "</ul>";
    }
    if (!e.entities.empty()) {
      out += "<h3>الكيانات</h3><ul>";
      for (const ResolvedEntity& r : e.entities) {
        out += fmt::format("<li>{} <span class=\"muted\">{} — {}</span></li>", escape(r.name), to_string(r.type),
                           escape(fmt::format("{}", fmt::join(r.variants, " / "))));
      }
      out += "</ul>";
    }
    out += "</section>";
  }
  out += "<section class=\"event src\"><h2>المصادر</h2>";
  for (const DocumentResult& doc : d.documents) {
    out += fmt::format("<h3 id=\"doc-{}\">{} <span class=\"muted\">{} {}</span></h3>", escape(doc.source.id), escape(doc.source.id),
                       escape(doc.source.outlet), escape(doc.source.published));
    for (const Span s : doc.analysis.sentences) {
      const Span o = doc.analysis.original_span(s);
      out += fmt::format("<p id=\"{}\">{}</p>", anchor(doc.source.id, o.begin), escape(o.of(doc.source.text)));
    }
  }
  out += "</section></main></body></html>\n";
  return out;
}

}  // namespace isnad
