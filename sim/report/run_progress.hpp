// Progress of a command made of many runs (compare, sweep, search, check with replications,
// sensitivity): "runs 12 of 40" redrawn on one line of stderr at most five times a second, after
// the first half second, and only on a terminal. Safe to call from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace ratesim::report {

class RunProgress {
 public:
  /// `what` names the runs ("sweep", "search"); `total` how many there will be (0: unknown).
  RunProgress(std::string what, std::size_t total, std::FILE* out = stderr);
  ~RunProgress();
  RunProgress(const RunProgress&) = delete;
  RunProgress& operator=(const RunProgress&) = delete;

  /// One more run is done.
  void done();
  /// More runs are coming (a search learns its next evaluations as it goes).
  void add(std::size_t more) { total_ += more; }

 private:
  std::string what_;
  std::atomic<std::size_t> total_;
  std::atomic<std::size_t> done_{0};
  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace ratesim::report
