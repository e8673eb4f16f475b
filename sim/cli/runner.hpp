// One run of a scenario: the world wired to its collectors and, when asked, to the time-series
// writer. Used by `ratesim run` and by the tests, so both exercise the same path.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>

#include "sim/metrics/attempts_collector.hpp"
#include "sim/metrics/summary.hpp"
#include "sim/scenario/scenario.hpp"

namespace ratesim::cli {

struct RunOptions {
  kernel::Duration interval = std::chrono::seconds(10);  ///< time-series and peak-throughput bin
  std::ostream* timeseries = nullptr;  ///< where timeseries.csv goes; null: not written
  std::ostream* limits = nullptr;      ///< where limits.csv goes; null: not written
  std::ostream* requests = nullptr;    ///< where requests.csv goes; null: not written
  std::ostream* attempts_log = nullptr;  ///< where the attempts log (JSON Lines) goes; null: not written
  /// Called with every attempt as the attempts log records it (backtest); empty: not called.
  std::function<void(const metrics::AttemptRecord&)> on_attempt;
  bool progress = false;               ///< draw a progress bar on stderr (only if a terminal)
  /// When acceleration refused anything, run the same scenario and seed without acceleration
  /// limits as well (Summary::without_acceleration).
  bool counterfactual = true;
};

struct RunResult {
  metrics::Summary summary;
  std::uint64_t events = 0;       ///< events the simulation ran
  std::size_t peak_requests = 0;  ///< most requests alive at once (slab high-water mark)
  double wall_seconds = 0;
};

/// Runs `s`; the summary carries the assumption ledger, the settings without effect and, when
/// asked and acceleration refused anything, the run without acceleration limits.
RunResult run_scenario(const scenario::Scenario& s, const RunOptions& options = {});

/// The version written into outputs.
const char* version();

}  // namespace ratesim::cli
