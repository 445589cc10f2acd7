#include "ingest/feed.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "ingest/html.h"
#include "ingest/xml_util.h"
#include "isnad/utf8.h"

namespace isnad::ingest {

namespace {

constexpr const char* kContentNs = "http://purl.org/rss/1.0/modules/content/";

struct ParseError {
  int line = 0;
  int column = 0;
  std::uint64_t offset = 0;
  std::string message;
};

struct ItemSpan {
  std::uint64_t begin = 0;                 // the '<' of the start tag
  std::optional<std::uint64_t> end;        // after the end tag; unset when libxml2 never closed it
};

// What the SAX hooks learn while libxml2 builds the tree.
struct ParseState {
  std::string_view bytes;
  std::unordered_map<const xmlNode*, ItemSpan> items;
  std::optional<ParseError> first_error;
};

ParseState& state_of(void* ctx) {
  return *static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

bool is_item_name(const xmlChar* name) {
  const std::string_view n(reinterpret_cast<const char*>(name));
  return n == "item" || n == "entry";
}

std::uint64_t consumed(xmlParserCtxtPtr ctxt) {
  const long at = xmlByteConsumed(ctxt);
  return at < 0 ? 0 : static_cast<std::uint64_t>(at);
}

void on_start(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, int nb_namespaces,
              const xmlChar** namespaces, int nb_attributes, int nb_defaulted, const xmlChar** attributes) {
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
                        attributes);
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  if (ctxt->node == nullptr || !is_item_name(localname)) return;
  ParseState& state = state_of(ctx);
  // libxml2 reports the position after the start tag; the tag began at the '<' before it.
  std::uint64_t at = std::min<std::uint64_t>(consumed(ctxt), state.bytes.size());
  const std::size_t lt = at == 0 ? std::string_view::npos : state.bytes.rfind('<', at - 1);
  state.items[ctxt->node].begin = lt == std::string_view::npos ? at : lt;
}

void on_end(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  if (ctxt->node != nullptr && is_item_name(localname)) {
    ParseState& state = state_of(ctx);
    if (const auto it = state.items.find(ctxt->node); it != state.items.end()) it->second.end = consumed(ctxt);
  }
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

void on_error(void* ctx, xmlErrorPtr error) {
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  ParseState& state = state_of(ctx);
  if (state.first_error) return;
  ParseError e;
  e.line = error->line;
  e.column = error->int2;
  e.offset = std::min<std::uint64_t>(consumed(static_cast<xmlParserCtxtPtr>(ctx)), state.bytes.size());
  e.message = collapse_space(error->message == nullptr ? "unknown XML error" : error->message);
  state.first_error = std::move(e);
}

struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

std::string local_name(const xmlNode* n) { return std::string(name_of(n)); }

bool in_namespace(const xmlNode* n, const char* href) {
  return n->ns != nullptr && n->ns->href != nullptr &&
         std::string_view(reinterpret_cast<const char*>(n->ns->href)) == href;
}

// All text and CDATA below `n`, as written (entity references skipped).
std::string raw_text(const xmlNode* n) {
  std::string out;
  walk(const_cast<xmlNode*>(n),
       [&](xmlNode* c) {
         if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) out += content_of(c);
         return c->type == XML_ELEMENT_NODE;
       },
       [](xmlNode*) {});
  return out;
}

// Atom type="xhtml": the markup is XML children, not escaped text; serialise it back to HTML.
std::string xhtml_markup(xmlNode* n) {
  std::string out;
  xmlBufferPtr buffer = xmlBufferCreate();
  if (buffer == nullptr) return out;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ENTITY_REF_NODE) continue;
    xmlNodeDump(buffer, n->doc, c, 0, 0);
  }
  out.assign(reinterpret_cast<const char*>(xmlBufferContent(buffer)), static_cast<std::size_t>(xmlBufferLength(buffer)));
  xmlBufferFree(buffer);
  return out;
}

std::string plain(std::string_view s) {
  return s.find('<') == std::string_view::npos ? collapse_space(s) : collapse_space(html_fragment_text(s));
}

struct Item {
  std::string id, title, url, published, outlet;
  std::vector<std::string> bodies;  // HTML or text, in order of preference
};

Item read_item(xmlNode* item) {
  Item out;
  std::string guid, atom_id, link, content_encoded, content, description, pub_date, published, updated, dc_date;
  for (xmlNode* c = item->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const std::string name = local_name(c);
    if (name == "title" && out.title.empty()) out.title = plain(raw_text(c));
    if (name == "guid") guid = collapse_space(raw_text(c));
    if (name == "id") atom_id = collapse_space(raw_text(c));
    if (name == "link") {
      const std::string rel = attribute(c, "rel");
      std::string href = attribute(c, "href");
      if (href.empty()) href = raw_text(c);  // RSS: <link>URL</link>
      if (link.empty() && (rel.empty() || rel == "alternate")) link = collapse_space(href);
    }
    if (name == "encoded" && in_namespace(c, kContentNs)) content_encoded = raw_text(c);
    if (name == "content" && !in_namespace(c, kContentNs)) {
      content = attribute(c, "type") == "xhtml" ? xhtml_markup(c) : raw_text(c);
    }
    if (name == "description" || name == "summary") description = raw_text(c);
    if (name == "pubDate") pub_date = raw_text(c);
    if (name == "published") published = raw_text(c);
    if (name == "updated") updated = raw_text(c);
    if (name == "date") dc_date = raw_text(c);
    if (name == "source") out.outlet = plain(raw_text(c));
  }
  out.id = !guid.empty() ? guid : !atom_id.empty() ? atom_id : link;
  out.url = link;
  for (const std::string* d : {&pub_date, &published, &dc_date, &updated}) {
    if (out.published.empty() && !collapse_space(*d).empty()) out.published = iso_date(*d);
  }
  for (std::string* body : {&content_encoded, &content, &description}) {
    if (!collapse_space(*body).empty()) out.bodies.push_back(std::move(*body));
  }
  return out;
}

