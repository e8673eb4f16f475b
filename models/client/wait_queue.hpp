// Requests waiting inside a client layer, first in first out, shared by the layers that hold
// requests back (semaphore, cooldown, pace, aws-adaptive).
//
// A request may end while it waits (its deadline passes, a layer drops it); its slot may then
// hold a newer request. Entries remember the generation they were queued with, and an entry
// whose request is no longer current is skipped when it reaches the front.
#pragma once

#include <optional>

#include "models/client/layer.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::client {

class WaitQueue {
 public:
  void push(Slot s, const Request& r) { entries_.push_back(Entry{s, r.generation}); }

  /// Removes the entries at the front whose requests have ended; then the front, if any, is a
  /// request still waiting.
  void drop_ended(LayerHost& host) {
    while (!entries_.empty() && !host.request(entries_.front().slot).current(entries_.front().generation))
      entries_.pop_front();
  }
  /// The first request still waiting, removed from the queue; nullopt when none is.
  std::optional<Slot> pop(LayerHost& host) {
    drop_ended(host);
    if (entries_.empty()) return std::nullopt;
    const Slot s = entries_.front().slot;
    entries_.pop_front();
    return s;
  }
  /// REQUIRES: !empty(). The front entry's slot (call drop_ended first to skip ended requests).
  Slot front() const { return entries_.front().slot; }
  void pop_front() { entries_.pop_front(); }
  /// Entries, including those of requests that ended and have not reached the front yet.
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Slot slot;
    std::uint32_t generation;
  };
  kernel::RingQueue<Entry> entries_;
};

}  // namespace ratesim::models::client
