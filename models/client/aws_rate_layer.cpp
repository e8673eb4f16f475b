#include "models/client/aws_rate_layer.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::client {
namespace {
constexpr double kBucketSeconds = 0.5;
}

AwsRateLayer::AwsRateLayer(const AwsRateConfig& config, LayerHost& host, std::uint16_t workload,
                           std::size_t index)
    : config_(config), host_(host), workload_(workload), index_(index) {}

void AwsRateLayer::record_send() {
  const auto b = static_cast<std::int64_t>(kernel::to_seconds(host_.now()) / kBucketSeconds);
  if (b > bucket_) {
    const double rate = static_cast<double>(bucket_count_) / (static_cast<double>(b - bucket_) * kBucketSeconds);
    measured_ = rate * config_.smoothing + measured_ * (1 - config_.smoothing);
    bucket_count_ = 0;
    bucket_ = b;
  }
  ++bucket_count_;
}

void AwsRateLayer::refill() {
  const Time now = host_.now();
  const double capacity = std::max(fill_rate_, 1.0);
  tokens_ = std::min(capacity, tokens_ + kernel::to_seconds(now - last_refill_) * fill_rate_);
  last_refill_ = now;
}

void AwsRateLayer::set_rate(double rate) {
  refill();
  fill_rate_ = std::max(config_.min_rate, std::min(rate, 2 * measured_));
}

void AwsRateLayer::enter(Slot s, Request& r) {
  r.parked = true;
  waiting_.push_back(Waiter{s, r.generation});
  release();
}

void AwsRateLayer::release() {
  while (!waiting_.empty()) {
    const Waiter w = waiting_.front();
    const Request& r = host_.request(w.slot);
    if (!r.live || r.generation != w.generation || r.finished) {
      waiting_.pop_front();
      continue;
    }
    if (enabled_) {
      refill();
      if (tokens_ < 1) {
        if (!timer_set_) {
          host_.timer_at(host_.now() + kernel::from_seconds((1 - tokens_) / fill_rate_) + Duration{1},
                         workload_, index_, 0);
          timer_set_ = true;
        }
        return;
      }
      tokens_ -= 1;
    }
    waiting_.pop_front();
    record_send();
    host_.pass_inward(w.slot, index_);
  }
}

void AwsRateLayer::on_timer(std::uint32_t) {
  timer_set_ = false;
  release();
}

Verdict AwsRateLayer::on_result(Slot, Request& r) {
  const double t = kernel::to_seconds(host_.now());
  if (r.last.outcome == AttemptOutcome::k429) {
    const double in_use = enabled_ ? std::min(measured_, fill_rate_) : measured_;
    w_max_ = in_use;
    k_ = std::cbrt(w_max_ * (1 - config_.beta) / config_.c);
    last_throttle_ = host_.now();
    if (!enabled_) {
      enabled_ = true;
      last_refill_ = host_.now();
    }
    set_rate(in_use * config_.beta);
  } else if (enabled_) {
    const double dt = t - kernel::to_seconds(last_throttle_) - k_;
    set_rate(config_.c * dt * dt * dt + w_max_);
  }
  release();
  return Verdict::kPassOut;
}

}  // namespace ratesim::models::client
