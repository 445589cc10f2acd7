// The contract of corpus/sql.h, run against every engine: an SQLite file and a fresh database of
// a throwaway PostgreSQL server. What only one engine does is tested after the shared suite.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "corpus/sql.h"
#include "support/postgres_server.h"

namespace isnad::sql {
namespace {

namespace fs = std::filesystem;

// One value from a query without parameters; `fallback` when it returns no row or fails.
std::int64_t count(Connection& c, const std::string& query, std::int64_t fallback = -1) {
  auto q = c.prepare(query);
  if (!q || q->step() != Step::kRow) return fallback;
  return q->int64(0);
}

class SqlConnectionTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      dir_ = fs::temp_directory_path() / ("isnad-sql-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      location_ = (dir_ / "test.db").string();
    } else {
      ASSERT_TRUE(test::postgres().ok()) << test::postgres().error();
      location_ = test::postgres().create_database();
      ASSERT_FALSE(location_.empty()) << test::postgres().error();
    }
    auto c = open(false);
    ASSERT_TRUE(c.ok()) << c.error().message;
    db_ = std::move(*c);
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  Expected<std::unique_ptr<Connection>> open(bool read_only) const {
    return GetParam() == Backend::kSqlite ? open_sqlite(location_, read_only) : open_postgres(location_, read_only);
  }
  // An auto-numbered primary key in each engine's words.
  std::string serial() const {
    return GetParam() == Backend::kSqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY";
  }
  void run(const std::string& sql) {
    const Status s = db_->exec(sql);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  fs::path dir_;
  std::string location_;
  std::unique_ptr<Connection> db_;
};

INSTANTIATE_TEST_SUITE_P(Engines, SqlConnectionTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& row) { return row.param == Backend::kSqlite ? "Sqlite" : "Postgres"; });

TEST_P(SqlConnectionTest, ReportsItsBackend) { EXPECT_EQ(db_->backend(), GetParam()); }

TEST_P(SqlConnectionTest, BindsStepsAndReadsColumnsIncludingNull) {
  run("CREATE TABLE t(id BIGINT, name TEXT, score DOUBLE PRECISION)");
  auto insert = db_->prepare("INSERT INTO t(id, name, score) VALUES (?1, ?2, ?3)");
  ASSERT_TRUE(insert) << db_->error();
  insert->bind(1, std::int64_t{7});
  insert->bind(2, std::string_view("seven"));
  insert->bind(3, 7.5);
  ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
  insert->reset();
  insert->bind(1, std::int64_t{8});  // name and score left unbound: NULL
  ASSERT_EQ(insert->step(), Step::kDone) << db_->error();

  auto select = db_->prepare("SELECT id, name, score FROM t ORDER BY id");
  ASSERT_TRUE(select) << db_->error();
  ASSERT_EQ(select->step(), Step::kRow) << db_->error();
  EXPECT_EQ(select->int64(0), 7);
  EXPECT_EQ(select->text(1), "seven");
  EXPECT_EQ(select->real(2), 7.5);
  EXPECT_FALSE(select->is_null(1));
  ASSERT_EQ(select->step(), Step::kRow);
  EXPECT_EQ(select->int64(0), 8);
  EXPECT_TRUE(select->is_null(1));
  EXPECT_TRUE(select->is_null(2));
  EXPECT_EQ(select->text(1), "");
  EXPECT_EQ(select->real(2), 0.0);
  EXPECT_EQ(select->int64(2), 0);
  EXPECT_EQ(select->step(), Step::kDone);
}

TEST_P(SqlConnectionTest, ResetClearsBindingsAndRunsAgain) {
  auto q = db_->prepare("SELECT ?1");
  ASSERT_TRUE(q) << db_->error();
  q->bind(1, std::string_view("first"));
  ASSERT_EQ(q->step(), Step::kRow) << db_->error();
  EXPECT_EQ(q->text(0), "first");
  EXPECT_EQ(q->step(), Step::kDone);
  q->reset();
  ASSERT_EQ(q->step(), Step::kRow) << db_->error();
  EXPECT_TRUE(q->is_null(0));
  q->reset();
  q->bind(1, std::string_view("second"));
  ASSERT_EQ(q->step(), Step::kRow);
  EXPECT_EQ(q->text(0), "second");
}

TEST_P(SqlConnectionTest, Int64ExtremesRoundTrip) {
  run("CREATE TABLE t(k BIGINT, v BIGINT)");
  const std::vector<std::int64_t> values = {std::numeric_limits<std::int64_t>::min(),
                                            std::numeric_limits<std::int64_t>::max(), 0, -1, 1,
                                            std::int64_t{1} << 53, (std::int64_t{1} << 53) + 1};
  auto insert = db_->prepare("INSERT INTO t(k, v) VALUES (?1, ?2)");
  ASSERT_TRUE(insert) << db_->error();
  for (std::size_t i = 0; i < values.size(); ++i) {
    insert->bind(1, static_cast<std::int64_t>(i));
    insert->bind(2, values[i]);
    ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
    insert->reset();
  }
  auto select = db_->prepare("SELECT v FROM t WHERE k = ?1");
  ASSERT_TRUE(select) << db_->error();
  for (std::size_t i = 0; i < values.size(); ++i) {
    select->bind(1, static_cast<std::int64_t>(i));
    ASSERT_EQ(select->step(), Step::kRow) << db_->error();
    EXPECT_EQ(select->int64(0), values[i]) << "row " << i;
    select->reset();
  }
}

TEST_P(SqlConnectionTest, DoublesRoundTripExactly) {
  run("CREATE TABLE t(k BIGINT, v DOUBLE PRECISION)");
  const std::vector<double> values = {0.1,
                                      1.0 / 3.0,
                                      -2.5e-300,
                                      1e300,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::min(),
                                      std::numeric_limits<double>::denorm_min(),
                                      0.30000000000000004,
                                      123456789.123456789};
  auto insert = db_->prepare("INSERT INTO t(k, v) VALUES (?1, ?2)");
  ASSERT_TRUE(insert) << db_->error();
  for (std::size_t i = 0; i < values.size(); ++i) {
    insert->bind(1, static_cast<std::int64_t>(i));
    insert->bind(2, values[i]);
    ASSERT_EQ(insert->step(), Step::kDone) << db_->error() << " value " << values[i];
    insert->reset();
  }
  auto select = db_->prepare("SELECT v FROM t ORDER BY k");
  ASSERT_TRUE(select) << db_->error();
  for (const double expected : values) {
    ASSERT_EQ(select->step(), Step::kRow) << db_->error();
    EXPECT_EQ(select->real(0), expected);
  }
}

TEST_P(SqlConnectionTest, ArabicTextRoundTripsAndMatches) {
  run("CREATE TABLE t(k BIGINT, v TEXT)");
  // Our own phrases: letters with hamza and ta marbuta, diacritics, a tatweel, Arabic-Indic
  // digits, an emoji (4-byte UTF-8) and a right-to-left mark.
  const std::vector<std::string> values = {"قالت الهيئة إن الاجتماع تأجّل إلى الأسبوع المقبل",
                                           "مؤسسة ـ الأنباء ١٢٣٤ 🙂", "\u200Fنص"};
  auto insert = db_->prepare("INSERT INTO t(k, v) VALUES (?1, ?2)");
  ASSERT_TRUE(insert) << db_->error();
  for (std::size_t i = 0; i < values.size(); ++i) {
    insert->bind(1, static_cast<std::int64_t>(i));
    insert->bind(2, std::string_view(values[i]));
    ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
    insert->reset();
  }
  auto select = db_->prepare("SELECT k, v FROM t WHERE v = ?1");
  ASSERT_TRUE(select) << db_->error();
  for (std::size_t i = 0; i < values.size(); ++i) {
    select->bind(1, std::string_view(values[i]));
    ASSERT_EQ(select->step(), Step::kRow) << db_->error();
    EXPECT_EQ(select->int64(0), static_cast<std::int64_t>(i));
    EXPECT_EQ(select->text(1), values[i]);
    EXPECT_EQ(select->step(), Step::kDone);
    select->reset();
  }
}

TEST_P(SqlConnectionTest, ParameterUsedTwiceAndOutOfOrder) {
  run("CREATE TABLE t(a TEXT, b TEXT)");
  auto insert = db_->prepare("INSERT INTO t(b, a) VALUES (?2, ?1)");
  ASSERT_TRUE(insert) << db_->error();
  insert->bind(1, std::string_view("x"));
  insert->bind(2, std::string_view("y"));
  ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t WHERE a = 'x' AND b = 'y'"), 1);

  run("INSERT INTO t(a, b) VALUES ('y', 'z')");
  auto select = db_->prepare("SELECT count(*) FROM t WHERE a = ?1 OR b = ?1");
  ASSERT_TRUE(select) << db_->error();
  select->bind(1, std::string_view("y"));
  ASSERT_EQ(select->step(), Step::kRow) << db_->error();
  EXPECT_EQ(select->int64(0), 2);
}

TEST_P(SqlConnectionTest, QuestionMarkInsideALiteralIsNotAParameter) {
  auto q = db_->prepare("SELECT '?1', ?1");
  ASSERT_TRUE(q) << db_->error();
  q->bind(1, std::string_view("bound"));
  ASSERT_EQ(q->step(), Step::kRow) << db_->error();
  EXPECT_EQ(q->text(0), "?1");
  EXPECT_EQ(q->text(1), "bound");
}

TEST_P(SqlConnectionTest, ReturningGivesTheNewKeys) {
  run("CREATE TABLE t(id " + serial() + ", v TEXT)");
  auto insert = db_->prepare("INSERT INTO t(v) VALUES (?1) RETURNING id");
  ASSERT_TRUE(insert) << db_->error();
  std::vector<std::int64_t> ids;
  for (const char* v : {"a", "b", "c"}) {
    insert->bind(1, std::string_view(v));
    ASSERT_EQ(insert->step(), Step::kRow) << db_->error();
    ids.push_back(insert->int64(0));
    EXPECT_EQ(insert->step(), Step::kDone);
    insert->reset();
  }
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  auto select = db_->prepare("SELECT v FROM t WHERE id = ?1");
  ASSERT_TRUE(select);
  select->bind(1, ids[1]);
  ASSERT_EQ(select->step(), Step::kRow);
  EXPECT_EQ(select->text(0), "b");
}

TEST_P(SqlConnectionTest, CommitIsSeenByOthersAndRollbackUndoes) {
  run("CREATE TABLE t(v BIGINT)");
  auto other = open(false);
  ASSERT_TRUE(other.ok()) << other.error().message;

  EXPECT_FALSE(db_->in_transaction());
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  EXPECT_TRUE(db_->in_transaction());
  run("INSERT INTO t VALUES (1)");
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 1);  // its own writes
  ASSERT_TRUE(db_->commit().ok()) << db_->error();
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count(**other, "SELECT count(*) FROM t"), 1);

  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (2)");
  ASSERT_TRUE(db_->rollback().ok()) << db_->error();
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 1);
  EXPECT_EQ(count(**other, "SELECT count(*) FROM t"), 1);
}

