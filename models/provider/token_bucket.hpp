// A token bucket refilled continuously at limit/60 tokens per second up to a capacity of
// limit × burst / 60 s (burst 60 s: one minute of the limit; burst 1 s: "60 RPM enforced as
// one per second"). It starts full.
//
// Arithmetic is exact: the level is kept in units of 1/60,000,000 token, in which one
// microsecond of refill is exactly `limit` units. So a bucket admits exactly
// capacity + rate × time under saturation, with no rounding drift over a day.
#pragma once

#include "models/provider/limiter.hpp"

namespace ratesim::models::provider {

class TokenBucket final : public Limiter {
 public:
  /// REQUIRES: 1 <= limit_per_minute <= 1e9, 0 < burst <= 1 h (so nothing overflows).
  TokenBucket(std::int64_t limit_per_minute, Duration burst);

  Duration wait(Time now, std::int64_t cost) override;
  void take(Time now, std::int64_t cost) override;
  void overdraw(Time now, std::int64_t cost) override;
  void give_back(Time now, Time taken_at, std::int64_t cost) override;
  double remaining(Time now) override { return tokens(now); }
  Duration until_full(Time now) override;
  std::int64_t limit() const override { return limit_; }

  /// Tokens available at `now` (negative after an overdraw).
  double tokens(Time now);
  double capacity_tokens() const;

 private:
  void refill(Time now);

  std::int64_t limit_;     ///< per minute; also the refill per microsecond, in units
  std::int64_t capacity_;  ///< units
  std::int64_t level_;     ///< units; below zero only after overdraw()
  Time last_{};
};

}  // namespace ratesim::models::provider
