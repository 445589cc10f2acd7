#include "isnad/dates.h"
namespace isnad {
// Placeholder, being replaced by the date recognizer.
std::optional<CivilDate> parse_iso_date(std::string_view) { return std::nullopt; }
std::string_view to_string(Granularity) { return "day"; }
std::string DateMention::iso() const { return {}; }
std::vector<DateMention> find_dates(std::string_view, std::optional<CivilDate>) { return {}; }
}  // namespace isnad