TEST_P(SqlConnectionTest, BeginTwiceIsAnError) {
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  EXPECT_FALSE(db_->begin().ok());
  EXPECT_TRUE(db_->in_transaction());
  EXPECT_TRUE(db_->rollback().ok());
}

TEST_P(SqlConnectionTest, SavepointRollbackKeepsTheRestOfTheTransaction) {
  run("CREATE TABLE t(v BIGINT)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (1)");
  run("SAVEPOINT batch");
  run("INSERT INTO t VALUES (2)");
  run("ROLLBACK TO batch; RELEASE batch");
  EXPECT_TRUE(db_->in_transaction());
  run("SAVEPOINT batch");
  run("INSERT INTO t VALUES (3)");
  run("RELEASE batch");
  ASSERT_TRUE(db_->commit().ok()) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 2);
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t WHERE v = 2"), 0);
}

TEST_P(SqlConnectionTest, SavepointRecoversFromAFailedStatement) {
  run("CREATE TABLE t(v BIGINT PRIMARY KEY)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (1)");
  run("SAVEPOINT one");
  auto insert = db_->prepare("INSERT INTO t VALUES (?1)");
  ASSERT_TRUE(insert) << db_->error();
  insert->bind(1, std::int64_t{1});
  EXPECT_EQ(insert->step(), Step::kError);
  run("ROLLBACK TO one; RELEASE one");
  insert->reset();
  insert->bind(1, std::int64_t{2});
  ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
  ASSERT_TRUE(db_->commit().ok()) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 2);
}

