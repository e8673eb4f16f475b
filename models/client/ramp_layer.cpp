#include "models/client/ramp_layer.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::client {

RampLayer::RampLayer(const RampConfig& config, LayerHost& host, std::uint16_t workload,
                     std::size_t index)
    : SemaphoreLayer(SemaphoreConfig{.limit = config.from, .max_queue = config.max_queue,
                                     .drop = config.drop},
                     host, index),
      config_(config),
      workload_(workload) {}

std::uint32_t RampLayer::limit_after(Duration elapsed) const {
  const double x = std::clamp(kernel::to_seconds(elapsed) / kernel::to_seconds(config_.over), 0.0, 1.0);
  const double from = config_.from, to = config_.to;
  double limit = from;
  switch (config_.shape) {
    case RampConfig::Shape::kLinear:
      limit = from + (to - from) * x;
      break;
    case RampConfig::Shape::kExponential:
      limit = from * std::pow(to / from, x);
      break;
    case RampConfig::Shape::kSteps:
      limit = from + (to - from) * std::floor(x * config_.steps + 1e-9) / config_.steps;
      break;
  }
  // The 1e-9 keeps a limit computed at exactly its step time from rounding down.
  return static_cast<std::uint32_t>(std::floor(limit + 1e-9));
}

void RampLayer::enter(Slot s, Request& r) {
  if (!started_) {
    started_ = true;
    start_ = host().now();
    schedule_next();
  }
  SemaphoreLayer::enter(s, r);
}

void RampLayer::on_timer(std::uint32_t) {
  set_limit(limit_after(host().now() - start_));
  schedule_next();
}

void RampLayer::schedule_next() {
  const std::uint32_t current = limit_after(host().now() - start_);
  if (current >= config_.to) return;
  // The limit is a step function of time; find when it next reaches current + 1 by bisection
  // on whole microseconds (it is non-decreasing).
  std::int64_t lo = (host().now() - start_).count(), hi = config_.over.count();
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (limit_after(Duration{mid}) > current) hi = mid;
    else lo = mid;
  }
  host().timer_at(start_ + Duration{hi}, workload_, index(), 0);
}

}  // namespace ratesim::models::client
