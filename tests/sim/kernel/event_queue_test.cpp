#include "sim/kernel/event_queue.hpp"

#include <catch2/catch.hpp>

#include <vector>

#include "sim/kernel/random_stream.hpp"

using namespace ratesim::kernel;

TEST_CASE("simultaneous events pop in the order they were pushed", "[kernel]") {
  EventQueue q;
  const Time t = kTimeZero + microseconds(500);
  for (std::uint32_t i = 0; i < 100; ++i) q.push(Event{.time = t, .a = i});
  for (std::uint32_t i = 0; i < 100; ++i) REQUIRE(q.pop().a == i);
  REQUIRE(q.empty());
}

TEST_CASE("events pop in time order, ties first in first out", "[kernel]") {
  EventQueue q;
  RandomStream rng(42);
  for (std::uint32_t i = 0; i < 10000; ++i)
    q.push(Event{.time = kTimeZero + microseconds(static_cast<std::int64_t>(rng.next_u64() % 50)),
                 .a = i});
  Event prev = q.pop();
  while (!q.empty()) {
    const Event e = q.pop();
    REQUIRE(runs_before(prev, e));
    if (e.time == prev.time) REQUIRE(e.a > prev.a);
    prev = e;
  }
  REQUIRE(q.pushed() == 10000);
}

TEST_CASE("an event pushed later at an earlier time still pops first", "[kernel]") {
  EventQueue q;
  q.push(Event{.time = kTimeZero + microseconds(10), .a = 1});
  q.push(Event{.time = kTimeZero + microseconds(5), .a = 2});
  q.push(Event{.time = kTimeZero + microseconds(10), .a = 3});
  REQUIRE(q.pop().a == 2);
  REQUIRE(q.pop().a == 1);
  REQUIRE(q.pop().a == 3);
}

TEST_CASE("lane events and heap events pop in one (time, push order) sequence", "[kernel]") {
  // The same pushes into a queue with a lane and into one without: each step pops what is due,
  // then pushes a fixed-delay event (lane or heap) and a random-delay one (heap), so the two
  // kinds interleave and tie often. The orders must match exactly.
  EventQueue with_lane, heap_only;
  const std::size_t lane = with_lane.add_lane();
  RandomStream rng(7);
  const Duration fixed = microseconds(20);
  Time now = kTimeZero;
  std::uint32_t next = 0;
  std::vector<std::uint32_t> order_lane, order_heap;
  for (int step = 0; step < 20000; ++step) {
    if (!with_lane.empty() && rng.next_u64() % 2 == 0) {
      const Event x = with_lane.pop(), y = heap_only.pop();
      REQUIRE(x.time >= now);
      now = x.time;
      order_lane.push_back(x.a);
      order_heap.push_back(y.a);
    }
    with_lane.push(lane, Event{.time = now + fixed, .a = next});
    heap_only.push(Event{.time = now + fixed, .a = next});
    ++next;
    const Time later = now + microseconds(static_cast<std::int64_t>(rng.next_u64() % 40));
    with_lane.push(Event{.time = later, .a = next});
    heap_only.push(Event{.time = later, .a = next});
    ++next;
  }
  while (!with_lane.empty()) {
    order_lane.push_back(with_lane.pop().a);
    order_heap.push_back(heap_only.pop().a);
  }
  REQUIRE(heap_only.empty());
  REQUIRE(order_lane == order_heap);
  REQUIRE(with_lane.pushed() == 40000);
}

TEST_CASE("an event in a reserved place runs as if pushed when the place was taken", "[kernel]") {
  EventQueue q;
  const std::size_t lane = q.add_lane();
  const Time t = kTimeZero + microseconds(100);
  q.push(lane, Event{.time = t, .a = 1});
  const std::uint64_t place = q.reserve_seq();
  q.push(lane, Event{.time = t, .a = 3});
  q.push(Event{.time = t, .a = 4});
  q.push(lane, Event{.time = t + microseconds(1), .a = 5});
  REQUIRE(q.pop().a == 1);
  // Pushed last, with the place taken between 1 and 3.
  q.push_reserved(lane, Event{.time = t + microseconds(1), .a = 2}, place);
  REQUIRE(q.pop().a == 3);
  REQUIRE(q.pop().a == 4);
  REQUIRE(q.pop().a == 2);  // t + 1: before 5, whose place came later
  REQUIRE(q.pop().a == 5);
  REQUIRE(q.empty());
  REQUIRE(q.pushed() == 5);
}

