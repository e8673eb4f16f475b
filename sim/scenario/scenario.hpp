// A validated scenario: everything a run needs, as plain configuration structs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/world.hpp"

namespace ratesim::scenario {

/// One `expect:` entry: a bound on a summary metric, for `ratesim check`.
/// Where an expectation gave a duration for a metric whose name is not in seconds.
struct DurationBound {
  std::string text;  ///< the value as written, e.g. 30s
  std::string key;   ///< min or max
  int line = 0;
  int column = 0;
};

struct Expectation {
  std::string metric;         ///< dot-separated path into summary.json, e.g. total.attempts.r429.total
  std::optional<double> min;  ///< seconds for *_s metrics
  std::optional<double> max;
  bool seconds = false;       ///< the metric is in seconds (its bounds are durations)
  std::string min_text, max_text;  ///< the bounds as the file wrote them, for messages ("30s")
  std::optional<DurationBound> duration_bound;  ///< a duration given for a metric not in seconds
  std::string file;           ///< where the entry is, for messages about its metric
  int line = 0;
  int column = 0;
};

struct Scenario {
  std::string name;        ///< the scenario's `name:`
  std::string file;        ///< where it was read from, for messages
  std::string preset;      ///< the provider preset it is laid over; "" for none
  models::WorldConfig world;
  /// `warmup:`: requests that arrive before it are left out of every metric, and budget use is
  /// measured from it; zero measures from the start.
  kernel::Duration warmup{};
  std::vector<std::string> variants;  ///< names under `variants:`, in file order
  std::string variant;                ///< which variant this is; "" for the base
  std::vector<Expectation> expectations;  ///< `expect:`, in file order
  /// Found while loading, one sentence each (e.g. entries of provider.rate_limits not applied);
  /// a run reports them with the settings that have no effect.
  std::vector<std::string> warnings;
};

}  // namespace ratesim::scenario
