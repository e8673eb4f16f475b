// Named, seeded, portable random streams.
//
// Each entity draws from its own stream, derived from the run's seed and a stable name
// ("workload.chat.arrivals"), so adding a workload never changes another's draws. The engine is
// xoshiro256** seeded through splitmix64; every transformation to a distribution is written here,
// never taken from std::*_distribution, whose output differs between standard libraries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ratesim::kernel {

/// A stable 64-bit seed for the stream `name` of a run seeded with `seed`.
std::uint64_t stream_seed(std::uint64_t seed, std::string_view name);

class RandomStream {
 public:
  /// The stream `name` of a run seeded with `seed`.
  RandomStream(std::uint64_t seed, std::string_view name);
  /// A stream seeded directly (tests, sub-streams).
  explicit RandomStream(std::uint64_t raw_seed);

  std::uint64_t next_u64();
  /// Uniform on [0, 1), 53 random bits.
  double uniform01();
  /// Uniform on [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform01(); }
  /// Exponential with the given mean.
  double exponential(double mean);
  /// Exponential with mean 1 (the ziggurat method).
  double standard_exponential();
  /// Standard normal (the ziggurat method; nothing is cached between draws).
  double standard_normal();
  double normal(double mean, double sd) { return mean + sd * standard_normal(); }
  /// Lognormal with the given median and log-space standard deviation.
  double lognormal(double median, double sigma);

 private:
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace ratesim::kernel
