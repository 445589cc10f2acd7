#include "isnad/server.h"

#include <httplib.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <iostream>
#include <limits>
#include <list>
#include <map>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "isnad/dates.h"
#include "isnad/dossier.h"
#include "isnad/input.h"
#include "isnad/pipeline.h"
#include "isnad/store.h"
#include "isnad/utf8.h"
#include "server/http_error.h"

namespace isnad {

namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t kMaxEventPage = 500;
constexpr std::size_t kMaxSearchHits = 100;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(dump(body), "application/json; charset=utf-8");
}

// Figures are counts: 137, not 137.0, as in the dossier JSON.
json count(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}

// "12" → 12; anything else (signs, spaces, overflow, trailing bytes) → nullopt.
std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::size_t size_param(const httplib::Request& req, const char* name, std::size_t fallback, std::size_t max) {
  if (!req.has_param(name)) return fallback;
  const auto value = parse_id(req.get_param_value(name));
  if (!value) throw server::HttpError(400, fmt::format("parameter {} must be a non-negative integer", name));
  return std::min<std::size_t>(static_cast<std::size_t>(*value), max);
}

std::string date_param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return {};
  std::string value = req.get_param_value(name);
  if (!value.empty() && !parse_iso_date(value)) {
    throw server::HttpError(400, fmt::format("parameter {} must be a date YYYY-MM-DD", name));
  }
  return value;
}

std::string text_param(const httplib::Request& req, const char* name) {
  std::string value = req.has_param(name) ? req.get_param_value(name) : std::string();
  if (!validate_utf8(value).ok()) throw server::HttpError(400, fmt::format("parameter {} is not valid UTF-8", name));
  return value;
}

template <typename T>
T must(Expected<T> value) {
  if (!value) throw server::StoreFailure(value.error().message);
  return std::move(*value);
}

// A search snippet with hits between \x02 and \x03 → [{"text":…}, {"text":…, "hit":true}, …].
json snippet_pieces(std::string_view snippet) {
  json pieces = json::array();
  std::string current;
  bool hit = false;
  auto flush = [&] {
    if (current.empty()) return;
    json piece{{"text", current}};
    if (hit) piece["hit"] = true;
    pieces.push_back(std::move(piece));
    current.clear();
  };
  for (char c : snippet) {
    if (c == '\x02' || c == '\x03') {
      flush();
      hit = c == '\x02';
    } else {
      current += c;
    }
  }
  flush();
  return pieces;
}

// The identifier given to a posted document that has none: stable for the same text.
std::string id_from_content(std::string_view text) { return "sha-" + content_hash(text).substr(0, 16); }

}  // namespace

// ---- store connections --------------------------------------------------------------------------

// Read-only connections, one per concurrent request at most, reused.
class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(store_)); }
    const Store& operator*() const { return *store_; }
    const Store* operator->() const { return store_.get(); }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Store> store_;
  };

  Lease take() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto store = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(store));
      }
    }
    auto opened = Store::open(path_, OpenMode::kReadOnly);
    if (!opened) throw server::StoreFailure(opened.error().message);
    return Lease(*this, std::make_unique<Store>(std::move(*opened)));
  }

 private:
  void give_back(std::unique_ptr<Store> store) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(store));
  }
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> free_;
};

// ---- dossier cache --------------------------------------------------------------------------------

// An event's dossier as the API serves it, and the figures of its list entry.
struct EventView {
  std::int64_t documents = 0;  // the event's size when built: a larger event is stale
  json dossier;                // GET /api/events/{id}
  json summary;                // an entry of GET /api/events
  std::string body;            // dossier, serialized once
};

class DossierCache {
 public:
  explicit DossierCache(std::size_t capacity) : capacity_(capacity) {}

