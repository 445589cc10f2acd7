// Crash test: the real `isnad serve` process is killed with SIGKILL while clients post batches,
// then restarted on the same store. Every document whose batch was acknowledged must be there
// exactly once with its text; every stored document must have its event (a batch is one
// transaction); re-posting everything afterwards adds only what was never acknowledged.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <iostream>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cli/cli_runner.h"
#include "isnad/store.h"

extern char** environ;

namespace {

using nlohmann::json;
using isnad::testing::TempDir;

// One `isnad serve` child on a free port; killed with SIGKILL by kill(), or SIGTERM at the end.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& store, const std::filesystem::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> args = {ISNAD_CLI_PATH, "serve", "--store", store.string(), "--port", "0", "--no-web"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, ISNAD_CLI_PATH, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    // The server prints its URL once it listens.
    const std::string url = "http://127.0.0.1:";
    for (int i = 0; i < 3000 && port_ == 0 && pid_ > 0; ++i) {
      std::ifstream in(log);
      std::stringstream text;
      text << in.rdbuf();
      const std::string s = text.str();
      const std::size_t at = s.find(url);
      const std::size_t end = at == std::string::npos ? at : s.find('/', at + url.size());
      if (end != std::string::npos) port_ = std::stoi(s.substr(at + url.size(), end - at - url.size()));
      else std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~ServerProcess() { stop(SIGTERM); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // SIGKILL: no chance to finish anything. Returns once the process is gone.
  void kill() { stop(SIGKILL); }
  // SIGTERM, then the exit status (-1 when it did not exit normally).
  int terminate() { return stop(SIGTERM); }

 private:
  int stop(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Article {
  std::string id, line, text;
};

// The project's own multi-event corpus, each article in `copies` distinct versions (a numbered
// correction note appended), so there are enough different documents to keep writers busy.
std::vector<Article> articles(int copies) {
  std::vector<Article> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ISNAD_TEST_DIR) + "/data/clusters")) {
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      json record = json::parse(line, nullptr, false);
      if (!record.is_object()) continue;
      for (int c = 0; c < copies; ++c) {
        json copy = record;
        copy["id"] = record["id"].get<std::string>() + "-v" + std::to_string(c);
        copy["text"] = record["text"].get<std::string>() + "\n\nتصحيح رقم " + std::to_string(c) + ".";
        out.push_back({copy["id"], copy.dump(), copy["text"]});
      }
    }
  }
  return out;
}