TEST_P(SqlConnectionTest, CachedStatementIsPreparedOnceAndReused) {
  run("CREATE TABLE t(k BIGINT, v TEXT)");
  run("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  static const char* const kQuery = "SELECT v FROM t WHERE k = ?1";
  Statement* first = db_->cached(kQuery);
  ASSERT_NE(first, nullptr) << db_->error();
  {
    Borrowed q(db_->cached(kQuery));
    ASSERT_TRUE(q.ok());
    q->bind(1, std::int64_t{1});
    ASSERT_EQ(q->step(), Step::kRow) << db_->error();
    EXPECT_EQ(q->text(0), "one");
  }  // reset here: the next borrower starts fresh, unbound
  {
    Borrowed q(db_->cached(kQuery));
    EXPECT_EQ(&*q, first);
    ASSERT_EQ(q->step(), Step::kDone) << "k = NULL matches nothing";
  }
  {
    Borrowed q(db_->cached(kQuery));
    q->bind(1, std::int64_t{2});
    ASSERT_EQ(q->step(), Step::kRow) << db_->error();
    EXPECT_EQ(q->text(0), "two");
  }
  static const char* const kOther = "SELECT count(*) FROM t";
  Statement* other = db_->cached(kOther);
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other, first);
}

TEST_P(SqlConnectionTest, BadSqlIsAnErrorAndTheConnectionGoesOn) {
  EXPECT_EQ(db_->prepare("SELEKT 1"), nullptr);
  EXPECT_FALSE(db_->error().empty());
  EXPECT_EQ(db_->cached("SELECT * FROM no_such_table"), nullptr);
  EXPECT_NE(db_->error().find("no_such_table"), std::string::npos) << db_->error();
  const Status s = db_->exec("CREATE TABLE (");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kStore);
  EXPECT_FALSE(s.error().message.empty());
  EXPECT_EQ(count(*db_, "SELECT 41 + 1"), 42);
}

