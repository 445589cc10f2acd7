#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "corpus/event_stream.h"
#include "corpus/sql.h"
#include "isnad/store.h"
#include "support/postgres_server.h"

namespace isnad {
namespace {

namespace fs = std::filesystem;

class TempDirectory {
 protected:
  void make_directory() {
    dir_ = fs::temp_directory_path() / ("isnad-store-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

enum class Engine { kSqlite, kPostgres };

// Every rule of the store, run against each engine: an SQLite file, and a fresh database of a
// throwaway PostgreSQL server (tests/support/postgres_server.h).
class StoreTest : public ::testing::TestWithParam<Engine>, protected TempDirectory {
 protected:
  void SetUp() override {
    make_directory();
    if (GetParam() == Engine::kPostgres) {
      ASSERT_TRUE(test::postgres().ok()) << test::postgres().error();
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The same name gives the same store within a test.
  std::string location(const std::string& name) {
    if (GetParam() == Engine::kSqlite) return path(name);
    auto [it, inserted] = databases_.try_emplace(name);
    if (inserted) it->second = test::postgres().create_database();
    return it->second;
  }
  std::map<std::string, std::string> databases_;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& engine) {
                           return engine.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

// What only the embedded engine has: its file.
class SqliteStoreTest : public ::testing::Test, protected TempDirectory {
 protected:
  void SetUp() override { make_directory(); }
  void TearDown() override { fs::remove_all(dir_); }
};

// One value read with the store's own connection.
std::int64_t read_int(Store& store, const std::string& query, int column = 0) {
  auto q = store.connection().prepare(query);
  if (!q || q->step() != sql::Step::kRow) return -1;
  return q->int64(column);
}

StoredDocumentInput doc(std::string id, std::string text) {
  StoredDocumentInput d;
  d.external_id = std::move(id);
  d.outlet = "وكالة تجريبية";
  d.published = "2024-03-23";
  d.text = std::move(text);
  return d;
}

TEST_F(SqliteStoreTest, CreatesSchemaInWalMode) {
  auto store = Store::open(path("a.db"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*store->schema_version(), kSchemaVersion);
  auto q = store->connection().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(q && q->step() == sql::Step::kRow);
  EXPECT_EQ(q->text(0), "wal");
}

TEST_P(StoreTest, SameArticleTwiceIsStoredOnce) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  auto first = store->add_documents({doc("a", "قتل ثلاثة أشخاص في انفجار."), doc("b", "نص آخر مختلف تماما.")});
  ASSERT_TRUE(first.ok());
  // Same content under another id and with diacritics: normalized content is what counts.
  auto second = store->add_documents({doc("c", "قُتِلَ ثلاثة أشخاص في انفجار.")});
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*second)[0].duplicate_of.has_value());
  EXPECT_EQ(*(*second)[0].duplicate_of, (*first)[0].document);
  EXPECT_EQ(*store->document_count(), 2);
}

TEST_P(StoreTest, ContainsTellsWhichTextsAreStored) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  const std::string stored = "نص مخزن عن الفيضانات في الوادي.";
  const std::string other = "نص آخر لم يخزن بعد.";
  ASSERT_TRUE(store->add_documents({doc("a", stored)}).ok());
  // The content hash is of the normalized text: another spelling of the same text is stored too.
  auto found = store->contains({content_hash(stored), content_hash(other), content_hash("نصٌ مخزن عن الفيضانات في الوادي.")});
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, (std::vector<bool>{true, false, true}));
}

TEST_P(StoreTest, ReusedIdWithDifferentTextKeepsBothAndSaysSo) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->add_documents({doc("x", "النسخة الأولى من الخبر.")}).ok());
  auto r = store->add_documents({doc("x", "النسخة الثانية من الخبر بعد التحديث.")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)[0].id_reused);
  EXPECT_FALSE((*r)[0].duplicate_of.has_value());
  EXPECT_EQ(*store->document_count(), 2);
}

TEST_P(StoreTest, DocumentRoundTrips) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  auto r = store->add_documents({doc("id-1", "نص الخبر الكامل.")});
  ASSERT_TRUE(r.ok());
  auto d = store->document((*r)[0].document);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->has_value());
  EXPECT_EQ((*d)->external_id, "id-1");
  EXPECT_EQ((*d)->text, "نص الخبر الكامل.");
  EXPECT_EQ((*d)->content_hash, content_hash("نص الخبر الكامل."));
  auto missing = store->document(999);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

// isnad_bm25 (fts_rank.h) is FTS5's bm25() with document lengths kept in memory: the same score
// for every row, also for documents added after the connection read the lengths, and for a
// document too long for the in-memory table.
TEST_F(SqliteStoreTest, RankingFunctionEqualsFts5Bm25) {
  auto store = Store::open(path("a.db"));
  ASSERT_TRUE(store.ok());
  auto add = [&](int from, int to) {
    std::vector<StoredDocumentInput> docs;
    for (int i = from; i < to; ++i) {
      StoredDocumentInput d = doc(fmt::format("r{}", i), "");
      for (int k = 0; k < 3 + i % 17; ++k) d.text += (k % (2 + i % 5) == 0 ? "الحريق " : "قال مصدر ");
      if (i % 4 == 0) d.title = "حريق المستودع";
      docs.push_back(std::move(d));
    }
    StoredDocumentInput long_one = doc(fmt::format("long{}", from), "");
    for (int k = 0; k < 70000; ++k) long_one.text += k % 100 == 0 ? "الحريق " : "كلمة ";
    docs.push_back(std::move(long_one));
    ASSERT_TRUE(store->add_documents(docs).ok());
  };
  auto compare = [&] {
    auto q = store->connection().prepare(
        "SELECT rowid, bm25(documents_fts, 2.0, 1.0), isnad_bm25(documents_fts, 2.0, 1.0) FROM documents_fts "
        "WHERE documents_fts MATCH '\"الحريق\"'");
    ASSERT_TRUE(q);
    int rows = 0;
    while (q->step() == sql::Step::kRow) {
      EXPECT_EQ(q->real(1), q->real(2)) << "row " << q->int64(0);
      ++rows;
    }
    EXPECT_GT(rows, 20);
  };
  add(0, 40);
  compare();
  add(40, 80);  // after the lengths were read
  compare();
}

TEST_F(SqliteStoreTest, CorruptFileIsRefusedAndNotOverwritten) {
  const std::string p = path("corrupt.db");
  const std::string garbage(8192, 'x');
  std::ofstream(p, std::ios::binary) << garbage;
  auto store = Store::open(p);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not an isnad store"), std::string::npos) << store.error().message;
  std::ifstream in(p, std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, garbage);
}

TEST_P(StoreTest, ReadOnlyStoreCanBeReadButNotCreated) {
  EXPECT_FALSE(Store::open(location("missing.db"), OpenMode::kReadOnly).ok());
  {
    auto store = Store::open(location("a.db"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->add_documents({doc("a", "خبر للقراءة فقط.")}).ok());
  }
  auto ro = Store::open(location("a.db"), OpenMode::kReadOnly);
  ASSERT_TRUE(ro.ok()) << ro.error().message;
  EXPECT_EQ(*ro->document_count(), 1);
  EXPECT_FALSE(ro->add_documents({doc("b", "محاولة كتابة.")}).ok());
}

TEST_P(StoreTest, StoreFromNewerSchemaIsRefused) {
  const std::string p = location("future.db");
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->connection()
                    .exec(store->is_postgres() ? "INSERT INTO isnad_schema(version) VALUES (99)" : "PRAGMA user_version = 99")
                    .ok());
  }
  auto store = Store::open(p);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos);
}

