// An attempts log as ratesim's own results: its logical requests (the attempts that share a
// request_id), the totals of summary.json's `total`, and per-minute counts. Backtest puts a
// recorded log and a simulated one through the same functions, so both sides count alike.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/metrics/summary.hpp"

namespace ratesim::calibrate {

/// One logical request: what its first attempt carried and how it ended.
struct LoggedRequest {
  double arrival = 0;          ///< its `arrival` if logged, else its first attempt's send time (log clock)
  double queued = 0;           ///< first send − arrival: time in client-side queues (0 without `arrival`)
  std::uint16_t model = 0;
  std::uint16_t workload = 0;  ///< an index into AttemptsLog::workloads
  std::int64_t prompt = -1;    ///< the whole prompt; -1: not recorded
  std::int64_t output = -1;    ///< output tokens of its success; -1: it did not succeed
  std::int64_t max_tokens = -1;
  std::int64_t cached = 0;     ///< cache reads + writes of its success
  std::vector<std::uint32_t> attempt_index;  ///< its attempts in AttemptsLog::attempts, by send time
  bool ok = false;
  double end = 0;              ///< the end of its last attempt
};

/// The logical requests of `log`, in order of arrival.
std::vector<LoggedRequest> logical_requests(const AttemptsLog& log);

/// Counts per minute of send time (attempt outcomes).
struct MinuteSeries {
  std::vector<std::uint64_t> attempts, ok, r429, r529;
  void resize(std::size_t n);
};

struct LogTotals {
  metrics::WorkloadSummary total;  ///< requests ended ok or (every other ending) gave_up
  std::uint64_t r429_unknown = 0;  ///< 429s whose cause neither message nor headers tell
  MinuteSeries minutes;
};

/// Totals of `log` in summary.json's terms, a 429's cause taken from `causes` (one per attempt, as
/// inference.hpp's infer() gives them; models::LimitCause::kNone: unknown). Request latency runs
/// from the first attempt's send to the end of the successful one.
LogTotals log_totals(const AttemptsLog& log, const std::vector<LoggedRequest>& requests,
                     const std::vector<models::LimitCause>& causes);

/// Per attempt, the cause its 429 names (a simulated log's, which always names it).
std::vector<models::LimitCause> named_causes(const AttemptsLog& log);

}  // namespace ratesim::calibrate
