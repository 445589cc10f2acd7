// isnad-loadtest: N concurrent clients against a running `isnad serve`, for M seconds. Each client
// mixes writes (POST /api/documents, a small batch of real articles) with reads (event list, an
// event's dossier, a document, a search), then the tool checks that nothing was lost or stored
// twice: every acknowledged document is read back and compared byte for byte, and the store's
// document count grew by exactly the number of distinct documents acknowledged.
//
//   isnad serve --store /tmp/load.db --port 8090 &
//   isnad-loadtest --port 8090 --clients 8 --seconds 60
//
// Articles come from SaudiNewsNet (../shared/data/news/saudinewsnet/corpus.jsonl) unless
// --corpus names another JSONL file; each is posted at most once per run (the run stops posting
// when the corpus is used up).
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Article {
  std::string line;  // the JSONL record as posted
  std::string text;
  std::string title;
};

struct Acknowledged {
  std::int64_t document = 0;
  std::size_t article = 0;
};

struct Totals {
  std::mutex mutex;
  std::map<std::string, std::vector<double>> latency_ms;  // by operation
  std::map<std::string, std::size_t> errors;              // by operation
  std::vector<std::string> error_samples;
  std::vector<Acknowledged> acknowledged;
  std::vector<std::int64_t> events, documents;  // seen, for reads
};

std::vector<Article> load_corpus(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Article> articles;
  std::string line;
  while (articles.size() < limit && std::getline(in, line)) {
    json record = json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("text") || !record["text"].is_string()) continue;
    Article a;
    a.text = record["text"].get<std::string>();
    if (record.contains("title") && record["title"].is_string()) a.title = record["title"].get<std::string>();
    json posted{{"text", a.text}};
    for (const char* field : {"id", "outlet", "url", "published", "title"}) {
      if (record.contains(field) && record[field].is_string()) posted[field] = record[field];
    }
    a.line = posted.dump(-1, ' ', false, json::error_handler_t::replace);
    articles.push_back(std::move(a));
  }
  return articles;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// A word of a title long enough to be a real search (not a particle).
