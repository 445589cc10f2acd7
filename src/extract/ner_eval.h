// ner_eval.h — entity-level scoring with the rules of CoNLL's conlleval script.
//
// A chunk starts at B-X, or at I-X when the previous tag is O or of another type (conlleval is
// lenient with a stray I-); it ends before O, B-, or a tag of another type. A predicted chunk is
// correct when type, first and last token all match a gold chunk. Tags without a B-/I- prefix
// (other than O) count as I-.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace isnad::ner {

struct Chunk {
  std::size_t begin = 0;  // first token
  std::size_t end = 0;    // one past the last token
  std::string type;
  friend bool operator==(const Chunk&, const Chunk&) = default;
};

std::vector<Chunk> conll_chunks(const std::vector<std::string>& tags);

struct ChunkCounts {
  long gold = 0, predicted = 0, correct = 0;
  double precision() const { return predicted ? static_cast<double>(correct) / static_cast<double>(predicted) : 0.0; }
  double recall() const { return gold ? static_cast<double>(correct) / static_cast<double>(gold) : 0.0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
  ChunkCounts& operator+=(const ChunkCounts& o) {
    gold += o.gold;
    predicted += o.predicted;
    correct += o.correct;
    return *this;
  }
};

class NerScorer {
 public:
  // One sentence; gold and predicted have one tag per token (same length).
  void add(const std::vector<std::string>& gold, const std::vector<std::string>& predicted);
  const std::map<std::string, ChunkCounts>& per_type() const { return per_type_; }
  ChunkCounts micro(const std::vector<std::string>& types) const;  // summed over `types`
  ChunkCounts all() const;

 private:
  std::map<std::string, ChunkCounts> per_type_;
};

}  // namespace isnad::ner
