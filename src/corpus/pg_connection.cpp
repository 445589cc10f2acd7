// corpus/pg_connection.cpp — the PostgreSQL side of corpus/sql.h, on libpqxx 6.4.
//
// libpqxx allows one transaction object per connection and its transaction classes end with
// their C++ scope, which the store's begin()/commit() calls do not have. So each session keeps one
// pqxx::nontransaction for its whole life and sends BEGIN / COMMIT / ROLLBACK (and the store's
// SAVEPOINTs) through it as plain SQL; the transaction state is tracked here.
//
// libpqxx throws; nothing here may. Every entry point catches, keeps the message for error() and
// answers with a Status / nullptr / Step::kError.
//
// A lost connection (server restarted, network cut) fails the call that meets it, and every later
// one inside the same transaction. Outside a transaction the next call reconnects (session
// settings made through exec() are gone then) and statements prepare again when next run.
// libpqxx 6 documents that it reactivates a broken connection by itself, which in the middle of
// our BEGIN … COMMIT would run the rest of the transaction in autocommit; so a pqxx::connection
// that broke is never used again, only replaced.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "corpus/sql.h"
#include "isnad/store.h"

namespace isnad::sql {
namespace {

std::string message_of(const std::exception& e) {
  std::string m = e.what();
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// `?N` → `$N` outside quoted literals and identifiers; also counts the parameters (the highest N),
// which is how many values PostgreSQL expects at execution.
std::pair<std::string, int> rewrite(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  int params = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: still right
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      int n = 0;
      std::size_t j = i + 1;
      for (; j < sql.size() && sql[j] >= '0' && sql[j] <= '9'; ++j) n = n * 10 + (sql[j] - '0');
      params = std::max(params, n);
      out += '$';
      out.append(sql.substr(i + 1, j - i - 1));
      i = j - 1;
      continue;
    }
    out += c;
  }
  return {std::move(out), params};
}

struct Session {
  std::string url;
  bool read_only = false;
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<pqxx::nontransaction> work;
  std::string error;
  bool lost = false;             // the connection broke; replaced at the next call outside a transaction
  std::string lost_why;          // what the call that found it broken was told
  bool closed = false;           // the Connection is gone; statements that outlive it only fail
  bool in_transaction = false;
  bool aborted = false;          // an error inside the transaction: only ROLLBACK (TO SAVEPOINT) works
  unsigned generation = 0;       // bumped per connection; statements prepare again when it moves
  std::uint64_t statements = 0;  // names of prepared statements, unique per session
  std::vector<std::string> to_unprepare;  // dropped while the transaction was aborted

  ~Session() { close(); }

  void close() noexcept {
    work.reset();
    connection.reset();
  }

  Status connect() {
    try {
      close();
      connection = std::make_unique<pqxx::connection>(url);
      work = std::make_unique<pqxx::nontransaction>(*connection);
      work->exec(read_only ? "SET client_min_messages = warning; SET default_transaction_read_only = on"
                           : "SET client_min_messages = warning");
    } catch (const std::exception& e) {
      close();
      error = fmt::format("PostgreSQL: cannot connect to {}: {}", redact_location(url), message_of(e));
      return make_error(ErrorCode::kStore, error);
    }
    lost = false;
    ++generation;
    return {};
  }

  // Ready for a round trip: reconnects a lost connection when no transaction depends on it.
  bool usable() {
    if (closed) {
      error = "PostgreSQL: the connection is closed";
      return false;
    }
    // libpqxx would reconnect a connection it knows is broken before running anything on it.
    if (!lost && connection && !connection->is_open()) failed("found closed before the call");
    if (lost && !in_transaction && !connect()) {
      error = fmt::format("{} (after the connection was lost: {})", error, lost_why);
      return false;
    }
    if (lost) {
      error = "PostgreSQL: the connection was lost inside a transaction; roll back";
      return false;
    }
    return true;
  }

  void failed(const std::string& message) {
    if (in_transaction) aborted = true;
    if (connection && !connection->is_open() && !lost) {
      lost = true;
      lost_why = message;
      error = fmt::format("PostgreSQL: the connection to the server was lost ({})", message);
    } else {
      error = "PostgreSQL: " + message;
    }
  }

