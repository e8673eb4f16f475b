// A progress bar on a terminal for long runs: an observer that redraws one line on stderr at
// most five times a second, from the simulated time it sees. It draws nothing in the first half
// second of wall time (short runs stay quiet), and nothing at all when the stream is not a
// terminal, so files and pipes never get it.
#pragma once

#include <chrono>
#include <cstdio>

#include "models/observer.hpp"

namespace ratesim::report {

class ProgressBar final : public models::WorldObserver {
 public:
  /// `horizon`: the run's length. `out`: where to draw (stderr).
  ProgressBar(models::Time horizon, std::FILE* out);
  ~ProgressBar() override;

  void on_arrival(models::Time now, const models::Request&) override { tick(now); }
  void on_attempt_sent(models::Time now, const models::Request&) override { tick(now); }
  void on_horizon(models::Time now) override;

 private:
  void tick(models::Time now) {
    if (++calls_ % 1024 == 0) draw(now);
  }
  void draw(models::Time now);

  models::Time horizon_;
  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  std::uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// Whether `stream` (stdout or stderr) should get colour: a terminal, and NO_COLOR unset.
bool use_colour(std::FILE* stream);

}  // namespace ratesim::report
