// One budget of a limit group (requests, input tokens or output tokens per minute).
//
// A limiter answers how long until a cost fits, debits admitted costs and takes back refunds.
// Costs are whole tokens (or requests).
#pragma once

#include <cstdint>

#include "sim/kernel/time.hpp"

namespace ratesim::models::provider {

using kernel::Duration;
using kernel::Time;

class Limiter {
 public:
  virtual ~Limiter() = default;
  /// How long from `now` until `cost` fits: zero if it fits now, Duration::max() if it never can.
  /// REQUIRES: `now` is not earlier than any time this limiter was given before.
  virtual Duration wait(Time now, std::int64_t cost) = 0;
  /// Debits `cost`. REQUIRES: wait(now, cost) == 0.
  virtual void take(Time now, std::int64_t cost) = 0;
  /// Credits back `cost` that was taken but not used (never above the capacity).
  virtual void give_back(Time now, std::int64_t cost) = 0;
  /// The share of the capacity in use at `now`: 0 idle, 1 exhausted.
  virtual double used_fraction(Time now) = 0;
  /// The limit per minute.
  virtual std::int64_t limit() const = 0;
};

}  // namespace ratesim::models::provider