  std::shared_ptr<const EventView> find(std::int64_t event, std::int64_t documents) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(event);
    if (it == entries_.end() || it->second.view->documents != documents) return nullptr;
    order_.splice(order_.begin(), order_, it->second.position);
    return it->second.view;
  }

  void put(std::int64_t event, std::shared_ptr<const EventView> view) {
    std::lock_guard lock(mutex_);
    if (const auto it = entries_.find(event); it != entries_.end()) {
      if (it->second.view->documents > view->documents) return;  // a newer one won the race
      it->second.view = std::move(view);
      order_.splice(order_.begin(), order_, it->second.position);
      return;
    }
    order_.push_front(event);
    entries_.emplace(event, Entry{std::move(view), order_.begin()});
    while (entries_.size() > capacity_) {
      entries_.erase(order_.back());
      order_.pop_back();
    }
  }

 private:
  struct Entry {
    std::shared_ptr<const EventView> view;
    std::list<std::int64_t>::iterator position;
  };
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Entry> entries_;
  std::list<std::int64_t> order_;  // most recently used first
};

// ---- the server -----------------------------------------------------------------------------------

struct Server::Impl {
  ServerOptions options;
  httplib::Server http;
  int port = 0;
  Store writer;
  std::mutex writer_mutex;
  ReaderPool readers;
  DossierCache cache;
  AnalysisCache analyses;
  std::atomic<bool> stopping{false};

  Impl(const ServerOptions& o, Store w)
      : options(o), writer(std::move(w)), readers(o.store_path), cache(o.dossier_cache), analyses(o.analysis_cache) {}

  void routes();
  void post_documents(const std::string& body, httplib::Response& res);
  void get_ticket(const httplib::Request& req, httplib::Response& res);
  void list_events(const httplib::Request& req, httplib::Response& res);
  void get_event(const httplib::Request& req, httplib::Response& res);
  void get_document(const httplib::Request& req, httplib::Response& res);
  void search(const httplib::Request& req, httplib::Response& res);
  void get_entity(const httplib::Request& req, httplib::Response& res);
  std::shared_ptr<const EventView> event_view(const Store& store, const EventRow& row);
  std::shared_ptr<const EventView> build_view(const Store& store, const EventRow& row);

  // Dossiers being built, by (event, size): a popular event that just grew is built once while
  // the other requests for it wait, instead of once per request.
  std::mutex building_mutex;
  std::map<std::pair<std::int64_t, std::int64_t>, std::shared_future<std::shared_ptr<const EventView>>> building;
};

std::shared_ptr<const EventView> Server::Impl::event_view(const Store& store, const EventRow& row) {
  if (auto cached = cache.find(row.id, row.documents)) return cached;
  const auto key = std::make_pair(row.id, row.documents);
  std::promise<std::shared_ptr<const EventView>> promise;
  std::shared_future<std::shared_ptr<const EventView>> pending;
  {
    std::lock_guard lock(building_mutex);
    if (const auto it = building.find(key); it != building.end()) {
      pending = it->second;
    } else {
      building.emplace(key, promise.get_future().share());
    }
  }
  if (pending.valid()) return pending.get();  // the builder's exception, if it failed, is rethrown
  auto done = [&] {
    std::lock_guard lock(building_mutex);
    building.erase(key);
  };
  try {
    auto view = build_view(store, row);
    promise.set_value(view);
    done();
    return view;
  } catch (...) {
    promise.set_exception(std::current_exception());
    done();
    throw;
  }
}

