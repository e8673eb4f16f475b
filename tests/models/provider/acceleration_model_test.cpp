#include "models/provider/acceleration_model.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

namespace {
// rpm 600 and a one-minute window: one request is 1/600 of what the window allows.
const Limits kLimits{.rpm = 600};
const Costs kOne{1, 0, 0, 0};
Acceleration moderate() { return *acceleration_profile("moderate"); }

/// Sends requests at `rate` per second from `from` for `length`; returns how many were refused.
int drive(TrailingBaseline& m, double rate, kernel::Duration from, kernel::Duration length) {
  int refused = 0;
  const auto n = static_cast<int>(rate * kernel::to_seconds(length));
  for (int i = 0; i < n; ++i) {
    const kernel::Time t = kTimeZero + from + kernel::from_seconds(i / rate);
    kernel::Duration ra{0};
    if (m.allows(t, kOne, ra)) m.record(t, kOne);
    else ++refused;
  }
  return refused;
}
}  // namespace

TEST_CASE("a steady load converges to its share of the limit and never trips", "[provider]") {
  // 5/s against 600/min is half the limit; the baseline starts there.
  Acceleration a = moderate();
  a.initial_load = 0.5;
  TrailingBaseline m(a, kLimits);
  CHECK(drive(m, 5, 0s, 2h) == 0);
  // The window holds the current one-second bucket and the 59 before it: at 2 h exactly it has
  // the 59 full seconds before (295 requests) and nothing yet in the new one.
  CHECK(m.short_load(kTimeZero + 2h) == Approx(295.0 / 600));
  CHECK(m.baseline(kTimeZero + 2h) == Approx(0.5).epsilon(0.01));
}

TEST_CASE("a sharp jump above twice the baseline is refused", "[provider]") {
  TrailingBaseline m(moderate(), kLimits);
  REQUIRE(drive(m, 1, 0s, 1h) == 0);  // 10% of the limit, under the 25% floor
  // The baseline is now about 0.1 (1 − e^-6): the threshold is the 0.25 floor.
  CHECK(drive(m, 8, 1h, 2min) > 0);  // 80% at once
}

TEST_CASE("a slow ramp to the same load passes", "[provider]") {
  // From 10% to 80% over 6 hours: the baseline lags the load by about rate of rise × 10 min,
  // which keeps twice the baseline above the load once past the floor.
  Acceleration a = moderate();
  a.initial_load = 0.1;
  TrailingBaseline m(a, kLimits);
  int refused = 0;
  for (int minute = 0; minute < 360; ++minute) {
    const double rate = 1 + 7.0 * minute / 360;  // per second
    refused += drive(m, rate, std::chrono::minutes(minute), 1min);
  }
  CHECK(refused == 0);
}

TEST_CASE("a cold start is allowed up to the floor, then told when to come back", "[provider]") {
  TrailingBaseline m(moderate(), kLimits);
  int admitted = 0;
  kernel::Duration ra{0};
  while (m.allows(kTimeZero, kOne, ra)) {
    m.record(kTimeZero, kOne);
    ++admitted;
  }
  // The window allows 600 requests at the limit; the 0.25 floor is 150 of them.
  CHECK(admitted == 150);
  // All 150 sit in the bucket of second 0, which leaves the window at 60 s.
  CHECK(ra == 60s);
  CHECK(m.allows(kTimeZero + 60s, kOne, ra));
}

TEST_CASE("a lone request is not a rise, however large", "[provider]") {
  // 200,000 input tokens against 450,000 ITPM is 44% of a minute, above the 25% floor; with
  // nothing else in the window it is let through, so such requests are not refused for ever.
  TrailingBaseline m(moderate(), Limits{.itpm = 450'000});
  kernel::Duration ra{0};
  const Costs big{0, 200'000, 0, 0};
  CHECK(m.allows(kTimeZero, big, ra));
  m.record(kTimeZero, big);
  CHECK_FALSE(m.allows(kTimeZero + 1s, big, ra));
}

TEST_CASE("a refunded reservation leaves the acceleration signal", "[provider]") {
  // otpm 6,000: a 1,000-token reservation is 1/6 of the window. When 900 of it come back at
  // completion only the 100 tokens produced still count.
  TrailingBaseline m(moderate(), Limits{.otpm = 6'000});
  m.record(kTimeZero, Costs{0, 0, 1'000, 0});
  CHECK(m.short_load(kTimeZero) == Approx(1.0 / 6));
  m.settle(kTimeZero + 2s, 2, -900);
  CHECK(m.short_load(kTimeZero + 2s) == Approx(100.0 / 6'000));
  // Actual accounting debits output as produced: +100 at completion.
  m.settle(kTimeZero + 3s, 2, 100);
  CHECK(m.short_load(kTimeZero + 3s) == Approx(200.0 / 6'000));
}
