// How much the assumptions matter: the scenario rerun with each assumed value at the low and the
// high end of its plausible range (sim/scenario/assumptions.hpp), one at a time, same seed.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ratesim::cli {

/// What a sensitivity row reports, for all workloads together.
struct SensitivityMetrics {
  double ok = 0;
  double gave_up = 0;
  double r429 = 0;
  double latency_p99_s = 0;
  double cost_usd = 0;
  double makespan_s = 0;
  double never_fits = 0;  ///< requests larger than a whole bucket, which can never be admitted
};

struct SensitivityRow {
  std::string assumption;  ///< ledger path; "base" for the scenario as written
  std::string level;       ///< low, high, or base
  std::string value;       ///< the value at that level
  SensitivityMetrics metrics;
  /// At this value more requests can never fit a budget than as written (a 1 s bucket against
  /// prompts larger than a second's worth): the run changes kind, not degree, so its swing is no
  /// measure of risk and the table and tornado show it apart.
  bool structural = false;
};

/// The base run, then low and high of each assumption with a range, in ledger order. Runs on
/// `jobs` threads; the result does not depend on their number.
std::vector<SensitivityRow> run_sensitivity(const scenario::Scenario& s, int jobs);

/// The table: one line per assumption, widest swing in completed requests first; then, apart,
/// the assumptions with a structural break at one end.
std::string sensitivity_table(const std::vector<SensitivityRow>& rows);

/// sensitivity.csv: assumption,level,value, then the metrics, never_fits and structural.
void write_sensitivity_csv(std::ostream& out, const std::vector<SensitivityRow>& rows);

}  // namespace ratesim::cli