std::shared_ptr<const EventView> Server::Impl::build_view(const Store& store, const EventRow& row) {
  const auto stored = must(store.event_documents(row.id));
  if (stored.empty()) throw server::HttpError(404, fmt::format("no event {}", row.id));
  const Dossier dossier = event_dossier(stored, options.ner, &analyses);
  if (dossier.events.empty()) throw server::HttpError(404, fmt::format("no event {}", row.id));
  auto view = std::make_shared<EventView>();
  view->documents = static_cast<std::int64_t>(stored.size());
  view->dossier = json::parse(render_json(dossier));
  json& event = view->dossier["events"][0];
  const std::string local_id = event["id"].get<std::string>();
  event["id"] = std::to_string(row.id);
  // The contract's document objects name documents by external id; the API also needs the row.
  std::multimap<std::string, std::int64_t> rows;
  for (const StoredDocument& s : stored) rows.emplace(s.external_id, s.id);
  for (json& d : view->dossier["documents"]) {
    const auto it = rows.find(d["id"].get<std::string>());
    if (it == rows.end()) continue;
    d["document"] = it->second;
    rows.erase(it);
    if (d.contains("event") && d["event"] == local_id) d["event"] = std::to_string(row.id);
  }
  std::set<std::string> outlets;
  std::size_t independent = 0;
  for (const DocumentResult& d : dossier.documents) {
    if (!d.source.outlet.empty()) outlets.insert(d.source.outlet);
    if (!d.duplicate_of) ++independent;
  }
  const EventOut& e = dossier.events.front();
  json figures = json::array();
  for (const FigureOut& f : e.figures) {
    figures.push_back({{"kind", f.kind},
                       {"best", count(f.best)},
                       {"low", count(f.low)},
                       {"high", count(f.high)},
                       {"consistent", f.consistent}});
  }
  view->summary = {{"id", row.id},
                   {"title", e.title},
                   {"first", row.first.empty() ? json(nullptr) : json(row.first)},
                   {"last", row.last.empty() ? json(nullptr) : json(row.last)},
                   {"date", e.date_best ? json(*e.date_best) : json(nullptr)},
                   {"documents", row.documents},
                   {"sources", independent},
                   {"outlets", outlets},
                   {"conflicts", e.conflicts.size()},
                   {"figures", std::move(figures)}};
  view->body = dump(view->dossier);
  std::shared_ptr<const EventView> shared = std::move(view);
  cache.put(row.id, shared);
  return shared;
}

void Server::Impl::post_documents(const std::string& request_body, httplib::Response& res) {
  auto parsed = parse_documents(request_body, "request");
  if (!parsed) {
    std::string message = parsed.error().message;
    if (parsed.error().offset) message += fmt::format(" (byte {})", *parsed.error().offset);
    throw server::HttpError(400, message);
  }
  for (SourceDocument& d : parsed->documents) {
    if (d.id.empty()) d.id = id_from_content(d.text);
  }
  json rejected = json::array();
  for (const InputProblem& p : parsed->rejected) {
    json r{{"error", p.error.message}};
    r["offset"] = p.error.offset ? json(*p.error.offset) : json(nullptr);
    rejected.push_back(std::move(r));
  }
  json accepted = json::array();
  if (!parsed->documents.empty() && options.queue) {
    std::vector<StoredDocumentInput> rows;
    for (const SourceDocument& d : parsed->documents) rows.push_back({d.id, d.outlet, d.url, d.published, d.title, d.text});
    std::vector<Ticket> tickets;
    {
      std::lock_guard lock(writer_mutex);
      tickets = must(writer.enqueue(rows));
    }
    for (std::size_t i = 0; i < tickets.size(); ++i) {
      const Ticket& t = tickets[i];
      accepted.push_back({{"item", parsed->documents[i].line},
                          {"id", parsed->documents[i].id},
                          {"ticket", t.id},
                          {"document", t.stored ? json(*t.stored) : json(nullptr)},
                          {"already_queued", t.already_queued}});
    }
  } else if (!parsed->documents.empty()) {
    std::vector<IngestedDocument> done;
    {
      std::lock_guard lock(writer_mutex);
      done = must(ingest_batch(writer, parsed->documents, options.ner, &analyses));
    }
    for (std::size_t i = 0; i < done.size(); ++i) {
      const SourceDocument& d = parsed->documents[i];
      const IngestedDocument& r = done[i];
      accepted.push_back({{"item", d.line},
                          {"id", d.id},
                          {"document", r.stored.document},
                          {"event", r.event ? json(*r.event) : json(nullptr)},
                          {"duplicate_of", r.stored.duplicate_of ? json(*r.stored.duplicate_of) : json(nullptr)},
                          {"id_reused", r.stored.id_reused}});
    }
  }
  json body{{"accepted", std::move(accepted)}, {"rejected", rejected}};
  if (parsed->documents.empty()) {
    body["error"] = server::error_body(400, "no document accepted: " + rejected[0]["error"].get<std::string>())["error"];
  }
  send_json(res, body, parsed->documents.empty() ? 400 : options.queue ? 202 : 200);
}