  // The server ran something: the transaction cannot be in the aborted state any more (in that
  // state everything but a rollback fails).
  void succeeded() {
    aborted = false;
    if (in_transaction || to_unprepare.empty()) return;
    for (const auto& name : to_unprepare) {
      try {
        connection->unprepare(name);
      } catch (const std::exception&) {
        // The server frees it with the session anyway.
      }
    }
    to_unprepare.clear();
  }

  // Runs `f` against the server, catching everything.
  template <class F>
  bool attempt(F&& f) {
    if (!usable()) return false;
    try {
      f();
    } catch (const std::exception& e) {
      failed(message_of(e));
      return false;
    } catch (...) {
      failed("unknown failure");
      return false;
    }
    succeeded();
    return true;
  }
};

class PgStatement final : public Statement {
 public:
  PgStatement(std::shared_ptr<Session> session, std::string sql, int params)
      : session_(std::move(session)), sql_(std::move(sql)), values_(static_cast<std::size_t>(params)),
        bound_(static_cast<std::size_t>(params), false) {}

  ~PgStatement() override {
    if (generation_ != session_->generation || session_->closed || session_->lost) return;
    if (session_->aborted) {
      session_->to_unprepare.push_back(name_);
      return;
    }
    try {
      session_->connection->unprepare(name_);
    } catch (const std::exception&) {
      // The server frees it with the session anyway.
    }
  }

  // Prepares on the server now, so bad SQL is reported by Connection::prepare.
  bool prepare() {
    return session_->attempt([&] {
      if (name_.empty()) name_ = fmt::format("isnad_{}", ++session_->statements);
      session_->connection->prepare(name_, sql_);
      try {
        session_->connection->prepare_now(name_);
      } catch (...) {
        session_->connection->unprepare(name_);  // not registered: only forgets the definition
        throw;
      }
      generation_ = session_->generation;
    });
  }

  void bind(int index, std::string_view value) override { set(index, std::string(value)); }
  void bind(int index, std::int64_t value) override { set(index, std::to_string(value)); }
  void bind(int index, double value) override {
    if (std::isnan(value)) return set(index, "NaN");
    if (std::isinf(value)) return set(index, value > 0 ? "Infinity" : "-Infinity");
    set(index, fmt::format("{}", value));  // shortest text that reads back as the same double
  }

  Step step() override {
    if (state_ == State::kDone) return Step::kDone;
    if (state_ == State::kRows) {
      ++row_;
    } else if (!run()) {
      return Step::kError;
    }
    if (row_ < result_.size()) return Step::kRow;
    state_ = State::kDone;
    return Step::kDone;
  }

  void reset() override {
    state_ = State::kFresh;
    result_ = pqxx::result();
    row_ = 0;
    for (std::size_t i = 0; i < values_.size(); ++i) {
      values_[i].clear();
      bound_[i] = false;
    }
  }

  std::int64_t int64(int column) const override {
    const char* v = value(column);
    if (!v) return 0;
    const std::string_view s(v);
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size()) return n;
    if (s == "t") return 1;  // boolean
    return static_cast<std::int64_t>(real(column));
  }
  double real(int column) const override {
    const char* v = value(column);
    if (!v) return 0;
    const std::string_view s(v);
    if (s == "t") return 1;
    double d = 0;
    std::from_chars(s.data(), s.data() + s.size(), d);  // also reads Infinity / NaN
    return d;
  }
  std::string text(int column) const override {
    const char* v = value(column);
    return v ? std::string(v) : std::string();
  }
  bool is_null(int column) const override { return value(column) == nullptr; }

 private:
  enum class State : unsigned char { kFresh, kRows, kDone };

  void set(int index, std::string value) {
    if (index < 1 || static_cast<std::size_t>(index) > values_.size()) return;
    values_[static_cast<std::size_t>(index) - 1] = std::move(value);
    bound_[static_cast<std::size_t>(index) - 1] = true;
  }

  bool run() {
    return session_->attempt([&] {
      if (generation_ != session_->generation) {  // reconnected since: prepared lazily by libpqxx
        session_->connection->prepare(name_, sql_);
        generation_ = session_->generation;
      }
      std::vector<const char*> args(values_.size());
      for (std::size_t i = 0; i < values_.size(); ++i) args[i] = bound_[i] ? values_[i].c_str() : nullptr;
      result_ = session_->work->exec_prepared(name_, pqxx::prepare::make_dynamic_params(args));
      row_ = 0;
      state_ = State::kRows;
    });
  }

