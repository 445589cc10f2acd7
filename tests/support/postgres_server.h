// tests/support/postgres_server.h — a throwaway PostgreSQL server for tests.
//
//   auto& pg = isnad::test::postgres();          // started on first use, stopped at exit
//   ASSERT_TRUE(pg.ok()) << pg.error();          // a missing PostgreSQL is a failure, not a skip
//   std::string url = pg.create_database();      // postgresql://postgres@127.0.0.1:PORT/isnad_N
//
// Each test process gets its own server in a fresh directory under /dev/shm (or /tmp;
// $ISNAD_PG_TMPDIR overrides), run as the `postgres` user when the tests run as root, since
// PostgreSQL refuses root. It listens on a free port of 127.0.0.1 with trust authentication and
// keeps its unix socket in that directory, so parallel test processes share nothing. The cluster
// is copied from a template initdb'd by the first process on the machine (initdb costs about a
// second, the copy a tenth of that), and the server starts in a few hundred milliseconds.
//
// The postmaster is this process's child (no pg_ctl daemon) with a parent-death signal, so a test
// that crashes or is killed does not leave a server behind (its directory is removed by the next
// test process that starts one). Fault tests can stop it (fast: SIGINT, or immediate: SIGQUIT,
// which is a crash for the data directory: WAL recovery runs at the next start) and start it again
// on the same port and data. fsync stays on by default; `PostgresOptions::fsync = false` trades
// it for speed (a killed server loses nothing either way: fsync only matters when the machine
// goes down).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace isnad::test {

struct PostgresOptions {
  bool fsync = true;
};

class PostgresServer {
 public:
  enum class Shutdown { kFast, kImmediate };

  explicit PostgresServer(PostgresOptions options = {}) : options_(options) { error_ = set_up(); }
  ~PostgresServer() {
    stop(Shutdown::kImmediate);  // the data goes with the directory: no shutdown checkpoint to wait for
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ok() const {
    std::lock_guard lock(mutex_);
    return error_.empty();
  }
  std::string error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }
  int port() const { return port_; }
  bool running() const {
    std::lock_guard lock(mutex_);
    return pid_ > 0;
  }
  // The postmaster's process id (0 when stopped), for tests that kill it themselves.
  pid_t pid() const {
    std::lock_guard lock(mutex_);
    return pid_;
  }
  std::string url(std::string_view database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
  }

  // A URL of a new empty database; "" when the server is not up (error() says why).
  std::string create_database() {
    std::lock_guard lock(mutex_);
    if (!error_.empty() || pid_ <= 0) return "";
    const std::string name = "isnad_" + std::to_string(++databases_);
    try {
      pqxx::connection admin(url("postgres"));
      pqxx::nontransaction work(admin);
      work.exec("CREATE DATABASE " + name);
    } catch (const std::exception& e) {
      error_ = "CREATE DATABASE " + name + ": " + e.what();
      return "";
    }
    return url(name);
  }

  // Shuts the server down and waits for it to exit. kImmediate is a crash as far as the data
  // directory is concerned. The caller's connections break.
  bool stop(Shutdown how = Shutdown::kFast) {
    std::lock_guard lock(mutex_);
    if (pid_ <= 0) return true;
    ::kill(pid_, how == Shutdown::kFast ? SIGINT : SIGQUIT);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = 0;
    return true;
  }
  // Starts the stopped server again on the same port and data directory.
  bool start() {
    std::lock_guard lock(mutex_);
    if (pid_ > 0) return true;
    std::string e = launch();
    if (!e.empty()) error_ = e;
    return e.empty();
  }
  bool restart(Shutdown how = Shutdown::kFast) { return stop(how) && start(); }

 private:
  static std::string tail(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  }

