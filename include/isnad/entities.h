// isnad/entities.h — named entity mentions (types and spans). The tagger is in ner.h.
#pragma once

#include <string_view>

#include "isnad/span.h"

namespace isnad {

enum class EntityType : unsigned char { kPer, kOrg, kLoc, kGpe, kFac, kMisc };
std::string_view to_string(EntityType t);  // "PER", "ORG", …

struct EntityMention {
  Span span;            // normalized offsets, clitics excluded (ولبوتين → بوتين)
  EntityType type = EntityType::kMisc;
  Span role;            // title or role kept apart (الرئيس الروسي), empty when none
};

}  // namespace isnad
