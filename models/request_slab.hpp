// Storage for live requests: a vector of slots reused through a free list, so a long run
// allocates only while the number of simultaneous requests grows.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/request.hpp"

namespace ratesim::models {

/// The most requests alive at once (arrived, not yet ended). At about 190 bytes each (the
/// request and its share of the queues) this is about 4 GB; a scenario that needs more would
/// exhaust memory, so it is stopped as bad input instead.
inline constexpr std::size_t kMaxLiveRequests = 20'000'000;

/// Thrown when a scenario would hold more than kMaxLiveRequests at once.
class TooManyPending : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RequestSlab {
 public:
  /// Takes a free slot and returns its index; the request in it is reset, generation bumped.
  std::uint32_t allocate();
  /// REQUIRES: the slot is live. Frees it for reuse.
  void release(std::uint32_t slot);

  Request& operator[](std::uint32_t slot) { return slots_[slot]; }
  const Request& operator[](std::uint32_t slot) const { return slots_[slot]; }

  std::size_t live() const { return slots_.size() - free_.size(); }
  /// Slots ever created: the high-water mark of simultaneous requests.
  std::size_t capacity() const { return slots_.size(); }

  template <typename F>
  void for_each_live(F&& f) {
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].live) f(i, slots_[i]);
  }

 private:
  std::vector<Request> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace ratesim::models
