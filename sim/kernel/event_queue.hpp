// The pending-event set: plain-data events ordered by (time, sequence), in a binary heap fed by
// a timing wheel (events a little way ahead wait unsorted in a slot until the clock reaches it),
// and beside them any number of lanes — first-in-first-out queues for events that come due in
// the order they are pushed (each scheduled a fixed delay after the time it is pushed, such as a
// constant network delay; a push that would break a lane's order goes to the wheel or heap
// instead). A lane push and pop, and a wheel push, cost a few instructions instead of a sift
// through the heap, and keep the heap small.
//
// Invariants: events pop in non-decreasing time; events with equal times pop in the order of
// their sequence numbers, which is the order they were pushed (each push takes the next number)
// unless a number was reserved earlier — then the event runs as if pushed when it was reserved.
// Together these make a run a pure function of its inputs, whichever part an event waits in.
// Events are trivially copyable and storage is reused, so steady-state pushes and pops do not
// allocate.
#pragma once

#include <cassert>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "sim/kernel/ring_queue.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::kernel {

/// One scheduled happening. What `kind`, `a` and `b` mean belongs to the handler.
struct Event {
  Time time;               ///< when it happens
  std::uint64_t seq = 0;   ///< tie-breaker, assigned by EventQueue::push or reserved
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
  /// Adds an event to the heap, stamping it with the next sequence number.
  void push(Event e);
  /// Adds a lane and returns its number.
  std::size_t add_lane();
  /// Adds an event to lane `lane`, stamping it with the next sequence number. Cheapest when
  /// `e.time` is not before the time of any event already in the lane; an event that would run
  /// before the lane's last waits in the heap instead, in the same order.
  void push(std::size_t lane, const Event& e) { push_reserved(lane, e, next_seq_++); }
  /// Takes the next sequence number now, for an event pushed later with push_reserved.
  std::uint64_t reserve_seq() { return next_seq_++; }
  /// Adds an event to lane `lane` with the sequence number `seq` took from reserve_seq(), as
  /// push(lane, e) does.
  void push_reserved(std::size_t lane, const Event& e, std::uint64_t seq) {
    assert(lane < lanes_.size() && seq < next_seq_);
    RingQueue<Event>& q = lanes_[lane];
    ++pushed_;
    ++size_;
    // A lane is in (time, sequence) order because each push is checked, not because callers
    // promise it: an event that would run before the lane's last (an earlier time, or the same
    // time with a number reserved before the last's) goes to the wheel or heap with its number.
    if (!q.empty()) {
      const Event& last = q.at(q.size() - 1);
      if (e.time < last.time || (e.time == last.time && seq < last.seq)) {
        push_out_of_order(e, seq);
        return;
      }
    }
    // Written field by field into its place: a copy of the whole event after storing `seq` into
    // it would read back a half-written 16 bytes, which stalls store forwarding.
    Event& placed = q.emplace_back();
    placed.time = e.time;
    placed.seq = seq;
    placed.handler = e.handler;
    placed.kind = e.kind;
    placed.a = e.a;
    placed.b = e.b;
  }
  /// REQUIRES: !empty(). Removes and returns the earliest event.
  Event pop();
  /// Removes the earliest event into `out` when there is one due at or before `end`; returns
  /// whether it did.
  bool pop_due(Time end, Event& out);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void reserve(std::size_t n) { heap_.reserve(n); }
  /// Number of events ever pushed.
  std::uint64_t pushed() const { return pushed_; }
  /// Of those, how many push(Event) put in the timing wheel, and how many went straight to the
  /// heap (the rest went to lanes): what the wheel is worth, for tests and benchmarks.
  std::uint64_t wheel_pushes() const { return wheel_pushes_; }
  std::uint64_t heap_pushes() const { return heap_pushes_; }

 private:
  // Events a little way ahead (up to kSlots slots of kSlotWidth) wait unsorted in the slot of a
  // timing wheel, and enter the heap when the clock reaches their slot: the heap holds only the
  // next slot's events and those too far ahead for the wheel, so it stays small and each sift
  // is short. Invariant: every event in the wheel is at or after heap_until_, and the heap holds
  // every event before it. The wheel's clock, heap_until_, moves on as slots are emptied and,
  // whenever the wheel is empty, jumps to the slot of the event just popped: a quiet stretch
  // longer than the wheel would otherwise leave every later event beyond its reach.
  static constexpr int kSlotBits = 14;  ///< a slot is 2^14 µs, about 16 ms
  static constexpr std::int64_t kSlotWidth = std::int64_t{1} << kSlotBits;
  static constexpr std::size_t kSlots = 1024;  ///< the wheel reaches about 16.8 s ahead

  /// Puts an event already numbered into the wheel or the heap.
  void place(const Event& e);
  /// A lane push that would break the lane's order: numbered `seq`, into the wheel or heap.
  void push_out_of_order(const Event& e, std::uint64_t seq);
  /// Moves wheel slots into the heap until the heap's top is before heap_until_ (so it is the
  /// earliest of heap and wheel) or the wheel is empty.
  void fill_heap();
  void push_heap(const Event& e);
  /// The lane whose front is earliest and earlier than the heap's top, or lanes_.size().
  /// REQUIRES: fill_heap() since the last change.
  std::size_t earliest_lane() const;
  Event pop_heap();

  std::vector<Event> heap_;
  std::vector<std::vector<Event>> wheel_ = std::vector<std::vector<Event>>(kSlots);
  std::size_t in_wheel_ = 0;
  std::int64_t heap_until_ = 0;  ///< µs, a slot boundary: events before it are in the heap
  std::vector<RingQueue<Event>> lanes_;
  std::size_t size_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t pushed_ = 0;
  std::uint64_t wheel_pushes_ = 0;
  std::uint64_t heap_pushes_ = 0;
};

}  // namespace ratesim::kernel
