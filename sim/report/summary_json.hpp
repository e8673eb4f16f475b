// summary.json, schema "ratesim.summary/1" (DESIGN §5; field meanings in docs/outputs.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/metrics/summary.hpp"

namespace ratesim::report {

inline constexpr const char* kSummarySchema = "ratesim.summary/1";

nlohmann::ordered_json summary_to_json(const metrics::Summary& s);
/// The JSON text, indented, with a final newline.
std::string summary_json_text(const metrics::Summary& s);

}  // namespace ratesim::report
