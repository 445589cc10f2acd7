// Fault tests of `isnad worker` against a throwaway PostgreSQL: real worker processes killed with
// SIGKILL mid-batch, and the database restarted under running workers. Whatever happens, the
// queue must drain with every ticket stored exactly once and `isnad check` passing.
//
// Timeouts here only keep a broken build from hanging the run; nothing asserts on durations.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "corpus/sql.h"
#include "isnad/store.h"
#include "support/postgres_server.h"

namespace isnad {
namespace {

using testing::run_cli;
using testing::slurp;
using testing::TempDir;

// `count` short articles of our own about `count / 25` made-up events (floods, fires, a summit…),
// every text distinct (numbers and outlets vary), dated by event. As JSONL.
std::string generated_articles(int count, std::set<std::string>& hashes) {
  static const char* const kinds[] = {"سيول", "حريق", "انهيار مبنى", "حادث قطار"};
  static const char* const towns[] = {"بئر الحمام", "وادي الشيح", "رأس الصخرة", "تل العنب", "عين الورد",
                                      "سهل الزيتون", "جبل الملح", "مرج الحنطة"};
  static const char* const outlets[] = {"وكالة الشمال", "صحيفة الجنوب", "إذاعة الساحل", "موقع الوادي"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    const int event = i % 8;
    const std::string town = towns[event];
    const std::string kind = kinds[event % 4];
    const int dead = 3 + event * 2 + (i / 8) % 3;
    const std::string title = fmt::format("{} في {} يخلف {} قتلى", kind, town, dead);
    const std::string text = fmt::format(
        "أعلنت السلطات المحلية في {0} أن {1} وقع مساء أمس وأسفر عن مقتل {2} أشخاص وإصابة {3} آخرين، "
        "بحسب حصيلة أولية نقلها مراسل {4}. وقال رئيس بلدية {0} إن فرق الإنقاذ ما زالت تبحث عن مفقودين، "
        "وإن التحقيق في ملابسات {1} بدأ صباح اليوم. (تقرير رقم {5})",
        town, kind, dead, 10 + i, outlets[i % 4], i);
    hashes.insert(content_hash(text));
    nlohmann::json j{{"id", fmt::format("gen-{:03}", i)},
                     {"outlet", outlets[i % 4]},
                     {"published", fmt::format("2024-02-{:02}", 1 + event * 3)},
                     {"title", title},
                     {"text", text}};
    out += j.dump() + "\n";
  }
  return out;
}

// An `isnad worker` process running in the background, its output in files.
class WorkerProcess {
 public:
  WorkerProcess(const TempDir& dir, const std::string& url, const std::string& name, std::vector<std::string> extra = {})
      : name_(name), err_(dir / (name + ".err")) {
    std::vector<std::string> args{ISNAD_CLI_PATH, "worker", "--store", url, "--name", name};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out = (dir / (name + ".out")).string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~WorkerProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  const std::string& name() const { return name_; }
  bool started() const { return pid_ > 0; }
  // False once it has exited (its status is then kept).
  bool running() {
    if (pid_ <= 0 || exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
    }
    return !exited_;
  }
  void signal(int sig) {
    if (running()) ::kill(pid_, sig);
  }
  // Waits for the exit; the exit code, or -1 after a signal.
  int wait() {
    if (pid_ > 0 && !exited_) {
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      exited_ = true;
      status_ = status;
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
  }
  std::string log() const { return slurp(err_); }

 private:
  std::string name_;
  std::filesystem::path err_;
  pid_t pid_ = 0;
  bool exited_ = false;
  int status_ = 0;
};

// One integer read by the test's own connection; nullopt while the server is away.
std::optional<std::int64_t> read_int(Store& store, const std::string& query) {
  auto q = store.connection().prepare(query);
  if (!q || q->step() != sql::Step::kRow) return std::nullopt;
  return q->int64(0);
}

// Polls `done` every 50 ms until it is true or `seconds` pass.
bool wait_until(const std::function<bool()>& done, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

class WorkerFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::postgres().ok()) << test::postgres().error();
    url_ = test::postgres().create_database();
    ASSERT_FALSE(url_.empty()) << test::postgres().error();
    const auto file = dir_.write("articles.jsonl", generated_articles(kArticles, hashes_));
    ASSERT_EQ(hashes_.size(), static_cast<std::size_t>(kArticles));
    const auto queued = run_cli({"ingest", "--queue", "--store", url_, file.string()});
    ASSERT_EQ(queued.exit_code, 0) << queued.err;
    auto store = Store::open(url_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_EQ(*store->queue_length(), kArticles);
  }

  // Everything a drained queue must satisfy, whatever was killed or restarted on the way.
  void expect_all_stored_exactly_once() {
    const auto check = run_cli({"check", "--store", url_});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    const auto report = nlohmann::json::parse(check.out, nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << check.out;
    EXPECT_EQ(report["documents"], kArticles);
    EXPECT_EQ(report["clustered"], kArticles);
    EXPECT_EQ(report["queued"], 0);
    EXPECT_EQ(report["tickets_done"], kArticles);
    EXPECT_TRUE(report["problems"].empty()) << report["problems"].dump();

    auto store = Store::open(url_, OpenMode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ(read_int(*store, "SELECT count(*) FROM queue WHERE document IS NULL OR finished_at IS NULL"), 0);
    EXPECT_EQ(read_int(*store, "SELECT count(DISTINCT content_hash) FROM documents"), kArticles);
    EXPECT_EQ(read_int(*store, "SELECT count(DISTINCT document) FROM queue"), kArticles);
    auto docs = store->all_documents();
    ASSERT_TRUE(docs.ok());
    std::set<std::string> stored;
    for (const StoredDocument& d : *docs) EXPECT_TRUE(stored.insert(d.content_hash).second) << d.external_id;
    EXPECT_EQ(stored, hashes_) << "the documents are exactly the articles queued";
  }

  static constexpr int kArticles = 200;
  TempDir dir_;
  std::string url_;
  std::set<std::string> hashes_;
};

TEST_F(WorkerFaultTest, KilledWorkerLosesNothingAndStoresNothingTwice) {
  auto store = Store::open(url_);
  ASSERT_TRUE(store.ok());
  const std::vector<std::string> opts{"--batch", "4", "--lease", "2"};
  auto victim = std::make_unique<WorkerProcess>(dir_, url_, "victim", opts);
  WorkerProcess steady(dir_, url_, "steady", opts);
  ASSERT_TRUE(victim->started() && steady.started());

  // Kill the victim while it holds a live lease on tickets not yet stored, once some work is done.
  const std::string held =
      "SELECT count(*) FROM queue WHERE leased_by = 'victim' AND document IS NULL "
      "AND lease_until > extract(epoch from clock_timestamp())";
  std::int64_t leased_at_kill = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto done = read_int(*store, "SELECT count(*) FROM queue WHERE document IS NOT NULL");
        const auto mine = read_int(*store, held);
        if (!done || !mine || *done < 20 || *mine == 0) return false;
        victim->signal(SIGKILL);
        leased_at_kill = *mine;
        return true;
      },
      120))
      << "the victim never held a lease after 20 tickets were done\n"
      << victim->log() << steady.log();
  EXPECT_EQ(victim->wait(), -1);
  // What it held when it died (its transaction, if one was open, rolled back with the connection).
  std::vector<std::int64_t> orphaned;
  {
    auto q = store->connection().prepare("SELECT id FROM queue WHERE leased_by = 'victim' AND document IS NULL");
    ASSERT_TRUE(q);
    while (q->step() == sql::Step::kRow) orphaned.push_back(q->int64(0));
  }
  EXPECT_GT(*store->queue_length(), 0) << "the kill came after the queue was empty: not a mid-run kill";
  WorkerProcess replacement(dir_, url_, "replacement", opts);
  ASSERT_TRUE(replacement.started());

