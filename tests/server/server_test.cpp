// The HTTP API (server.h, docs/api.md) in process: a real server on a free port, a real client,
// a temporary store. Articles are the project's own multi-event corpus (tests/data/clusters).
#include "isnad/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cli/cli_runner.h"
#include "isnad/ner.h"
#include "isnad/store.h"
#include "support/postgres_server.h"

namespace {

using nlohmann::json;
using isnad::testing::TempDir;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string corpus(const std::string& name) { return read(std::string(ISNAD_TEST_DIR) + "/data/clusters/" + name); }

const isnad::NerModel* model() {
  static const auto loaded = isnad::NerModel::load_default();
  return loaded ? &*loaded : nullptr;
}

class RunningServer {
 public:
  explicit RunningServer(const std::string& store, std::size_t max_body = std::size_t{10} << 20, std::string web = "",
                         bool queue = false) {
    isnad::ServerOptions options;
    options.store_path = store;
    options.queue = queue;
    options.port = 0;
    options.max_body = max_body;
    options.web_dir = std::move(web);
    options.threads = 4;
    options.ner = model();
    auto created = isnad::Server::create(options);
    if (!created) throw std::runtime_error(created.error().message);
    server_ = std::move(*created);
    thread_ = std::thread([this] { (void)server_->run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(120, 0);
    for (int i = 0; i < 200 && !client_->Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  httplib::Client& client() { return *client_; }
  isnad::Server& server() { return *server_; }
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<isnad::Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

struct Reply {
  int status = 0;
  json body;
  std::string raw;
};

Reply get(httplib::Client& c, const std::string& path) {
  auto r = c.Get(path);
  if (!r) return {};
  return {r->status, json::parse(r->body, nullptr, false), r->body};
}

Reply post(httplib::Client& c, const std::string& body) {
  auto r = c.Post("/api/documents", body, "application/x-ndjson");
  if (!r) return {};
  return {r->status, json::parse(r->body, nullptr, false), r->body};
}

void expect_error_body(const Reply& r, int status) {
  EXPECT_EQ(r.status, status) << r.raw;
  ASSERT_TRUE(r.body.is_object()) << r.raw;
  ASSERT_TRUE(r.body.contains("error")) << r.raw;
  EXPECT_EQ(r.body["error"]["status"], status);
  EXPECT_FALSE(r.body["error"]["message"].get<std::string>().empty());
  // No file system paths or internals leak into responses.
  EXPECT_EQ(r.raw.find("/tmp"), std::string::npos) << r.raw;
  EXPECT_EQ(r.raw.find(".db"), std::string::npos) << r.raw;
  EXPECT_EQ(r.raw.find("sqlite"), std::string::npos) << r.raw;
  EXPECT_EQ(r.raw.find("postgres"), std::string::npos) << r.raw;
}

enum class Engine { kSqlite, kPostgres };

// Every API test runs on both store engines: an SQLite file, and a fresh database of a throwaway
// PostgreSQL server (tests/support/postgres_server.h).
class Server : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::kPostgres) {
      ASSERT_TRUE(isnad::test::postgres().ok()) << isnad::test::postgres().error();
    }
  }
  // The test's store (the same one on every call).
  std::string store(const TempDir& dir) {
    if (GetParam() == Engine::kSqlite) return (dir / "store.db").string();
    if (database_.empty()) database_ = isnad::test::postgres().create_database();
    return database_;
  }
  std::string database_;
};

INSTANTIATE_TEST_SUITE_P(Engines, Server, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& engine) {
                           return engine.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

TEST_P(Server, HealthOnAnEmptyStore) {
  TempDir dir;
  RunningServer s(store(dir));
  const Reply r = get(s.client(), "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
  EXPECT_EQ(r.body["documents"], 0);
  EXPECT_EQ(r.body["events"], 0);
}

TEST_P(Server, PostedBatchBecomesEventsWithDossiers) {
  TempDir dir;
  RunningServer s(store(dir));
  const std::string fires = corpus("01_fire_qasr_nada.jsonl");
  const std::string floods = corpus("03_flood_wadi_sidr.jsonl");
  const Reply first = post(s.client(), fires + floods);
  ASSERT_EQ(first.status, 200) << first.raw;
  const json& accepted = first.body["accepted"];
  ASSERT_GE(accepted.size(), 4u);
  EXPECT_TRUE(first.body["rejected"].empty());
  std::set<std::int64_t> fire_events, flood_events;
  for (const json& a : accepted) {
    ASSERT_TRUE(a["event"].is_number()) << a;
    EXPECT_TRUE(a["duplicate_of"].is_null());
    (a["id"].get<std::string>().rfind("fireq", 0) == 0 ? fire_events : flood_events).insert(a["event"].get<std::int64_t>());
  }
  // Two events, each article in its own event's group.
  ASSERT_EQ(fire_events.size(), 1u);
  ASSERT_EQ(flood_events.size(), 1u);
  EXPECT_NE(*fire_events.begin(), *flood_events.begin());

  const Reply list = get(s.client(), "/api/events");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["total"], 2);
  ASSERT_EQ(list.body["events"].size(), 2u);
  for (const json& e : list.body["events"]) {
    EXPECT_FALSE(e["title"].get<std::string>().empty());
    EXPECT_GE(e["documents"].get<int>(), 2);
    EXPECT_GE(e["sources"].get<int>(), 1);
    EXPECT_TRUE(e["conflicts"].is_number());
  }

  const std::int64_t fire = *fire_events.begin();
  const Reply dossier = get(s.client(), "/api/events/" + std::to_string(fire));
  ASSERT_EQ(dossier.status, 200) << dossier.raw;
  EXPECT_EQ(dossier.body["schema"], "isnad/1");
  ASSERT_EQ(dossier.body["events"].size(), 1u);
  const json& event = dossier.body["events"][0];
  EXPECT_EQ(event["id"], std::to_string(fire));
  bool killed = false;
  for (const json& f : event["figures"]) killed |= f["kind"] == "killed" && !f["reports"].empty();
  EXPECT_TRUE(killed) << event["figures"];
  for (const json& d : dossier.body["documents"]) {
    EXPECT_TRUE(d["document"].is_number()) << d;
    EXPECT_EQ(d["id"].get<std::string>().rfind("fireq", 0), 0u) << "a flood article in the fire's dossier";
  }

  // The same articles again: stored once, reported as duplicates of the same rows and events.
  const Reply again = post(s.client(), fires);
  ASSERT_EQ(again.status, 200);
  for (const json& a : again.body["accepted"]) {
    EXPECT_TRUE(a["duplicate_of"].is_number()) << a;
    EXPECT_EQ(a["event"], fire);
  }
  EXPECT_EQ(get(s.client(), "/healthz").body["documents"], accepted.size());
}

TEST_P(Server, DossierFollowsTheEventAsItGrows) {
  TempDir dir;
  RunningServer s(store(dir));
  std::istringstream lines(corpus("07_bombing_tal_safsaf.jsonl"));
  std::string line;
  std::vector<std::string> records;
  while (std::getline(lines, line)) {
    if (!line.empty()) records.push_back(line);
  }
  ASSERT_GE(records.size(), 3u);
  const Reply first = post(s.client(), records[0]);
  ASSERT_EQ(first.status, 200) << first.raw;
  const std::string event = "/api/events/" + std::to_string(first.body["accepted"][0]["event"].get<std::int64_t>());
  EXPECT_EQ(get(s.client(), event).body["documents"].size(), 1u);
  for (std::size_t i = 1; i < records.size(); ++i) ASSERT_EQ(post(s.client(), records[i]).status, 200);
  // A cached dossier of one document must not be served once the event has more.
  EXPECT_EQ(get(s.client(), event).body["documents"].size(), records.size());
}

TEST_P(Server, DocumentWithoutIdIsNamedByItsContent) {
  TempDir dir;
  RunningServer s(store(dir));
  const std::string body = R"({"outlet":"صحيفة الاختبار","published":"2024-03-05","text":"قال مسؤول محلي إن حريقا اندلع في سوق المدينة القديم صباح اليوم وأدى إلى إصابة 4 أشخاص."})";
  const Reply a = post(s.client(), body);
  const Reply b = post(s.client(), body);
  ASSERT_EQ(a.status, 200) << a.raw;
  const std::string id = a.body["accepted"][0]["id"];
  EXPECT_EQ(id.rfind("sha-", 0), 0u) << id;
  EXPECT_EQ(b.body["accepted"][0]["id"], id);
  EXPECT_EQ(b.body["accepted"][0]["duplicate_of"], a.body["accepted"][0]["document"]);

  const Reply doc = get(s.client(), "/api/documents/" + std::to_string(a.body["accepted"][0]["document"].get<int>()));
  ASSERT_EQ(doc.status, 200) << doc.raw;
  EXPECT_EQ(doc.body["outlet"], "صحيفة الاختبار");
  ASSERT_TRUE(doc.body["analysis"].is_object());
  const std::string text = doc.body["text"];
  bool injured = false;
  for (const json& c : doc.body["analysis"]["claims"]) {
    const auto span = c["span"];
    ASSERT_LE(span[1].get<std::size_t>(), text.size());
    injured |= c["type"] == "injured" && c["value"] == 4;
  }
  EXPECT_TRUE(injured) << doc.body["analysis"]["claims"];
}

// curl --data-binary sends application/x-www-form-urlencoded; a batch is still a batch, whatever
// its size (the library would parse it as a form and refuse it over 8 KB).
TEST_P(Server, BodyLabelledAsFormIsStillRead) {
  TempDir dir;
  RunningServer s(store(dir));
  const std::string batch = corpus("05_election_marj_ghaith.jsonl") + corpus("06_election_kardonia.jsonl");
  ASSERT_GT(batch.size(), 8192u);
  auto r = s.client().Post("/api/documents", batch, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(json::parse(r->body)["accepted"].empty());
}

TEST_P(Server, MixedBatchReportsEachBadLine) {
  TempDir dir;
  RunningServer s(store(dir));
  std::istringstream lines(corpus("08_bus_crash_shahba.jsonl"));
  std::string good;
  std::getline(lines, good);
  const Reply r = post(s.client(), good + "\n{\"id\":\"x\"}\n{broken\n");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"].size(), 1u);
  ASSERT_EQ(r.body["rejected"].size(), 2u);
  EXPECT_NE(r.body["rejected"][0]["error"].get<std::string>().find("line 2"), std::string::npos);
  EXPECT_NE(r.body["rejected"][1]["error"].get<std::string>().find("line 3"), std::string::npos);
  EXPECT_GT(r.body["rejected"][1]["offset"].get<std::size_t>(), good.size());
}

struct BadRequest {
  const char* name;
  std::string body;
  int status;
};

TEST_P(Server, BadBodiesAreClientErrorsWithJsonBodies) {
  TempDir dir;
  RunningServer s(store(dir), /*max_body=*/4096);
  const BadRequest rows[] = {
      {"empty", "", 400},
      {"not_json", "hello", 400},
      {"truncated", "{\"text\":\"حريق", 400},
      {"invalid_utf8", "{\"text\":\"\xff\xfe\"}", 400},
      {"no_text", "{\"id\":\"a\"}", 400},
      {"no_arabic", "{\"text\":\"hello world\"}", 400},
      {"wrong_type", "{\"text\":\"حريق\",\"outlet\":5}", 400},
      {"oversize", "{\"text\":\"" + std::string(5000, 'x') + "\"}", 413},
  };
  for (const BadRequest& row : rows) {
    SCOPED_TRACE(row.name);
    expect_error_body(post(s.client(), row.body), row.status);
  }
  EXPECT_EQ(get(s.client(), "/healthz").body["documents"], 0);
}

TEST_P(Server, UnknownThingsAre404s) {
  TempDir dir;
  RunningServer s(store(dir));
  for (const char* path : {"/api/events/99", "/api/events/abc", "/api/events/-1", "/api/documents/7",
                           "/api/documents/99999999999999999999", "/api/entities/1.p1", "/api/entities/p1",
                           "/api/nothing", "/nothing.html"}) {
    SCOPED_TRACE(path);
    expect_error_body(get(s.client(), path), 404);
  }
  auto wrong_method = s.client().Delete("/api/events");
  ASSERT_TRUE(wrong_method);
  expect_error_body({wrong_method->status, json::parse(wrong_method->body, nullptr, false), wrong_method->body}, 404);
  expect_error_body(get(s.client(), "/api/events?limit=-3"), 400);
  expect_error_body(get(s.client(), "/api/events?from=yesterday"), 400);
  expect_error_body(get(s.client(), "/api/search?q=%FF%FE"), 400);
}

TEST_P(Server, StaticFilesStayInsideTheWebDirectory) {
  TempDir dir;
  std::filesystem::create_directories(dir / "web");
  dir.write("web/index.html", "<!doctype html><html dir=\"rtl\" lang=\"ar\"><title>isnad</title></html>");
  dir.write("secret.txt", "not for the web");
  RunningServer s(store(dir), std::size_t{10} << 20, (dir / "web").string());
  auto index = s.client().Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("dir=\"rtl\""), std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  // The client would normalise "..", so these go out over a raw socket, byte for byte.
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/web/../../secret.txt",
                             "/%2E%2E%2Fsecret.txt"}) {
    SCOPED_TRACE(target);
    httplib::Client raw("127.0.0.1", s.port());
    httplib::Request req;
    req.method = "GET";
    req.path = target;
    auto r = raw.send(req);
    ASSERT_TRUE(r);
    EXPECT_NE(r->status, 200);
    EXPECT_EQ(r->body.find("not for the web"), std::string::npos);
  }
}

TEST_P(Server, SearchMarksHitsAndNamesEvents) {
  TempDir dir;
  RunningServer s(store(dir));
  ASSERT_EQ(post(s.client(), corpus("02_fire_bir_salem.jsonl")).status, 200);
  const Reply r = get(s.client(), "/api/search?q=" + httplib::detail::encode_query_param("حريق"));
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_FALSE(r.body["hits"].empty());
  for (const json& hit : r.body["hits"]) {
    EXPECT_TRUE(hit["event"].is_number());
    bool marked = false;
    for (const json& piece : hit["snippet"]) marked |= piece.value("hit", false);
    EXPECT_TRUE(marked) << hit["snippet"];
  }
  const Reply events = get(s.client(), "/api/events?q=" + httplib::detail::encode_query_param("حريق"));
  EXPECT_EQ(events.body["total"], 1);
  const Reply none = get(s.client(), "/api/events?q=" + httplib::detail::encode_query_param("زلزال"));
  EXPECT_EQ(none.body["total"], 0);
  const Reply later = get(s.client(), "/api/events?from=2030-01-01");
  EXPECT_EQ(later.body["total"], 0);
}

TEST_P(Server, EntityHasVariantsAndQuotes) {
  TempDir dir;
  RunningServer s(store(dir));
  const Reply posted = post(s.client(), corpus("06_election_kardonia.jsonl"));
  ASSERT_EQ(posted.status, 200) << posted.raw;
  const std::string event = std::to_string(posted.body["accepted"][0]["event"].get<std::int64_t>());
  const Reply dossier = get(s.client(), "/api/events/" + event);
  const json& entities = dossier.body["events"][0]["entities"];
  ASSERT_FALSE(entities.empty());
  const json& first = entities[0];
  const Reply entity = get(s.client(), "/api/entities/" + event + "." + first["id"].get<std::string>());
  ASSERT_EQ(entity.status, 200) << entity.raw;
  EXPECT_EQ(entity.body["name"], first["name"]);
  EXPECT_EQ(entity.body["variants"], first["variants"]);
  for (const json& q : entity.body["quotes"]) EXPECT_EQ(q["entity"], first["id"]);
}

// Readers keep getting answers while batches are written (WAL), and every acknowledged document
// is there exactly once afterwards.
TEST_P(Server, ReadersProceedWhileAWriterIngests) {
  TempDir dir;
  RunningServer s(store(dir));
  const std::vector<std::string> files = {"01_fire_qasr_nada.jsonl", "03_flood_wadi_sidr.jsonl", "05_election_marj_ghaith.jsonl",
                                          "08_bus_crash_shahba.jsonl", "09_mine_collapse_jabal_kuhl.jsonl"};
  std::atomic<bool> writing{true};
  std::atomic<int> reads{0}, failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      httplib::Client c("127.0.0.1", s.port());
      c.set_read_timeout(120, 0);
      while (writing.load()) {
        for (const char* path : {"/api/events", "/healthz", "/api/search?q=%D8%AD%D8%B1%D9%8A%D9%82"}) {
          auto r = c.Get(path);
          ++reads;
          if (!r || r->status != 200) ++failures;
        }
      }
    });
  }
  std::size_t acknowledged = 0;
  httplib::Client writer("127.0.0.1", s.port());
  writer.set_read_timeout(120, 0);
  for (const std::string& f : files) {
    const Reply r = post(writer, corpus(f));
    ASSERT_EQ(r.status, 200) << r.raw;
    acknowledged += r.body["accepted"].size();
  }
  writing = false;
  for (auto& t : readers) t.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(get(s.client(), "/healthz").body["documents"], acknowledged);
}

