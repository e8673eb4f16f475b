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

double AwsRateLayer::record_response() {
  // botocore's RateClocker: responses counted in 0.5 s buckets; when a new bucket begins, the
  // count so far over the time since the previous bucket began is blended in.
  const double t = kernel::to_seconds(host_.now() - kernel::kTimeZero);
  const double bucket = std::floor(t / kBucketSeconds) * kBucketSeconds;
  ++bucket_count_;
  if (bucket > bucket_) {
    const double rate = static_cast<double>(bucket_count_) / (bucket - bucket_);
    measured_ = rate * config_.smoothing + measured_ * (1 - config_.smoothing);
    bucket_count_ = 0;
    bucket_ = bucket;
  }
  return measured_;
}

void AwsRateLayer::refill() {
  const Time now = host_.now();
  tokens_ = std::min(capacity_, tokens_ + kernel::to_seconds(now - last_refill_) * fill_rate_);
  last_refill_ = now;
}

void AwsRateLayer::set_rate(double rate) {
  // botocore's TokenBucket.max_rate: tokens earned at the old rate first; the capacity follows
  // the new rate (at least 1), the fill rate never goes below min_rate.
  refill();
  fill_rate_ = std::max(config_.min_rate, rate);
  capacity_ = rate >= 1 ? rate : 1.0;
  tokens_ = std::min(tokens_, capacity_);
}

void AwsRateLayer::enter(Slot s, Request& r) {
  r.parked = true;
  waiting_.push(s, r);
  release();
}

void AwsRateLayer::release() {
  for (;;) {
    waiting_.drop_ended(host_);  // requests that ended while waiting
    if (waiting_.empty()) return;
    const Slot slot = waiting_.front();
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
    host_.pass_inward(slot, index_);
  }
}

void AwsRateLayer::on_timer(std::uint32_t) {
  timer_set_ = false;
  release();
}

Verdict AwsRateLayer::on_result(Slot, Request& r) {
  // botocore's ClientRateLimiter.on_receiving_response: every response is measured and moves
  // the rate, whether or not the limiter is on yet.
  const double measured = record_response();
  double rate = 0;
  if (r.last.outcome == AttemptOutcome::k429) {
    const double in_use = enabled_ ? std::min(measured, fill_rate_) : measured;
    w_max_ = in_use;
    k_ = std::cbrt(w_max_ * (1 - config_.beta) / config_.c);
    last_throttle_ = host_.now();
    rate = in_use * config_.beta;
    enabled_ = true;  // the bucket keeps the tokens it earned while off
  } else {
    const double dt = kernel::to_seconds(host_.now() - last_throttle_) - k_;
    rate = config_.c * dt * dt * dt + w_max_;
  }
  set_rate(std::min(rate, 2 * measured));
  release();
  return Verdict::kPassOut;
}

}  // namespace ratesim::models::client