TEST_P(StoreTest, NearDuplicateLinksAreSymmetricOnRead) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  auto r = store->add_documents({doc("a", "الخبر الأصلي."), doc("b", "الخبر المعاد نشره.")});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(store->link_near_duplicate((*r)[1].document, (*r)[0].document, 0.9).ok());
  EXPECT_EQ(*store->near_duplicates_of((*r)[0].document), std::vector<std::int64_t>{(*r)[1].document});
  EXPECT_EQ(*store->near_duplicates_of((*r)[1].document), std::vector<std::int64_t>{(*r)[0].document});
}

TEST_P(StoreTest, SearchUsesTheArabicAnalyzer) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  StoredDocumentInput a = doc("a", "وقال المتحدث إن الرسالة وصلت ولبوتين رأي آخر في المسألة.");
  a.title = "تصريحات";
  StoredDocumentInput b = doc("b", "أعلنت الحكومات الثلاث اتفاقا جديدا بشأن المياه.");
  StoredDocumentInput c = doc("c", "خبر رياضي عن مباراة كرة القدم في الملعب الكبير.");
  ASSERT_TRUE(store->add_documents({a, b, c}).ok());

  auto clitic = store->search("بوتين");  // the document has ولبوتين
  ASSERT_TRUE(clitic.ok()) << clitic.error().message;
  ASSERT_EQ(clitic->size(), 1u);
  EXPECT_EQ((*clitic)[0].external_id, "a");
  EXPECT_NE((*clitic)[0].snippet.find("\x02ولبوتين\x03"), std::string::npos) << (*clitic)[0].snippet;

  auto inflected = store->search("الحكومة");  // singular with ة finds the plural
  ASSERT_TRUE(inflected.ok());
  ASSERT_EQ(inflected->size(), 1u);
  EXPECT_EQ((*inflected)[0].external_id, "b");

  auto hamza = store->search("اعلنت");  // typed without hamza
  ASSERT_TRUE(hamza.ok());
  EXPECT_EQ(hamza->size(), 1u);

  auto both = store->search("مباراة الحكومات");  // every word must match
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->empty());

  auto syntax = store->search("\"كرة\" OR NEAR(");  // user syntax is searched for, not run
  EXPECT_TRUE(syntax.ok()) << syntax.error().message;
}

