#include "models/client/pace_layer.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::client {

PaceLayer::PaceLayer(const PaceConfig& config, LayerHost& host, std::uint16_t workload,
                     std::size_t index)
    : host_(host),
      workload_(workload),
      index_(index),
      retries_first_(config.retries_first),
      ramp_from_(config.ramp_from),
      ramp_over_(config.ramp_over) {
  const auto limits = config.limits.in_order();
  for (std::size_t i = 0; i < limits.size(); ++i) {
    if (!limits[i]) continue;
    const auto limit = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::floor(static_cast<double>(*limits[i]) * config.headroom)));
    buckets_[i] = std::make_unique<provider::TokenBucket>(limit, config.burst);
  }
}

PaceLayer::Costs PaceLayer::costs(const Request& r) const {
  const auto prompt = static_cast<std::int64_t>(r.prompt);
  const auto max_tokens = static_cast<std::int64_t>(r.max_tokens);
  Costs c{1, prompt, max_tokens, prompt + max_tokens};
  if (ramp_over_.count() > 0) {
    // A share f of the limits is the same as costs of 1/f: the buckets refill f times slower
    // relative to what requests take.
    const double x = std::min(1.0, kernel::to_seconds(host_.now() - start_) / kernel::to_seconds(ramp_over_));
    const double f = ramp_from_ + (1 - ramp_from_) * x;
    for (auto& v : c) v = static_cast<std::int64_t>(std::ceil(static_cast<double>(v) / f));
  }
  return c;
}

Duration PaceLayer::wait(const Costs& c) {
  Duration longest{0};
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    if (buckets_[i]) longest = std::max(longest, buckets_[i]->wait(host_.now(), c[i]));
  return longest;
}

void PaceLayer::enter(Slot s, Request& r) {
  if (!started_) {
    started_ = true;
    start_ = host_.now();
  }
  r.parked = true;
  (retries_first_ && r.attempts > 0 ? retries_ : waiting_).push(s, r);
  release();
}

void PaceLayer::on_timer(std::uint32_t) {
  timer_set_ = false;
  release();
}

void PaceLayer::release() {
  for (;;) {
    retries_.drop_ended(host_);  // requests that ended while waiting
    WaitQueue& queue = retries_.empty() ? waiting_ : retries_;
    queue.drop_ended(host_);
    if (queue.empty()) return;
    const Slot slot = queue.front();
    Request& r = host_.request(slot);
    const Costs c = costs(r);
    const Duration d = wait(c);
    if (d == Duration::max() && ramp_over_.count() > 0 && host_.now() < start_ + ramp_over_) {
      // Too large for the ramp's reduced share now: it fits once the ramp is over.
      if (!timer_set_) {
        host_.timer_at(start_ + ramp_over_, workload_, index_, 0);
        timer_set_ = true;
      }
      return;
    }
    if (d == Duration::max()) {  // larger than a whole bucket: it could never go
      queue.pop_front();
      host_.drop(slot);
      continue;
    }
    if (d > Duration{0}) {
      if (!timer_set_) {
        host_.timer_at(host_.now() + d, workload_, index_, 0);
        timer_set_ = true;
      }
      return;
    }
    for (std::size_t i = 0; i < buckets_.size(); ++i)
      if (buckets_[i]) buckets_[i]->take(host_.now(), c[i]);
    queue.pop_front();
    host_.pass_inward(slot, index_);
  }
}

}  // namespace ratesim::models::client
