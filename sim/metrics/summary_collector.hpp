// Observes a run and produces its Summary. Memory does not grow with the number of requests.
#pragma once

#include <string>
#include <vector>

#include "models/observer.hpp"
#include "sim/metrics/histogram.hpp"
#include "sim/metrics/summary.hpp"

namespace ratesim::metrics {

class SummaryCollector final : public models::WorldObserver {
 public:
  /// `interval`: the window over which peak throughput is measured.
  SummaryCollector(std::vector<std::string> workload_names, models::Duration interval);

  void on_arrival(models::Time now, const models::Request& r) override;
  void on_attempt_sent(models::Time now, const models::Request& r) override;
  void on_attempt_decided(models::Time now, const models::Request& r,
                          const models::AttemptDecision& d) override;
  void on_request_done(models::Time now, const models::Request& r,
                       models::RequestOutcome outcome) override;

  /// The summary so far (the header fields are the caller's to fill).
  Summary summary() const;

 private:
  struct Accumulator {
    WorkloadSummary s;
    Histogram latency;
    Histogram queue_wait;
    models::Time first_arrival = kernel::kNever;
    models::Time last_done{};
    std::int64_t interval_index = -1;
    std::uint64_t interval_ok = 0;
    std::uint64_t peak_interval_ok = 0;
  };

  template <typename F>
  void both(const models::Request& r, F&& f) {
    f(per_workload_[r.workload]);
    f(total_);
  }
  WorkloadSummary finish(const Accumulator& a) const;

  models::Duration interval_;
  std::vector<Accumulator> per_workload_;
  Accumulator total_;
};

}  // namespace ratesim::metrics