// What an ingest that read the terms already hands to add_documents (analyzer.h DocumentTerms).
DocumentTerms recorded_terms(const StoredDocumentInput& d) {
  Analyzer analyzer;
  DocumentTerms terms;
  (void)analyzer.analyze(d.title, [&](const Term& t) { terms.title.add(t); });
  (void)analyzer.analyze(d.text, [&](const Term& t) { terms.text.add(t); });
  return terms;
}

TEST_P(StoreTest, RecordedTermsIndexAsTheAnalyzerWould) {
  StoredDocumentInput a = doc("a", "وقال المتحدث إن الرسالة وصلت ولبوتين رأي آخر في المسألة.");
  a.title = "تصريحات الحكومة";
  StoredDocumentInput b = doc("b", "أعلنت الحكومات الثلاث اتفاقا جديدا بشأن المياه.");
  StoredDocumentInput c = doc("c", "خبر رياضي عن مباراة كرة القدم في الملعب الكبير.");
  c.title = "الحكومة والرياضة";
  const DocumentTerms ta = recorded_terms(a), tb = recorded_terms(b), tc = recorded_terms(c);
  auto analysed = Store::open(location("analysed.db"));
  auto recorded = Store::open(location("recorded.db"));
  ASSERT_TRUE(analysed.ok() && recorded.ok());
  ASSERT_TRUE(analysed->add_documents({a, b, c}).ok());
  StoredDocumentInput ra = a, rb = b, rc = c;
  ra.terms = &ta;
  rb.terms = &tb;
  rc.terms = &tc;
  ASSERT_TRUE(recorded->add_documents({ra, rb, rc}).ok());
  for (const char* query : {"بوتين", "الحكومة", "اعلنت", "مباراة", "الحكومات المياه", "المتحدث"}) {
    auto x = analysed->search(query);
    auto y = recorded->search(query);
    ASSERT_TRUE(x.ok() && y.ok()) << query;
    ASSERT_EQ(x->size(), y->size()) << query;
    for (std::size_t i = 0; i < x->size(); ++i) {
      EXPECT_EQ((*x)[i].external_id, (*y)[i].external_id) << query;
      EXPECT_EQ((*x)[i].score, (*y)[i].score) << query;
      EXPECT_EQ((*x)[i].snippet, (*y)[i].snippet) << query;
    }
  }
}

TEST_P(StoreTest, RecordedTermsAreWhatTheIndexHolds) {
  // A term no analysis of the text gives shows that the index took the recorded terms; a
  // document given without terms in the same batch is analysed by the store itself.
  StoredDocumentInput same = doc("same", "غمرت المياه القرى وأجلت السلطات السكان.");
  StoredDocumentInput other = doc("other", "انهار منجم في الجبل وحوصر عمال تحت الأرض.");
  DocumentTerms terms = recorded_terms(same);
  Term marker;
  marker.text = "zzmarker";
  terms.text.add(marker);
  same.terms = &terms;
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->add_documents({same, other}).ok());
  auto found = store->search("zzmarker");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].external_id, "same");
  auto own = store->search("منجم");
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].external_id, "other");
}

TEST_P(StoreTest, SearchRanksTitleHitsFirst) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  StoredDocumentInput body = doc("body", "تقرير طويل عن الاقتصاد يذكر الفيضان مرة واحدة فقط بين أمور كثيرة أخرى.");
  StoredDocumentInput title = doc("title", "غمرت المياه القرى وأجلت السلطات السكان.");
  title.title = "الفيضان يغمر القرى";
  ASSERT_TRUE(store->add_documents({body, title}).ok());
  auto hits = store->search("الفيضان");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].external_id, "title");
  EXPECT_GT((*hits)[0].score, (*hits)[1].score);
}

