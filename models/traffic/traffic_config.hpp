// How an open workload's arrivals are described: phases played in order, bursts laid over them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/named.hpp"
#include "sim/kernel/distribution.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::models::traffic {

using kernel::Duration;
using models::Named;

struct Phase {
  enum class Kind {
    kRate,    ///< constant rate for `length`
    kRampTo,  ///< rate moves linearly from the previous phase's rate to `rate`
    kCount,   ///< exactly `count` arrivals spread over `length`
    kPause,   ///< no arrivals for `length`
    kSine,    ///< rate + amplitude · sin(2π t / period), t from the phase's start
  };
  Kind kind = Kind::kRate;
  Duration length{0};       ///< how long the phase lasts
  double rate = 0;          ///< per second: the rate (kRate) or the rate reached at the end (kRampTo)
  std::uint64_t count = 0;  ///< kCount only
  double amplitude = 0;     ///< kSine: per second, at most `rate`
  Duration period{0};       ///< kSine
};

/// The integrated rate of phase `p` from its start to `t` seconds into it (`r0`: the rate at
/// its start, for ramps).
double integrated_rate(const Phase& p, double r0, double t);

/// `count` arrivals at once, `at` after the start of each repetition of the phase list.
struct Burst {
  Duration at{0};
  std::uint64_t count = 0;
};

enum class Arrivals {
  kPoisson,  ///< a (non-homogeneous) Poisson process
  kUniform,  ///< evenly spaced: one arrival each time the integrated rate grows by one
};
inline constexpr Named<Arrivals> kArrivals[] = {{"poisson", Arrivals::kPoisson}, {"uniform", Arrivals::kUniform}};

struct OpenTraffic {
  std::vector<Phase> phases;
  std::vector<Burst> bursts;
  std::uint32_t repeat = 1;  ///< how many times the phase list plays
  Arrivals arrivals = Arrivals::kPoisson;

  /// Length of one repetition of the phase list.
  Duration cycle() const;
};

/// A closed loop: `count` users, each sending a request, waiting for it to end (whatever the
/// outcome), thinking, and sending the next. Each user's first request comes after one think
/// time, so users do not start in lockstep.
struct Users {
  std::uint64_t count = 1;
  kernel::Distribution think = kernel::Distribution::constant(1);  ///< seconds, at least 1 ms
};

/// One recorded request of a trace.
struct TraceRecord {
  Duration at{0};               ///< when it arrived, after time_scale
  std::uint32_t input_tokens = 0;
  std::uint32_t output_tokens = 0;
  std::uint32_t max_tokens = 0;     ///< 0: the workload's max_tokens
  std::uint32_t cached_tokens = 0;  ///< a cacheable prefix of the prompt
  std::uint16_t model = 0;          ///< index into Trace::models; 0 with an empty list: the workload's
};

/// A replayed trace: recorded requests in time order. Each record stands for `rate_scale`
/// requests on average (⌊rate_scale⌋, plus one more with the fractional part's probability).
struct Trace {
  std::vector<TraceRecord> records;
  std::vector<std::string> models;  ///< model names used by the `model` column, if present
  double rate_scale = 1;
};

/// A backfill script: `count` requests all ready at `at`.
struct Backlog {
  std::uint64_t count = 0;
  Duration at{0};
};

}  // namespace ratesim::models::traffic
