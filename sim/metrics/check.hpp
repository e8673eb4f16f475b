// What `ratesim check` decides: bounds from a scenario's expect: list, and the regression-relevant
// metrics against a baseline, each allowed to be worse by a tolerance. Values come through
// lookups, so the rules stand apart from where the numbers are read (summary.json files, runs).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/metrics/confidence.hpp"

namespace ratesim::metrics {

/// One check and how it came out.
struct CheckOutcome {
  enum class Failure {
    kNone,
    kNoValue,    ///< the runs have no value for the metric (null: it never happened)
    kBelowMin,   ///< the mean is below the expectation's min
    kAboveMax,   ///< the mean is above the expectation's max
    kWorse,      ///< even the favourable end of the interval is worse than the baseline allows
  };
  std::string name;     ///< "expect total.attempts.r429.total" or "baseline total.requests.ok"
  std::string metric;
  Estimate value;
  std::optional<double> min, max;  ///< what was allowed: the expectation's, or the baseline's limit
  std::optional<double> baseline;  ///< baseline checks: the baseline's value
  bool seconds = false;            ///< the metric is in seconds
  std::string min_text, max_text;  ///< the expectation's bounds as its file wrote them
  double tolerance = 0;            ///< baseline checks
  Failure failure = Failure::kNone;
  bool passed() const { return failure == Failure::kNone; }
};

/// A bound on one metric (an `expect:` entry).
struct Bound {
  std::string metric;
  std::optional<double> min, max;
  bool seconds = false;            ///< the metric is in seconds: values are shown with "s"
  std::string min_text, max_text;  ///< the bounds as written ("30s", "2m"); empty: shown as numbers
};

/// A metric check compares with a baseline, and which direction is better.
struct WatchedMetric {
  const char* tail;  ///< the path under total. or workloads.<name>.
  bool lower_is_better;
};
/// ok, gave_up, timed_out, dropped, 429s, latency p50 and p99, cost, makespan, throughput.
const std::vector<WatchedMetric>& watched_metrics();

/// A metric's value over the runs (mean and 95% interval), or nullopt when a run has none.
using Lookup = std::function<std::optional<Estimate>(const std::string& path)>;
/// The baseline's value of a path, or nullopt when it has none.
using BaselineLookup = std::function<std::optional<double>(const std::string& path)>;

/// Each bound: passes when the mean is within it; fails when it is outside or the runs have no value.
std::vector<CheckOutcome> check_bounds(const std::vector<Bound>& bounds, const Lookup& value);

/// Each watched metric under each scope (total, workloads.<name>) that both sides have: fails only
/// when even the favourable end of the interval is worse than the baseline by more than
/// tolerance(path).
std::vector<CheckOutcome> check_baseline(const std::vector<std::string>& scopes, const Lookup& value,
                                         const BaselineLookup& baseline,
                                         const std::function<double(const std::string& path)>& tolerance);

}  // namespace ratesim::metrics
