// Observes a run and emits, as each interval closes, one row per limit group and budget: how
// much of the budget's allowance for the interval was used (limits.csv, docs/outputs.md).
#pragma once

#include <functional>
#include <vector>

#include "models/observer.hpp"
#include "sim/metrics/summary.hpp"

namespace ratesim::metrics {

struct LimitsRow {
  double t_s = 0;                   ///< start of the interval, seconds
  const std::string* group = nullptr;
  const std::string* workspace = nullptr;  ///< whose caps: empty for the organization's
  const char* budget = "";          ///< a budget's name (models::kCauses)
  double used_frac = 0;             ///< net usage in the interval / (limit × interval in minutes)
  std::int64_t limit = 0;           ///< per minute
};

class LimitsCollector final : public models::WorldObserver {
 public:
  using Sink = std::function<void(const LimitsRow&)>;

  LimitsCollector(std::vector<GroupInfo> groups, models::Duration interval, models::Time horizon,
                  Sink sink);

  void on_attempt_outcome(models::Time now, const models::Request& r,
                          const models::AttemptDecision& d) override;
  void on_budget_settled(models::Time now, std::uint32_t group, std::size_t budget,
                         std::int64_t amount) override;
  void on_horizon(models::Time now) override;

 private:
  void advance(models::Time now);
  void emit();
  std::array<std::int64_t, models::kBudgetCount>* usage(std::uint32_t group);

  std::vector<GroupInfo> groups_;
  std::vector<std::array<std::int64_t, models::kBudgetCount>> used_;  ///< this interval, by group then budget
  models::Duration interval_;
  models::Time horizon_;
  models::Time interval_start_{};
  Sink sink_;
};

}  // namespace ratesim::metrics
