#include "sim/kernel/distribution.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim::kernel;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

// tests/tools/random_reference.py computes the same values independently.
TEST_CASE("each distribution yields pinned first values for a known seed", "[kernel][random]") {
  RandomStream rng(11, "distributions");
  CHECK_THAT(Distribution::uniform(80, 400).sample(rng), WithinAbs(246.97294355193665, 1e-9));
  CHECK_THAT(Distribution::normal(100, 20, 1).sample(rng), WithinAbs(84.5423943648505, 1e-9));
  CHECK_THAT(Distribution::lognormal(6000, 0.3).sample(rng), WithinAbs(4441.74361147796, 1e-6));
  CHECK_THAT(Distribution::exponential(2).sample(rng), WithinAbs(1.8206482571102283, 1e-12));
  CHECK(Distribution::empirical({10, 20, 30}, {1, 1, 2}).sample(rng) == 10);
}

TEST_CASE("a constant draws no randomness", "[kernel][random]") {
  RandomStream a(3, "x"), b(3, "x");
  CHECK(Distribution::constant(5).sample(a) == 5);
  CHECK(a.next_u64() == b.next_u64());
}

TEST_CASE("a truncated normal never goes below its floor", "[kernel][random]") {
  RandomStream rng(5, "floor");
  const Distribution d = Distribution::normal(2, 10, 1);
  for (int i = 0; i < 10000; ++i) REQUIRE(d.sample(rng) >= 1.0);
}

TEST_CASE("empirical draws follow their weights", "[kernel][random]") {
  RandomStream rng(9, "empirical");
  const Distribution d = Distribution::empirical({1, 2, 3}, {1, 2, 7});
  int counts[4] = {};
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[static_cast<int>(d.sample(rng))];
  CHECK_THAT(counts[1] / double(n), WithinAbs(0.1, 0.005));
  CHECK_THAT(counts[2] / double(n), WithinAbs(0.2, 0.006));
  CHECK_THAT(counts[3] / double(n), WithinAbs(0.7, 0.007));
  CHECK_THAT(d.mean(), WithinRel(0.1 + 0.4 + 2.1, 1e-12));
}

TEST_CASE("uniform draws stay in range and lognormal has its median", "[kernel][random]") {
  RandomStream rng(2, "ranges");
  const Distribution u = Distribution::uniform(80, 400);
  const Distribution ln = Distribution::lognormal(6000, 0.3);
  int below = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double x = u.sample(rng);
    REQUIRE(x >= 80);
    REQUIRE(x < 400);
    below += ln.sample(rng) < 6000;
  }
  CHECK_THAT(below / double(n), WithinAbs(0.5, 0.01));
}
