#include "ingest/html.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "ingest/xml_util.h"
#include "isnad/utf8.h"

namespace isnad::ingest {

namespace {

using json = nlohmann::json;

// ---- element classes ------------------------------------------------------------------------

// Never article text, whatever their attributes.
constexpr std::array kNoiseTags = {"script", "style",  "noscript", "template", "iframe", "object",   "embed",
                                   "svg",    "math",   "canvas",   "form",     "button", "input",    "select",
                                   "textarea", "label", "nav",     "header",   "footer", "aside",    "menu",
                                   "dialog", "figcaption", "video", "audio",   "map",    "head",     "title",
                                   "meta",   "link",   "h1"};

// Elements that end a paragraph.
constexpr std::array kBlockTags = {"p",  "div", "section", "article", "main", "body", "html", "blockquote",
                                   "li", "ul",  "ol",      "dl",      "dt",   "dd",   "table", "tr",
                                   "td", "th",  "h2",      "h3",      "h4",   "h5",   "h6",    "pre",
                                   "hr", "figure", "address", "center", "tbody", "thead", "caption"};

// class/id/role words (split at '-', '_', space) that name page furniture.
constexpr std::array kNoiseWords = {
    "share",    "sharing",   "social",      "socials",    "subscribe", "subscription", "newsletter",
    "related",  "cookie",    "cookies",     "consent",    "gdpr",      "breadcrumb",   "breadcrumbs",
    "nav",      "navbar",    "navigation",  "menu",       "sidebar",   "footer",       "header",
    "masthead", "widget",    "widgets",     "promo",      "advert",    "advertisement", "ads",
    "ad",       "banner",    "popup",       "modal",      "tags",      "follow",       "toolbar",
    "pagination", "pager",   "trending",    "popular",    "recommended", "outbrain",   "taboola",
    "complementary", "contentinfo", "search", "print",    "newsletters"};

bool name_in(std::string_view name, const auto& list) {
  return std::any_of(list.begin(), list.end(), [&](const char* n) { return name == n; });
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

bool attribute_says_noise(std::string_view value, bool& says_comments) {
  const std::string v = lower_ascii(value);
  std::size_t i = 0;
  bool noise = false;
  while (i < v.size()) {
    while (i < v.size() && !((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9'))) ++i;
    std::size_t j = i;
    while (j < v.size() && ((v[j] >= 'a' && v[j] <= 'z') || (v[j] >= '0' && v[j] <= '9'))) ++j;
    const std::string_view word(v.data() + i, j - i);
    if (word == "comment" || word == "comments" || word == "disqus") says_comments = true;
    if (!word.empty() && name_in(word, kNoiseWords)) noise = true;
    i = j;
  }
  return noise || says_comments;
}

bool hidden(const xmlNode* n) {
  if (has_attribute(n, "hidden")) return true;
  if (attribute(n, "aria-hidden") == "true") return true;
  std::string style = lower_ascii(attribute(n, "style"));
  style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
  return style.find("display:none") != std::string::npos || style.find("visibility:hidden") != std::string::npos;
}

// ---- text measures --------------------------------------------------------------------------

struct Weight {
  double arabic = 0;  // Arabic letters
  double other = 0;   // other non-space characters
  double score() const { return arabic + other / 4; }
};

Weight measure(std::string_view text) {
  Weight w;
  for (std::size_t i = 0; i < text.size();) {
    const DecodedChar d = decode_utf8(text, i);
    i += d.length;
    if (d.cp >= 0x0620 && d.cp <= 0x064A) {
      w.arabic += 1;
    } else if (d.cp > ' ') {
      w.other += 1;
    }
  }
  return w;
}

// ---- the page -------------------------------------------------------------------------------

struct NodeInfo {
  double letters = 0;       // weight of all text below, noise excluded
  double link_letters = 0;  // of which inside <a>
  double score = 0;         // paragraph score credited to this element as a container
};

class Page {
 public:
  explicit Page(xmlDoc* doc) : doc_(doc) {}

  void read_metadata(HtmlArticle& out);
  std::string main_text(bool use_attribute_rules);
  const std::string& json_ld_body() const { return json_ld_body_; }

 private:
  bool is_noise(const xmlNode* n, bool use_attribute_rules) const;
  void measure_tree(xmlNode* root, bool use_attribute_rules);
  xmlNode* choose_container(xmlNode* root) const;
  void read_json_ld(const json& j, int depth);

  xmlDoc* doc_;
  std::unordered_map<const xmlNode*, NodeInfo> info_;
  double page_letters_ = 0;
  std::string json_ld_body_;
  HtmlArticle json_ld_;  // what JSON-LD says; page <meta> wins where both speak
};

void set_once(std::string& field, std::string value) {
  value = collapse_space(value);
  if (field.empty() && !value.empty()) field = std::move(value);
}

void Page::read_json_ld(const json& j, int depth) {
  if (depth > 8) return;
  if (j.is_array()) {
    for (const json& item : j) read_json_ld(item, depth + 1);
    return;
  }
  if (!j.is_object()) return;
  auto str = [&](const char* key) -> std::string {
    const auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) {
      for (const char* inner : {"name", "@id", "url"}) {
        const auto in = it->find(inner);
        if (in != it->end() && in->is_string()) return in->get<std::string>();
      }
    }
    return {};
  };
  const bool article_like = j.contains("datePublished") || j.contains("articleBody") || j.contains("headline");
  if (article_like) {
    set_once(json_ld_.published, str("datePublished"));
    set_once(json_ld_.title, str("headline"));
    set_once(json_ld_.outlet, str("publisher"));
    std::string url = str("url");
    if (url.empty()) url = str("mainEntityOfPage");
    set_once(json_ld_.url, url);
    if (json_ld_body_.empty()) json_ld_body_ = str("articleBody");
  }
  if (const auto graph = j.find("@graph"); graph != j.end()) read_json_ld(*graph, depth + 1);
}

void Page::read_metadata(HtmlArticle& out) {
  HtmlArticle meta;  // from <meta>/<link>
  std::string h1;
  std::string title_tag;
  std::string time_datetime;
  xmlNode* root = xmlDocGetRootElement(doc_);
  if (root == nullptr) return;
  walk(root, [&](xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE) return false;
    const std::string_view tag = name_of(n);
    if (tag == "meta") {
      std::string key = lower_ascii(attribute(n, "property"));
      if (key.empty()) key = lower_ascii(attribute(n, "name"));
      if (key.empty()) key = lower_ascii(attribute(n, "itemprop"));
      const std::string content = attribute(n, "content");
      if (key == "og:title" || key == "twitter:title") set_once(meta.title, content);
      if (key == "og:site_name" || key == "application-name") set_once(meta.outlet, content);
      if (key == "og:url") set_once(meta.url, content);
      if (key == "article:published_time" || key == "datepublished" || key == "pubdate" ||
          key == "publishdate" || key == "publish-date" || key == "date" || key == "dc.date.issued" ||
          key == "dc.date" || key == "og:published_time") {
        set_once(meta.published, content);
      }
      return false;
    }
    if (tag == "link") {
      if (lower_ascii(attribute(n, "rel")) == "canonical") set_once(meta.url, attribute(n, "href"));
      return false;
    }
    if (tag == "title") {
      set_once(title_tag, text_of(n));
      return false;
    }
    if (tag == "h1") {
      set_once(h1, text_of(n));
      return false;
    }
    if (tag == "time") {
      set_once(time_datetime, attribute(n, "datetime"));
    }
    if (tag == "script") {
      if (lower_ascii(attribute(n, "type")) == "application/ld+json") {
        const json j = json::parse(text_of(n), nullptr, false);
        if (!j.is_discarded()) read_json_ld(j, 0);
      }
      return false;
    }
    return true;
  }, [](xmlNode*) {});

  set_once(out.title, meta.title);
  set_once(out.title, json_ld_.title);
  set_once(out.title, h1);
  set_once(out.outlet, meta.outlet);
  set_once(out.outlet, json_ld_.outlet);
  if (out.title.empty() && !title_tag.empty()) {
    // "Headline - Outlet" / "Headline | Outlet": the outlet is not part of the headline.
    std::string t = title_tag;
    for (const char* sep : {" - ", " | ", " – ", " — ", " :: "}) {
      const std::size_t at = t.rfind(sep);
      if (at != std::string::npos && at > 0 &&
          (out.outlet.empty() || t.compare(at + std::strlen(sep), std::string::npos, out.outlet) == 0)) {
        t.resize(at);
        break;
      }
    }
    set_once(out.title, t);
  }
  set_once(out.published, meta.published);
  set_once(out.published, json_ld_.published);
  set_once(out.published, time_datetime);
  set_once(out.url, meta.url);
  set_once(out.url, json_ld_.url);
}

bool Page::is_noise(const xmlNode* n, bool use_attribute_rules) const {
  if (n->type != XML_ELEMENT_NODE) return false;
  const std::string_view tag = name_of(n);
  if (name_in(tag, kNoiseTags) || hidden(n)) return true;
  if (!use_attribute_rules || tag == "body" || tag == "html" || tag == "main" || tag == "article") return false;
  if (attribute(n, "itemprop") == "articleBody") return false;
  bool comments = false;
  // All three are read (no short circuit): any of them may say "comments".
  bool noise = false;
  for (const char* name : {"class", "id", "role"}) {
    if (attribute_says_noise(attribute(n, name), comments)) noise = true;
  }
  if (!noise) return false;
  if (comments) return true;
  // A wrapper whose class merely mentions sharing still holds the article: keep what holds most text.
  const auto it = info_.find(n);
  return it == info_.end() || it->second.letters - it->second.link_letters < 0.5 * page_letters_;
}

// Bottom-up letter counts, then paragraph scores credited to parents and grandparents.
void Page::measure_tree(xmlNode* root, bool use_attribute_rules) {
  info_.clear();
  // First pass without attribute rules: is_noise() consults these counts for its guard.
  for (int pass = 0; pass < 2; ++pass) {
    const bool attributes = pass == 1 && use_attribute_rules;
    std::unordered_map<const xmlNode*, NodeInfo> counts;
    walk(root,
         [&](xmlNode* n) {
           if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
             const Weight w = measure(content_of(n));
             bool linked = false;  // an <a> lies between the text and this ancestor
             for (xmlNode* p = n->parent; p != nullptr && p->type == XML_ELEMENT_NODE; p = p->parent) {
               linked = linked || name_of(p) == "a";
               NodeInfo& i = counts[p];
               i.letters += w.score();
               if (linked) i.link_letters += w.score();
               if (p == root) break;
             }
             return false;
           }
           return n->type == XML_ELEMENT_NODE && !is_noise(n, attributes);
         },
         [](xmlNode*) {});
    info_ = std::move(counts);
    if (const auto it = info_.find(root); it != info_.end()) page_letters_ = it->second.letters - it->second.link_letters;
  }
  // Paragraph-like blocks credit their containers.
  std::vector<std::pair<xmlNode*, double>> credits;
  walk(root,
       [&](xmlNode* n) {
         if (n->type != XML_ELEMENT_NODE || is_noise(n, use_attribute_rules)) return false;
         const std::string_view tag = name_of(n);
         const bool paragraph = tag == "p" || tag == "pre" || tag == "blockquote" || tag == "h2" || tag == "h3";
         if (!paragraph) {
           // A div that carries its own text (lines split by <br>) is a paragraph too.
           double own = 0;
           for (xmlNode* c = n->children; c != nullptr; c = c->next) {
             if (c->type == XML_TEXT_NODE) own += measure(content_of(c)).score();
           }
           if (own >= 40) credits.emplace_back(n, own);
           return true;
         }
         const auto it = info_.find(n);
         if (it == info_.end() || it->second.letters < 20) return false;
         const double density = it->second.link_letters / it->second.letters;
         credits.emplace_back(n, it->second.letters * (1 - density));
         return false;
       },
       [](xmlNode*) {});
  for (const auto& [n, value] : credits) {
    if (name_of(n) != "p") info_[n].score += value;  // a text-bearing div holds its own text
    xmlNode* parent = n->parent;
    if (parent == nullptr || parent->type != XML_ELEMENT_NODE) continue;
    info_[parent].score += value;
    if (parent->parent != nullptr && parent->parent->type == XML_ELEMENT_NODE) info_[parent->parent].score += value / 2;
  }
}

xmlNode* Page::choose_container(xmlNode* root) const {
  xmlNode* body_marked = nullptr;
  xmlNode* best_article = nullptr;
  double best_article_letters = 0;
  xmlNode* main_element = nullptr;
  walk(root,
       [&](xmlNode* n) {
         if (n->type != XML_ELEMENT_NODE) return false;
         if (body_marked == nullptr && attribute(n, "itemprop") == "articleBody") body_marked = n;
         const std::string_view tag = name_of(n);
         if (tag == "article") {
           const auto it = info_.find(n);
           const double letters = it == info_.end() ? 0 : it->second.letters - it->second.link_letters;
           if (letters > best_article_letters) {
             best_article_letters = letters;
             best_article = n;
           }
         }
         if (tag == "main" && main_element == nullptr) main_element = n;
         return true;
       },
       [](xmlNode*) {});
  if (body_marked != nullptr) {
    const auto it = info_.find(body_marked);
    if (it != info_.end() && it->second.letters > 0) return body_marked;
  }
  if (best_article != nullptr && best_article_letters >= 0.3 * page_letters_) return best_article;
  xmlNode* scope = main_element != nullptr ? main_element : root;
  xmlNode* best = scope;
  double best_score = 0;
  walk(scope,
       [&](xmlNode* n) {
         if (n->type != XML_ELEMENT_NODE) return false;
         const auto it = info_.find(n);
         if (it == info_.end()) return false;
         const NodeInfo& i = it->second;
         const double density = i.letters > 0 ? i.link_letters / i.letters : 1;
         const double s = i.score * (1 - density);
         if (s > best_score) {
           best_score = s;
           best = n;
         }
         return true;
       },
       [](xmlNode*) {});
  return best;
}

// ---- paragraphs -----------------------------------------------------------------------------

struct Paragraph {
  std::string text;
  double letters = 0;
  double link_letters = 0;
};

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  std::string w;
  for (std::size_t i = 0; i <= s.size();) {
    const DecodedChar d = i < s.size() ? decode_utf8(s, i) : DecodedChar{' ', 1};
    const bool sep = d.cp == ' ' || d.cp == '\n' || d.cp == ':' || d.cp == '.' || d.cp == 0x060C || d.cp == ',' ||
                     d.cp == '|' || d.cp == '!' || d.cp == '-' || d.cp == 0x061B || d.cp == '(' || d.cp == ')' ||
                     d.cp == 0x00BB || d.cp == 0x00AB || d.cp == '"';
    if (sep) {
      if (!w.empty()) words.push_back(lower_ascii(w));
      w.clear();
    } else {
      w.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return words;
}

bool contains_phrase(const std::vector<std::string>& words, std::string_view phrase) {
  const std::vector<std::string> p = words_of(phrase);
  if (p.empty() || p.size() > words.size()) return false;
  for (std::size_t i = 0; i + p.size() <= words.size(); ++i) {
    if (std::equal(p.begin(), p.end(), words.begin() + static_cast<std::ptrdiff_t>(i))) return true;
  }
  return false;
}

// Lines that sit on every page of a site rather than in its articles.
bool boilerplate(std::string_view text) {
  const std::vector<std::string> words = words_of(text);
  if (words.empty()) return true;
  static constexpr std::array kLeadIns = {"اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ ايضا",
                                          "اقرأ المزيد", "read more", "read also", "see also", "شاهد أيضا",
                                          "شاهد أيضاً", "طالع أيضا", "طالع أيضاً", "advertisement", "إعلان"};
  for (const char* lead : kLeadIns) {
    const std::vector<std::string> l = words_of(lead);
    if (l.size() <= words.size() && std::equal(l.begin(), l.end(), words.begin())) return true;
  }
  static constexpr std::array kPhrases = {
      "النشرة البريدية", "النشرة الإخبارية", "اشترك في",   "اشترك الآن", "اشترك ليصلك", "للاشتراك في",
      "تابعونا على",     "تابعنا على",       "شارك هذا",   "شارك الخبر", "شارك المقال", "أخبار ذات صلة",
      "مقالات ذات صلة",  "مواضيع ذات صلة",   "ملفات تعريف الارتباط",       "جميع الحقوق محفوظة",
      "subscribe",       "newsletter",       "follow us",  "cookies",     "all rights reserved",
      "share this",      "related articles", "sign up",     "appeared first on"};
  if (words.size() <= 15) {
    for (const char* phrase : kPhrases) {
      if (contains_phrase(words, phrase)) return true;
    }
  }
  static constexpr std::array kWords = {"اشترك", "اشتركوا", "شارك", "شاركوا", "مشاركة", "تابعونا", "share",
                                        "tweet", "facebook", "twitter", "whatsapp", "telegram", "print", "email",
                                        "طباعة", "فيسبوك", "تويتر", "واتساب", "تلغرام", "إكس"};
  if (words.size() <= 5) {
    for (const char* w : kWords) {
      if (std::find(words.begin(), words.end(), w) != words.end()) return true;
    }
  }
  return false;
}

class ParagraphWriter {
 public:
  void text(std::string_view raw, bool in_link) {
    for (std::size_t i = 0; i < raw.size();) {
      const DecodedChar d = decode_utf8(raw, i);
      const bool space = d.cp == ' ' || d.cp == '\t' || d.cp == '\n' || d.cp == '\r' || d.cp == '\f' || d.cp == 0xA0;
      if (space) {
        pending_space_ = !current_.text.empty() && current_.text.back() != '\n';
      } else {
        if (pending_space_) current_.text.push_back(' ');
        pending_space_ = false;
        current_.text.append(raw.substr(i, d.length));
      }
      i += d.length;
    }
    const Weight w = measure(raw);
    current_.letters += w.score();
    if (in_link) current_.link_letters += w.score();
  }

  void line_break() {
    if (!current_.text.empty() && current_.text.back() == '\n') {
      end_paragraph();  // <br><br>
      return;
    }
    if (!current_.text.empty()) current_.text.push_back('\n');
    pending_space_ = false;
  }

  void end_paragraph() {
    while (!current_.text.empty() && (current_.text.back() == '\n' || current_.text.back() == ' ')) {
      current_.text.pop_back();
    }
    if (!current_.text.empty()) done_.push_back(std::move(current_));
    current_ = {};
    pending_space_ = false;
  }

  std::string finish() {
    end_paragraph();
    std::string out;
    for (const Paragraph& p : done_) {
      if (p.letters > 0 && p.link_letters > 0.5 * p.letters) continue;  // a list of links
      if (boilerplate(p.text)) continue;
      if (!out.empty()) out += "\n\n";
      out += p.text;
    }
    return out;
  }

 private:
  Paragraph current_;
  bool pending_space_ = false;
  std::vector<Paragraph> done_;
};

void write_subtree(xmlNode* root, ParagraphWriter& writer, const auto& skip) {
  int links = 0;
  walk(root,
       [&](xmlNode* n) {
         if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
           writer.text(content_of(n), links > 0);
           return false;
         }
         if (n->type != XML_ELEMENT_NODE || skip(n)) return false;
         const std::string_view tag = name_of(n);
         if (tag == "br") writer.line_break();
         if (name_in(tag, kBlockTags)) writer.end_paragraph();
         if (tag == "a") ++links;
         return true;
       },
       [&](xmlNode* n) {
         if (n->type != XML_ELEMENT_NODE || skip(n)) return;
         const std::string_view tag = name_of(n);
         if (name_in(tag, kBlockTags)) writer.end_paragraph();
         if (tag == "a") --links;
       });
}

std::string Page::main_text(bool use_attribute_rules) {
  xmlNode* root = xmlDocGetRootElement(doc_);
  if (root == nullptr) return {};
  measure_tree(root, use_attribute_rules);
  xmlNode* container = choose_container(root);
  auto skip = [&](const xmlNode* n) { return is_noise(n, use_attribute_rules); };
  ParagraphWriter writer;
  const std::string_view tag = name_of(container);
  xmlNode* parent = container->parent;
  const bool chosen_by_score = tag != "article" && attribute(container, "itemprop") != "articleBody";
  if (!chosen_by_score || parent == nullptr || parent->type != XML_ELEMENT_NODE) {
    write_subtree(container, writer, skip);
    return writer.finish();
  }
  // Siblings that score nearly as well belong to the same article (a lead paragraph kept apart).
  const auto score_of = [&](const xmlNode* n) {
    const auto it = info_.find(n);
    if (it == info_.end()) return 0.0;
    const NodeInfo& i = it->second;
    return i.letters > 0 ? i.score * (1 - i.link_letters / i.letters) : 0.0;
  };
  const double threshold = 0.2 * score_of(container);
  for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (c == container) {
      write_subtree(c, writer, skip);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || skip(c)) continue;
    const auto it = info_.find(c);
    const bool lone_paragraph = name_of(c) == "p" && it != info_.end() && it->second.letters >= 80 &&
                                it->second.link_letters < 0.25 * it->second.letters;
    if (lone_paragraph || (threshold > 0 && score_of(c) >= threshold)) write_subtree(c, writer, skip);
  }
  return writer.finish();
}

bool declares_charset(std::string_view bytes) {
  const std::string head = lower_ascii(bytes.substr(0, 2048));
  return head.find("charset") != std::string::npos || head.find("encoding=") != std::string::npos;
}

// libxml2 in recover mode does not promise UTF-8 out: when the input is not UTF-8 and names no
// charset it can decode, an undecodable byte can reach the tree raw (fuzz_html found
// `charset&\xD8`). Every string the extractor returns passes through here, each bad byte
// becoming U+FFFD, so callers can rely on valid UTF-8.
std::string valid_utf8(std::string s) {
  Status ok = validate_utf8(s);
  if (ok) return s;
  std::string out;
  std::string_view rest = s;
  while (!ok) {
    const std::size_t bad = static_cast<std::size_t>(ok.error().offset.value_or(0));
    out.append(rest.substr(0, bad));
    out += "\xEF\xBF\xBD";
    rest.remove_prefix(bad + 1);
    ok = validate_utf8(rest);
  }
  out.append(rest);
  return out;
}

HtmlDocPtr parse_html(std::string_view bytes, const char* encoding) {
  init_libxml();
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                      HTML_PARSE_COMPACT;
  return HtmlDocPtr(htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, encoding, options));
}

}  // namespace

