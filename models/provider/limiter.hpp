// One budget of a limit group (requests, input tokens or output tokens per minute).
//
// A limiter answers how long until a cost fits, debits admitted costs, takes back refunds and
// reports what a response's rate-limit headers would say. Costs are whole tokens (or requests).
// Implementations: token_bucket.hpp, sliding_window.hpp, fixed_window.hpp.
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
  /// REQUIRES: `now` is not earlier than any time this limiter was given before (for every
  /// method).
  virtual Duration wait(Time now, std::int64_t cost) = 0;
  /// Debits `cost`. REQUIRES: wait(now, cost) == 0.
  virtual void take(Time now, std::int64_t cost) = 0;
  /// Debits `cost` whether or not it fits; the budget may go below zero and then blocks until
  /// it has refilled (output tokens counted as they are produced, `actual` accounting).
  virtual void overdraw(Time now, std::int64_t cost) = 0;
  /// Credits back `cost` of what was taken at `taken_at`, if that debit still counts (a window
  /// that has moved past it ignores the refund); never above the capacity. A debit is named by
  /// its time, not by a ticket, so that one refund reaches the same debit in every scope's
  /// limiter (organization and workspace). REQUIRES: at most what was taken at `taken_at` and
  /// not yet given back.
  virtual void give_back(Time now, Time taken_at, std::int64_t cost) = 0;
  /// What could be taken now (negative after an overdraw), in tokens.
  virtual double remaining(Time now) = 0;
  /// How long until the budget is whole again (the `reset` header).
  virtual Duration until_full(Time now) = 0;
  /// The limit per minute.
  virtual std::int64_t limit() const = 0;
};

}  // namespace ratesim::models::provider