// The feed's own title: Atom feed/title, RSS channel/title.
std::string feed_title(xmlNode* root) {
  xmlNode* scope = root;
  if (local_name(root) != "feed") {
    scope = nullptr;
    for (xmlNode* c = root->children; c != nullptr && scope == nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && local_name(c) == "channel") scope = c;
    }
  }
  if (scope == nullptr) return {};
  for (xmlNode* t = scope->children; t != nullptr; t = t->next) {
    if (t->type == XML_ELEMENT_NODE && local_name(t) == "title") return plain(raw_text(t));
  }
  return {};
}

bool declares_encoding(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, std::min<std::size_t>(bytes.size(), 200));
  return head.starts_with("<?xml") && head.find("encoding") != std::string_view::npos;
}

std::string where(const ParseError& e) {
  return "line " + std::to_string(e.line) + ", column " + std::to_string(e.column);
}

}  // namespace

Status parse_feed(std::string_view bytes, const std::string& path, std::vector<SourceDocument>& documents,
                  std::vector<InputProblem>& rejected) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return make_error(ErrorCode::kTooLarge, "feed over 2 GiB");
  if (Status valid = validate_utf8(bytes); !valid && !declares_encoding(bytes)) {
    return make_error(ErrorCode::kInvalidUtf8, "invalid UTF-8 and no encoding declared in <?xml ...?>",
                      valid.error().offset);
  }
  init_libxml();
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt || ctxt->sax == nullptr) return make_error(ErrorCode::kParse, "libxml2 could not start a parser");
  ParseState state;
  state.bytes = bytes;
  ctxt->_private = &state;
  ctxt->sax->startElementNs = on_start;
  ctxt->sax->endElementNs = on_end;
  ctxt->sax->serror = on_error;
  // No NOENT/DTDLOAD: external entities stay unread. NONET: nothing is fetched.
  const int options = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_BIG_LINES | XML_PARSE_COMPACT;
  HtmlDocPtr doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options));
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  const std::optional<ParseError>& broken = state.first_error;
  if (root == nullptr) {
    if (broken) return make_error(ErrorCode::kParse, "not XML: " + where(*broken) + ": " + broken->message, broken->offset);
    return make_error(ErrorCode::kParse, "not XML (no root element)");
  }
  const std::string root_name = local_name(root);
  if (root_name != "rss" && root_name != "feed" && root_name != "RDF") {
    return make_error(ErrorCode::kParse, "not an RSS or Atom feed (root element <" + root_name + ">)");
  }

  std::vector<xmlNode*> items;
  walk(root,
       [&](xmlNode* n) {
         if (n->type != XML_ELEMENT_NODE) return false;
         if (n != root && (name_of(n) == "item" || name_of(n) == "entry")) {
           items.push_back(n);
           return false;  // an item inside an item is part of its content
         }
         return true;
       },
       [](xmlNode*) {});

  std::size_t kept_before_break = 0;
  std::size_t dropped = 0;
  const std::string outlet = feed_title(root);
  const std::string stem = std::filesystem::path(path).stem().string();
  for (std::size_t index = 0; index < items.size(); ++index) {
    xmlNode* node = items[index];
    const auto span = state.items.find(node);
    const std::uint64_t begin = span == state.items.end() ? 0 : span->second.begin;
    if (broken && (span == state.items.end() || !span->second.end || *span->second.end > broken->offset)) {
      ++dropped;
      continue;
    }
    ++kept_before_break;
    Item item = read_item(node);
    const long line = xmlGetLineNo(node);
    const std::string label = "feed item " + std::to_string(index + 1) + " (line " + std::to_string(line) + ")";
    std::optional<Error> failure;
    std::string text;
    for (const std::string& body : item.bodies) {
      std::string candidate = html_fragment_text(body);
      Status ok = check_text(candidate);
      if (ok) {
        text = std::move(candidate);
        failure.reset();
        break;
      }
      if (!failure) failure = ok.error();
    }
    if (text.empty()) {
      const std::string why = failure ? failure->message : "no content, content:encoded, description or summary";
      const ErrorCode code = failure ? failure->code : ErrorCode::kEmptyInput;
      rejected.push_back({path, make_error(code, label + ": " + why, begin)});
      continue;
    }
    SourceDocument document;
    document.id = item.id.empty() ? stem + "#" + std::to_string(index + 1) : item.id;
    document.outlet = item.outlet.empty() ? outlet : item.outlet;
    document.url = item.url;
    document.published = item.published;
    document.title = item.title;
    document.text = std::move(text);
    document.path = path;
    document.line = line > 0 ? static_cast<std::uint32_t>(line) : 0;
    documents.push_back(std::move(document));
  }

  if (broken) {
    const std::string message = "broken XML at " + where(*broken) + ": " + broken->message;
    if (kept_before_break == 0) {
      return make_error(ErrorCode::kParse, message + "; no complete item before it", broken->offset);
    }
    rejected.push_back({path, make_error(ErrorCode::kParse,
                                         message + "; read " + std::to_string(kept_before_break) +
                                             " item(s) before it, dropped " + std::to_string(dropped) + " after it",
                                         broken->offset)});
    return {};
  }
  if (items.empty()) return make_error(ErrorCode::kEmptyInput, "feed has no <item> or <entry>");
  return {};
}

}  // namespace isnad::ingest
