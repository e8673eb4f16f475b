#include "models/client/pace_layer.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::client {

PaceLayer::PaceLayer(const PaceConfig& config, LayerHost& host, std::uint16_t workload,
                     std::size_t index)
    : host_(host), workload_(workload), index_(index), retries_first_(config.retries_first) {
  const std::array<std::optional<std::int64_t>, 4> limits{config.rpm, config.itpm, config.otpm,
                                                          config.tpm};
  for (std::size_t i = 0; i < limits.size(); ++i) {
    if (!limits[i]) continue;
    const auto limit = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::floor(static_cast<double>(*limits[i]) * config.headroom)));
    buckets_[i] = std::make_unique<provider::TokenBucket>(limit, config.burst);
  }
}

PaceLayer::Costs PaceLayer::costs(const Request& r) {
  const auto prompt = static_cast<std::int64_t>(r.prompt);
  const auto max_tokens = static_cast<std::int64_t>(r.max_tokens);
  return {1, prompt, max_tokens, prompt + max_tokens};
}

Duration PaceLayer::wait(const Costs& c) {
  Duration longest{0};
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    if (buckets_[i]) longest = std::max(longest, buckets_[i]->wait(host_.now(), c[i]));
  return longest;
}

void PaceLayer::enter(Slot s, Request& r) {
  r.parked = true;
  (retries_first_ && r.attempts > 0 ? retries_ : waiting_).push_back(Waiter{s, r.generation});
  release();
}

void PaceLayer::on_timer(std::uint32_t) {
  timer_set_ = false;
  release();
}

void PaceLayer::release() {
  for (;;) {
    kernel::RingQueue<Waiter>& queue = retries_.empty() ? waiting_ : retries_;
    if (queue.empty()) return;
    const Waiter w = queue.front();
    Request& r = host_.request(w.slot);
    if (!r.live || r.generation != w.generation || r.finished) {  // ended while waiting
      queue.pop_front();
      continue;
    }
    const Costs c = costs(r);
    const Duration d = wait(c);
    if (d == Duration::max()) {  // larger than a whole bucket: it could never go
      queue.pop_front();
      host_.drop(w.slot);
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
    host_.pass_inward(w.slot, index_);
  }
}

}  // namespace ratesim::models::client
