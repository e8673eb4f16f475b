// timeseries.csv (DESIGN §5): a header row, then one row per interval per workload and "all".
#pragma once

#include <ostream>

#include "sim/metrics/limits_collector.hpp"
#include "sim/metrics/timeseries_collector.hpp"

namespace ratesim::report {

inline constexpr const char* kTimeSeriesHeader =
    "t_s,workload,arrivals,attempts,ok,r429_rpm,r429_itpm,r429_otpm,r429_acceleration,r529,"
    "gave_up,timed_out,dropped,in_flight,queued,latency_p50_s,latency_p99_s,input_tokens,"
    "output_tokens,cost_usd,r429_tpm";

inline constexpr const char* kLimitsHeader = "t_s,group,budget,used_frac,limit";

/// limits.csv (DESIGN §5): a header row, then one row per interval per group and budget.
class LimitsCsv {
 public:
  explicit LimitsCsv(std::ostream& out);
  void write(const metrics::LimitsRow& row);

 private:
  std::ostream& out_;
};

class TimeSeriesCsv {
 public:
  /// Writes the header at once.
  explicit TimeSeriesCsv(std::ostream& out);
  void write(const metrics::TimeSeriesRow& row);

 private:
  std::ostream& out_;
};

}  // namespace ratesim::report
