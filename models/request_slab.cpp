#include "models/request_slab.hpp"

#include <cassert>

namespace ratesim::models {

std::uint32_t RequestSlab::allocate() {
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  Request& r = slots_[slot];
  const std::uint32_t generation = r.generation + 1;
  r = Request{};
  r.generation = generation;
  r.live = true;
  return slot;
}

void RequestSlab::release(std::uint32_t slot) {
  assert(slots_[slot].live);
  slots_[slot].live = false;
  ++slots_[slot].generation;  // events still naming the old request become stale
  free_.push_back(slot);
}

}  // namespace ratesim::models
