#include "isnad/numbers.h"
namespace isnad {
// Placeholder, being replaced by the number recognizer.
std::string_view to_string(Qualifier) { return "exact"; }
std::vector<NumberMention> find_numbers(std::string_view) { return {}; }
}  // namespace isnad
