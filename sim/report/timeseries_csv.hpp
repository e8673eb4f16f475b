// timeseries.csv (docs/outputs.md): a header row, then one row per interval per workload and "all".
#pragma once

#include <ostream>

#include "sim/metrics/limits_collector.hpp"
#include "sim/metrics/requests_collector.hpp"
#include "sim/metrics/timeseries_collector.hpp"

namespace ratesim::report {

inline constexpr const char* kTimeSeriesHeader =
    "t_s,workload,arrivals,attempts,ok,r429_rpm,r429_itpm,r429_otpm,r429_acceleration,r529,"
    "gave_up,timed_out,dropped,in_flight,queued,latency_p50_s,latency_p99_s,input_tokens,"
    "output_tokens,cost_usd,r429_tpm,r429_spend";

inline constexpr const char* kLimitsHeader = "t_s,group,budget,used_frac,limit";

/// limits.csv (docs/outputs.md): a header row, then one row per interval per group and budget.
class LimitsCsv {
 public:
  explicit LimitsCsv(std::ostream& out);
  void write(const metrics::LimitsRow& row);

 private:
  std::ostream& out_;
};

inline constexpr const char* kRequestsHeader =
    "id,workload,model,arrival_s,first_send_s,done_s,outcome,attempts,r429,r529,input_tokens,"
    "cache_write_tokens,cache_read_tokens,output_tokens,cost_usd";

/// requests.csv: a header row, then one row per request in the order they ended.
class RequestsCsv {
 public:
  explicit RequestsCsv(std::ostream& out);
  void write(const metrics::RequestRow& row);

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
