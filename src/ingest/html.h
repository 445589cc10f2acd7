// Internal to src/ingest: the main text and metadata of a news page, through libxml2's HTML parser.
//
// extract_html() keeps what a reader would call the article and drops what surrounds it:
//   1. metadata first, from the whole page: title (og:title, JSON-LD headline, <h1>, <title> minus a
//      " - Outlet" suffix), published (article:published_time and kin, JSON-LD datePublished,
//      <time datetime>), outlet (og:site_name, JSON-LD publisher), url (canonical, og:url, JSON-LD);
//   2. noise is skipped: scripts/styles/forms, nav/header/footer/aside, and elements whose
//      class/id/role says share, social, subscribe, related, comments, cookie, breadcrumb, ads...
//      (unless that element holds most of the page's text — a wrapper named "has-share" is kept);
//   3. the container: [itemprop=articleBody], else the <article> with most text, else the block
//      with the highest text-density score under <main> or <body> (Arabic letters of its
//      paragraphs, times 1 − link density), plus sibling blocks that score nearly as well;
//   4. paragraphs: block elements and <br><br> separate paragraphs (joined by a blank line), white
//      space is collapsed, link-heavy paragraphs and short "اشترك / اقرأ أيضا / share" lines go.
// If that leaves nothing, the same walk runs without step 2's class rules, then JSON-LD
// articleBody is used; if still nothing → kEmptyInput "no article text found".
//
// Encoding: bytes that are valid UTF-8 are read as UTF-8 whatever the page declares (a page saved
// as UTF-8 often keeps its old windows-1256 meta); otherwise the declared charset is honoured, and
// without a declaration the bytes are refused as kInvalidUtf8 with the offset of the first bad byte.
// Output strings are UTF-8 (entities decoded); the text is not yet check_text()ed.
//
// Cost: one libxml2 tree of the page (a few times its size) and two walks over it. Walks are
// iterative, so deeply nested markup cannot exhaust the stack.
#pragma once

#include <string>
#include <string_view>

#include "isnad/status.h"

namespace isnad::ingest {

struct HtmlArticle {
  std::string title;
  std::string published;  // as the page gives it (ISO 8601 in practice); empty when unknown
  std::string outlet;
  std::string url;
  std::string text;       // paragraphs separated by "\n\n"
};

// A whole page. Errors: kInvalidUtf8, kTooLarge (over 2 GiB), kParse (libxml2 gave no tree),
// kEmptyInput (no article text found).
Expected<HtmlArticle> extract_html(std::string_view bytes);

// An HTML fragment (an RSS description, Atom content): noise dropped and paragraphs kept, but no
// container is chosen — the fragment is the article. Text without '<' is taken as plain text.
// Returns "" when nothing is left. `bytes` must be UTF-8.
std::string html_fragment_text(std::string_view bytes);

// A publication date as ISO 8601 when it can be read as one: ISO input is kept (trimmed), RFC 822
// ("Tue, 14 May 2024 08:30:00 +0300", RSS pubDate) becomes "2024-05-14T08:30:00+03:00". Anything
// else is returned trimmed, unchanged.
std::string iso_date(std::string_view date);

}  // namespace isnad::ingest
