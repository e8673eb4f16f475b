// Observes a run and produces its Summary. Memory does not grow with the number of requests.
#pragma once

#include <string>
#include <vector>

#include "models/observer.hpp"
#include "sim/metrics/histogram.hpp"
#include "sim/metrics/summary.hpp"

namespace ratesim::metrics {

/// Count, mean, percentiles and maximum of what `h` holds.
DurationStats stats(const Histogram& h);

class SummaryCollector final : public models::WorldObserver {
 public:
  /// `interval`: the window over which peak throughput and peak use are measured; `horizon`: the
  /// run's length; `groups`: the limit groups to report; `warmup`: requests that arrive before it
  /// are left out (counted only as left out), and budget use is measured from it.
  SummaryCollector(std::vector<std::string> workload_names, std::vector<GroupInfo> groups,
                   models::Duration interval, models::Duration horizon,
                   models::Duration warmup = {});

  void on_arrival(models::Time now, const models::Request& r) override;
  void on_attempt_sent(models::Time now, const models::Request& r) override;
  void on_attempt_outcome(models::Time now, const models::Request& r,
                          const models::AttemptDecision& d) override;
  void on_request_done(models::Time now, const models::Request& r,
                       models::RequestOutcome outcome) override;
  void on_budget_settled(models::Time now, std::uint32_t group, std::size_t budget,
                         std::int64_t amount) override;

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

  /// Whether `r` counts: it arrived at or after the warm-up.
  bool measured(const models::Request& r) const { return r.arrival >= measured_from_; }

  template <typename F>
  void both(const models::Request& r, F&& f) {
    // A single workload's accumulator would be the total's twin: only the total is kept, and
    // summary() copies it (half the work per event for the most common scenario).
    if (per_workload_.size() > 1) f(per_workload_[r.workload]);
    f(total_);
  }
  WorkloadSummary finish(const Accumulator& a) const;

  struct BudgetUse {
    std::int64_t total = 0;
    std::int64_t interval_index = -1;
    std::int64_t in_interval = 0;
    std::int64_t peak_interval = 0;
    models::Time first_429 = kernel::kNever;
    std::uint64_t r429 = 0;
  };
  struct GroupAccumulator {
    GroupInfo info;
    std::array<BudgetUse, models::kBudgetCount> budgets;
    std::uint64_t r429_acceleration = 0;
    models::Time first_acceleration = kernel::kNever;
    std::uint64_t never_fits = 0;
    std::vector<std::uint32_t> acceleration_per_minute;
    std::array<std::vector<std::uint32_t>, models::kBudgetCount> r429_per_minute;
  };
  GroupAccumulator* group(std::uint32_t index);
  void use(BudgetUse& u, models::Time now, std::int64_t amount);
  /// The index of the interval `now` falls in (⌊now / interval⌋). Events come in time order, so
  /// it is divided out once per interval rather than for every event.
  std::int64_t interval_of(models::Time now) {
    if (now < interval_start_ || now >= interval_end_) {
      interval_index_ = (now - kernel::kTimeZero) / interval_;
      interval_start_ = kernel::kTimeZero + interval_index_ * interval_;
      interval_end_ = interval_start_ + interval_;
    }
    return interval_index_;
  }

  models::Duration interval_;
  std::int64_t interval_index_ = 0;
  models::Time interval_start_ = kernel::kTimeZero, interval_end_ = kernel::kTimeZero;  ///< of interval_index_
  models::Duration horizon_;
  models::Time measured_from_;  ///< the end of the warm-up
  std::uint64_t left_out_ = 0;  ///< requests that arrived during the warm-up
  std::vector<GroupAccumulator> groups_;
  std::vector<Accumulator> per_workload_;
  Accumulator total_;
};

}  // namespace ratesim::metrics
