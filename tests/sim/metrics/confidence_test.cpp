#include "sim/metrics/confidence.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim::metrics;

TEST_CASE("the 95% interval uses Student's t with n - 1 degrees of freedom", "[metrics]") {
  // 1..5: mean 3, sd √2.5; t(4, 0.975) = 2.7764451; half-width 2.7764451 · √2.5 / √5 ≈ 1.9632.
  const Estimate e = estimate({1, 2, 3, 4, 5});
  CHECK(e.mean == 3.0);
  CHECK(e.high - e.mean == Approx(2.7764451 * std::sqrt(2.5) / std::sqrt(5.0)).epsilon(1e-6));
  CHECK(e.mean - e.low == Approx(e.high - e.mean));
  const Estimate one = estimate({7});
  CHECK(one.low == 7.0);
  CHECK(one.high == 7.0);
}
