#include "models/client/backoff.hpp"

#include <catch2/catch.hpp>

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::client;
using namespace std::chrono_literals;

namespace {
RetryConfig config(Backoff b, Jitter j) {
  RetryConfig c;
  c.backoff = b;
  c.jitter = j;
  c.base = 500ms;
  c.cap = 8s;
  return c;
}
}  // namespace

TEST_CASE("exponential backoff doubles from base up to the cap", "[client]") {
  kernel::RandomStream rng(1);
  const RetryConfig c = config(Backoff::kExponential, Jitter::kNone);
  const kernel::Duration expected[] = {500ms, 1s, 2s, 4s, 8s, 8s, 8s};
  for (std::uint32_t k = 0; k < 7; ++k) CHECK(backoff_delay(c, k, c.base, rng) == expected[k]);
  CHECK(backoff_delay(c, 1000, c.base, rng) == 8s);
}

TEST_CASE("constant backoff is always the base", "[client]") {
  kernel::RandomStream rng(1);
  const RetryConfig c = config(Backoff::kConstant, Jitter::kNone);
  for (std::uint32_t k = 0; k < 5; ++k) CHECK(backoff_delay(c, k, c.base, rng) == 500ms);
}

TEST_CASE("each jitter keeps the delay inside its formula's bounds", "[client]") {
  kernel::RandomStream rng(2, "jitter");
  struct Case {
    Jitter jitter;
    double lo, hi;  // as fractions of the un-jittered delay
  };
  for (const Case& jc : {Case{Jitter::kFull, 0.0, 1.0}, Case{Jitter::kEqual, 0.5, 1.0},
                         Case{Jitter::kSdk, 0.75, 1.0}}) {
    const RetryConfig c = config(Backoff::kExponential, jc.jitter);
    for (std::uint32_t k = 0; k < 6; ++k) {
      const double d = std::min(8.0, 0.5 * (1 << k));
      double lowest = 1e9, highest = 0;
      for (int i = 0; i < 2000; ++i) {
        const double x = kernel::to_seconds(backoff_delay(c, k, c.base, rng));
        REQUIRE(x >= jc.lo * d - 1e-6);
        REQUIRE(x <= jc.hi * d + 1e-6);
        lowest = std::min(lowest, x);
        highest = std::max(highest, x);
      }
      // The draws cover the range, not one point of it.
      CHECK(lowest < jc.lo * d + 0.05 * d);
      CHECK(highest > jc.hi * d - 0.05 * d);
    }
  }
}

TEST_CASE("decorrelated backoff draws between base and three times the previous delay", "[client]") {
  kernel::RandomStream rng(3, "decorrelated");
  const RetryConfig c = config(Backoff::kDecorrelated, Jitter::kNone);
  kernel::Duration previous = c.base;
  for (int i = 0; i < 1000; ++i) {
    const kernel::Duration d = backoff_delay(c, 0, previous, rng);
    REQUIRE(d >= c.base);
    REQUIRE(d <= std::min(c.cap, previous * 3));
    previous = d;
  }
}

TEST_CASE("retry-after is obeyed, capped or ignored as configured", "[client]") {
  kernel::RandomStream rng(4);
  RetryConfig c = config(Backoff::kConstant, Jitter::kNone);
  const AttemptResult short_wait{.outcome = AttemptOutcome::k429, .retry_after = 30s};
  const AttemptResult long_wait{.outcome = AttemptOutcome::k429, .retry_after = 90s};
  c.retry_after = RetryAfterPolicy::kObey;
  CHECK(retry_delay(c, 0, c.base, long_wait, rng) == 90s);
  c.retry_after = RetryAfterPolicy::kObeyUpTo;
  c.retry_after_max = 60s;
  CHECK(retry_delay(c, 0, c.base, short_wait, rng) == 30s);
  CHECK(retry_delay(c, 0, c.base, long_wait, rng) == 500ms);  // falls back to the backoff
  c.retry_after = RetryAfterPolicy::kIgnore;
  CHECK(retry_delay(c, 0, c.base, short_wait, rng) == 500ms);
}
