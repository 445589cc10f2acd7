// Internal to src/ingest: the few libxml2 helpers html.cpp and feed.cpp share.
//
// libxml2 trees are walked iteratively through parent/next pointers (walk()), never recursively,
// so a page of 10,000 nested <div>s cannot exhaust the stack. Entity-reference nodes are never
// entered: their children belong to the entity declaration, and not expanding them is also what
// keeps a "billion laughs" feed from blowing up.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>

namespace isnad::ingest {

// xmlInitParser() once per process (libxml2 2.9 wants it before threads use the parser).
void init_libxml();

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using HtmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

inline std::string_view name_of(const xmlNode* n) {
  return n->name == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(n->name));
}

// Text content of a text or CDATA node.
inline std::string_view content_of(const xmlNode* n) {
  return n->content == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(n->content));
}

// Attribute value ("" when absent); the name is matched as libxml2 stores it (HTML: lower case).
std::string attribute(const xmlNode* n, const char* name);
bool has_attribute(const xmlNode* n, const char* name);

// Concatenated text and CDATA below `n` (entity references skipped), white space collapsed.
std::string text_of(const xmlNode* n);

// Runs of white space → one space; trimmed.
std::string collapse_space(std::string_view s);
// The same inside each paragraph; paragraphs (split at blank lines) joined by "\n\n".
std::string collapse_space_keep_paragraphs(std::string_view s);

// Pre-order walk below and including `root`: enter(n) returns whether to descend into n's
// children; leave(n) runs after them (also when enter said no). Only elements and documents are
// descended into.
template <class Enter, class Leave>
void walk(xmlNode* root, Enter&& enter, Leave&& leave) {
  xmlNode* n = root;
  while (n != nullptr) {
    const bool descend = enter(n) && (n->type == XML_ELEMENT_NODE || n->type == XML_DOCUMENT_NODE ||
                                      n->type == XML_HTML_DOCUMENT_NODE);
    if (descend && n->children != nullptr) {
      n = n->children;
      continue;
    }
    while (true) {
      leave(n);
      if (n == root) return;
      if (n->next != nullptr) {
        n = n->next;
        break;
      }
      n = n->parent;
    }
  }
}

}  // namespace isnad::ingest
