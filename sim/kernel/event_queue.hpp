// The pending-event set: a binary heap of plain-data events ordered by (time, sequence).
//
// Invariants: events pop in non-decreasing time; events with equal times pop in the order they
// were pushed (first in, first out), because each push takes the next sequence number. Together
// these make a run a pure function of its inputs. Events are trivially copyable and the heap's
// storage is reused, so steady-state pushes and pops do not allocate.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "sim/kernel/time.hpp"

namespace ratesim::kernel {

/// One scheduled happening. What `kind`, `a` and `b` mean belongs to the handler.
struct Event {
  Time time;               ///< when it happens
  std::uint64_t seq = 0;   ///< tie-breaker, assigned by EventQueue::push
  std::uint16_t handler = 0;  ///< index of the EventHandler registered with the Simulation
  std::uint16_t kind = 0;  ///< handler-defined event type
  std::uint32_t a = 0;     ///< handler-defined payload
  std::uint64_t b = 0;     ///< handler-defined payload
};
static_assert(std::is_trivially_copyable_v<Event>);
static_assert(sizeof(Event) == 32);

/// True when `x` must run before `y`.
inline bool runs_before(const Event& x, const Event& y) {
  return x.time < y.time || (x.time == y.time && x.seq < y.seq);
}

class EventQueue {
 public:
  /// Adds an event, stamping it with the next sequence number.
  void push(Event e);
  /// REQUIRES: !empty(). Removes and returns the earliest event.
  Event pop();
  /// REQUIRES: !empty().
  const Event& top() const { return heap_.front(); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }
  /// Number of events ever pushed.
  std::uint64_t pushed() const { return next_seq_; }

 private:
  std::vector<Event> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace ratesim::kernel
