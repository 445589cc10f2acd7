#include "ingest/xml_util.h"

#include <libxml/parser.h>

#include "isnad/utf8.h"

namespace isnad::ingest {

void init_libxml() {
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
}

std::string attribute(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || std::string_view(reinterpret_cast<const char*>(a->name)) != name) continue;
    std::string value;
    for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
      if (c->type == XML_TEXT_NODE) value += content_of(c);
    }
    return value;
  }
  return {};
}

bool has_attribute(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name != nullptr && std::string_view(reinterpret_cast<const char*>(a->name)) == name) return true;
  }
  return false;
}

std::string text_of(const xmlNode* n) {
  std::string out;
  walk(const_cast<xmlNode*>(n),
       [&](xmlNode* c) {
         if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
           out += content_of(c);
           out += ' ';
         }
         return c->type == XML_ELEMENT_NODE;
       },
       [](xmlNode*) {});
  return collapse_space(out);
}

namespace {

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 || c == 0x2028 ||
         c == 0x2029;
}

}  // namespace

std::string collapse_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (std::size_t i = 0; i < s.size();) {
    const DecodedChar d = decode_utf8(s, i);
    if (is_space(d.cp)) {
      pending = !out.empty();
    } else {
      if (pending) out.push_back(' ');
      pending = false;
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

std::string collapse_space_keep_paragraphs(std::string_view s) {
  std::string out;
  std::size_t start = 0;
  while (start <= s.size()) {
    // A paragraph ends at a line that is empty or blank.
    std::size_t end = start;
    while (end < s.size()) {
      const std::size_t nl = s.find('\n', end);
      if (nl == std::string_view::npos) {
        end = s.size();
        break;
      }
      std::size_t next = nl + 1;
      while (next < s.size() && (s[next] == ' ' || s[next] == '\t' || s[next] == '\r')) ++next;
      if (next < s.size() && s[next] == '\n') {
        end = nl;
        break;
      }
      end = nl + 1;
    }
    const std::string paragraph = collapse_space(s.substr(start, end - start));
    if (!paragraph.empty()) {
      if (!out.empty()) out += "\n\n";
      out += paragraph;
    }
    if (end >= s.size()) break;
    start = end + 1;
  }
  return out;
}

}  // namespace isnad::ingest