TEST(ServerCrash, AcknowledgedDocumentsSurviveSigkill) {
  TempDir dir;
  const auto store_path = dir / "store.db";
  const std::vector<Article> all = articles(3);
  ASSERT_GE(all.size(), 60u);
  constexpr std::size_t kBatch = 5;

  std::mutex mutex;
  std::map<std::string, std::int64_t> acknowledged;  // external id → row
  std::atomic<std::size_t> next{0};
  std::atomic<int> interrupted{0};  // batches cut off by a kill: sent, never acknowledged
  int kills = 0;
  for (int round = 0; round < 3 && next.load() < all.size(); ++round) {
    ServerProcess server(store_path, dir / ("server-" + std::to_string(round) + ".log"));
    ASSERT_GT(server.port(), 0) << "server did not start";
    std::atomic<bool> killed{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c) {
      clients.emplace_back([&] {
        httplib::Client client("127.0.0.1", server.port());
        client.set_read_timeout(60, 0);
        while (!killed.load()) {
          const std::size_t first = next.fetch_add(kBatch);
          if (first >= all.size()) return;
          std::string body;
          for (std::size_t i = first; i < std::min(all.size(), first + kBatch); ++i) body += all[i].line + "\n";
          auto r = client.Post("/api/documents", body, "application/x-ndjson");
          if (!r || r->status != 200) {  // not acknowledged: may or may not be stored
            ++interrupted;
            continue;
          }
          const json reply = json::parse(r->body);
          std::lock_guard lock(mutex);
          for (const json& a : reply["accepted"]) acknowledged[a["id"].get<std::string>()] = a["document"].get<std::int64_t>();
        }
      });
    }
    // Let some batches complete, then kill in the middle of others.
    const std::size_t target = acknowledged.size() + 2 * kBatch;
    for (int i = 0; i < 6000; ++i) {
      {
        std::lock_guard lock(mutex);
        if (acknowledged.size() >= target) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    killed = true;  // first, so that clients stop sending once their batch in flight is cut off
    server.kill();
    ++kills;
    for (auto& t : clients) t.join();
  }
  ASSERT_GT(kills, 0);
  ASSERT_FALSE(acknowledged.empty());
  // Three writers post back to back, so a kill lands while batches are being written.
  EXPECT_GT(interrupted.load(), 0);
  std::cout << "kills " << kills << ", acknowledged documents " << acknowledged.size() << ", batches cut off "
            << interrupted.load() << '\n';

  // Restart, and check through the API and the store itself.
  ServerProcess server(store_path, dir / "server-final.log");
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  std::map<std::string, const Article*> by_id;
  for (const Article& a : all) by_id[a.id] = &a;
  for (const auto& [id, row] : acknowledged) {
    auto r = client.Get("/api/documents/" + std::to_string(row));
    ASSERT_TRUE(r && r->status == 200) << id << " acknowledged as row " << row << " is missing";
    const json doc = json::parse(r->body);
    EXPECT_EQ(doc["id"], id);
    EXPECT_EQ(doc["text"], by_id[id]->text) << id;
    EXPECT_TRUE(doc["event"].is_number()) << id << " stored without its event";
  }
  {
    auto store = isnad::Store::open(store_path.string(), isnad::OpenMode::kReadOnly);
    ASSERT_TRUE(store);
    auto stored = store->all_documents();
    ASSERT_TRUE(stored);
    std::map<std::string, int> copies;
    for (const auto& d : *stored) ++copies[d.external_id];
    for (const auto& [id, n] : copies) EXPECT_EQ(n, 1) << id << " stored " << n << " times";
    for (const auto& [id, row] : acknowledged) EXPECT_EQ(copies[id], 1) << id;
    // Atomic batches: nothing stored without its analysis and event.
    auto assigned = store->document_events();
    ASSERT_TRUE(assigned);
    EXPECT_EQ(assigned->size(), stored->size());
  }
  // Sending everything again adds exactly the documents that were never acknowledged.
  std::string body;
  for (const Article& a : all) body += a.line + "\n";
  auto r = client.Post("/api/documents", body, "application/x-ndjson");
  ASSERT_TRUE(r && r->status == 200);
  std::size_t reported_duplicates = 0;
  const json reply = json::parse(r->body);
  for (const json& a : reply["accepted"]) {
    if (a["duplicate_of"].is_number()) ++reported_duplicates;
    const auto it = acknowledged.find(a["id"].get<std::string>());
    if (it == acknowledged.end()) continue;
    EXPECT_TRUE(a["duplicate_of"].is_number()) << a;
    EXPECT_EQ(a["document"], it->second);
  }
  EXPECT_GE(reported_duplicates, acknowledged.size());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["documents"], all.size());
  RecordProperty("kills", kills);
  RecordProperty("acknowledged_before_kills", static_cast<int>(acknowledged.size()));
}

// SIGTERM during a batch: the server exits cleanly (status 0), and the batch is either
// acknowledged and stored whole, or not acknowledged and not stored at all.
TEST(ServerCrash, SigtermFinishesOrDropsTheBatchInFlight) {
  TempDir dir;
  const auto store_path = dir / "store.db";
  const std::vector<Article> all = articles(2);
  std::string body;
  for (const Article& a : all) body += a.line + "\n";
  int status = -1;
  int reply_status = 0;
  std::size_t acknowledged = 0;
  {
    ServerProcess server(store_path, dir / "server.log");
    ASSERT_GT(server.port(), 0);
    std::thread poster([&] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_read_timeout(120, 0);
      auto r = client.Post("/api/documents", body, "application/x-ndjson");
      if (!r) return;
      reply_status = r->status;
      if (r->status == 200) acknowledged = json::parse(r->body)["accepted"].size();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = server.terminate();
    poster.join();
  }
  EXPECT_EQ(status, 0);
  auto store = isnad::Store::open(store_path.string(), isnad::OpenMode::kReadOnly);
  ASSERT_TRUE(store);
  const auto stored = store->document_count();
  ASSERT_TRUE(stored);
  if (reply_status == 200) {
    EXPECT_EQ(acknowledged, all.size());
    EXPECT_EQ(*stored, static_cast<std::int64_t>(all.size()));
  } else {
    EXPECT_EQ(*stored, 0);
  }
  std::cout << "reply " << reply_status << ", stored " << *stored << " of " << all.size() << '\n';
}

}  // namespace
