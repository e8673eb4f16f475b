// `ratesim backtest LOG SCENARIO`: replays a recorded log's logical requests (arrival times,
// sizes, models) through the scenario's provider and client, and compares what the log saw with
// what the simulation does. docs/calibrate.md has the method.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/log_summary.hpp"
#include "sim/scenario/scenario.hpp"

namespace ratesim::cli {

inline constexpr const char* kBacktestSchema = "ratesim.backtest/2";

struct BacktestRow {
  std::string metric;   ///< a path as in summary.json's total, e.g. attempts.r429.total
  std::string label;    ///< for the table
  double observed = 0, simulated = 0;
  /// (simulated − observed) / observed; 0 when both are 0; none against an observed 0 (n/a).
  std::optional<double> relative;
  bool gated = false;   ///< counts toward the exit code
  /// Gated rows only: |relative| > tolerance; against an observed 0, simulated > tolerance × the
  /// log's requests.
  bool beyond = false;
};

struct BacktestResult {
  metrics::WorkloadSummary observed, simulated;
  std::uint64_t observed_unknown_429 = 0;  ///< 429s whose cause the log does not tell
  calibrate::MinuteSeries observed_minutes, simulated_minutes;
  std::vector<BacktestRow> rows;
  double tolerance = 0.2;
  bool pass = true;
};

/// Reads attempts logs for a command, warning on stderr about the lines skipped with `skip_bad`.
calibrate::AttemptsLog read_logs(const std::vector<std::string>& paths, bool skip_bad);

/// Replays `log` through `s` (its provider, and the client of the workload the log names for a
/// request, else of the first that uses its model, else of the first) for the log's span plus
/// ten minutes.
/// Throws scenario::InputError when the log names a model the scenario's provider lacks.
BacktestResult backtest(const calibrate::AttemptsLog& log, scenario::Scenario s, double tolerance);

/// backtest.json (what --json prints): schema ratesim.backtest/2, with `per_minute` as records
/// named as backtest.csv's columns.
nlohmann::ordered_json backtest_json(const BacktestResult& r);
/// The comparison table and its verdict.
std::string backtest_table(const BacktestResult& r);
/// --per-minute: each minute of send time, observed / simulated attempts, ok, 429s and 529s.
std::string backtest_minutes_table(const BacktestResult& r);
/// backtest.csv: per minute of send time, observed and simulated side by side.
std::string backtest_csv(const BacktestResult& r);

}  // namespace ratesim::cli