TEST_P(SqlConnectionTest, UniqueViolationThenRollbackAndContinue) {
  run("CREATE TABLE t(v TEXT UNIQUE)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  auto insert = db_->prepare("INSERT INTO t VALUES (?1)");
  ASSERT_TRUE(insert) << db_->error();
  insert->bind(1, std::string_view("x"));
  ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
  insert->reset();
  insert->bind(1, std::string_view("x"));
  ASSERT_EQ(insert->step(), Step::kError);
  std::string message = db_->error();
  for (char& c : message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(message.find("unique"), std::string::npos) << db_->error();
  ASSERT_TRUE(db_->rollback().ok()) << db_->error();
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 0);

  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  insert->reset();
  insert->bind(1, std::string_view("x"));
  ASSERT_EQ(insert->step(), Step::kDone) << db_->error();
  ASSERT_TRUE(db_->commit().ok()) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 1);
}

TEST_P(SqlConnectionTest, ReadOnlyConnectionReadsButRefusesWrites) {
  run("CREATE TABLE t(v BIGINT)");
  run("INSERT INTO t VALUES (1)");
  auto reader = open(true);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Connection& r = **reader;
  EXPECT_EQ(count(r, "SELECT count(*) FROM t"), 1);
  EXPECT_FALSE(r.exec("INSERT INTO t VALUES (2)").ok());
  auto insert = r.prepare("INSERT INTO t VALUES (?1)");
  if (insert) {  // SQLite prepares it and refuses at the step
    insert->bind(1, std::int64_t{3});
    EXPECT_EQ(insert->step(), Step::kError);
  }
  if (r.begin().ok()) {
    EXPECT_FALSE(r.exec("DELETE FROM t").ok());
    EXPECT_TRUE(r.rollback().ok()) << r.error();
  }
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 1);
  EXPECT_EQ(count(r, "SELECT count(*) FROM t"), 1);
}

