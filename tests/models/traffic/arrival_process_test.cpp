#include "models/traffic/arrival_process.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

using namespace ratesim;
using namespace ratesim::models::traffic;
using namespace std::chrono_literals;
using Catch::Matchers::WithinAbs;

namespace {

std::vector<double> times(const OpenTraffic& t, std::uint64_t seed = 1) {
  ArrivalProcess p(t);
  kernel::RandomStream rng(seed, "arrivals");
  std::vector<double> out;
  while (auto next = p.next(rng)) out.push_back(kernel::to_seconds(*next));
  return out;
}

Phase rate(kernel::Duration d, double r) { return {.kind = Phase::Kind::kRate, .length = d, .rate = r}; }
Phase ramp(kernel::Duration d, double r) { return {.kind = Phase::Kind::kRampTo, .length = d, .rate = r}; }

}  // namespace

TEST_CASE("uniform arrivals at a constant rate are evenly spaced", "[traffic]") {
  OpenTraffic t{.phases = {rate(10s, 2)}, .arrivals = Arrivals::kUniform};
  const auto ts = times(t);
  REQUIRE(ts.size() == 20);
  for (std::size_t i = 0; i < ts.size(); ++i) CHECK_THAT(ts[i], WithinAbs(0.5 * (i + 1), 1e-6));
}

TEST_CASE("a uniform linear ramp places arrivals where the integrated rate is whole", "[traffic]") {
  // Ramp 0 → 4/s over 10 s: Λ(t) = 0.2 t², so arrival k is at sqrt(5k); Λ(10) = 20 arrivals.
  OpenTraffic t{.phases = {ramp(10s, 4)}, .arrivals = Arrivals::kUniform};
  const auto ts = times(t);
  REQUIRE(ts.size() == 20);
  for (std::size_t k = 1; k <= ts.size(); ++k) CHECK_THAT(ts[k - 1], WithinAbs(std::sqrt(5.0 * k), 1e-6));
}

TEST_CASE("a ramp starts from the previous phase's rate", "[traffic]") {
  // 2/s for 10 s, then 2 → 6/s over 10 s: 20 + (2+6)/2·10 = 60 arrivals.
  OpenTraffic t{.phases = {rate(10s, 2), ramp(10s, 6)}, .arrivals = Arrivals::kUniform};
  CHECK(times(t).size() == 60);
}

TEST_CASE("a count phase places exactly N arrivals inside the phase", "[traffic]") {
  for (const Arrivals a : {Arrivals::kUniform, Arrivals::kPoisson}) {
    OpenTraffic t{.phases = {{.kind = Phase::Kind::kPause, .length = 5s},
                             {.kind = Phase::Kind::kCount, .length = 10s, .count = 37}},
                  .arrivals = a};
    const auto ts = times(t);
    REQUIRE(ts.size() == 37);
    for (std::size_t i = 0; i < ts.size(); ++i) {
      REQUIRE(ts[i] > 5.0);
      REQUIRE(ts[i] <= 15.0);
      if (i > 0) REQUIRE(ts[i] >= ts[i - 1]);
    }
  }
}

TEST_CASE("poisson arrivals have the expected count and exponential gaps", "[traffic]") {
  OpenTraffic t{.phases = {rate(10000s, 5)}};
  const auto ts = times(t, 3);
  // Count ~ Poisson(50000): sd ≈ 224; allow five.
  CHECK_THAT(static_cast<double>(ts.size()), WithinAbs(50000, 5 * std::sqrt(50000.0)));
  // Share of gaps longer than the mean: e^-1 for exponential gaps.
  int longer = 0;
  for (std::size_t i = 1; i < ts.size(); ++i) longer += ts[i] - ts[i - 1] > 0.2;
  CHECK_THAT(longer / double(ts.size() - 1), WithinAbs(std::exp(-1.0), 0.01));
}

TEST_CASE("repeat plays the phase list again", "[traffic]") {
  OpenTraffic t{.phases = {rate(5s, 1), {.kind = Phase::Kind::kPause, .length = 5s}},
                .repeat = 3,
                .arrivals = Arrivals::kUniform};
  const auto ts = times(t);
  REQUIRE(ts.size() == 15);
  CHECK_THAT(ts[5], WithinAbs(11.0, 1e-6));
  CHECK_THAT(ts.back(), WithinAbs(25.0, 1e-6));
  CHECK(t.cycle() == 10s);
}

TEST_CASE("expected arrivals integrate the rate up to the horizon", "[traffic]") {
  // 2/s for 10 s, a ramp to 6/s over 10 s, a burst of 7, twice: (20 + 40 + 7) × 2 = 134.
  OpenTraffic t{.phases = {rate(10s, 2), ramp(10s, 6)}, .bursts = {{.at = 5s, .count = 7}}, .repeat = 2};
  CHECK(expected_arrivals(t, 1h) == Approx(134));
  // Cut at 15 s: 20, plus the ramp's first half (2 → 4/s over 5 s: 15), plus the burst.
  CHECK(expected_arrivals(t, 15s) == Approx(20 + 15 + 7));
}

TEST_CASE("a sine phase places arrivals where its integrated rate is whole", "[traffic]") {
  // mean 2/s, amplitude 1/s, period 20 s, for 40 s: two whole periods, Λ(40) = 80 arrivals.
  OpenTraffic t{.phases = {{.kind = Phase::Kind::kSine, .length = 40s, .rate = 2, .amplitude = 1,
                            .period = 20s}},
                .arrivals = Arrivals::kUniform};
  const auto ts = times(t);
  REQUIRE(ts.size() == 80);
  const Phase& p = t.phases[0];
  for (std::size_t k = 0; k < ts.size(); ++k)
    CHECK(integrated_rate(p, 0, ts[k]) == Approx(k + 1.0).margin(1e-5));
  // More arrivals in the first half-period (rate above the mean) than the second.
  const auto first = std::count_if(ts.begin(), ts.end(), [](double x) { return x < 10; });
  CHECK(first == 26);  // Λ(10) = 20 + 20/π ≈ 26.4
  CHECK(expected_arrivals(t, 1h) == Approx(80));
}

TEST_CASE("the arrival process ends at the horizon however many repetitions are left", "[traffic]") {
  // A second of quiet and a millisecond at one per second, a million times: about eleven days of
  // phases, nearly all past a one-hour horizon. The process stops at the horizon instead of
  // cycling through every repetition (the fuzzer's spin).
  const OpenTraffic t{.phases = {{.kind = Phase::Kind::kPause, .length = 1s}, rate(1ms, 1)},
                      .repeat = 1'000'000,
                      .arrivals = Arrivals::kUniform};
  ArrivalProcess p(t, 1h);
  kernel::RandomStream rng(1, "arrivals");
  int n = 0;
  while (p.next(rng)) ++n;
  // The uniform phase of 1 ms at 1/s reaches a whole arrival once every 1,000 repetitions: one
  // arrival each 1,001 s, three within the hour; the fourth repetition-block starts past it.
  CHECK(n == 3);
}