void Server::Impl::get_ticket(const httplib::Request& req, httplib::Response& res) {
  const auto id = parse_id(req.matches[1].str());
  if (!id) throw server::HttpError(404, fmt::format("no ticket {}", req.matches[1].str()));
  auto store = readers.take();
  const auto t = must(store->ticket(*id));
  if (!t) throw server::HttpError(404, fmt::format("no ticket {}", *id));
  send_json(res, {{"ticket", *id},
                  {"state", t->document ? "stored" : "queued"},
                  {"document", t->document ? json(*t->document) : json(nullptr)},
                  {"event", t->event ? json(*t->event) : json(nullptr)},
                  {"attempts", t->attempts},
                  {"enqueued_at", t->enqueued_at},
                  {"finished_at", t->finished_at ? json(*t->finished_at) : json(nullptr)}});
}

void Server::Impl::list_events(const httplib::Request& req, httplib::Response& res) {
  EventQuery query;
  query.text = text_param(req, "q");
  query.from = date_param(req, "from");
  query.to = date_param(req, "to");
  query.limit = size_param(req, "limit", 50, kMaxEventPage);
  query.offset = size_param(req, "offset", 0, std::numeric_limits<std::int64_t>::max());
  auto store = readers.take();
  const EventPage page = must(store->events(query));
  json events = json::array();
  for (const EventRow& row : page.events) events.push_back(event_view(*store, row)->summary);
  send_json(res, {{"total", page.total}, {"events", std::move(events)}});
}

namespace {

std::int64_t path_id(const httplib::Request& req, const char* what) {
  const auto id = parse_id(req.matches[1].str());
  if (!id) throw server::HttpError(404, fmt::format("no {} {}", what, req.matches[1].str()));
  return *id;
}

}  // namespace

void Server::Impl::get_event(const httplib::Request& req, httplib::Response& res) {
  const std::int64_t id = path_id(req, "event");
  auto store = readers.take();
  const auto row = must(store->event(id));
  if (!row) throw server::HttpError(404, fmt::format("no event {}", id));
  res.set_content(event_view(*store, *row)->body, "application/json; charset=utf-8");
}

void Server::Impl::get_entity(const httplib::Request& req, httplib::Response& res) {
  const std::string whole = req.matches[1].str();
  const auto dot = whole.find('.');
  const auto event_id = dot == std::string::npos ? std::nullopt : parse_id(std::string_view(whole).substr(0, dot));
  if (!event_id) throw server::HttpError(404, fmt::format("no entity {} (ids look like 3.p1)", whole));
  const std::string local = whole.substr(dot + 1);
  auto store = readers.take();
  const auto row = must(store->event(*event_id));
  if (!row) throw server::HttpError(404, fmt::format("no event {}", *event_id));
  const auto view = event_view(*store, *row);
  const json& event = view->dossier["events"][0];
  for (const json& entity : event["entities"]) {
    if (entity["id"] != local) continue;
    json quotes = json::array();
    for (const json& q : event["quotes"]) {
      if (q.contains("entity") && q["entity"] == local) quotes.push_back(q);
    }
    json out = entity;
    out["id"] = whole;
    out["event"] = *event_id;
    out["quotes"] = std::move(quotes);
    send_json(res, out);
    return;
  }
  throw server::HttpError(404, fmt::format("no entity {}", whole));
}

