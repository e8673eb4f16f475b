// The numbers a run ends with (docs/outputs.md), for all workloads together and for each one.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/request.hpp"

namespace ratesim::metrics {

/// Distribution of a duration, seconds.
struct DurationStats {
  std::uint64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;
};

struct WorkloadSummary {
  std::string name;  ///< workload name, or "total"
  std::string workspace;  ///< the workspace it runs in; "" for none (and for the total)

  std::uint64_t arrived = 0;
  /// Requests by how they ended, indexed by models::RequestOutcome.
  std::array<std::uint64_t, models::kRequestOutcomeCount> outcomes{};

  std::uint64_t attempts = 0;
  std::uint64_t attempts_ok = 0;
  /// 429s by scope and cause, indexed by models::refusal_index (the organization's causes in
  /// kCauses order, then the workspace's budgets).
  std::array<std::uint64_t, models::kRefusalCount> r429{};
  std::uint64_t r529 = 0;
  std::uint64_t attempt_timeouts = 0;
  std::uint64_t never_fits = 0;  ///< requests that got a 429 because they exceed a whole bucket

  double amplification = 0;  ///< attempts / arrived
  DurationStats latency;     ///< arrival to success, ok requests
  DurationStats queue_wait;  ///< arrival to first attempt, requests that sent one
  double throughput_mean = 0;  ///< ok requests per second over the makespan
  double throughput_peak = 0;  ///< ok requests per second in the busiest interval
  double makespan_s = 0;       ///< first arrival to last completion

  std::uint64_t input_tokens = 0;  ///< uncached input of successful attempts
  std::uint64_t cache_write_tokens = 0;
  std::uint64_t cache_read_tokens = 0;
  std::uint64_t output_tokens = 0;

  double cost_input = 0, cost_cache_write = 0, cost_cache_read = 0, cost_output = 0;  ///< USD

  std::uint64_t requests(models::RequestOutcome o) const {
    return outcomes[static_cast<std::size_t>(o)];
  }
  std::uint64_t r429_total() const {
    std::uint64_t total = 0;
    for (const std::uint64_t n : r429) total += n;
    return total;
  }
  /// The organization's 429s of cause `c`.
  std::uint64_t r429_of(models::LimitCause c) const { return r429[models::index(c)]; }
  /// 429s of cause `c` from either scope.
  std::uint64_t r429_any_scope(models::LimitCause c) const {
    const std::size_t ws = models::refusal_index(models::Scope::kWorkspace, c);
    return r429_of(c) + (ws != models::index(c) ? r429[ws] : 0);
  }
  double cost_total() const { return cost_input + cost_cache_write + cost_cache_read + cost_output; }
  /// Cost divided by successful requests; 0 when none succeeded.
  double cost_per_ok() const {
    const std::uint64_t ok = requests(models::RequestOutcome::kOk);
    return ok ? cost_total() / static_cast<double>(ok) : 0.0;
  }
};

/// One budget of a limit group over the run.
struct BudgetSummary {
  std::string name;            ///< a budget's name (models::kCauses)
  std::int64_t limit = 0;      ///< per minute
  /// Net usage while the work ran / (limit × that time in minutes): from the first measured
  /// arrival (after any warm-up) to the last completion, or to the horizon when work was left
  /// unfinished (Summary::measured_from_s, measured_to_s).
  double mean_util = 0;
  /// The share of that usage beyond what refill at the limit could supply in the time: served
  /// by what the bucket held when measuring began (full, at a run's start). 0 when mean_util <= 1.
  double start_share = 0;
  double peak_util = 0;        ///< the same over the busiest interval
  double first_429_s = -1;     ///< when a 429 was first blamed on it; -1: never
  std::uint64_t r429 = 0;      ///< 429s blamed on it
};

struct GroupSummary {
  std::string name;
  std::string workspace;  ///< whose caps: "" for the organization's budgets, else the workspace
  std::vector<BudgetSummary> budgets;  ///< the group's budgets, in kBudgets order
  std::uint64_t r429_acceleration = 0;
  double first_acceleration_s = -1;  ///< when an acceleration 429 first came; -1: never
  std::uint64_t never_fits = 0;  ///< requests that exceed a whole budget
  /// 429s per minute of the run: acceleration's, and each budget's (kBudgets order). The
  /// diagnosis matches them against a run without acceleration limits; not in summary.json.
  std::vector<std::uint32_t> acceleration_per_minute;
  std::array<std::vector<std::uint32_t>, models::kBudgetCount> r429_per_minute;
};

/// A limit group as the collectors need it.
struct GroupInfo {
  std::uint32_t index = 0;                 ///< the provider's group index
  std::string name;
  std::string workspace;                   ///< "" for the organization's group, else whose caps
  std::array<std::int64_t, models::kBudgetCount> limits{};  ///< per minute; 0 = no such budget
};

struct Summary;

/// One assumption or documented fact that shaped a run (summary.json `assumptions`).
struct Assumption {
  std::string path;    ///< where it lives in the scenario, e.g. provider.burst
  std::string value;   ///< as the run used it
  bool documented = false;  ///< true: a published fact; false: an assumption
  std::string source;  ///< the public source and its date, or why the value was assumed
};

struct Summary {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string version;
  double duration_s = 0;
  double warmup_s = 0;                 ///< `warmup:`: requests that arrived before it are left out
  std::uint64_t requests_left_out = 0;  ///< requests that arrived during the warm-up
  /// The time the work ran, over which budget mean use is averaged (BudgetSummary::mean_util).
  double measured_from_s = 0, measured_to_s = 0;
  /// Seconds from the start when the monthly spend limit was reached (0 when the month's spend
  /// already reached it); -1: never, or no spend limit.
  double spend_limit_reached_s = -1;
  WorkloadSummary total;
  std::vector<WorkloadSummary> workloads;
  std::vector<GroupSummary> groups;  ///< the groups the workloads' models draw on
  /// The same scenario and seed with acceleration limits off, when acceleration refused
  /// anything (and the caller asked for it); null otherwise.
  std::shared_ptr<const Summary> without_acceleration;
  std::vector<Assumption> assumptions;  ///< what shaped the run, documented or assumed
  std::vector<std::string> warnings;    ///< settings that have no effect, and the like
};

/// A budget's name: "rpm", "itpm", ... (models::kCauses).
inline const char* budget_name(std::size_t b) { return models::kCauses[b].name.data(); }

}  // namespace ratesim::metrics
