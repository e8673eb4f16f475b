#include "sim/metrics/limits_collector.hpp"

namespace ratesim::metrics {

LimitsCollector::LimitsCollector(std::vector<GroupInfo> groups, models::Duration interval,
                                 models::Time horizon, Sink sink)
    : groups_(std::move(groups)),
      used_(groups_.size()),
      interval_(interval),
      horizon_(horizon),
      sink_(std::move(sink)) {}

std::array<std::int64_t, models::kBudgetCount>* LimitsCollector::usage(std::uint32_t group) {
  for (std::size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i].index == group) return &used_[i];
  return nullptr;
}

void LimitsCollector::advance(models::Time now) {
  while (now >= interval_start_ + interval_ && interval_start_ + interval_ < horizon_) {
    emit();
    interval_start_ += interval_;
  }
}

void LimitsCollector::emit() {
  const double minutes = kernel::to_seconds(interval_) / 60.0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
      const std::int64_t limit = groups_[g].limits[b];
      if (limit == 0) continue;
      sink_(LimitsRow{.t_s = kernel::to_seconds(interval_start_),
                      .group = &groups_[g].name,
                      .workspace = &groups_[g].workspace,
                      .budget = budget_name(b),
                      .used_frac = static_cast<double>(used_[g][b]) / (static_cast<double>(limit) * minutes),
                      .limit = limit});
      used_[g][b] = 0;
    }
  }
}

void LimitsCollector::on_attempt_outcome(models::Time now, const models::Request&,
                                         const models::AttemptDecision& d) {
  advance(now);
  for (const std::uint32_t group : {d.group, d.workspace_group}) {
    if (group == models::kNoGroup) continue;
    if (auto* u = usage(group))
      for (std::size_t b = 0; b < models::kBudgetCount; ++b) (*u)[b] += d.debited[b];
  }
}

void LimitsCollector::on_budget_settled(models::Time now, std::uint32_t group, std::size_t budget,
                                        std::int64_t amount) {
  advance(now);
  if (auto* u = usage(group); u && budget < models::kBudgetCount) (*u)[budget] += amount;
}

void LimitsCollector::on_horizon(models::Time now) {
  advance(now);
  if (interval_start_ < horizon_) emit();
}

}  // namespace ratesim::metrics