TEST_P(SqlConnectionTest, ExecRunsSeveralStatements) {
  run("CREATE TABLE a(v BIGINT); CREATE TABLE b(v BIGINT); INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)");
  EXPECT_EQ(count(*db_, "SELECT v FROM a"), 1);
  EXPECT_EQ(count(*db_, "SELECT v FROM b"), 2);
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO a VALUES (3); DELETE FROM b");
  ASSERT_TRUE(db_->rollback().ok()) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM a"), 1);
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM b"), 1);
}

TEST_P(SqlConnectionTest, PreparedStatementMayChangeTheSchema) {
  auto create = db_->prepare("CREATE TABLE t(v BIGINT)");
  ASSERT_TRUE(create) << db_->error();
  ASSERT_EQ(create->step(), Step::kDone) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 0);
}

TEST_P(SqlConnectionTest, ColumnsOutOfRangeReadAsNull) {
  auto q = db_->prepare("SELECT 5");
  ASSERT_TRUE(q) << db_->error();
  ASSERT_EQ(q->step(), Step::kRow) << db_->error();
  EXPECT_EQ(q->int64(0), 5);
  EXPECT_EQ(q->int64(1), 0);
  EXPECT_EQ(q->text(7), "");
}

// What only PostgreSQL does.
class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::postgres().ok()) << test::postgres().error();
    url_ = test::postgres().create_database();
    ASSERT_FALSE(url_.empty()) << test::postgres().error();
    auto c = open_postgres(url_, false);
    ASSERT_TRUE(c.ok()) << c.error().message;
    db_ = std::move(*c);
  }
  void run(const std::string& sql) {
    const Status s = db_->exec(sql);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  std::string url_;
  std::unique_ptr<Connection> db_;
};

// In PostgreSQL an error aborts the transaction; COMMIT then only rolls back, which the caller
// must hear about rather than believe its earlier writes were stored.
TEST_F(PostgresConnectionTest, CommitAfterAnErrorRollsBackAndSaysSo) {
  run("CREATE TABLE t(v BIGINT PRIMARY KEY)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(db_->exec("INSERT INTO t VALUES (1)").ok());
  EXPECT_FALSE(db_->exec("INSERT INTO t VALUES (2)").ok()) << "the transaction is aborted";
  const Status s = db_->commit();
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 0);
}

TEST_F(PostgresConnectionTest, ConnectionErrorsDoNotShowThePassword) {
  // Port 1 on the loopback: nothing listens there.
  auto c = open_postgres("postgresql://isnad:s3cret-pw@127.0.0.1:1/x", false);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kStore);
  EXPECT_EQ(c.error().message.find("s3cret-pw"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("127.0.0.1"), std::string::npos) << c.error().message;
  auto d = open_postgres("host=127.0.0.1 port=1 password=s3cret-pw dbname=x", false);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message.find("s3cret-pw"), std::string::npos) << d.error().message;
}

TEST_F(PostgresConnectionTest, UnknownDatabaseIsAnError) {
  const std::string url = url_.substr(0, url_.rfind('/')) + "/no_such_database";
  auto c = open_postgres(url, false);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("no_such_database"), std::string::npos) << c.error().message;
}

