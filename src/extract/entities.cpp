#include "isnad/entities.h"

namespace isnad {

std::string_view to_string(EntityType t) {
  switch (t) {
    case EntityType::kPer: return "PER";
    case EntityType::kOrg: return "ORG";
    case EntityType::kLoc: return "LOC";
    case EntityType::kGpe: return "GPE";
    case EntityType::kFac: return "FAC";
    case EntityType::kMisc: return "MISC";
  }
  return "MISC";
}

}  // namespace isnad
