#include "models/provider/acceleration_model.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::provider {

TrailingBaseline::TrailingBaseline(const Acceleration& config, const Limits& limits)
    : config_(config) {
  const auto l = limits.in_order();
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    limit_[i] = l[i] ? static_cast<double>(*l[i]) : 0.0;
    long_[i] = l[i] ? config_.initial_load : 0.0;
  }
}

void TrailingBaseline::decay(Time now) {
  if (now <= last_) return;
  const double dt = kernel::to_seconds(now - last_);
  last_ = now;
  const double fs = std::exp(-dt / kernel::to_seconds(config_.short_window));
  const double fl = std::exp(-dt / kernel::to_seconds(config_.baseline_window));
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    short_[i] *= fs;
    long_[i] *= fl;
  }
}

// One unit of cost against a limit L per minute adds 60 / (L · τ) to an average with time
// constant τ seconds, so a steady L per minute settles at 1 (the whole limit).
bool TrailingBaseline::allows(Time now, const Costs& c, Duration& retry_after) {
  decay(now);
  const double tau = kernel::to_seconds(config_.short_window);
  double s = 0, b = 0;
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    if (limit_[i] == 0) continue;
    s = std::max(s, short_[i] + static_cast<double>(c[i]) * 60.0 / (limit_[i] * tau));
    b = std::max(b, long_[i]);
  }
  const double threshold = std::max(config_.floor, config_.max_ratio * b);
  // A load that reaches the threshold exactly is allowed; the tolerance absorbs the rounding of
  // sums like 150 × (1/600).
  if (s <= threshold * (1 + 1e-12)) return true;
  // The short-term load decays as e^(-t/τ): it is back under the threshold after τ ln(s / thr)
  // (ignoring the baseline's slower decay).
  retry_after = kernel::from_seconds(tau * std::log(s / threshold));
  return false;
}

void TrailingBaseline::record(Time now, const Costs& c) {
  decay(now);
  const double ts = kernel::to_seconds(config_.short_window);
  const double tl = kernel::to_seconds(config_.baseline_window);
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    if (limit_[i] == 0) continue;
    const double share = static_cast<double>(c[i]) * 60.0 / limit_[i];
    short_[i] += share / ts;
    long_[i] += share / tl;
  }
}

double TrailingBaseline::short_load(Time now) {
  decay(now);
  return *std::max_element(short_.begin(), short_.end());
}

double TrailingBaseline::baseline(Time now) {
  decay(now);
  return *std::max_element(long_.begin(), long_.end());
}

std::unique_ptr<AccelerationModel> make_acceleration(const Acceleration& config,
                                                     const Limits& limits) {
  if (!config.enabled) return nullptr;
  return std::make_unique<TrailingBaseline>(config, limits);
}

}  // namespace ratesim::models::provider
