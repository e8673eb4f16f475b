// Observes a run and emits one row per interval per workload, plus a row for all workloads,
// as each interval closes (timeseries.csv, docs/outputs.md). Nothing is kept once a row is emitted.
//
// An event at time t belongs to the interval [k·I, (k+1)·I) containing t; events at exactly the
// horizon belong to the last interval. Counters count what happened in the interval; in_flight
// and queued are the values at the interval's end.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/observer.hpp"
#include "sim/metrics/histogram.hpp"

namespace ratesim::metrics {

struct TimeSeriesRow {
  double t_s = 0;             ///< start of the interval, seconds
  const std::string* workload = nullptr;  ///< workload name or "all"
  std::uint64_t arrivals = 0;
  std::uint64_t attempts = 0;       ///< attempts sent
  std::uint64_t ok = 0;             ///< requests completed successfully
  std::uint64_t r429[models::kRefusalCount] = {};  ///< by models::refusal_index (scope, cause)
  std::uint64_t r529 = 0;
  std::uint64_t gave_up = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t dropped = 0;
  std::int64_t in_flight = 0;       ///< requests with an attempt out, at the interval's end
  std::int64_t queued = 0;          ///< requests waiting in client layers, at the interval's end
  bool has_latency = false;         ///< any request completed ok in the interval
  double latency_p50_s = 0;
  double latency_p99_s = 0;
  std::uint64_t input_tokens = 0;   ///< all prompt tokens of successful attempts
  std::uint64_t output_tokens = 0;
  double cost_usd = 0;
};

class TimeSeriesCollector final : public models::WorldObserver {
 public:
  using Sink = std::function<void(const TimeSeriesRow&)>;

  TimeSeriesCollector(std::vector<std::string> workload_names, models::Duration interval,
                      models::Time horizon, Sink sink);

  void on_arrival(models::Time now, const models::Request& r) override;
  void on_attempt_sent(models::Time now, const models::Request& r) override;
  void on_attempt_outcome(models::Time now, const models::Request& r,
                          const models::AttemptDecision& d) override;
  void on_attempt_returned(models::Time now, const models::Request& r) override;
  void on_request_done(models::Time now, const models::Request& r,
                       models::RequestOutcome outcome) override;
  void on_horizon(models::Time now) override;

 private:
  struct Series {
    std::string name;
    TimeSeriesRow row;
    Histogram latency;
    std::int64_t active = 0;  ///< arrived and not ended
  };

  /// Emits every interval that closed before `now`.
  void advance(models::Time now);
  void emit();
  template <typename F>
  void both(const models::Request& r, F&& f) {
    f(series_[r.workload]);
    f(series_.back());
  }

  models::Duration interval_;
  models::Time horizon_;
  models::Time interval_start_{};
  Sink sink_;
  std::vector<Series> series_;  ///< one per workload, then "all"
  bool ended_ = false;
};

}  // namespace ratesim::metrics
