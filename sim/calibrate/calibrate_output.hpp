// What `ratesim calibrate` writes: the fitted scenario (an ordinary scenario file whose comments
// give each value's evidence), its trace, the fit report (JSON, a table, and the CSVs the
// charts are drawn from).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/calibrate/calibrate.hpp"

namespace ratesim::calibrate {

inline constexpr const char* kCalibrateSchema = "ratesim.calibrate/2";

struct FittedOptions {
  std::string name = "fitted";
  bool phases = false;               ///< arrivals as count phases per model instead of a trace
  double phase_seconds = 300;        ///< the length of each phase
  std::string trace_stem = "fitted";
  /// The provider's acceleration line as chosen by replaying the log (`acceleration: ...   # why`);
  /// empty: the evidence alone decides.
  std::string acceleration_line;  ///< trace files are named STEM.trace.csv (STEM.WORKLOAD.trace.csv for several)
};

/// The name of workload `stream`'s trace file, as the scenario refers to it (beside the scenario).
std::string trace_file_name(const FittedOptions& o, const Calibration& c, std::size_t stream);

/// The fitted scenario file.
std::string fitted_scenario(const Calibration& c, const FittedOptions& options);
/// The log's logical requests as a trace (time_s, input_tokens, output_tokens, max_tokens, model
/// and, when any request used the cache, cached_tokens).
std::string fitted_trace(const Calibration& c, std::size_t stream);

nlohmann::ordered_json calibration_json(const Calibration& c);
/// The fit report for people: one block per model, then the client.
std::string calibration_table(const Calibration& c);
/// qq.csv: model, p, fitted_ttft_s, observed_ttft_s.
std::string qq_csv(const Calibration& c);
/// sizes.csv: workload, field, p, observed, fitted (quantiles of each token-size fit).
std::string sizes_csv(const Calibration& c);

}  // namespace ratesim::calibrate