Expected<HtmlArticle> extract_html(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return make_error(ErrorCode::kTooLarge, "HTML page over 2 GiB");
  const char* encoding = "UTF-8";
  if (Status valid = validate_utf8(bytes); !valid) {
    if (!declares_charset(bytes)) {
      return make_error(ErrorCode::kInvalidUtf8,
                        "invalid UTF-8 and no charset declared (convert with iconv, or declare "
                        "<meta charset=...>)",
                        valid.error().offset);
    }
    encoding = nullptr;  // libxml2 reads the declared charset
  }
  HtmlDocPtr doc = parse_html(bytes, encoding);
  if (!doc) return make_error(ErrorCode::kParse, "not an HTML document (libxml2 built no tree)");
  Page page(doc.get());
  HtmlArticle out;
  page.read_metadata(out);
  out.text = page.main_text(true);
  if (out.text.empty()) out.text = page.main_text(false);
  if (out.text.empty()) out.text = collapse_space_keep_paragraphs(page.json_ld_body());
  if (out.text.empty()) return make_error(ErrorCode::kEmptyInput, "no article text found in the HTML page");
  for (std::string* field : {&out.text, &out.title, &out.outlet, &out.url, &out.published}) {
    *field = valid_utf8(std::move(*field));
  }
  out.published = iso_date(out.published);
  return out;
}

