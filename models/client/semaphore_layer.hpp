// At most `limit` requests inside the layer at once; later ones wait in FIFO order, at most
// `max_queue` of them when set (the excess is dropped, newest or oldest).
//
// A request holds its slot from the moment it passes inward until it leaves the layer outward
// (or ends early). Placed outside a retry layer, a sleeping retry keeps its slot; placed inside,
// each attempt queues for a slot again.
#pragma once

#include <optional>

#include "models/client/layer.hpp"
#include "models/client/wait_queue.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::client {

class SemaphoreLayer : public ClientLayer {
 public:
  SemaphoreLayer(const SemaphoreConfig& config, LayerHost& host, std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot s, Request& r, bool parked_here) override;

  std::uint32_t limit() const { return limit_; }
  std::uint32_t in_use() const { return in_use_; }
  std::size_t waiting() const { return waiting_; }

 protected:
  /// Changes the limit; a higher one lets waiting requests in at once.
  void set_limit(std::uint32_t limit);
  LayerHost& host() { return host_; }
  std::size_t index() const { return index_; }

 private:
  void release();
  /// Lets waiting requests in while there is room.
  void admit_waiting();
  /// Takes the oldest live waiter off the queue; false when there is none.
  bool pop_waiter(Slot& s);

  std::uint32_t limit_;
  std::optional<std::uint32_t> max_queue_;
  DropPolicy drop_;
  LayerHost& host_;
  std::size_t index_;
  std::uint32_t in_use_ = 0;
  std::size_t waiting_ = 0;   ///< live waiters; the queue may also hold ended ones
  WaitQueue queue_;
};

}  // namespace ratesim::models::client