void Server::Impl::get_document(const httplib::Request& req, httplib::Response& res) {
  const std::int64_t id = path_id(req, "document");
  auto store = readers.take();
  const auto doc = must(store->document(id));
  if (!doc) throw server::HttpError(404, fmt::format("no document {}", id));
  const auto event = must(store->event_of(id));
  const auto near = must(store->near_duplicates_of(id));
  json out{{"document", doc->id}, {"id", doc->external_id}, {"outlet", doc->outlet}, {"url", doc->url},
           {"published", doc->published}, {"title", doc->title}, {"text", doc->text},
           {"event", event ? json(*event) : json(nullptr)}, {"near_duplicates", near}};
  const auto analysed = analyses.get(*doc, options.ner);
  out["analysis"] = analysed ? json::parse(render_analysis_json(analysed->source, analysed->published, analysed->analysis))
                             : json(nullptr);
  send_json(res, out);
}

void Server::Impl::search(const httplib::Request& req, httplib::Response& res) {
  const std::string q = text_param(req, "q");
  const std::size_t limit = size_param(req, "limit", 20, kMaxSearchHits);
  auto store = readers.take();
  json hits = json::array();
  for (const SearchHit& h : must(store->search(q, limit))) {
    const auto event = must(store->event_of(h.document));
    hits.push_back({{"document", h.document},
                    {"id", h.external_id},
                    {"title", h.title},
                    {"outlet", h.outlet},
                    {"published", h.published},
                    {"event", event ? json(*event) : json(nullptr)},
                    {"score", h.score},
                    {"snippet", snippet_pieces(h.snippet)}});
  }
  send_json(res, {{"query", q}, {"hits", std::move(hits)}});
}

