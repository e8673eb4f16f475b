// The simulation loop: pop the earliest event, advance the clock, hand the event to its handler.
//
// The loop knows nothing of what events mean. Handlers register once and are addressed by the
// small index stored in each event, so events stay plain data.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sim/kernel/event_queue.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::kernel {

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  /// Called when `e` is due; Simulation::now() == e.time. May schedule further events.
  virtual void handle(const Event& e) = 0;
};

class Simulation {
 public:
  /// Registers a handler and returns the index events use to reach it.
  /// REQUIRES: `h` outlives the simulation.
  std::uint16_t add_handler(EventHandler* h);

  Time now() const { return now_; }

  /// REQUIRES: at >= now(). Events at equal times run in the order they were scheduled.
  void schedule(Time at, std::uint16_t handler, std::uint16_t kind, std::uint32_t a = 0,
                std::uint64_t b = 0);

  /// Adds a lane: a queue beside the heap for events that come due in the order they are
  /// scheduled, such as those a fixed delay after now. Returns its number.
  std::size_t add_lane() { return queue_.add_lane(); }
  /// As schedule(), through lane `lane`. Cheapest when `at` is not before any event already
  /// scheduled in the lane; an event that is waits in the heap instead, in the same order.
  void schedule_in_lane(std::size_t lane, Time at, std::uint16_t handler, std::uint16_t kind,
                        std::uint32_t a = 0, std::uint64_t b = 0);
  /// Takes a place in the order of equal-time events now, for an event scheduled later with
  /// schedule_reserved: among events at its time, that one runs as if it had been scheduled now.
  std::uint64_t reserve_place() { return queue_.reserve_seq(); }
  /// As schedule_in_lane(), in the place `place` took from reserve_place().
  void schedule_reserved(std::uint64_t place, std::size_t lane, Time at, std::uint16_t handler,
                         std::uint16_t kind, std::uint32_t a = 0, std::uint64_t b = 0);

  /// Runs the earliest event. Returns false if there was none.
  bool step();
  /// Runs until no events are left.
  void run();
  /// Runs every event due at or before `end`, then sets the clock to `end`. Later events stay.
  /// Returns early, with the clock at the last event run, when the stop flag is raised.
  void run_until(Time end);

  /// A flag another party may raise (a signal handler) to stop run_until between events; it is
  /// read every few thousand events. REQUIRES: `flag` outlives the runs.
  void set_stop_flag(const std::atomic<bool>* flag) { stop_ = flag; }
  /// Whether the last run_until returned early because of the stop flag.
  bool stopped() const { return stopped_; }

  std::uint64_t events_run() const { return events_run_; }
  std::size_t pending() const { return queue_.size(); }
  void reserve(std::size_t events) { queue_.reserve(events); }

 private:
  void run_event(const Event& e);

  EventQueue queue_;
  std::vector<EventHandler*> handlers_;
  Time now_ = kTimeZero;
  std::uint64_t events_run_ = 0;
  const std::atomic<bool>* stop_ = nullptr;
  bool stopped_ = false;
};

}  // namespace ratesim::kernel
