// `ratesim compare FILE [--variant NAME]... [--replications N] [--out DIR]`: the base scenario
// and its variants side by side.
#pragma once

#include <string>
#include <vector>

namespace ratesim::cli {

int compare_command(const std::vector<std::string>& args);

/// A metric compared across variants: its path in summary.json, how it is labelled, and
/// whether lower is better.
struct ComparedMetric {
  const char* path;
  const char* label;
  bool lower_is_better;
};

/// The metrics `compare` shows, in order.
const std::vector<ComparedMetric>& compared_metrics();

}  // namespace ratesim::cli
