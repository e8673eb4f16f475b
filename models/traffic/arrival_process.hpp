// Arrival times of an open workload's phases (bursts are scheduled separately).
//
// Rates are piecewise linear in time, so the integrated rate Λ(t) has a closed-form inverse.
// A Poisson process places the next arrival where Λ has grown by an Exp(1) draw; uniform
// arrivals where it has grown by exactly 1 — one mechanism for both. Count phases place exactly
// N points: uniformly spread (Poisson, as order statistics drawn one at a time) or evenly spaced.
// The process keeps O(1) state and draws only from the stream it is given.
#pragma once

#include <optional>

#include "models/traffic/traffic_config.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::traffic {

using kernel::Time;

/// The expected number of arrivals (phases and bursts) up to `horizon`.
double expected_arrivals(const OpenTraffic& traffic, kernel::Duration horizon);

class ArrivalProcess {
 public:
  /// REQUIRES: `traffic` outlives the process. Arrivals after `horizon` are never asked for, so
  /// the process ends there even when its phases repeat far beyond it.
  explicit ArrivalProcess(const OpenTraffic& traffic, Duration horizon = Duration::max());

  /// The next arrival time, or nullopt once every repetition has played or the horizon is passed.
  std::optional<Time> next(kernel::RandomStream& rng);

 private:
  /// Rate at the start of phase `i` (the previous phase's closing rate; 0 for the first).
  double start_rate(std::size_t i) const;
  /// Moves to the next phase (or repetition); false when the traffic is over.
  bool advance_phase();
  double draw_need(kernel::RandomStream& rng) const;

  const OpenTraffic& traffic_;
  Time horizon_;
  std::size_t phase_ = 0;
  std::uint32_t rep_ = 0;
  Time phase_start_{};
  double tau_ = 0;         ///< seconds into the current phase of the last arrival
  double need_ = -1;       ///< integrated rate still to accumulate before the next arrival; <0: draw
  std::uint64_t left_ = 0; ///< count phases: arrivals still to place
  bool entered_ = false;   ///< the current phase's state has been set up
};

}  // namespace ratesim::models::traffic
