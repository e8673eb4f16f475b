#include "models/provider/acceleration_model.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

namespace {
// rpm 600: one request is 1/600 of a minute's budget.
const Limits kLimits{.rpm = 600};
const Costs kOne{1, 0, 0};

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
  TrailingBaseline m(Acceleration{.enabled = true, .initial_load = 0.5}, kLimits);
  CHECK(drive(m, 5, 0s, 2h) == 0);
  CHECK(m.short_load(kTimeZero + 2h) == Approx(0.5).epsilon(0.01));
  CHECK(m.baseline(kTimeZero + 2h) == Approx(0.5).epsilon(0.01));
}

TEST_CASE("a sharp jump above twice the baseline is refused", "[provider]") {
  TrailingBaseline m(Acceleration{.enabled = true}, kLimits);
  REQUIRE(drive(m, 1, 0s, 1h) == 0);  // 10% of the limit, under the 25% floor
  // The baseline is now about 0.1 · (1 − e^-2) ≈ 0.086: the threshold is the 0.25 floor.
  CHECK(drive(m, 8, 1h, 2min) > 0);  // 80% at once
}

TEST_CASE("a slow ramp to the same load passes", "[provider]") {
  // From 10% to 80% over 6 hours: the baseline lags the load by about rate of rise × 30 min,
  // which keeps twice the baseline above the load once past the floor.
  TrailingBaseline m(Acceleration{.enabled = true, .initial_load = 0.1}, kLimits);
  int refused = 0;
  for (int minute = 0; minute < 360; ++minute) {
    const double rate = 1 + 7.0 * minute / 360;  // per second
    refused += drive(m, rate, std::chrono::minutes(minute), 1min);
  }
  CHECK(refused == 0);
}

TEST_CASE("a cold start is allowed up to the floor, then told when to come back", "[provider]") {
  TrailingBaseline m(Acceleration{.enabled = true}, kLimits);
  int admitted = 0;
  kernel::Duration ra{0};
  while (m.allows(kTimeZero, kOne, ra)) {
    m.record(kTimeZero, kOne);
    ++admitted;
  }
  // Each request adds 60 / (600 · 60 s) = 1/600 to the short-term load: 150 reach the 0.25 floor.
  CHECK(admitted == 150);
  // s would be 151/600; it decays under 0.25 after 60 s · ln(151/150).
  CHECK(kernel::to_seconds(ra) == Approx(60 * std::log(151.0 / 150)).margin(1e-6));
}