std::string fmt_date(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

EventFeatures event_doc(const char* date, std::initializer_list<const char*> terms, std::vector<std::string> places) {
  EventFeatures f;
  f.published = parse_iso_date(date);
  for (const char* t : terms) f.terms[t] += 1;
  f.places = std::move(places);
  return f;
}

TEST_P(StoreTest, EventsAreAssignedIncrementallyAndSurviveReopening) {
  const std::string p = location("events.db");
  std::vector<std::int64_t> ids;
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    auto r = store->add_documents({doc("a", "أ"), doc("b", "ب"), doc("c", "ج"), doc("d", "د")});
    ASSERT_TRUE(r.ok());
    for (const auto& x : *r) ids.push_back(x.document);
    auto fire = store->assign_event(ids[0], event_doc("2024-05-02", {"حريق", "مستودع", "كيميائي"}, {"الساحل"}));
    auto flood = store->assign_event(ids[1], event_doc("2024-05-02", {"فيضان", "امطار", "سيول"}, {"الوادي"}));
    ASSERT_TRUE(fire.ok() && flood.ok());
    EXPECT_NE(*fire, *flood);
    // Idempotent: asking again does not move the document or count it twice.
    EXPECT_EQ(*store->assign_event(ids[0], event_doc("2024-05-02", {"فيضان"}, {})), *fire);
  }
  auto store = Store::open(p);  // a later ingest, in a new process, continues the same events
  ASSERT_TRUE(store.ok());
  auto fire_again = store->assign_event(ids[2], event_doc("2024-05-03", {"حريق", "مستودع", "دخان"}, {"الساحل"}));
  auto fire_months_later = store->assign_event(ids[3], event_doc("2024-09-20", {"حريق", "مستودع", "كيميائي"}, {"الساحل"}));
  ASSERT_TRUE(fire_again.ok() && fire_months_later.ok());
  auto assigned = store->document_events();
  ASSERT_TRUE(assigned.ok());
  ASSERT_EQ(assigned->size(), 4u);
  EXPECT_EQ((*assigned)[2].second, (*assigned)[0].second) << "the next day's report joins the fire";
  EXPECT_NE((*assigned)[3].second, (*assigned)[0].second) << "outside the window: a new event";
}

// Terms and places are data, whatever their characters: quotes, backslashes, braces, commas,
// colons, semicolons and the word NULL survive the store (the features' text encoding; PostgreSQL
// writes term frequencies as array literals) and are read back when a new connection reloads the
// event.
TEST_P(StoreTest, ClusteringStateKeepsAnyCharacters) {
  const std::string p = location("odd.db");
  std::vector<std::int64_t> ids;
  const auto odd = [](const char* date) {
    return event_doc(date, {"a\"b", "c\\d", "{x,y}", "NULL", "e'f", "3:x1;", "حريق"}, {"\"الساحل\"", "NULL"});
  };
  std::int64_t first = 0;
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    auto r = store->add_documents({doc("a", "أ"), doc("b", "ب"), doc("c", "ج"), doc("d", "د")});
    ASSERT_TRUE(r.ok());
    for (const auto& x : *r) ids.push_back(x.document);
    auto e = store->assign_event(ids[0], odd("2024-05-02"));
    ASSERT_TRUE(e.ok()) << e.error().message;
    first = *e;
  }
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    auto again = store->assign_event(ids[1], odd("2024-05-03"));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(*again, first);
  }
  // Each new connection rebuilds the event from its documents' features: a document sharing only
  // two of its odd terms (and no place) joins it, one with other words does not.
  auto store = Store::open(p);
  ASSERT_TRUE(store.ok());
  auto shared = store->assign_event(ids[2], event_doc("2024-05-03", {"{x,y}", "3:x1;"}, {}));
  auto other = store->assign_event(ids[3], event_doc("2024-05-03", {"x", "1"}, {}));
  ASSERT_TRUE(shared.ok() && other.ok());
  EXPECT_EQ(*shared, first);
  EXPECT_NE(*other, first);
}

std::vector<std::int64_t> store_documents(Store& store, std::size_t count) {
  std::vector<StoredDocumentInput> batch;
  for (std::size_t i = 0; i < count; ++i) batch.push_back(doc(fmt::format("s{}", i), fmt::format("وثيقة رقم {}", i)));
  auto r = store.add_documents(batch);
  std::vector<std::int64_t> ids;
  if (r.ok()) {
    for (const auto& x : *r) ids.push_back(x.document);
  }
  return ids;
}

