// At most `limit` requests inside the layer at once; later ones wait in FIFO order.
//
// A request holds its slot from the moment it passes inward until it leaves the layer outward
// (or is abandoned). Placed outside a retry layer, a sleeping retry keeps its slot; placed
// inside, each attempt queues for a slot again.
#pragma once

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::client {

class SemaphoreLayer final : public ClientLayer {
 public:
  SemaphoreLayer(const SemaphoreConfig& config, LayerHost& host, std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot s, Request& r, bool parked_here) override;

  std::uint32_t in_use() const { return in_use_; }
  std::size_t waiting() const { return waiting_; }

 private:
  void release();

  struct Waiter {
    Slot slot;
    std::uint32_t generation;
  };

  std::uint32_t limit_;
  LayerHost& host_;
  std::size_t index_;
  std::uint32_t in_use_ = 0;
  std::size_t waiting_ = 0;   ///< live waiters; the deque may also hold abandoned ones
  kernel::RingQueue<Waiter> queue_;
};

}  // namespace ratesim::models::client
