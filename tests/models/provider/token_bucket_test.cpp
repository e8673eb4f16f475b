#include "models/provider/token_bucket.hpp"

#include <catch2/catch.hpp>

using namespace ratesim;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

TEST_CASE("a token bucket starts full at limit × burst / 60 s", "[provider]") {
  TokenBucket b(600, 60s);
  CHECK(b.capacity_tokens() == 600);
  TokenBucket one_second(60, 1s);  // "60 RPM enforced as one per second"
  CHECK(one_second.capacity_tokens() == 1);
}

TEST_CASE("token bucket refuses the request that would overdraw it", "[provider]") {
  TokenBucket b(60, 10s);  // capacity 10, refill 1 per second
  for (int i = 0; i < 10; ++i) {
    REQUIRE(b.wait(kTimeZero, 1) == 0s);
    b.take(kTimeZero, 1);
  }
  // Empty: the next token arrives after exactly one second.
  CHECK(b.wait(kTimeZero, 1) == 1s);
  CHECK(b.wait(kTimeZero + 250ms, 1) == 750ms);
  CHECK(b.wait(kTimeZero + 1s, 1) == 0s);
  CHECK(b.wait(kTimeZero + 1s, 3) == 2s);
}

TEST_CASE("a cost above the capacity never fits", "[provider]") {
  TokenBucket b(6000, 60s);
  CHECK(b.wait(kTimeZero, 6000) == 0s);
  CHECK(b.wait(kTimeZero, 6001) == kernel::Duration::max());
}

TEST_CASE("refill and give_back stop at the capacity", "[provider]") {
  TokenBucket b(60, 10s);
  b.take(kTimeZero, 4);
  CHECK(b.tokens(kTimeZero) == 6);
  b.give_back(kTimeZero, kTimeZero, 100);
  CHECK(b.tokens(kTimeZero) == 10);
  b.take(kTimeZero, 10);
  CHECK(b.tokens(kTimeZero + 24h) == 10);
  CHECK(b.until_full(kTimeZero + 24h) == 0s);
}

TEST_CASE("a saturated bucket admits exactly capacity + rate × time", "[provider]") {
  // 120 per minute (2/s), capacity 30; one request every 100 ms from 0.1 s to 60 s. Full until
  // the first request, the bucket admits 30 + ⌊2 × 59.9⌋ = 149.
  TokenBucket b(120, 15s);
  int admitted = 0;
  for (int i = 1; i <= 600; ++i) {
    const kernel::Time t = kTimeZero + 100ms * i;
    if (b.wait(t, 1) == 0s) {
      b.take(t, 1);
      ++admitted;
    }
  }
  CHECK(admitted == 149);
}

TEST_CASE("an overdrawn bucket blocks until it has refilled past zero", "[provider]") {
  TokenBucket b(60, 60s);  // capacity 60, 1 per second
  b.overdraw(kTimeZero, 90);  // 30 below zero
  CHECK(b.tokens(kTimeZero) == -30);
  CHECK(b.wait(kTimeZero, 1) == 31s);
  CHECK(b.until_full(kTimeZero) == 90s);
}