// The store keeps only the window in memory (older events dropped, their terms' frequencies
// re-read from the store), is reopened halfway, and sees a second connection cluster documents
// in between: the partition must still be the one an in-memory clusterer that keeps everything
// produces.
TEST_P(StoreTest, WindowedClusteringInTheStoreEqualsTheInMemoryClusterer) {
  const auto features = testing::event_stream(900, 15, 17);  // 60 days: most events leave the window
  const std::string p = location("window.db");
  std::vector<std::int64_t> ids;
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    ids = store_documents(*store, features.size());
    ASSERT_EQ(ids.size(), features.size());
  }
  std::vector<std::int64_t> stored(features.size());
  {
    auto store = Store::open(p);
    auto other = Store::open(p);
    ASSERT_TRUE(store.ok() && other.ok());
    for (std::size_t i = 0; i < features.size() / 2; ++i) {
      Store& s = (i % 97 == 50) ? *other : *store;  // now and then another connection writes
      auto e = s.assign_event(ids[i], features[i]);
      ASSERT_TRUE(e.ok()) << e.error().message;
      stored[i] = *e;
    }
  }
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    // A batching caller: one transaction, batches of 37 documents that span day boundaries.
    ASSERT_TRUE(store->begin().ok());
    for (std::size_t i = features.size() / 2; i < features.size(); i += 37) {
      const std::size_t end = std::min(features.size(), i + 37);
      const std::vector<std::int64_t> batch_ids(ids.begin() + static_cast<long>(i), ids.begin() + static_cast<long>(end));
      const std::vector<EventFeatures> batch(features.begin() + static_cast<long>(i), features.begin() + static_cast<long>(end));
      auto e = store->assign_events(batch_ids, batch);
      ASSERT_TRUE(e.ok()) << e.error().message;
      std::copy(e->begin(), e->end(), stored.begin() + static_cast<long>(i));
    }
    ASSERT_TRUE(store->commit().ok());
    // Idempotent in a batch too: already assigned documents keep their events.
    auto again = store->assign_events({ids[0], ids[features.size() - 1]}, {features[5], features[6]});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*again)[0], stored[0]);
    EXPECT_EQ((*again)[1], stored[features.size() - 1]);
  }
  EventClusterer memory;
  std::vector<std::string> expected;
  for (const auto& f : features) expected.push_back(std::to_string(memory.add(f)));
  std::vector<std::size_t> got(stored.begin(), stored.end());
  const BCubed b = bcubed(expected, got);
  EXPECT_DOUBLE_EQ(b.f1, 1.0) << "P " << b.precision << " R " << b.recall;
  EXPECT_GT(memory.active_events(), 40u);
}