void Server::Impl::routes() {
  using httplib::Request;
  using httplib::Response;
  // Every handler runs inside `guarded`: the core's errors arrive as HttpError / StoreFailure and
  // become JSON error bodies here, the server's one exception boundary.
  auto guarded = [](const Request& req, Response& res, const auto& handle) {
    try {
      handle();
    } catch (const server::HttpError& e) {
      send_json(res, server::error_body(e.status, e.what()), e.status);
    } catch (const server::StoreFailure& e) {
      std::cerr << "isnad serve: " << req.method << ' ' << req.path << ": store: " << e.what() << '\n';
      send_json(res, server::error_body(500, "the store failed; see the server log"), 500);
    }
  };
  auto guard = [this, guarded](void (Impl::*handler)(const Request&, Response&)) {
    return [this, guarded, handler](const Request& req, Response& res) {
      guarded(req, res, [&] { (this->*handler)(req, res); });
    };
  };
  http.Get("/healthz", [this](const Request&, Response& res) {
    try {
      auto store = readers.take();
      send_json(res, {{"status", "ok"},
                      {"documents", must(store->document_count())},
                      {"events", must(store->event_count())},
                      {"schema", must(store->schema_version())}});
    } catch (const server::StoreFailure& e) {
      std::cerr << "isnad serve: healthz: " << e.what() << '\n';
      send_json(res, {{"status", "error"}, {"error", {{"status", 503}, {"message", "the store is not readable"}}}}, 503);
    }
  });
  // Read through a content reader: the library's plain handler parses any body sent as
  // application/x-www-form-urlencoded (curl --data-binary's default) as a form, and refuses those
  // over 8 KB. The body limit (413) still applies.
  http.Post("/api/documents", [this, guarded](const Request& req, Response& res, const httplib::ContentReader& reader) {
    if (req.is_multipart_form_data()) {
      send_json(res, server::error_body(400, "send documents as JSON or JSON Lines, not as a multipart form"), 400);
      return;
    }
    std::string body;
    const bool read = reader([&body](const char* data, std::size_t size) {
      body.append(data, size);
      return true;
    });
    if (!read) {
      const int status = res.status == 413 ? 413 : 400;
      send_json(res, server::error_body(status, status == 413 ? "request body too large" : "the request body could not be read"),
                status);
      return;
    }
    guarded(req, res, [&] { post_documents(body, res); });
  });
  http.Get("/api/events", guard(&Impl::list_events));
  http.Get(R"(/api/events/([^/]+))", guard(&Impl::get_event));
  http.Get(R"(/api/documents/([^/]+))", guard(&Impl::get_document));
  http.Get("/api/search", guard(&Impl::search));
  http.Get(R"(/api/queue/([^/]+))", guard(&Impl::get_ticket));
  http.Get(R"(/api/entities/([^/]+))", guard(&Impl::get_entity));

  http.set_pre_routing_handler([this](const Request&, Response& res) {
    if (!stopping.load()) return httplib::Server::HandlerResponse::Unhandled;
    send_json(res, server::error_body(503, "the server is shutting down"), 503);
    return httplib::Server::HandlerResponse::Handled;
  });
  // Errors the library answers itself (no route or a method a path does not take: 404; 413) get
  // the same JSON body as ours.
  http.set_error_handler([](const Request&, Response& res) {
    if (!res.body.empty()) return;
    std::string message = res.status == 404   ? std::string("no such resource")
                          : res.status == 413 ? "request body too large"
                          : res.status == 400 ? "bad request"
                                              : fmt::format("HTTP status {}", res.status);
    send_json(res, server::error_body(res.status, message), res.status);
  });
  http.set_exception_handler([](const Request& req, Response& res, std::exception_ptr e) {
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      std::cerr << "isnad serve: " << req.method << ' ' << req.path << ": " << ex.what() << '\n';
    } catch (...) {
      std::cerr << "isnad serve: " << req.method << ' ' << req.path << ": unknown exception\n";
    }
    send_json(res, server::error_body(500, "internal error; see the server log"), 500);
  });
  http.set_post_routing_handler([](const Request&, Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    res.set_header("Referrer-Policy", "no-referrer");
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Expected<std::unique_ptr<Server>> Server::create(const ServerOptions& options) {
  auto store = Store::open(options.store_path, OpenMode::kReadWrite);
  if (!store) return store.error();
  auto impl = std::make_unique<Impl>(options, std::move(*store));
  Impl& s = *impl;
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.http.set_payload_max_length(options.max_body);
  // Headers and body leave in separate writes; with Nagle's algorithm the body then waits for the
  // client's delayed ACK (~40 ms on Linux) on every keep-alive response.
  s.http.set_tcp_nodelay(true);
  // Explicit charsets: the interface's files hold Arabic text.
  for (const auto& [extension, type] : {std::pair{"html", "text/html; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
                                        {"js", "text/javascript; charset=utf-8"}, {"mjs", "text/javascript; charset=utf-8"},
                                        {"json", "application/json; charset=utf-8"}, {"svg", "image/svg+xml"},
                                        {"txt", "text/plain; charset=utf-8"}}) {
    s.http.set_file_extension_and_mimetype_mapping(extension, type);
  }
  if (!options.web_dir.empty() && !s.http.set_mount_point("/", options.web_dir)) {
    return make_error(ErrorCode::kIo, fmt::format("{}: not a directory", options.web_dir));
  }
  s.routes();
  if (options.port == 0) {
    s.port = s.http.bind_to_any_port(options.host);
    if (s.port <= 0) return make_error(ErrorCode::kIo, fmt::format("cannot listen on {}", options.host));
  } else {
    if (!s.http.bind_to_port(options.host, options.port)) {
      return make_error(ErrorCode::kIo, fmt::format("cannot listen on {}:{}", options.host, options.port));
    }
    s.port = options.port;
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", host, v6 ? "]" : "", impl_->port);
}

Status Server::run() {
  if (!impl_->http.listen_after_bind() && !impl_->stopping.load()) {
    return make_error(ErrorCode::kIo, "the listening socket failed");
  }
  return {};
}

void Server::stop() {
  impl_->stopping.store(true);
  impl_->http.stop();
}

}  // namespace isnad