  static std::string find_bindir() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("ISNAD_PG_BINDIR")) return env;
    std::string best;
    int best_version = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
      const int version = std::atoi(entry.path().filename().c_str());
      if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
        best_version = version;
        best = (entry.path() / "bin").string();
      }
    }
    if (!best.empty()) return best;
    if (FILE* p = ::popen("pg_config --bindir 2>/dev/null", "r")) {
      char line[4096] = {};
      if (std::fgets(line, sizeof line, p)) best = line;
      ::pclose(p);
      while (!best.empty() && (best.back() == '\n' || best.back() == '\r')) best.pop_back();
      if (!fs::exists(fs::path(best) / "initdb")) best.clear();
    }
    return best;
  }

  // Directories of test processes that were killed (their server died with them).
  static void remove_abandoned(const std::filesystem::path& base) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
      if (entry.path().filename().string().rfind("isnad-pg-", 0) != 0) continue;
      pid_t owner = 0;
      if (!(std::ifstream(entry.path() / "owner") >> owner) || owner <= 0) continue;
      if (::kill(owner, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
    }
  }

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      port = ntohs(address.sin_port);
    ::close(fd);
    return port;
  }

  // fork + exec as the server's user, output to `log`; the child dies with this process.
  pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log) const {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child != 0) return child;
    // Child: only async-signal-safe calls from here on.
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::close(out);
    }
    if (as_user_) {
      if (::setgid(gid_) != 0 || ::setuid(uid_) != 0) ::_exit(126);
    }
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);  // after setuid: a credential change clears it
    if (::getppid() != parent) ::_exit(125);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }

  // Runs a command to its end; "" when it exits 0, else what it printed.
  std::string run(const std::vector<std::string>& args, const std::filesystem::path& log) const {
    const pid_t child = spawn(args, log);
    if (child < 0) return std::string("fork: ") + std::strerror(errno);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    return args[0] + " failed:\n" + tail(log);
  }

  // Shared memory when there is some: initdb and copies run several times faster there than on
  // a slow disk. A killed process loses nothing written to it either way (fsync only guards
  // against the machine going down).
  static std::filesystem::path base_directory() {
    if (const char* env = std::getenv("ISNAD_PG_TMPDIR")) return env;
    if (::access("/dev/shm", W_OK | X_OK) == 0) return "/dev/shm";
    return "/tmp";
  }

  std::string set_up() {
    namespace fs = std::filesystem;
    bindir_ = find_bindir();
    if (bindir_.empty())
      return "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb, no pg_config); "
             "scripts/deps installs postgresql-15";
    const fs::path base = base_directory();
    remove_abandoned(base);
    std::string pattern = (base / "isnad-pg-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) return "mkdtemp " + pattern + ": " + std::strerror(errno);
    dir_ = pattern;
    std::ofstream(dir_ / "owner") << ::getpid();
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (!pw) return "running as root and there is no `postgres` user to run the server as";
      as_user_ = true;
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      if (::chown(dir_.c_str(), uid_, gid_) != 0) return "chown " + dir_.string() + ": " + std::strerror(errno);
    }
    // initdb once per machine (per server binaries and user) into a template that later
    // processes copy; renamed into place whole, so a reader never sees half of one.
    const fs::path cluster_template =
        base / ("isnad-pg-template-" + std::to_string(as_user_ ? uid_ : ::geteuid()) + "-" +
                std::to_string(std::hash<std::string>{}(bindir_ + "|C.UTF-8|trust|v1")));
    if (!fs::exists(cluster_template / "PG_VERSION")) {
      const fs::path fresh = dir_ / "template";
      if (std::string e = run({bindir_ + "/initdb", "-D", fresh.string(), "-U", "postgres", "-A", "trust", "-E",
                               "UTF8", "--locale=C.UTF-8", "--no-sync"},
                              dir_ / "initdb.log");
          !e.empty())
        return e;
      std::error_code ec;
      fs::rename(fresh, cluster_template, ec);  // fails when another process was first: use theirs
    }
    if (std::string e = run({"/bin/cp", "-a", cluster_template.string(), (dir_ / "data").string()}, dir_ / "cp.log");
        !e.empty())
      return e;
    std::string last;
    for (int attempt = 0; attempt < 5; ++attempt) {  // another process may take the port first
      port_ = free_port();
      last = launch();
      if (last.empty()) return "";
    }
    return last;
  }

  // Starts the postmaster on port_ and waits until it accepts connections.
  std::string launch() {
    const std::filesystem::path log = dir_ / "server.log";
    pid_ = spawn({bindir_ + "/postgres", "-D", (dir_ / "data").string(), "-c", "listen_addresses=127.0.0.1", "-c",
                  "port=" + std::to_string(port_), "-c", "unix_socket_directories=" + dir_.string(), "-c",
                  std::string("fsync=") + (options_.fsync ? "on" : "off"), "-c", "max_connections=50"},
                 log);
    if (pid_ < 0) {
      pid_ = 0;
      return std::string("fork: ") + std::strerror(errno);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return "postgres exited at start:\n" + tail(log);
      }
      try {
        pqxx::connection probe(url("postgres"));
        return "";
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    ::kill(pid_, SIGQUIT);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
    return "postgres did not accept connections within 60 s:\n" + tail(log);
  }

  PostgresOptions options_;
  mutable std::recursive_mutex mutex_;
  std::string error_;
  std::string bindir_;
  std::filesystem::path dir_;
  bool as_user_ = false;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  int port_ = 0;
  pid_t pid_ = 0;
  int databases_ = 0;
};

// The test process's server, started on first use (thread-safe) and stopped at exit. Call it
// first from the main thread: the server gets SIGQUIT when the thread that started it ends.
inline PostgresServer& postgres() {
  static PostgresServer server;
  return server;
}

}  // namespace isnad::test
