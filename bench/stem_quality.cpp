// Stemming quality on tests/golden/stems.tsv: isnad::Stemmer (after clitic analysis) vs
// Lucene++'s light10 ArabicStemmer (after its ArabicNormalizer), on the same words.
//   accuracy   share of words whose stem equals the expected stem
//   precision  of word pairs given the same stem, the share that belong to one group
//   recall     of word pairs in one group, the share given the same stem
// Usage: isnad_stem_quality [stems.tsv]
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "isnad/stem.h"

#ifdef ISNAD_HAVE_LUCENE
#include <LuceneHeaders.h>
#include <ArabicNormalizer.h>
#include <ArabicStemmer.h>
#include <StringUtils.h>
#endif

namespace {

struct Row {
  std::string word, expected, group;
};

struct Score {
  int correct = 0, words = 0;
  long same_both = 0, same_stem = 0, same_group = 0;
};

Score score(const std::vector<Row>& rows, const std::vector<std::string>& stems) {
  Score s;
  s.words = static_cast<int>(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s.correct += stems[i] == rows[i].expected;
    for (std::size_t j = i + 1; j < rows.size(); ++j) {
      const bool stem = stems[i] == stems[j], group = rows[i].group == rows[j].group;
      s.same_stem += stem;
      s.same_group += group;
      s.same_both += stem && group;
    }
  }
  return s;
}

void print(const char* name, const Score& s) {
  const double p = s.same_stem ? static_cast<double>(s.same_both) / static_cast<double>(s.same_stem) : 1.0;
  const double r = s.same_group ? static_cast<double>(s.same_both) / static_cast<double>(s.same_group) : 1.0;
  std::printf("%-22s accuracy %5.1f%% (%d/%d)  conflation precision %5.1f%%  recall %5.1f%%  F1 %5.1f%%\n", name,
              100.0 * s.correct / s.words, s.correct, s.words, 100 * p, 100 * r, p + r > 0 ? 200 * p * r / (p + r) : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : ISNAD_GOLDEN;
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "isnad_stem_quality: cannot open %s\n", path.c_str());
    return 1;
  }
  std::vector<Row> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    Row r;
    std::getline(f, r.word, '\t');
    std::getline(f, r.expected, '\t');
    std::getline(f, r.group, '\t');
    rows.push_back(r);
  }
  const isnad::Stemmer stemmer;
  std::vector<std::string> ours;
  for (const Row& r : rows) ours.push_back(isnad::stem_word(r.word, stemmer));
  std::printf("%zu words, %s\n", rows.size(), path.c_str());
  print("isnad", score(rows, ours));
#ifdef ISNAD_HAVE_LUCENE
  Lucene::ArabicNormalizerPtr normalizer = Lucene::newLucene<Lucene::ArabicNormalizer>();
  Lucene::ArabicStemmerPtr light10 = Lucene::newLucene<Lucene::ArabicStemmer>();
  std::vector<std::string> theirs;
  for (const Row& r : rows) {
    Lucene::String w = Lucene::StringUtils::toUnicode(r.word);
    int32_t len = normalizer->normalize(w.data(), static_cast<int32_t>(w.size()));
    len = light10->stem(w.data(), len);
    theirs.push_back(Lucene::StringUtils::toUTF8(w.substr(0, static_cast<std::size_t>(len))));
  }
  print("lucene++ light10", score(rows, theirs));
  if (argc > 2 && std::string(argv[2]) == "--diff") {
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (ours[i] != rows[i].expected || theirs[i] != rows[i].expected)
        std::printf("  %s\texpected %s\tisnad %s\tlucene++ %s\n", rows[i].word.c_str(), rows[i].expected.c_str(),
                    ours[i].c_str(), theirs[i].c_str());
  }
#else
  std::printf("lucene++ light10       (not built: Lucene++ not found)\n");
#endif
  return 0;
}
