// What a run rests on: every value that shaped it, marked documented (with its public source and
// date) or assumed (with the reason), and, for the assumed ones that can be varied, their
// plausible range. `ratesim run` lists the ledger in summary.json and names the assumed values
// under the table; `ratesim run --sensitivity` reruns the scenario at each end of each range.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ratesim::scenario {

/// One end of an assumption's plausible range.
struct LedgerLevel {
  std::string value;                     ///< as a person would write it, e.g. "1s", "strict"
  std::function<void(Scenario&)> apply;  ///< sets the assumption to that value
};

struct LedgerEntry {
  std::string path;    ///< where it lives in the scenario, e.g. provider.burst
  std::string value;   ///< as the run uses it
  bool documented = false;
  std::string source;  ///< documented: the public source and date; assumed: why this value
  /// Assumed values that can be varied: the low and high ends of their plausible range.
  std::optional<std::array<LedgerLevel, 2>> range;
};

/// The ledger of `s`, provider first, then each model the workloads use, then the workloads.
std::vector<LedgerEntry> assumption_ledger(const Scenario& s);

/// The models the workloads can send to: their own, a trace's, a route layer's.
std::set<std::string> used_models(const Scenario& s);

/// Settings that have no effect as written (a cached prefix under the model's minimum, an
/// initial_load with acceleration off, ...), one sentence each.
std::vector<std::string> ineffective_settings(const Scenario& s);

}  // namespace ratesim::scenario