std::string search_word(const std::string& title, std::mt19937& rng) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < title.size()) {
    const std::size_t j = title.find(' ', i);
    const std::string w = title.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (w.size() >= 8) words.push_back(w);  // ≥ 4 Arabic letters
    if (j == std::string::npos) break;
    i = j + 1;
  }
  if (words.empty()) return "الرياض";
  return words[std::uniform_int_distribution<std::size_t>(0, words.size() - 1)(rng)];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Concurrent load against isnad serve, then a check that no document was lost or duplicated",
               "isnad-loadtest"};
  std::string host = "127.0.0.1";
  int port = 8080;
  std::size_t clients = 8, batch = 4, max_articles = 20000;
  double seconds = 30, write_share = 0.2;
  std::string corpus = std::string(ISNAD_SOURCE_DIR) + "/../shared/data/news/saudinewsnet/corpus.jsonl";
  std::string json_out;
  app.add_option("--host", host, "Server address (default 127.0.0.1)");
  app.add_option("--port", port, "Server port (default 8080)");
  app.add_option("--clients", clients, "Concurrent clients (default 8)")->check(CLI::Range(1, 512));
  app.add_option("--seconds", seconds, "Duration (default 30)");
  app.add_option("--write-share", write_share, "Share of operations that post a batch (default 0.2)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--batch", batch, "Articles per posted batch (default 4)")->check(CLI::Range(1, 1000));
  app.add_option("--corpus", corpus, "JSONL articles to post (default: SaudiNewsNet)");
  app.add_option("--max-articles", max_articles, "Read at most this many articles (default 20000)");
  app.add_option("--json", json_out, "Also write the figures to this file as JSON");
  CLI11_PARSE(app, argc, argv);

  try {
    const std::vector<Article> articles = load_corpus(corpus, max_articles);
    if (articles.empty()) throw std::runtime_error("no articles in " + corpus);

    httplib::Client probe(host, port);
    auto health = probe.Get("/healthz");
    if (!health || health->status != 200) throw std::runtime_error(fmt::format("no isnad server at {}:{}", host, port));
    const std::int64_t documents_before = json::parse(health->body)["documents"].get<std::int64_t>();

    Totals totals;
    std::atomic<std::size_t> next_article{0};
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (std::size_t c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        std::mt19937 rng(static_cast<unsigned>(c * 7919 + 1));
        std::uniform_real_distribution<double> coin(0, 1);
        httplib::Client client(host, port);
        client.set_read_timeout(60, 0);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        while (Clock::now() < deadline) {
          std::string op;
          std::optional<httplib::Result> reply;
          std::vector<std::size_t> posted;
          const auto t0 = Clock::now();
          if (coin(rng) < write_share && next_article.load() < articles.size()) {
            op = "POST /api/documents";
            std::string body;
            for (std::size_t k = 0; k < batch; ++k) {
              const std::size_t i = next_article.fetch_add(1);
              if (i >= articles.size()) break;
              posted.push_back(i);
              body += articles[i].line + "\n";
            }
            if (posted.empty()) continue;
            reply = client.Post("/api/documents", body, "application/x-ndjson");
          } else {
            std::int64_t event = 0, document = 0;
            {
              std::lock_guard lock(totals.mutex);
              if (!totals.events.empty()) {
                event = totals.events[std::uniform_int_distribution<std::size_t>(0, totals.events.size() - 1)(rng)];
                document = totals.documents[std::uniform_int_distribution<std::size_t>(0, totals.documents.size() - 1)(rng)];
              }
            }
            const double pick = coin(rng);
            if (event == 0 || pick < 0.25) {
              op = "GET /api/events";
              reply = client.Get("/api/events?limit=20");
            } else if (pick < 0.5) {
              op = "GET /api/events/{id}";
              reply = client.Get(fmt::format("/api/events/{}", event));
            } else if (pick < 0.75) {
              op = "GET /api/documents/{id}";
              reply = client.Get(fmt::format("/api/documents/{}", document));
            } else {
              op = "GET /api/search";
              const std::string& title = articles[std::uniform_int_distribution<std::size_t>(0, articles.size() - 1)(rng)].title;
              reply = client.Get("/api/search?q=" + httplib::detail::encode_query_param(search_word(title, rng)));
            }
          }
          const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
          std::lock_guard lock(totals.mutex);
          totals.latency_ms[op].push_back(ms);
          if (!reply) continue;
          const httplib::Result& result = *reply;
          if (!result || result->status != 200) {
            ++totals.errors[op];
            if (totals.error_samples.size() < 10) {
              totals.error_samples.push_back(fmt::format("{}: {}", op, result ? fmt::format("HTTP {} {}", result->status, result->body.substr(0, 200))
                                                                                 : httplib::to_string(result.error())));
            }
            continue;
          }
          if (!posted.empty()) {
            const json answer = json::parse(result->body, nullptr, false);
            const json& accepted = answer["accepted"];
            // Items are numbered by line; posted[k] is line k+1.
            for (const json& a : accepted) {
              const auto item = a["item"].get<std::size_t>();
              if (item == 0 || item > posted.size()) continue;
              totals.acknowledged.push_back({a["document"].get<std::int64_t>(), posted[item - 1]});
              totals.documents.push_back(a["document"].get<std::int64_t>());
              if (a["event"].is_number()) totals.events.push_back(a["event"].get<std::int64_t>());
            }
            if (accepted.size() + answer["rejected"].size() != posted.size()) {
              ++totals.errors["POST /api/documents (items missing from reply)"];
            }
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    // Verification: every acknowledged document reads back with the same text; the count grew by
    // exactly the number of distinct rows acknowledged; one row per distinct text.
    std::size_t lost = 0, mismatched = 0;
    std::map<std::int64_t, std::size_t> article_of_row;
    std::map<std::string, std::set<std::int64_t>> rows_of_text;
    for (const Acknowledged& a : totals.acknowledged) {
      article_of_row.emplace(a.document, a.article);
      rows_of_text[articles[a.article].text].insert(a.document);
    }
    for (const auto& [row, article] : article_of_row) {
      auto r = probe.Get(fmt::format("/api/documents/{}", row));
      if (!r || r->status != 200) {
        ++lost;
        continue;
      }
      if (json::parse(r->body, nullptr, false)["text"] != articles[article].text) ++mismatched;
    }
    std::size_t duplicated = 0;
    for (const auto& [text, rows] : rows_of_text) duplicated += rows.size() - 1;
    auto after = probe.Get("/healthz");
    const std::int64_t documents_after = after ? json::parse(after->body)["documents"].get<std::int64_t>() : -1;
    const std::int64_t grown = documents_after - documents_before;

    json report;
    report["clients"] = clients;
    report["seconds"] = elapsed;
    std::size_t requests = 0, errors = 0;
    std::vector<double> reads;
    fmt::print("{:<28} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7}\n", "operation", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors");
    for (const auto& [op, v] : totals.latency_ms) {
      requests += v.size();
      errors += totals.errors[op];
      if (op.rfind("GET", 0) == 0) reads.insert(reads.end(), v.begin(), v.end());
      fmt::print("{:<28} {:>8} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>7}\n", op, v.size(), static_cast<double>(v.size()) / elapsed,
                 percentile(v, 0.5), percentile(v, 0.95), percentile(v, 0.99), totals.errors[op]);
      report["operations"][op] = {{"count", v.size()},
                                  {"per_second", static_cast<double>(v.size()) / elapsed},
                                  {"p50_ms", percentile(v, 0.5)},
                                  {"p95_ms", percentile(v, 0.95)},
                                  {"p99_ms", percentile(v, 0.99)},
                                  {"errors", totals.errors[op]}};
    }
    for (const auto& [op, n] : totals.errors) {
      if (!totals.latency_ms.count(op)) errors += n;
    }
    fmt::print("{:<28} {:>8} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f}\n", "all reads", reads.size(),
               static_cast<double>(reads.size()) / elapsed, percentile(reads, 0.5), percentile(reads, 0.95), percentile(reads, 0.99));
    fmt::print("\n{} requests in {:.1f} s ({:.1f}/s), {} errors; {} documents acknowledged ({:.1f}/s), {} distinct rows\n",
               requests, elapsed, static_cast<double>(requests) / elapsed, errors, totals.acknowledged.size(),
               static_cast<double>(totals.acknowledged.size()) / elapsed, article_of_row.size());
    fmt::print("check: store grew by {} (expected {}); lost {}; text mismatches {}; stored twice {}\n", grown,
               article_of_row.size(), lost, mismatched, duplicated);
    for (const std::string& s : totals.error_samples) fmt::print("  error: {}\n", s);
    report["requests"] = requests;
    report["errors"] = errors;
    report["reads"] = {{"p50_ms", percentile(reads, 0.5)}, {"p95_ms", percentile(reads, 0.95)}, {"p99_ms", percentile(reads, 0.99)}};
    report["acknowledged"] = totals.acknowledged.size();
    report["distinct_rows"] = article_of_row.size();
    report["store_grew_by"] = grown;
    report["lost"] = lost;
    report["mismatched"] = mismatched;
    report["duplicated"] = duplicated;
    if (!json_out.empty()) std::ofstream(json_out) << report.dump(2) << '\n';
    const bool ok = errors == 0 && lost == 0 && mismatched == 0 && duplicated == 0 &&
                    grown == static_cast<std::int64_t>(article_of_row.size());
    fmt::print("{}\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "isnad-loadtest: " << e.what() << '\n';
    return 2;
  }
}
