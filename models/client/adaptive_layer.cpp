#include "models/client/adaptive_layer.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::client {
namespace {
std::uint32_t whole(double limit) { return static_cast<std::uint32_t>(std::max(1.0, std::floor(limit))); }
double log10_step(double limit) { return std::max(1.0, std::floor(std::log10(std::max(1.0, limit)))); }
}  // namespace

AdaptiveLayer::AdaptiveLayer(const AdaptiveConfig& config, LayerHost& host, std::size_t index,
                             kernel::RandomStream rng)
    : SemaphoreLayer(SemaphoreConfig{.limit = whole(config.initial)}, host, index),
      config_(config),
      rng_(rng),
      limit_(config.initial) {
  probe_jitter_ = rng_.uniform(0.5, 1.0);
}

Verdict AdaptiveLayer::on_result(Slot s, Request& r) {
  const bool drop = r.last.outcome != AttemptOutcome::kOk;
  const double rtt = kernel::to_seconds(host().now() - r.last_send);
  update(rtt, drop, in_use());
  set_limit(whole(limit_));
  return SemaphoreLayer::on_result(s, r);  // releases this request's slot
}

void AdaptiveLayer::update(double rtt, bool drop, std::uint32_t inflight) {
  const bool busy = 2.0 * inflight >= limit_;
  switch (config_.algorithm) {
    case AdaptiveConfig::Algorithm::kAimd:
      if (drop) limit_ *= config_.backoff;
      else if (busy) limit_ += 1;
      break;
    case AdaptiveConfig::Algorithm::kCubic: {
      const Time now = host().now();
      if (drop) {
        w_max_ = limit_;
        limit_ *= config_.cubic_beta;
        k_ = std::cbrt(w_max_ * (1 - config_.cubic_beta) / config_.cubic_c);
        last_drop_ = now;
        dropped_once_ = true;
      } else if (dropped_once_) {
        const double t = kernel::to_seconds(now - last_drop_) - k_;
        limit_ = config_.cubic_c * t * t * t + w_max_;
      } else if (busy) {
        limit_ += 1;  // before the first drop there is no curve yet: grow as AIMD does
      }
      break;
    }
    case AdaptiveConfig::Algorithm::kVegas: {
      if (rtt <= 0) break;
      ++probe_count_;
      if (probe_jitter_ * config_.probe_multiplier * limit_ <= static_cast<double>(probe_count_)) {
        probe_jitter_ = rng_.uniform(0.5, 1.0);
        probe_count_ = 0;
        rtt_noload_ = rtt;
        break;
      }
      if (rtt_noload_ == 0 || rtt < rtt_noload_) {
        rtt_noload_ = rtt;
        break;
      }
      const double l = log10_step(limit_);
      const double queue = std::ceil(limit_ * (1 - rtt_noload_ / rtt));
      if (drop) limit_ -= l;
      else if (!busy) break;
      else if (queue <= l) limit_ += 6 * l;
      else if (queue < 3 * l) limit_ += l;
      else if (queue > 6 * l) limit_ -= l;
      break;
    }
    case AdaptiveConfig::Algorithm::kGradient2: {
      if (rtt <= 0) break;
      // Long-term RTT: the mean of the first ten samples, then an exponential average.
      ++samples_;
      if (samples_ <= 10) long_rtt_ += (rtt - long_rtt_) / samples_;
      else long_rtt_ += (rtt - long_rtt_) * 2.0 / (config_.long_window + 1);
      if (long_rtt_ / rtt > 2) long_rtt_ *= 0.9;  // recover quickly after a long overload
      if (!busy) break;
      const double gradient = std::max(0.5, std::min(1.0, long_rtt_ / rtt));
      const double next = limit_ * gradient + config_.queue_size;
      limit_ = limit_ * (1 - config_.smoothing) + next * config_.smoothing;
      break;
    }
  }
  limit_ = std::clamp(limit_, config_.min, config_.max);
}

}  // namespace ratesim::models::client
