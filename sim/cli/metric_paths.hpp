// The metrics a scenario's summary.json will have, known before anything runs, so that `check`
// and `search` refuse a misspelt metric at once, with a suggestion.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ratesim::cli {

/// Every numeric path of the summary a run of `s` writes (total.requests.ok, workloads.chat.…,
/// groups.…), sorted.
std::vector<std::string> summary_paths_of(const scenario::Scenario& s);

/// "" when `metric` is one of `paths`; otherwise the message: unknown metric 'x' (did you mean
/// 'y'?): expected a path into summary.json, e.g. total.attempts.r429.total.
std::string unknown_metric_message(const std::string& metric, const std::vector<std::string>& paths);

/// Throws scenario::InputError, at the entry's position, for an `expect:` entry whose metric
/// the summary will not have, or whose bound is a duration for a metric not in seconds.
void check_expectation_paths(const scenario::Scenario& s);

}  // namespace ratesim::cli