// A store of schema 4 kept the clustering state summed per (event, term), (event, place),
// (event, name) and term. It is made here from a current one by hand (the features dropped, the
// sums written as schema 4 did), opened (migrated), and clustered further: the partition must be
// the one an in-memory clusterer that saw every document produces.
TEST_P(StoreTest, SchemaFourStoreMigratesAndClustersTheSame) {
  const auto features = testing::event_stream(600, 15, 29);
  const std::string p = location("v4.db");
  const std::size_t half = features.size() / 2;
  std::vector<std::int64_t> ids, stored(features.size());
  std::int64_t events_before = 0;
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok());
    ids = store_documents(*store, features.size());
    ASSERT_EQ(ids.size(), features.size());
    for (std::size_t i = 0; i < half; ++i) {
      auto e = store->assign_event(ids[i], features[i]);
      ASSERT_TRUE(e.ok()) << e.error().message;
      stored[i] = *e;
    }
    events_before = read_int(*store, "SELECT count(*) FROM events");
    std::map<std::pair<std::int64_t, std::string>, double> terms;
    std::map<std::pair<std::int64_t, std::string>, int> places, names;
    std::map<std::string, int> df;
    for (std::size_t i = 0; i < half; ++i) {
      for (const auto& [t, w] : features[i].terms) {
        terms[{stored[i], t}] += w;
        ++df[t];
      }
      for (const auto& place : features[i].places) ++places[{stored[i], place}];
      for (const auto& name : features[i].names) ++names[{stored[i], name}];
    }
    sql::Connection& db = store->connection();
    const bool postgres = GetParam() == Engine::kPostgres;
    ASSERT_TRUE(db.begin().ok());
    ASSERT_TRUE(db.exec("CREATE TABLE event_terms (event BIGINT NOT NULL, term TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL, "
                        "PRIMARY KEY (event, term));"
                        "CREATE TABLE event_places (event BIGINT NOT NULL, place TEXT NOT NULL, count BIGINT NOT NULL, "
                        "PRIMARY KEY (event, place));"
                        "CREATE TABLE event_names (event BIGINT NOT NULL, name TEXT NOT NULL, count BIGINT NOT NULL, "
                        "PRIMARY KEY (event, name));"
                        "DELETE FROM term_df; DELETE FROM counters WHERE name = 'df_checkpoint';"
                        "DROP INDEX event_documents_seq; ALTER TABLE event_documents DROP COLUMN seq;"
                        "ALTER TABLE event_documents DROP COLUMN features; ALTER TABLE events DROP COLUMN state;")
                    .ok())
        << db.error();
    auto insert = [&](const char* sql, std::int64_t event, const std::string& label, auto amount) {
      auto q = db.prepare(sql);
      ASSERT_TRUE(q) << db.error();
      if (event != 0) q->bind(1, event);
      q->bind(event != 0 ? 2 : 1, label);
      q->bind(event != 0 ? 3 : 2, amount);
      ASSERT_EQ(q->step(), sql::Step::kDone) << db.error();
    };
    for (const auto& [key, w] : terms) insert("INSERT INTO event_terms VALUES (?1, ?2, ?3)", key.first, key.second, w);
    for (const auto& [key, n] : places) {
      insert("INSERT INTO event_places VALUES (?1, ?2, ?3)", key.first, key.second, std::int64_t{n});
    }
    for (const auto& [key, n] : names) insert("INSERT INTO event_names VALUES (?1, ?2, ?3)", key.first, key.second, std::int64_t{n});
    for (const auto& [term, n] : df) insert("INSERT INTO term_df VALUES (?1, ?2)", 0, term, std::int64_t{n});
    ASSERT_TRUE(db.exec(postgres ? "DELETE FROM isnad_schema WHERE version >= 5" : "PRAGMA user_version = 4").ok());
    ASSERT_TRUE(db.commit().ok()) << db.error();
  }
  {
    auto store = Store::open(p);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ(*store->schema_version(), kSchemaVersion);
    EXPECT_EQ(read_int(*store, "SELECT count(*) FROM events WHERE state IS NOT NULL"), events_before);
    for (std::size_t i = half; i < features.size(); i += 37) {
      const std::size_t end = std::min(features.size(), i + 37);
      const std::vector<std::int64_t> batch_ids(ids.begin() + static_cast<long>(i), ids.begin() + static_cast<long>(end));
      const std::vector<EventFeatures> batch(features.begin() + static_cast<long>(i), features.begin() + static_cast<long>(end));
      auto e = store->assign_events(batch_ids, batch);
      ASSERT_TRUE(e.ok()) << e.error().message;
      std::copy(e->begin(), e->end(), stored.begin() + static_cast<long>(i));
    }
    auto check = store->check();
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(check->clustered, static_cast<std::int64_t>(features.size()));
    for (const std::string& problem : check->problems) {  // these documents have features, no analysis
      EXPECT_TRUE(problem.starts_with("clustered documents without their analysis")) << problem;
    }
  }
  EventClusterer memory;
  std::vector<std::string> expected;
  for (const auto& f : features) expected.push_back(std::to_string(memory.add(f)));
  const BCubed b = bcubed(expected, std::vector<std::size_t>(stored.begin(), stored.end()));
  EXPECT_DOUBLE_EQ(b.f1, 1.0) << "P " << b.precision << " R " << b.recall;
  EXPECT_GT(memory.active_events(), 20u);
}

TEST_P(StoreTest, ALateReportJoinsAnEventNoLongerInMemory) {
  auto store = Store::open(location("late.db"));
  ASSERT_TRUE(store.ok());
  const auto ids = store_documents(*store, 40);
  ASSERT_EQ(ids.size(), 40u);
  auto fire = store->assign_event(ids[0], event_doc("2024-05-02", {"حريق", "مستودع", "كيميائي"}, {"الساحل"}));
  ASSERT_TRUE(fire.ok());
  // A month of other news moves the window on; the fire leaves memory.
  for (std::size_t i = 1; i < 39; ++i) {
    const std::string date = fmt_date(2024, 6, static_cast<int>(i % 28) + 1);
    ASSERT_TRUE(store->assign_event(ids[i], event_doc(date.c_str(), {"مباراه", "فريق", ("w" + std::to_string(i)).c_str()}, {})).ok());
  }
  auto late = store->assign_event(ids[39], event_doc("2024-05-03", {"حريق", "مستودع", "دخان"}, {"الساحل"}));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(*late, *fire);
}

