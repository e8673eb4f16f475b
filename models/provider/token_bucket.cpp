#include "models/provider/token_bucket.hpp"

#include <algorithm>
#include <cassert>

namespace ratesim::models::provider {
namespace {
constexpr std::int64_t kUnitsPerToken = 60'000'000;  // microseconds per minute
}

TokenBucket::TokenBucket(std::int64_t limit_per_minute, Duration burst)
    : limit_(limit_per_minute),
      capacity_(limit_per_minute * burst.count()),
      level_(capacity_) {
  assert(limit_per_minute >= 1 && burst.count() > 0);
}

void TokenBucket::refill(Time now) {
  assert(now >= last_);
  const std::int64_t dt = (now - last_).count();
  last_ = now;
  // dt 0: taking right after checking (every admission), nothing to add.
  if (dt == 0 || level_ >= capacity_) return;
  // Saturating: a long idle gap cannot overflow.
  const std::int64_t room = capacity_ - level_;
  level_ = dt >= room / limit_ + 1 ? capacity_ : std::min(capacity_, level_ + dt * limit_);
}

Duration TokenBucket::wait(Time now, std::int64_t cost) {
  refill(now);
  const std::int64_t need = cost * kUnitsPerToken;
  if (need > capacity_) return Duration::max();
  if (level_ >= need) return Duration{0};
  return Duration{(need - level_ + limit_ - 1) / limit_};  // whole microseconds, rounded up
}

void TokenBucket::take(Time now, std::int64_t cost) {
  refill(now);
  level_ -= cost * kUnitsPerToken;
  assert(level_ >= 0);
}

void TokenBucket::overdraw(Time now, std::int64_t cost) {
  refill(now);
  level_ -= cost * kUnitsPerToken;
}

void TokenBucket::give_back(Time now, Time, std::int64_t cost) {
  refill(now);
  level_ = std::min(capacity_, level_ + cost * kUnitsPerToken);
}

Duration TokenBucket::until_full(Time now) {
  refill(now);
  return Duration{(capacity_ - level_ + limit_ - 1) / limit_};
}

double TokenBucket::tokens(Time now) {
  refill(now);
  return static_cast<double>(level_) / kUnitsPerToken;
}

double TokenBucket::capacity_tokens() const {
  return static_cast<double>(capacity_) / kUnitsPerToken;
}

}  // namespace ratesim::models::provider
