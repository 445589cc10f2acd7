#include "extract/ner_eval.h"

#include <set>
#include <tuple>

namespace isnad::ner {

namespace {
struct Parsed {
  char prefix;  // 'B', 'I' or 'O'
  std::string_view type;
};
Parsed parse(std::string_view tag) {
  if (tag.empty() || tag == "O") return {'O', {}};
  if (tag.size() > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') return {tag[0], tag.substr(2)};
  return {'I', tag};
}
}  // namespace

std::vector<Chunk> conll_chunks(const std::vector<std::string>& tags) {
  std::vector<Chunk> out;
  bool open = false;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const Parsed p = parse(tags[i]);
    const bool continues = open && p.prefix == 'I' && p.type == out.back().type;
    if (open && !continues) {
      out.back().end = i;
      open = false;
    }
    if (p.prefix != 'O' && !continues) {
      out.push_back(Chunk{i, i, std::string(p.type)});
      open = true;
    }
  }
  if (open) out.back().end = tags.size();
  return out;
}

void NerScorer::add(const std::vector<std::string>& gold, const std::vector<std::string>& predicted) {
  const auto g = conll_chunks(gold);
  const auto p = conll_chunks(predicted);
  std::set<std::tuple<std::size_t, std::size_t, std::string>> gold_set;
  for (const Chunk& c : g) {
    ++per_type_[c.type].gold;
    gold_set.emplace(c.begin, c.end, c.type);
  }
  for (const Chunk& c : p) {
    ChunkCounts& counts = per_type_[c.type];
    ++counts.predicted;
    if (gold_set.count({c.begin, c.end, c.type}) != 0) ++counts.correct;
  }
}

ChunkCounts NerScorer::micro(const std::vector<std::string>& types) const {
  ChunkCounts sum;
  for (const std::string& t : types)
    if (auto it = per_type_.find(t); it != per_type_.end()) sum += it->second;
  return sum;
}

ChunkCounts NerScorer::all() const {
  ChunkCounts sum;
  for (const auto& [type, counts] : per_type_) sum += counts;
  return sum;
}

}  // namespace isnad::ner
