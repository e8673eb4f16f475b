// `ratesim compare FILE [--variant NAME]... [--replications N] [--out DIR]`: the base scenario
// and its variants side by side.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ratesim::cli {

int compare_command(const std::vector<std::string>& args);

/// A metric compared across variants: its path in summary.json, how it is labelled, and
/// whether lower is better.
struct ComparedMetric {
  std::string path;
  std::string label;
  bool lower_is_better;
};

/// The metrics `compare` shows, in order.
const std::vector<ComparedMetric>& compared_metrics();

/// The value at JSON pointer `pointer` of a summary; NaN when it is null (a metric with no
/// value, such as the cost per successful request when none succeeded).
double metric_value(const nlohmann::ordered_json& summary, const std::string& pointer);

}  // namespace ratesim::cli