TEST_P(StoreTest, AnalysisIsStoredWithOriginalSpans) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  const std::string text = "قُتِلَ ما لا يقل عن 12 شخصا. وأصيب 30 آخرون.";
  auto r = store->add_documents({doc("a", text)});
  ASSERT_TRUE(r.ok());
  auto a = analyze(text);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(store->save_analysis((*r)[0].document, text, *a).ok());
  ASSERT_TRUE(store->save_analysis((*r)[0].document, text, *a).ok()) << "saving twice replaces";
  EXPECT_EQ(read_int(*store, "SELECT count(*) FROM sentences"), static_cast<std::int64_t>(a->sentences.size()));
  EXPECT_EQ(read_int(*store, "SELECT min(begin) FROM sentences"), 0);
  EXPECT_LE(read_int(*store, "SELECT max(\"end\") FROM sentences"), static_cast<std::int64_t>(text.size()));
  auto q = store->connection().prepare("SELECT begin, \"end\", value FROM claims WHERE type = 'killed'");
  ASSERT_TRUE(q && q->step() == sql::Step::kRow);
  const auto begin = static_cast<std::size_t>(q->int64(0));
  const auto end = static_cast<std::size_t>(q->int64(1));
  EXPECT_NE(text.substr(begin, end - begin).find("12"), std::string::npos);
  EXPECT_EQ(q->real(2), 12.0);
}

// Every row of an analysis arrives, also those with no figure (value NULL) and texts holding
// quotes and backslashes (PostgreSQL receives them as array literals).
TEST_P(StoreTest, AnalysisRowsWithoutFiguresAndWithQuotesAreStored) {
  auto store = Store::open(location("a.db"));
  ASSERT_TRUE(store.ok());
  const std::string text =
      "أعلنت جماعة \"الفجر\\الجديد\" مسؤوليتها عن الهجوم. وقال المتحدث باسم الشرطة سامر الخطيب: «لن نسمح بتكرار ذلك». "
      "ونفت الحكومة أي تقصير.";
  auto r = store->add_documents({doc("a", text)});
  ASSERT_TRUE(r.ok());
  auto a = analyze(text);
  ASSERT_TRUE(a.ok());
  ASSERT_FALSE(a->claims.empty());
  ASSERT_FALSE(a->quotes.empty());
  ASSERT_TRUE(store->save_analysis((*r)[0].document, text, *a).ok());
  EXPECT_EQ(read_int(*store, "SELECT count(*) FROM claims"), static_cast<std::int64_t>(a->claims.size()));
  const auto without_value = std::count_if(a->claims.begin(), a->claims.end(), [](const Claim& c) { return !c.value; });
  ASSERT_GT(without_value, 0);
  EXPECT_EQ(read_int(*store, "SELECT count(*) FROM claims WHERE value IS NULL"), without_value);
  EXPECT_EQ(read_int(*store, "SELECT count(*) FROM quotes"), static_cast<std::int64_t>(a->quotes.size()));
  EXPECT_EQ(read_int(*store, "SELECT count(*) FROM entities"), static_cast<std::int64_t>(a->entities.size()));
  auto q = store->connection().prepare("SELECT begin, \"end\" FROM quotes");
  ASSERT_TRUE(q);
  bool found = false;
  while (q->step() == sql::Step::kRow) {
    const auto begin = static_cast<std::size_t>(q->int64(0));
    const auto end = static_cast<std::size_t>(q->int64(1));
    ASSERT_LE(end, text.size());
    found = found || text.substr(begin, end - begin).find("لن نسمح") != std::string::npos;
  }
  EXPECT_TRUE(found) << "the spokesman's quote, by its original bytes";
}

