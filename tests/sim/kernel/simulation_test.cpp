#include "sim/kernel/simulation.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace ratesim::kernel;

namespace {

struct Log final : EventHandler {
  Simulation* sim = nullptr;
  std::vector<std::pair<std::int64_t, std::uint32_t>> seen;
  void handle(const Event& e) override {
    seen.emplace_back((sim->now() - kTimeZero).count(), e.a);
    // Kind 1 schedules a follow-up at the same instant: it must run after what is already due.
    if (e.kind == 1) sim->schedule(sim->now(), 0, 0, e.a + 100);
  }
};

}  // namespace

TEST_CASE("the clock jumps to each event's time and handlers see it", "[kernel]") {
  Simulation sim;
  Log log;
  log.sim = &sim;
  REQUIRE(sim.add_handler(&log) == 0);
  sim.schedule(kTimeZero + microseconds(30), 0, 0, 3);
  sim.schedule(kTimeZero + microseconds(10), 0, 1, 1);
  sim.schedule(kTimeZero + microseconds(10), 0, 0, 2);
  sim.run();
  const std::vector<std::pair<std::int64_t, std::uint32_t>> expected{
      {10, 1}, {10, 2}, {10, 101}, {30, 3}};
  REQUIRE(log.seen == expected);
  REQUIRE(sim.events_run() == 4);
}

TEST_CASE("run_until runs events due at the end time and keeps later ones", "[kernel]") {
  Simulation sim;
  Log log;
  log.sim = &sim;
  sim.add_handler(&log);
  sim.schedule(kTimeZero + microseconds(5), 0, 0, 1);
  sim.schedule(kTimeZero + microseconds(10), 0, 0, 2);
  sim.schedule(kTimeZero + microseconds(11), 0, 0, 3);
  sim.run_until(kTimeZero + microseconds(10));
  REQUIRE(log.seen.size() == 2);
  REQUIRE(sim.now() == kTimeZero + microseconds(10));
  REQUIRE(sim.pending() == 1);
  sim.run_until(kTimeZero + microseconds(20));
  REQUIRE(log.seen.size() == 3);
  REQUIRE(sim.now() == kTimeZero + microseconds(20));
}

TEST_CASE("step reports an empty queue", "[kernel]") {
  Simulation sim;
  REQUIRE_FALSE(sim.step());
}

TEST_CASE("lanes and reserved places keep the order of equal-time events", "[kernel]") {
  Simulation sim;
  Log log;
  log.sim = &sim;
  sim.add_handler(&log);
  const std::size_t lane = sim.add_lane();
  const Time t = kTimeZero + microseconds(10);
  sim.schedule_in_lane(lane, t, 0, 0, 1);
  const std::uint64_t place = sim.reserve_place();
  sim.schedule(t, 0, 0, 3);
  sim.schedule_in_lane(lane, t, 0, 0, 4);
  sim.schedule_reserved(place, lane, t, 0, 0, 2);
  sim.run();
  const std::vector<std::pair<std::int64_t, std::uint32_t>> expected{{10, 1}, {10, 2}, {10, 3}, {10, 4}};
  REQUIRE(log.seen == expected);
  REQUIRE(sim.events_run() == 4);
}
