// The commands give the same answers on both store engines: an SQLite file and a PostgreSQL
// database (a throwaway server, tests/support/postgres_server.h). What differs between engines is
// only where the data lives.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "support/postgres_server.h"

namespace isnad {
namespace {

using testing::run_cli;
using testing::TempDir;

const std::string kClusters = std::string(ISNAD_TEST_DIR) + "/data/clusters";
const std::string kDemo = std::string(ISNAD_SOURCE_DIR) + "/demo/corpus";

class Engines : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(test::postgres().ok()) << test::postgres().error(); }
  std::string sqlite() const { return (dir_ / "store.db").string(); }
  TempDir dir_;
};

TEST_F(Engines, IngestThenSearchAnswersAlike) {
  const std::string postgres = test::postgres().create_database();
  for (const std::string& store : {sqlite(), postgres}) {
    const auto r = run_cli({"ingest", "--store", store, kClusters});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("password"), std::string::npos);
  }
  for (const char* query : {"حريق", "الفيضان", "انتخابات المجلس", "المستشفى"}) {
    const auto a = run_cli({"search", "--format", "json", "--limit", "50", "--store", sqlite(), query});
    const auto b = run_cli({"search", "--format", "json", "--limit", "50", "--store", postgres, query});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_FALSE(a.out_lines().empty()) << query;
    EXPECT_EQ(a.out, b.out) << query;
  }
  const auto check = run_cli({"check", "--store", postgres});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(Engines, DossierOfAStoreIsTheSameReport) {
  const std::string postgres = test::postgres().create_database();
  const auto a = run_cli({"dossier", "--store", sqlite(), kDemo});
  const auto b = run_cli({"dossier", "--store", postgres, kDemo});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto ja = nlohmann::json::parse(a.out, nullptr, false);
  const auto jb = nlohmann::json::parse(b.out, nullptr, false);
  ASSERT_FALSE(ja.is_discarded());
  EXPECT_EQ(ja, jb);
  EXPECT_FALSE(ja["events"].empty());
}

}  // namespace
}  // namespace isnad
