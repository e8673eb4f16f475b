// Simulated time: an integer count of microseconds since the start of the run.
//
// Time is a std::chrono time_point on a clock of its own, so it cannot be mixed up with wall time
// or with a bare number. Seconds as double appear only at the edges (reports, plots, statistics).
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ratesim::kernel {

/// The simulation's clock. It is never read: time advances only as events are popped.
struct SimClock {
  using rep = std::int64_t;
  using period = std::micro;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<SimClock>;
  static constexpr bool is_steady = true;
};

using Duration = SimClock::duration;
using Time = SimClock::time_point;

inline constexpr Time kTimeZero{};
/// A time later than any event; used for "no deadline" and "never fits".
inline constexpr Time kNever = Time::max();

constexpr Duration microseconds(std::int64_t us) { return Duration{us}; }

inline double to_seconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }
inline double to_seconds(Time t) { return to_seconds(t.time_since_epoch()); }

/// Rounds to the nearest microsecond (halves away from zero, as std::round) and saturates
/// instead of overflowing.
inline Duration from_seconds(double s) {
  const double us = s * 1e6;
  if (!(us < 9.0e18)) return Duration::max();
  if (us < -9.0e18) return Duration::min();
  // Truncate, then round by the fraction, which x − trunc(x) gives exactly (beyond 2^52 every
  // double is a whole number and it is 0): std::round without the library call on the hot path.
  const auto whole = static_cast<std::int64_t>(us);
  const double fraction = us - static_cast<double>(whole);
  return Duration{whole + (fraction >= 0.5) - (fraction <= -0.5)};
}

}  // namespace ratesim::kernel
