// isnad/ner.h — named entity recognition on normalized Arabic text.
//
// A statistical tagger (averaged structured perceptron, Viterbi BIO decoding over hashed
// features) trained in this repo on NewsFANE (tools/train_ner.cpp, data/ner/README.md), helped by
// gazetteers (countries, cities, organizations, first names, well-known people, titles) that are
// features, not overrides, so a listed word in another role can still be tagged O.
//
//   auto model = isnad::NerModel::load_default();        // once; ~12 MB, ~0.1 s
//   if (!model) { report(model.error().message); }
//   auto norm = isnad::normalize(bytes);
//   for (const isnad::EntityMention& m : model->tag(norm->text())) {
//     isnad::Span in_file = norm->to_original(m.span);
//   }
//
// Output: one EntityMention per entity, in text order, spans in the *normalized* text given to
// tag(). Proclitics are outside the span (ولبوتين → بوتين; للعراق → لعراق, because the article's
// alef is not written). A title in front of a person is returned apart as `role`
// (الرئيس الروسي فلاديمير بوتين → role الرئيس الروسي, PER فلاديمير بوتين). A place between the
// title and the name stays out of the name (محافظ وادي الريم ماجد العطار → LOC وادي الريم,
// PER ماجد العطار with role محافظ وادي الريم).
//
// Types: PER, ORG, GPE (countries, cities, provinces), LOC (continents, seas, regions, mountains),
// FAC (buildings, airports, roads), MISC (vehicles, works, products).
//
// Costs and pitfalls:
// - tag() is const and thread-safe; it reuses thread-local buffers, so in steady state it
//   allocates only the returned vector. Each thread that tags keeps a 4.4 MB memo of per-word
//   weight sums (bounded). Roughly 0.9–1.4M tokens/s on one core (docs/PERFORMANCE.md).
// - Input must be normalized with the default NormalizeOptions (alef, yeh and teh marbuta folded):
//   the model and gazetteers were built that way.
// - The whole input is decoded as one sequence; sentence boundaries are just "." tokens.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "isnad/entities.h"
#include "isnad/status.h"

namespace isnad {

namespace ner {
struct ModelData;
}

class NerModel {
 public:
  // `dir` holds ner.model and gazetteers/*.txt (the layout of data/ner/).
  static Expected<NerModel> load(const std::string& dir);
  // $ISNAD_DATA/ner when the environment variable is set, else the source tree's data/ner.
  static Expected<NerModel> load_default();
  static std::string default_dir();

  std::vector<EntityMention> tag(std::string_view normalized) const;
  // Same, appending to `out` (cleared first) so a caller can reuse its vector.
  void tag(std::string_view normalized, std::vector<EntityMention>& out) const;

 private:
  explicit NerModel(std::shared_ptr<const ner::ModelData> data) : data_(std::move(data)) {}
  std::shared_ptr<const ner::ModelData> data_;
};

}  // namespace isnad