// stop() while a batch is being written: the batch commits and its reply arrives; later
// requests are refused, not half-served.
TEST_P(Server, StopLetsTheBatchInFlightFinish) {
  TempDir dir;
  std::size_t acknowledged = 0;
  {
    RunningServer s(store(dir));
    std::string batch;
    for (const char* f : {"01_fire_qasr_nada.jsonl", "03_flood_wadi_sidr.jsonl", "06_election_kardonia.jsonl",
                          "07_bombing_tal_safsaf.jsonl"}) {
      batch += corpus(f);
    }
    Reply reply;
    std::thread poster([&] {
      httplib::Client c("127.0.0.1", s.port());
      c.set_read_timeout(120, 0);
      reply = post(c, batch);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s.server().stop();
    poster.join();
    if (reply.status == 200) acknowledged = reply.body["accepted"].size();
  }
  auto stored = isnad::Store::open(store(dir), isnad::OpenMode::kReadOnly);
  ASSERT_TRUE(stored);
  // Either the batch was taken and committed whole, or it was refused whole.
  EXPECT_EQ(*stored->document_count(), static_cast<std::int64_t>(acknowledged));
  auto assigned = stored->document_events();
  ASSERT_TRUE(assigned);
  EXPECT_EQ(assigned->size(), acknowledged);
}

// serve --queue: a POST is acknowledged with tickets, nothing is analysed until a worker (a real
// `isnad worker` process) drains the queue; then every ticket names its document and event.
TEST_P(Server, QueuedDocumentsAreStoredByAWorker) {
  TempDir dir;
  RunningServer s(store(dir), std::size_t{10} << 20, "", /*queue=*/true);
  const std::string batch = corpus("01_fire_qasr_nada.jsonl");
  const Reply posted = post(s.client(), batch);
  ASSERT_EQ(posted.status, 202) << posted.raw;
  ASSERT_FALSE(posted.body["accepted"].empty());
  std::vector<std::int64_t> tickets;
  for (const json& a : posted.body["accepted"]) {
    tickets.push_back(a["ticket"].get<std::int64_t>());
    const Reply t = get(s.client(), "/api/queue/" + std::to_string(tickets.back()));
    EXPECT_EQ(t.body["state"], "queued") << t.raw;
  }
  EXPECT_EQ(get(s.client(), "/healthz").body["documents"], 0) << "nothing stored before a worker runs";
  const Reply again = post(s.client(), batch);
  ASSERT_EQ(again.status, 202);
  for (std::size_t i = 0; i < tickets.size(); ++i) {
    EXPECT_EQ(again.body["accepted"][i]["ticket"], tickets[i]);
    EXPECT_TRUE(again.body["accepted"][i]["already_queued"].get<bool>());
  }

  const auto worker = isnad::testing::run_cli({"worker", "--store", store(dir), "--drain", "--batch", "3"});
  ASSERT_EQ(worker.exit_code, 0) << worker.err;
  std::set<std::int64_t> documents;
  for (std::int64_t t : tickets) {
    const Reply r = get(s.client(), "/api/queue/" + std::to_string(t));
    EXPECT_EQ(r.body["state"], "stored") << r.raw;
    EXPECT_TRUE(r.body["event"].is_number()) << r.raw;
    EXPECT_GE(r.body["finished_at"].get<double>(), r.body["enqueued_at"].get<double>());
    documents.insert(r.body["document"].get<std::int64_t>());
  }
  EXPECT_EQ(documents.size(), tickets.size());
  EXPECT_EQ(get(s.client(), "/healthz").body["documents"], tickets.size());
  expect_error_body(get(s.client(), "/api/queue/999999"), 404);
  const auto check = isnad::testing::run_cli({"check", "--store", store(dir)});
  EXPECT_EQ(check.exit_code, 0) << check.out;
}

}  // namespace