  ASSERT_TRUE(wait_until([&] { return store->queue_length().ok() && *store->queue_length() == 0; }, 300))
      << "queue did not drain: " << *store->queue_length() << " left\n"
      << steady.log() << replacement.log();
  // A drained worker stops cleanly on SIGTERM (it finishes the batch in hand first).
  steady.signal(SIGTERM);
  replacement.signal(SIGTERM);
  EXPECT_EQ(steady.wait(), 0) << steady.log();
  EXPECT_EQ(replacement.wait(), 0) << replacement.log();

  // The orphaned tickets went back to the queue when the lease ran out and were claimed again.
  RecordProperty("leased_at_kill", static_cast<int>(leased_at_kill));
  RecordProperty("orphaned", static_cast<int>(orphaned.size()));
  std::cout << "[ info ] victim killed holding " << leased_at_kill << " live leases; " << orphaned.size()
            << " tickets it held were claimed again\n";
  for (std::int64_t t : orphaned) {
    auto state = store->ticket(t);
    ASSERT_TRUE(state.ok() && state->has_value());
    EXPECT_TRUE((*state)->document.has_value()) << "ticket " << t;
    EXPECT_GE((*state)->attempts, 2) << "ticket " << t << " was leased by the killed worker";
  }
  expect_all_stored_exactly_once();
}

// `--drain` must not leave while a dead worker's lease still hides documents from claim().
TEST_F(WorkerFaultTest, DrainingWorkerWaitsOutADeadWorkersLease) {
  auto store = Store::open(url_);
  ASSERT_TRUE(store.ok());
  auto greedy = std::make_unique<WorkerProcess>(dir_, url_, "greedy",
                                                std::vector<std::string>{"--batch", "1000", "--lease", "2"});
  // Killed once it has claimed the whole queue, before it can have stored it.
  ASSERT_TRUE(wait_until(
      [&] {
        const auto held = read_int(*store, "SELECT count(*) FROM queue WHERE leased_by = 'greedy' AND document IS NULL");
        if (!held || *held == 0) return false;
        greedy->signal(SIGKILL);
        return true;
      },
      60))
      << greedy->log();
  greedy->wait();
  ASSERT_GT(*store->queue_length(), 0);
  WorkerProcess drainer(dir_, url_, "drainer", {"--batch", "8", "--lease", "2", "--drain"});
  ASSERT_TRUE(drainer.started());
  ASSERT_TRUE(wait_until([&] { return !drainer.running(); }, 300)) << drainer.log();
  EXPECT_EQ(drainer.wait(), 0) << drainer.log();
  EXPECT_EQ(*store->queue_length(), 0) << "--drain exited with documents still queued\n" << drainer.log();
  expect_all_stored_exactly_once();
}

TEST_F(WorkerFaultTest, WorkersSurviveADatabaseRestartAndTheQueueDrains) {
  auto store = Store::open(url_);
  ASSERT_TRUE(store.ok());
  const std::vector<std::string> opts{"--batch", "4", "--lease", "2"};
  WorkerProcess a(dir_, url_, "a", opts);
  WorkerProcess b(dir_, url_, "b", opts);
  ASSERT_TRUE(a.started() && b.started());
  auto done = [&]() -> std::int64_t {
    return read_int(*store, "SELECT count(*) FROM queue WHERE document IS NOT NULL").value_or(-1);
  };
  // Two restarts while work is in flight: a clean one (fast shutdown ends the sessions and rolls
  // back open transactions) and a crash (immediate: WAL recovery at the next start).
  const std::pair<test::PostgresServer::Shutdown, std::int64_t> faults[] = {
      {test::PostgresServer::Shutdown::kFast, 30}, {test::PostgresServer::Shutdown::kImmediate, 80}};
  for (const auto& [how, after] : faults) {
    ASSERT_TRUE(wait_until([&] { return done() >= after; }, 300)) << a.log() << b.log();
    ASSERT_GT(*store->queue_length(), 0) << "the queue drained before the restart; raise kArticles";
    ASSERT_TRUE(test::postgres().stop(how));
    std::this_thread::sleep_for(std::chrono::seconds(2));  // workers meet a dead server, not just a blip
    EXPECT_TRUE(a.running()) << "worker a exited while the database was down:\n" << a.log();
    EXPECT_TRUE(b.running()) << "worker b exited while the database was down:\n" << b.log();
    ASSERT_TRUE(test::postgres().start()) << test::postgres().error();
  }
  ASSERT_TRUE(wait_until(
      [&] {
        auto n = store->queue_length();
        return n.ok() && *n == 0;
      },
      300))
      << "queue did not drain after the restarts\n"
      << a.log() << b.log();
  EXPECT_TRUE(a.running()) << a.log();
  EXPECT_TRUE(b.running()) << b.log();
  a.signal(SIGTERM);
  b.signal(SIGTERM);
  EXPECT_EQ(a.wait(), 0) << a.log();
  EXPECT_EQ(b.wait(), 0) << b.log();
  // They saw the outage and said so (and kept going: the queue drained above).
  const std::string logs = a.log() + b.log();
  EXPECT_NE(logs.find("retrying"), std::string::npos) << logs;
  std::cout << "[ info ] worker logs:\n" << logs;
  expect_all_stored_exactly_once();
}

}  // namespace
}  // namespace isnad