  // The current row's field, nullptr when NULL or out of range.
  const char* value(int column) const {
    if (state_ != State::kRows || row_ >= result_.size() || column < 0 ||
        static_cast<pqxx::row::size_type>(column) >= result_.columns())
      return nullptr;
    const pqxx::field field = result_[static_cast<pqxx::result::size_type>(row_)][static_cast<pqxx::row::size_type>(column)];
    return field.is_null() ? nullptr : field.c_str();
  }

  std::shared_ptr<Session> session_;
  std::string sql_;
  std::string name_;
  unsigned generation_ = 0;
  std::vector<std::string> values_;
  std::vector<bool> bound_;
  pqxx::result result_;
  std::size_t row_ = 0;
  State state_ = State::kFresh;
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  ~PgConnection() override {
    session_->closed = true;  // the server drops prepared statements with the session
    cached_.clear();
    session_->close();
  }

  Backend backend() const override { return Backend::kPostgres; }

  Status exec(std::string_view sql) override {
    if (session_->attempt([&] { session_->work->exec(std::string(sql)); })) return {};
    return make_error(ErrorCode::kStore, session_->error);
  }

  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    try {
      auto [text, params] = rewrite(sql);
      auto statement = std::make_unique<PgStatement>(session_, std::move(text), params);
      if (!statement->prepare()) return nullptr;
      return statement;
    } catch (const std::exception& e) {  // allocation
      session_->error = "PostgreSQL: " + message_of(e);
      return nullptr;
    }
  }

  Statement* cached(const char* sql) override {
    if (const auto found = cached_.find(sql); found != cached_.end()) return found->second.get();
    auto statement = prepare(sql);
    if (!statement) return nullptr;
    try {
      return cached_.emplace(sql, std::move(statement)).first->second.get();
    } catch (const std::exception& e) {
      session_->error = "PostgreSQL: " + message_of(e);
      return nullptr;
    }
  }

  std::string error() const override { return session_->error; }

  Status begin() override {
    if (session_->in_transaction) return fail("begin: a transaction is already open");
    if (!session_->attempt([&] { session_->work->exec("BEGIN"); })) return make_error(ErrorCode::kStore, session_->error);
    session_->in_transaction = true;
    session_->aborted = false;
    return {};
  }

  Status commit() override {
    if (!session_->in_transaction) return fail("commit: no transaction is open");
    if (session_->lost) {
      session_->in_transaction = false;
      return fail("commit: the connection was lost; the transaction was not committed");
    }
    if (session_->aborted) {
      // COMMIT of an aborted transaction "succeeds" as a ROLLBACK: say what happened.
      const std::string why = session_->error;
      (void)rollback();
      return fail(fmt::format("commit: the transaction was rolled back after an error ({})", why));
    }
    const bool ok = session_->attempt([&] { session_->work->exec("COMMIT"); });
    const bool lost = session_->lost;
    // A failed COMMIT ends the transaction too; after a lost connection nobody knows how it ended.
    session_->in_transaction = false;
    session_->aborted = false;
    if (ok) return {};
    if (lost) return fail(fmt::format("commit: the connection was lost, the outcome is unknown ({})", session_->error));
    return make_error(ErrorCode::kStore, session_->error);
  }

  Status rollback() override {
    if (!session_->in_transaction) return {};
    if (session_->lost) {  // the server rolled it back when the connection went
      session_->in_transaction = false;
      session_->aborted = false;
      return {};
    }
    const bool ok = session_->attempt([&] { session_->work->exec("ROLLBACK"); });
    session_->in_transaction = false;
    session_->aborted = false;
    if (ok) return {};
    return make_error(ErrorCode::kStore, session_->error);
  }

  bool in_transaction() const override { return session_->in_transaction; }

 private:
  Status fail(std::string message) {
    session_->error = "PostgreSQL: " + std::move(message);
    return make_error(ErrorCode::kStore, session_->error);
  }

  std::shared_ptr<Session> session_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cached_;
};

}  // namespace

Expected<std::unique_ptr<Connection>> open_postgres(const std::string& url, bool read_only) {
  try {
    auto session = std::make_shared<Session>();
    session->url = url;
    session->read_only = read_only;
    if (Status s = session->connect(); !s) return s.error();
    return std::unique_ptr<Connection>(std::make_unique<PgConnection>(std::move(session)));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kStore, "PostgreSQL: " + message_of(e));
  }
}

}  // namespace isnad::sql
