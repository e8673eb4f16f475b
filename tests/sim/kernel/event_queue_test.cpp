#include "sim/kernel/event_queue.hpp"

#include <catch2/catch.hpp>

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