// A server restart breaks the connection: the call that meets it fails with a clear error, and the
// next call outside a transaction reconnects; statements prepared before work again.
TEST_F(PostgresConnectionTest, ReconnectsAfterTheServerRestarts) {
  run("CREATE TABLE t(v BIGINT)");
  static const char* const kInsert = "INSERT INTO t VALUES (?1)";
  auto count_query = db_->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count_query) << db_->error();
  {
    Borrowed q(db_->cached(kInsert));
    ASSERT_TRUE(q.ok()) << db_->error();
    q->bind(1, std::int64_t{1});
    ASSERT_EQ(q->step(), Step::kDone) << db_->error();
  }
  ASSERT_TRUE(test::postgres().restart()) << test::postgres().error();

  EXPECT_EQ(count_query->step(), Step::kError);
  EXPECT_FALSE(db_->error().empty());
  count_query->reset();
  ASSERT_EQ(count_query->step(), Step::kRow) << db_->error();
  EXPECT_EQ(count_query->int64(0), 1);
  {
    Borrowed q(db_->cached(kInsert));
    ASSERT_TRUE(q.ok()) << db_->error();
    q->bind(1, std::int64_t{2});
    ASSERT_EQ(q->step(), Step::kDone) << db_->error();
  }
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 2);
}

// Inside a transaction a lost connection is not papered over: every call fails until the caller
// rolls back, and nothing of the transaction is stored.
TEST_F(PostgresConnectionTest, ConnectionLostInsideATransactionFailsUntilRollback) {
  run("CREATE TABLE t(v BIGINT)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(test::postgres().restart()) << test::postgres().error();
  const Status found = db_->exec("INSERT INTO t VALUES (2)");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("connection to the server was lost"), std::string::npos)
      << found.error().message;
  const Status after = db_->exec("INSERT INTO t VALUES (3)");
  ASSERT_FALSE(after.ok()) << "no silent reconnect mid-transaction";
  EXPECT_NE(after.error().message.find("roll back"), std::string::npos) << after.error().message;
  EXPECT_TRUE(db_->in_transaction());
  EXPECT_FALSE(db_->commit().ok());
  EXPECT_TRUE(db_->rollback().ok()) << db_->error();
  EXPECT_FALSE(db_->in_transaction());
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (4)");
  ASSERT_TRUE(db_->commit().ok()) << db_->error();
  auto q = db_->prepare("SELECT v FROM t");
  ASSERT_TRUE(q) << db_->error();
  ASSERT_EQ(q->step(), Step::kRow);
  EXPECT_EQ(q->int64(0), 4);
  EXPECT_EQ(q->step(), Step::kDone);
}

// While the server is down every call fails with its connection error; when it is back the next
// call connects again.
TEST_F(PostgresConnectionTest, CallsFailWhileTheServerIsDownAndWorkWhenItIsBack) {
  run("CREATE TABLE t(v BIGINT)");
  ASSERT_TRUE(test::postgres().stop());
  const Status lost = db_->exec("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(lost.ok());
  const Status refused = db_->exec("INSERT INTO t VALUES (2)");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("cannot connect"), std::string::npos) << refused.error().message;
  const Status again = db_->exec("INSERT INTO t VALUES (2)");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message.size(), refused.error().message.size()) << "the message does not grow per retry";
  EXPECT_FALSE(db_->begin().ok());
  EXPECT_FALSE(db_->in_transaction());
  ASSERT_TRUE(test::postgres().start()) << test::postgres().error();
  run("INSERT INTO t VALUES (3)");
  EXPECT_EQ(count(*db_, "SELECT sum(v) FROM t"), 3);
}