TEST_CASE("events near, far and beyond the wheel pop in (time, push order) as a plain sort says", "[kernel]") {
  // Events a little way ahead wait in a timing wheel and enter the heap when the clock reaches
  // their slot; events beyond the wheel (about 16.8 s) go to the heap directly. Against an
  // independent reference (every event, stably sorted by time), with delays from 0 to a minute
  // drawn so that many tie, many land on slot edges, and the clock jumps over empty slots.
  EventQueue q;
  RandomStream rng(11);
  std::vector<std::pair<std::int64_t, std::uint32_t>> pending;  // (time, push order), reference
  std::vector<std::uint32_t> got, want;
  std::int64_t now = 0;
  std::uint32_t next = 0;
  const auto push = [&](std::int64_t at) {
    q.push(Event{.time = kTimeZero + microseconds(at), .a = next});
    pending.emplace_back(at, next++);
  };
  for (int step = 0; step < 30000; ++step) {
    const std::uint64_t r = rng.next_u64();
    std::int64_t delay = 0;
    switch (r % 6) {
      case 0: delay = 0; break;                                                      // now: a tie
      case 1: delay = static_cast<std::int64_t>(rng.next_u64() % 50'000); break;      // this slot or the next
      case 2: delay = static_cast<std::int64_t>(rng.next_u64() % 17'000'000); break;  // across the wheel
      case 3: delay = static_cast<std::int64_t>(rng.next_u64() % 60'000'000); break;  // beyond it, often
      case 4: delay = static_cast<std::int64_t>((rng.next_u64() % 1100) << 14); break;  // slot edges
      default: delay = (std::int64_t{1023} << 14) - 1 + static_cast<std::int64_t>(rng.next_u64() % 3); break;
    }
    push(now + delay);
    if (rng.next_u64() % 3 != 0 && !q.empty()) {
      const Event e = q.pop();
      REQUIRE(e.time.time_since_epoch().count() >= now);
      now = e.time.time_since_epoch().count();
      got.push_back(e.a);
      // The reference: the earliest pending, ties by push order.
      const auto it = std::min_element(pending.begin(), pending.end());
      want.push_back(it->second);
      pending.erase(it);
      REQUIRE(got.back() == want.back());
    }
  }
  while (!q.empty()) {
    got.push_back(q.pop().a);
    const auto it = std::min_element(pending.begin(), pending.end());
    want.push_back(it->second);
    pending.erase(it);
  }
  CHECK(got == want);
  CHECK(pending.empty());
}

TEST_CASE("after a quiet stretch longer than the wheel, events a little way ahead go to the wheel again", "[kernel]") {
  // The wheel reaches 1,023 slots of 2^14 µs (16,760,832 µs) past its clock. An event at 1 s
  // goes to the wheel; popping it moves the clock to the slot after it (62 × 16,384 =
  // 1,015,808 µs). An event at 60 s is beyond the wheel and goes to the heap. Once it has run,
  // the wheel's clock follows it to its slot (3,662 × 16,384 = 59,998,208 µs), so events
  // 100 ms and 10 s later (101,792 and 10,001,792 µs past that) belong in the wheel again.
  EventQueue q;
  const Time t0 = kTimeZero + std::chrono::seconds(1);
  const Time t1 = kTimeZero + std::chrono::seconds(60);
  q.push(Event{.time = t0, .a = 1});
  CHECK(q.wheel_pushes() == 1);
  REQUIRE(q.pop().a == 1);
  q.push(Event{.time = t1, .a = 2});
  CHECK(q.wheel_pushes() == 1);
  CHECK(q.heap_pushes() == 1);
  REQUIRE(q.pop().a == 2);
  q.push(Event{.time = t1 + std::chrono::seconds(10), .a = 4});
  q.push(Event{.time = t1 + std::chrono::milliseconds(100), .a = 3});
  CHECK(q.wheel_pushes() == 3);
  CHECK(q.heap_pushes() == 1);
  REQUIRE(q.pop().a == 3);
  REQUIRE(q.pop().a == 4);
  REQUIRE(q.empty());
}

TEST_CASE("a lane push earlier than the lane's last still pops in (time, sequence) order", "[kernel]") {
  // Pushed in this order (sequence numbers 0 to 5), at times in µs after 100:
  //   a=1 lane +20, a=2 lane +0 (before 1), a=3 lane +10 (before 1), a=4 lane +20 (ties 1,
  //   after it), a=5 heap +10, a=6 lane +0 (before 4).
  // By (time, sequence): 2 (+0, 1), 6 (+0, 5), 3 (+10, 2), 5 (+10, 4), 1 (+20, 0), 4 (+20, 3).
  EventQueue q;
  const std::size_t lane = q.add_lane();
  const Time t = kTimeZero + microseconds(100);
  q.push(lane, Event{.time = t + microseconds(20), .a = 1});
  q.push(lane, Event{.time = t, .a = 2});
  q.push(lane, Event{.time = t + microseconds(10), .a = 3});
  q.push(lane, Event{.time = t + microseconds(20), .a = 4});
  q.push(Event{.time = t + microseconds(10), .a = 5});
  q.push(lane, Event{.time = t, .a = 6});
  REQUIRE(q.size() == 6);
  std::vector<std::uint32_t> order;
  std::vector<std::uint64_t> seqs;
  while (!q.empty()) {
    const Event e = q.pop();
    order.push_back(e.a);
    seqs.push_back(e.seq);
  }
  CHECK(order == std::vector<std::uint32_t>{2, 6, 3, 5, 1, 4});
  CHECK(seqs == std::vector<std::uint64_t>{1, 5, 2, 4, 0, 3});
  CHECK(q.pushed() == 6);
}

TEST_CASE("a reserved place earlier than the lane's last keeps its place", "[kernel]") {
  // Place 1 is taken between a=1 (0) and a=3 (2). a=2 comes last, at the time of a=3, which is
  // the lane's last: by sequence it runs before a=3.
  EventQueue q;
  const std::size_t lane = q.add_lane();
  const Time t = kTimeZero + microseconds(100);
  q.push(lane, Event{.time = t, .a = 1});
  const std::uint64_t place = q.reserve_seq();
  q.push(lane, Event{.time = t + microseconds(5), .a = 3});
  q.push_reserved(lane, Event{.time = t + microseconds(5), .a = 2}, place);
  q.push_reserved(lane, Event{.time = t + microseconds(5), .a = 4}, q.reserve_seq());
  REQUIRE(q.pop().a == 1);
  REQUIRE(q.pop().a == 2);
  REQUIRE(q.pop().a == 3);
  REQUIRE(q.pop().a == 4);
  REQUIRE(q.empty());
}