// Kill -9 during a long ingest: every committed batch survives, nothing is half-written, and a
// rerun of the same ingest completes it without duplicates.
TEST_P(StoreTest, KilledIngestLosesNothingCommittedAndRerunAddsTheRest) {
  const std::string p = location("crash.db");
  constexpr int kBatches = 400;
  constexpr int kPerBatch = 25;
  auto make_batch = [](int b) {
    std::vector<StoredDocumentInput> batch;
    for (int i = 0; i < kPerBatch; ++i) {
      const int n = b * kPerBatch + i;
      batch.push_back(doc("doc-" + std::to_string(n), "خبر رقم " + std::to_string(n) + " عن حدث تجريبي."));
    }
    return batch;
  };
  ASSERT_TRUE(Store::open(p).ok());
  const pid_t child = ::fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    auto store = Store::open(p);
    if (!store) ::_exit(3);
    for (int b = 0; b < kBatches; ++b) {
      if (!store->add_documents(make_batch(b))) ::_exit(4);
    }
    ::_exit(0);
  }
  {  // kill only once the ingest is under way, so the test really interrupts it
    auto watcher = Store::open(p, OpenMode::kReadOnly);
    ASSERT_TRUE(watcher.ok());
    while (*watcher->document_count() < 5 * kPerBatch) ::usleep(2000);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);

  auto store = Store::open(p);
  ASSERT_TRUE(store.ok()) << store.error().message;
  const std::int64_t survived = *store->document_count();
  EXPECT_EQ(survived % kPerBatch, 0) << "a batch was partly committed";
  EXPECT_LT(survived, kBatches * kPerBatch) << "the ingest finished before it was killed";
  for (int b = 0; b < kBatches; ++b) ASSERT_TRUE(store->add_documents(make_batch(b)).ok());
  EXPECT_EQ(*store->document_count(), kBatches * kPerBatch);
}

}  // namespace
}  // namespace isnad

namespace isnad {
namespace {

// Both engines must find the same documents for a query and rank them the same way: the same
// analyzer terms, the same BM25 (title counted twice), computed in the same order of operations,
// so the same scores to the last bit. Documents are random mixes of a small vocabulary (in many
// inflections and with clitics), so term frequencies, lengths and title hits vary.
TEST(StoreEngines, SearchMatchesAndRanksTheSameOnBothEngines) {
  ASSERT_TRUE(test::postgres().ok()) << test::postgres().error();
  const fs::path dir = fs::temp_directory_path() / ("isnad-search-parity-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto sqlite = Store::open((dir / "a.db").string());
  auto postgres = Store::open(test::postgres().create_database());
  ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
  ASSERT_TRUE(postgres.ok()) << postgres.error().message;

  const std::vector<std::string> words = {"الحريق",   "حريق",     "والحريق", "المستودع", "مستودعات", "الشرطة",
                                          "للشرطة",   "الوزارة",  "وزارات",  "الضحايا",  "ضحية",     "المدينة",
                                          "بالمدينة", "الانفجار", "انفجار",  "السكان",   "الإطفاء",  "المصنع",
                                          "مصانع",    "التحقيق",  "تحقيقات", "الحكومة",  "حكومات",   "الميناء"};
  const std::vector<std::string> filler = {"قال", "أمس", "بعد", "خلال", "يوم", "عدد", "منطقة", "مصادر", "أكثر",
                                           "بيان", "الأحد", "شمال", "جنوب", "ساعات", "مساء", "صباح", "رسمية", "محلية"};
  std::mt19937 random(20261125);
  std::vector<StoredDocumentInput> docs;
  for (int i = 0; i < 60; ++i) {
    StoredDocumentInput d = doc(fmt::format("p{}", i), "");
    // Three topic words per document among filler, so a query word is in a minority of documents
    // (a positive idf) and its frequency and the document's length vary.
    const std::string topic[] = {words[random() % words.size()], words[random() % words.size()],
                                 words[random() % words.size()]};
    const int length = 5 + static_cast<int>(random() % 60);
    for (int k = 0; k < length; ++k) {
      const std::string& word = random() % 4 == 0 ? topic[random() % 3] : filler[random() % filler.size()];
      d.text += word + (k % 7 == 6 ? ". " : " ");
    }
    if (i % 3 == 0) d.title = words[random() % words.size()] + " " + words[random() % words.size()];
    docs.push_back(std::move(d));
  }
  ASSERT_TRUE(sqlite->add_documents(docs).ok());
  ASSERT_TRUE(postgres->add_documents(docs).ok());

  for (const char* query : {"حريق", "الشرطة", "مستودع الحريق", "ضحايا المدينة", "الميناء", "تحقيق حكومة", "غائب"}) {
    auto a = sqlite->search(query, 100);
    auto b = postgres->search(query, 100);
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok()) << b.error().message;
    ASSERT_EQ(a->size(), b->size()) << query;
    for (std::size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].external_id, (*b)[i].external_id) << query << " rank " << i;
      EXPECT_EQ((*a)[i].score, (*b)[i].score) << query << " rank " << i;  // the same operations, the same bits
      // Snippets come from the text (a title-only hit has no mark in either engine).
      EXPECT_EQ((*a)[i].snippet.find('\x02') != std::string::npos, (*b)[i].snippet.find('\x02') != std::string::npos)
          << query << " rank " << i << ": " << (*a)[i].snippet << " | " << (*b)[i].snippet;
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace isnad