// libpqxx 6 reconnects a broken connection by itself when asked to prepare; inside a transaction
// that would run the rest of it in autocommit on a new session and "commit" half of it.
TEST_F(PostgresConnectionTest, NoHalfTransactionAfterTheConnectionIsLost) {
  run("CREATE TABLE t(v BIGINT)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(test::postgres().restart()) << test::postgres().error();
  auto insert = db_->prepare("INSERT INTO t VALUES (2)");
  if (insert) {  // prepared or not, it must not run
    EXPECT_EQ(insert->step(), Step::kError);
  }
  EXPECT_FALSE(db_->cached("INSERT INTO t VALUES (3)"));
  EXPECT_FALSE(db_->exec("INSERT INTO t VALUES (4)").ok());
  EXPECT_FALSE(db_->commit().ok());
  (void)db_->rollback();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), 0);
}

// The immediate shutdown is a crash for the data directory: what was committed is there after
// WAL recovery, what was not is gone.
TEST_F(PostgresConnectionTest, CommittedRowsSurviveAServerCrash) {
  run("CREATE TABLE t(v BIGINT)");
  run("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  run("INSERT INTO t VALUES (2)");
  ASSERT_TRUE(test::postgres().restart(test::PostgresServer::Shutdown::kImmediate)) << test::postgres().error();
  EXPECT_FALSE(db_->commit().ok());
  EXPECT_TRUE(db_->rollback().ok());
  EXPECT_EQ(count(*db_, "SELECT sum(v) FROM t"), 1);
}

// A statement kept after its connection is gone fails instead of reconnecting or crashing.
TEST_F(PostgresConnectionTest, StatementOutlivingItsConnectionFails) {
  auto q = db_->prepare("SELECT 1");
  ASSERT_TRUE(q) << db_->error();
  db_.reset();
  EXPECT_EQ(q->step(), Step::kError);
  EXPECT_EQ(q->int64(0), 0);
}

// Connections are independent: writers on their own threads, each in its own transactions.
TEST_F(PostgresConnectionTest, ConnectionsOnSeveralThreads) {
  run("CREATE TABLE t(worker BIGINT, v BIGINT)");
  constexpr int kThreads = 4;
  constexpr int kRows = 25;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      auto c = open_postgres(url_, false);
      if (!c.ok()) {
        failures[static_cast<std::size_t>(w)] = c.error().message;
        return;
      }
      Connection& db = **c;
      for (int i = 0; i < kRows; ++i) {
        Borrowed insert(db.cached("INSERT INTO t(worker, v) VALUES (?1, ?2)"));
        if (!db.begin().ok() || !insert.ok()) {
          failures[static_cast<std::size_t>(w)] = db.error();
          return;
        }
        insert->bind(1, static_cast<std::int64_t>(w));
        insert->bind(2, static_cast<std::int64_t>(i));
        if (insert->step() != Step::kDone || !db.commit().ok()) {
          failures[static_cast<std::size_t>(w)] = db.error();
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM t"), kThreads * kRows);
  EXPECT_EQ(count(*db_, "SELECT count(DISTINCT (worker, v)) FROM t"), kThreads * kRows);
}

// Statements the caller drops are deallocated on the server, so a long-lived connection that
// prepares ad-hoc queries does not accumulate them; one dropped while the transaction is aborted
// (when the server refuses everything but a rollback) goes after the rollback.
TEST_F(PostgresConnectionTest, DroppedStatementsAreDeallocated) {
  for (int i = 0; i < 20; ++i) {
    auto q = db_->prepare("SELECT ?1");
    ASSERT_TRUE(q) << db_->error();
  }
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM pg_prepared_statements"), 1) << "only the counting query";

  ASSERT_TRUE(db_->begin().ok()) << db_->error();
  {
    auto q = db_->prepare("SELECT ?1");
    ASSERT_TRUE(q) << db_->error();
    EXPECT_FALSE(db_->exec("SELECT no_such_column").ok());
  }
  ASSERT_TRUE(db_->rollback().ok()) << db_->error();
  EXPECT_EQ(count(*db_, "SELECT count(*) FROM pg_prepared_statements"), 1);
}

}  // namespace
}  // namespace isnad::sql
