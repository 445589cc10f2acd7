// corpus/sql.h — the one seam between the store's logic and its database engine.
//
// The store (store.cpp) is written once against these two interfaces; SQLite (the embedded
// default) and PostgreSQL (teams, many workers) implement them. What differs between the engines
// and cannot be hidden here (schema types, full-text search, locks) is asked of `backend()`.
//
// SQL is written with numbered parameters `?1 … ?N` and in the subset both engines accept
// (ON CONFLICT … DO UPDATE/NOTHING, RETURNING, window functions). The PostgreSQL connection
// rewrites `?N` to `$N`; it does not look inside string literals, so SQL text given here must not
// contain a `?` in a literal.
//
// Errors are values (Status, or nullptr / Step::kError with `error()` saying why): nothing here
// throws. On PostgreSQL an error inside a transaction aborts it: after a failure the caller rolls
// back (to its savepoint) before anything else.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "isnad/status.h"

namespace isnad::sql {

enum class Backend : unsigned char { kSqlite, kPostgres };
enum class Step : unsigned char { kRow, kDone, kError };

class Statement {
 public:
  virtual ~Statement() = default;
  // Parameters are numbered from 1; a parameter not bound is NULL.
  virtual void bind(int index, std::string_view value) = 0;
  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, double value) = 0;
  // The first call runs the statement; each call moves to the next row.
  virtual Step step() = 0;
  // Ready to run again; bindings are cleared.
  virtual void reset() = 0;
  // Columns of the current row, numbered from 0. NULL reads as 0 / "".
  virtual std::int64_t int64(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual bool is_null(int column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;
  // One or more statements without parameters.
  virtual Status exec(std::string_view sql) = 0;
  // A statement owned by the caller; nullptr when it does not prepare (see error()).
  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  // A statement prepared once per connection for hot paths, keyed by the literal's address (so
  // pass string literals only). Owned by the connection; the caller resets it after use
  // (see Borrowed). nullptr when it does not prepare.
  virtual Statement* cached(const char* sql) = 0;
  // The engine's message for the last failure on this connection.
  virtual std::string error() const = 0;

  // A write transaction. SQLite takes the write lock at begin (BEGIN IMMEDIATE), so two writers
  // never deadlock upgrading read locks; PostgreSQL locks rows as they are written.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  virtual bool in_transaction() const = 0;
};

// A cached statement, reset when the borrower is done with it.
class Borrowed {
 public:
  explicit Borrowed(Statement* statement) : statement_(statement) {}
  ~Borrowed() {
    if (statement_) statement_->reset();
  }
  Borrowed(const Borrowed&) = delete;
  Borrowed& operator=(const Borrowed&) = delete;
  bool ok() const { return statement_ != nullptr; }
  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

// Opens an SQLite file (created if missing unless read-only). Sets WAL, foreign keys and the
// page cache, and registers the isnad FTS5 tokenizer.
Expected<std::unique_ptr<Connection>> open_sqlite(const std::string& path, bool read_only);
// Connects to PostgreSQL with a libpq URL (postgresql://user@host:port/db?…). Read-only
// connections refuse writes (default_transaction_read_only).
Expected<std::unique_ptr<Connection>> open_postgres(const std::string& url, bool read_only);

}  // namespace isnad::sql
