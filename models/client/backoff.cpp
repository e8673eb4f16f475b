#include "models/client/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace ratesim::models::client {
namespace {

Duration scale(Duration d, double factor) {
  return kernel::from_seconds(kernel::to_seconds(d) * factor);
}

}  // namespace

Duration backoff_delay(const RetryConfig& c, std::uint32_t k, Duration previous,
                       kernel::RandomStream& rng) {
  switch (c.backoff) {
    case Backoff::kDecorrelated: {
      // The jitter is the uniform draw itself; `jitter` does not apply.
      const double lo = kernel::to_seconds(c.base);
      const double hi = std::max(lo, 3.0 * kernel::to_seconds(previous));
      return std::min(c.cap, kernel::from_seconds(rng.uniform(lo, hi)));
    }
    case Backoff::kConstant:
    case Backoff::kExponential:
      break;
  }
  Duration d = c.base;
  if (c.backoff == Backoff::kExponential) {
    // 2^k overflows nothing: past 2^62 the cap has long been reached.
    d = std::min(c.cap, scale(c.base, std::ldexp(1.0, static_cast<int>(std::min(k, 62u)))));
  }
  switch (c.jitter) {
    case Jitter::kNone:
      return d;
    case Jitter::kFull:
      return scale(d, rng.uniform01());
    case Jitter::kEqual:
      return scale(d, 0.5 + 0.5 * rng.uniform01());
    case Jitter::kSdk:
      return scale(d, 1.0 - 0.25 * rng.uniform01());
  }
  return d;
}

std::optional<Duration> retry_delay(const RetryConfig& c, std::uint32_t k, Duration previous,
                                    const AttemptResult& result, kernel::RandomStream& rng) {
  const Duration ra = result.retry_after;
  // kObey takes any value, 0 included (the TypeScript SDK retries at once on retry-after: 0);
  // the bounded policies, like the Python SDKs, only a value above zero.
  if (ra == Duration{0} && c.retry_after == RetryAfterPolicy::kObey) return ra;
  if (ra > Duration{0}) {
    switch (c.retry_after) {
      case RetryAfterPolicy::kIgnore:
        break;
      case RetryAfterPolicy::kObey:
        return ra;
      case RetryAfterPolicy::kObeyUpTo:
        if (ra <= c.retry_after_max) return ra;
        break;
      case RetryAfterPolicy::kObeyOrGiveUp:
        if (ra <= c.retry_after_max) return ra;
        return std::nullopt;
    }
  }
  return backoff_delay(c, k, previous, rng);
}

}  // namespace ratesim::models::client
