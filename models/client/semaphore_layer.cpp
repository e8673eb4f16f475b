#include "models/client/semaphore_layer.hpp"

#include <cassert>

namespace ratesim::models::client {

SemaphoreLayer::SemaphoreLayer(const SemaphoreConfig& config, LayerHost& host, std::size_t index)
    : limit_(config.limit), host_(host), index_(index) {}

void SemaphoreLayer::enter(Slot s, Request& r) {
  if (in_use_ < limit_) {
    ++in_use_;
    host_.pass_inward(s, index_);
    return;
  }
  r.parked = true;
  queue_.push_back(Waiter{s, r.generation});
  ++waiting_;
}

Verdict SemaphoreLayer::on_result(Slot, Request&) {
  release();
  return Verdict::kPassOut;
}

void SemaphoreLayer::abandon(Slot, Request&, bool parked_here) {
  if (parked_here) {
    // Its queue entry stays and is skipped when reached: the request will have ended.
    --waiting_;
    return;
  }
  release();
}

void SemaphoreLayer::release() {
  assert(in_use_ > 0);
  --in_use_;
  while (!queue_.empty()) {
    const Waiter w = queue_.front();
    queue_.pop_front();
    const Request& r = host_.request(w.slot);
    if (!r.live || r.generation != w.generation || r.finished) continue;  // abandoned
    --waiting_;
    ++in_use_;
    host_.pass_inward(w.slot, index_);
    return;
  }
}

}  // namespace ratesim::models::client
