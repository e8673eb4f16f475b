#include "models/client/semaphore_layer.hpp"

#include <cassert>

namespace ratesim::models::client {

SemaphoreLayer::SemaphoreLayer(const SemaphoreConfig& config, LayerHost& host, std::size_t index)
    : limit_(config.limit),
      max_queue_(config.max_queue),
      drop_(config.drop),
      host_(host),
      index_(index) {}

void SemaphoreLayer::enter(Slot s, Request& r) {
  if (in_use_ < limit_ && waiting_ == 0) {
    ++in_use_;
    host_.pass_inward(s, index_);
    return;
  }
  // It waits; the waiting counter covers it until it is dropped or let in.
  r.parked = true;
  ++waiting_;
  if (max_queue_ && waiting_ > *max_queue_) {
    if (drop_ == DropPolicy::kNewest) {
      host_.drop(s);  // abandon(parked_here) takes it off the counter
      return;
    }
    Slot oldest;
    if (pop_waiter(oldest)) host_.drop(oldest);
  }
  queue_.push(s, r);
}

Verdict SemaphoreLayer::on_result(Slot, Request&) {
  release();
  return Verdict::kPassOut;
}

void SemaphoreLayer::abandon(Slot, Request&, bool parked_here) {
  if (parked_here) {
    // A queue entry, if any, stays and is skipped when reached: the request has ended.
    --waiting_;
    return;
  }
  release();
}

void SemaphoreLayer::release() {
  assert(in_use_ > 0);
  --in_use_;
  admit_waiting();
}

void SemaphoreLayer::set_limit(std::uint32_t limit) {
  limit_ = limit;
  admit_waiting();
}

bool SemaphoreLayer::pop_waiter(Slot& s) {
  const std::optional<Slot> next = queue_.pop(host_);  // skips those that ended while waiting
  if (next) s = *next;
  return next.has_value();
}

void SemaphoreLayer::admit_waiting() {
  Slot s;
  while (in_use_ < limit_ && waiting_ > 0 && pop_waiter(s)) {
    --waiting_;
    ++in_use_;
    host_.pass_inward(s, index_);
  }
}

}  // namespace ratesim::models::client
