#include "sim/kernel/event_queue.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace ratesim::kernel {

void EventQueue::push(Event e) {
  e.seq = next_seq_++;
  ++pushed_;
  ++size_;
  place(e);
}

void EventQueue::push_out_of_order(const Event& e, std::uint64_t seq) {
  Event numbered = e;
  numbered.seq = seq;
  place(numbered);
}

void EventQueue::place(const Event& e) {
  const std::int64_t t = e.time.time_since_epoch().count();
  if (t >= heap_until_ && t - heap_until_ < static_cast<std::int64_t>(kSlots - 1) * kSlotWidth) {
    wheel_[static_cast<std::size_t>(t >> kSlotBits) & (kSlots - 1)].push_back(e);
    ++in_wheel_;
    ++wheel_pushes_;
    return;
  }
  ++heap_pushes_;
  push_heap(e);
}

// A hand-written sift keeps the hot path free of comparator objects and moves one hole instead
// of swapping pairs.
void EventQueue::push_heap(const Event& e) {
  std::size_t i = heap_.size();
  // Room at the end, filled once the event's place is known: copying `e` in here, just after
  // its sequence number was stored, would read back a half-written 16 bytes (a store-forwarding
  // stall).
  heap_.emplace_back();
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!runs_before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::fill_heap() {
  while (in_wheel_ > 0 && (heap_.empty() || heap_.front().time.time_since_epoch().count() >= heap_until_)) {
    std::vector<Event>& slot = wheel_[static_cast<std::size_t>(heap_until_ >> kSlotBits) & (kSlots - 1)];
    for (const Event& e : slot) push_heap(e);
    in_wheel_ -= slot.size();
    slot.clear();  // keeps its capacity: steady state allocates nothing
    heap_until_ += kSlotWidth;
  }
}

std::size_t EventQueue::add_lane() {
  lanes_.emplace_back();
  return lanes_.size() - 1;
}

std::size_t EventQueue::earliest_lane() const {
  std::size_t best = lanes_.size();
  const Event* earliest = heap_.empty() ? nullptr : &heap_.front();
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    if (lanes_[i].empty()) continue;
    const Event& front = lanes_[i].front();
    if (earliest == nullptr || runs_before(front, *earliest)) {
      earliest = &front;
      best = i;
    }
  }
  return best;
}

Event EventQueue::pop() {
  assert(!empty());
  Event e;
  pop_due(kNever, e);  // every event is due by the end of time
  return e;
}

bool EventQueue::pop_due(Time end, Event& out) {
  if (empty()) return false;
  fill_heap();
  const std::size_t lane = earliest_lane();
  if (lane == lanes_.size()) {
    if (heap_.front().time > end) return false;
    out = pop_heap();
  } else {
    if (lanes_[lane].front().time > end) return false;
    out = lanes_[lane].front();
    lanes_[lane].pop_front();
    --size_;
  }
  // `out` is the earliest event, so every event left is at or after its slot: with the wheel
  // empty, the wheel's clock may jump there.
  if (in_wheel_ == 0) heap_until_ = std::max(heap_until_, (out.time.time_since_epoch().count() >> kSlotBits) << kSlotBits);
  return true;
}

Event EventQueue::pop_heap() {
  const Event top = heap_.front();
  const Event last = heap_.back();
  heap_.pop_back();
  --size_;
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && runs_before(heap_[child + 1], heap_[child])) ++child;
    if (!runs_before(heap_[child], last)) break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = last;
  return top;
}

}  // namespace ratesim::kernel