std::string html_fragment_text(std::string_view bytes) {
  if (bytes.find('<') == std::string_view::npos) return collapse_space_keep_paragraphs(bytes);
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return {};
  HtmlDocPtr doc = parse_html(bytes, "UTF-8");
  if (!doc) return {};
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return {};
  ParagraphWriter writer;
  write_subtree(root, writer, [](const xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE) return false;
    bool comments = false;
    return name_in(name_of(n), kNoiseTags) || hidden(n) || attribute_says_noise(attribute(n, "class"), comments);
  });
  return valid_utf8(writer.finish());
}

}  // namespace isnad::ingest

namespace isnad::ingest {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string two(int v) { return {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)}; }

// "Tue, 14 May 2024 08:30:00 +0300" (RFC 822/1123, weekday and seconds optional).
std::string rfc822_to_iso(std::string_view s) {
  std::vector<std::string_view> parts;
  for (std::size_t i = 0; i < s.size();) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',') ++j;
    if (j > i) parts.push_back(s.substr(i, j - i));
    i = j;
  }
  if (!parts.empty() && !all_digits(parts[0])) parts.erase(parts.begin());  // weekday
  if (parts.size() < 3 || !all_digits(parts[0]) || parts[0].size() > 2 || !all_digits(parts[2])) return {};
  static constexpr std::array kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string month_name = lower_ascii(parts[1].substr(0, 3));
  const auto month = std::find(kMonths.begin(), kMonths.end(), std::string_view(month_name));
  if (month == kMonths.end()) return {};
  int year = to_int(parts[2].substr(0, 4));
  if (parts[2].size() == 2) year += year < 50 ? 2000 : 1900;
  if (parts[2].size() != 2 && parts[2].size() != 4) return {};
  const int day = to_int(parts[0]);
  if (day < 1 || day > 31) return {};
  std::string out = std::to_string(year) + "-" + two(static_cast<int>(month - kMonths.begin()) + 1) + "-" + two(day);
  if (parts.size() < 4) return out;
  const std::string_view time = parts[3];
  if (time.size() < 5 || time[2] != ':' || !all_digits(time.substr(0, 2)) || !all_digits(time.substr(3, 2))) {
    return out;
  }
  out += "T" + std::string(time.substr(0, 5));
  out += time.size() == 8 && time[5] == ':' && all_digits(time.substr(6, 2)) ? std::string(time.substr(5)) : ":00";
  if (parts.size() < 5) return out;
  const std::string_view zone = parts[4];
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1))) {
    out += std::string(zone.substr(0, 3)) + ":" + std::string(zone.substr(3));
  } else if (zone == "GMT" || zone == "UT" || zone == "UTC" || zone == "Z") {
    out += "Z";
  }
  return out;
}

}  // namespace

std::string iso_date(std::string_view date) {
  const std::string trimmed = collapse_space(date);
  const std::string_view t = trimmed;
  if (t.size() >= 10 && all_digits(t.substr(0, 4)) && t[4] == '-' && all_digits(t.substr(5, 2)) && t[7] == '-' &&
      all_digits(t.substr(8, 2))) {
    return trimmed;
  }
  std::string iso = rfc822_to_iso(t);
  return iso.empty() ? trimmed : iso;
}

}  // namespace isnad::ingest
