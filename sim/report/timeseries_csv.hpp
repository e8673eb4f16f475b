// timeseries.csv (docs/outputs.md): a header row, then one row per interval per workload and "all".
#pragma once

#include <ostream>
#include <string>

#include "sim/metrics/limits_collector.hpp"
#include "sim/metrics/requests_collector.hpp"
#include "sim/metrics/timeseries_collector.hpp"

namespace ratesim::report {

/// timeseries.csv's header: the 429 columns are r429_<cause> for each cause of models::kCauses,
/// then r429_workspace_<budget> for each budget, in the tables' order.
const std::string& timeseries_header();

/// limits.csv's header. `scope` is `organization`, or `workspace:NAME` for a workspace's caps.
inline constexpr const char* kLimitsHeader = "t_s,group,scope,budget,used_frac,limit";

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
