// The embedded engine behind sql.h: one sqlite3 connection, used by one thread at a time.
#include <sqlite3.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "corpus/fts_rank.h"
#include "corpus/fts_tokenizer.h"
#include "corpus/sql.h"

namespace isnad::sql {

namespace {

class SqliteStatement final : public Statement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind(int index, std::string_view value) override {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, std::int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void bind(int index, double value) override { sqlite3_bind_double(stmt_, index, value); }
  Step step() override {
    switch (sqlite3_step(stmt_)) {
      case SQLITE_ROW: return Step::kRow;
      case SQLITE_DONE: return Step::kDone;
      default: return Step::kError;
    }
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
  }
  bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    cached_.clear();  // finalized before their connection closes
    sqlite3_close(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Backend backend() const override { return Backend::kSqlite; }

  Status exec(std::string_view sql) override {
    const std::string statement(sql);  // sqlite3_exec needs the terminating NUL
    char* message = nullptr;
    if (sqlite3_exec(db_, statement.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      Error e = make_error(ErrorCode::kStore, message ? message : "SQL error");
      sqlite3_free(message);
      return e;
    }
    return {};
  }

  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return nullptr;
    }
    return std::make_unique<SqliteStatement>(stmt);
  }

  Statement* cached(const char* sql) override {
    auto [it, inserted] = cached_.try_emplace(sql);
    if (inserted) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        cached_.erase(it);
        return nullptr;
      }
      it->second = std::make_unique<SqliteStatement>(stmt);
    }
    return it->second.get();
  }

  std::string error() const override { return sqlite3_errmsg(db_); }

  Status begin() override { return exec("BEGIN IMMEDIATE"); }
  Status commit() override { return exec("COMMIT"); }
  Status rollback() override { return exec("ROLLBACK"); }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

  corpus::DocumentLengths* document_lengths() { return &document_lengths_; }

 private:
  sqlite3* db_;
  corpus::DocumentLengths document_lengths_;
  std::unordered_map<const char*, std::unique_ptr<SqliteStatement>> cached_;
};

}  // namespace

Expected<std::unique_ptr<Connection>> open_sqlite(const std::string& path, bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::exists(path, ec)) {
    return make_error(ErrorCode::kStore, fmt::format("{}: no such store", path));
  }
  sqlite3* db = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    Error e = make_error(ErrorCode::kStore, fmt::format("{}: {}", path, db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return e;
  }
  auto connection = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  // Reading the schema first is what detects a file that is not a database, before any write.
  {
    auto probe = connection->prepare("SELECT count(*) FROM sqlite_master");
    if (!probe || probe->step() != Step::kRow) {
      return make_error(ErrorCode::kStore, fmt::format("{}: not an isnad store (unreadable or corrupt SQLite file)", path));
    }
  }
  if (Status s = corpus::register_fts_tokenizer(db); !s) return s.error();
  if (Status s = corpus::register_fts_rank(db, connection->document_lengths()); !s) return s.error();
  if (!read_only) {
    // A 32 MiB page cache (default 2 MiB): a batch's index updates then stay in memory until
    // commit instead of spilling to the WAL mid-transaction.
    // Switching a new file to WAL takes an exclusive lock for which SQLite does not wait (no busy
    // handler): several processes opening a new store at once retry here for up to 5 s.
    int rc = SQLITE_BUSY;
    for (int attempt = 0; attempt < 500 && rc == SQLITE_BUSY; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) return make_error(ErrorCode::kStore, fmt::format("{}: {}", path, sqlite3_errmsg(db)));
    if (Status s = connection->exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"); !s) {
      return make_error(ErrorCode::kStore, fmt::format("{}: {}", path, s.error().message));
    }
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace isnad::sql
