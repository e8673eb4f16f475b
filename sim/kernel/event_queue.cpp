#include "sim/kernel/event_queue.hpp"

#include <cassert>
#include <utility>

namespace ratesim::kernel {

// A hand-written sift keeps the hot path free of comparator objects and moves one hole instead
// of swapping pairs.
void EventQueue::push(Event e) {
  e.seq = next_seq_++;
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!runs_before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

Event EventQueue::pop() {
  assert(!heap_.empty());
  const Event top = heap_.front();
  const Event last = heap_.back();
  heap_.pop_back();
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
