#include "models/provider/overload_model.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

TEST_CASE("529s follow the base rate plus active incidents", "[provider]") {
  OverloadModel m(Overload{.rate = 0.01, .incidents = {{.at = 10min, .length = 5min, .rate = 0.3}}},
                  kernel::RandomStream(1, "overload"));
  CHECK(m.probability(kTimeZero) == 0.01);
  CHECK(m.probability(kTimeZero + 10min) == Approx(0.31));
  CHECK(m.probability(kTimeZero + 15min) == 0.01);
  const int n = 100000;
  int base = 0, incident = 0;
  for (int i = 0; i < n; ++i) {
    base += m.overloaded(kTimeZero);
    incident += m.overloaded(kTimeZero + 12min);
  }
  // Binomial counts within five standard deviations.
  CHECK(std::abs(base - n * 0.01) < 5 * std::sqrt(n * 0.01 * 0.99));
  CHECK(std::abs(incident - n * 0.31) < 5 * std::sqrt(n * 0.31 * 0.69));
}

TEST_CASE("no overload draws no randomness", "[provider]") {
  OverloadModel m(Overload{}, kernel::RandomStream(1, "x"));
  for (int i = 0; i < 1000; ++i) REQUIRE_FALSE(m.overloaded(kTimeZero));
}
