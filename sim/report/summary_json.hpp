// summary.json, schema "ratesim.summary/2" (field meanings in docs/outputs.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace ratesim::report {

inline constexpr const char* kSummarySchema = "ratesim.summary/2";

nlohmann::ordered_json summary_to_json(const metrics::Summary& s);
/// One workload's (or the total's) numbers, as summary.json's `total` holds them.
nlohmann::ordered_json workload_to_json(const metrics::WorkloadSummary& w);
/// The number at a dot-separated path (total.attempts.r429.total), or nullopt if there is none.
std::optional<double> summary_metric(const nlohmann::ordered_json& summary, const std::string& path);
/// Every numeric path of a summary, dot-separated.
std::vector<std::string> summary_metric_paths(const nlohmann::ordered_json& summary);

/// The JSON text, indented, with a final newline.
std::string summary_json_text(const metrics::Summary& s);

}  // namespace ratesim::report
