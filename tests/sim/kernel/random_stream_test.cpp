#include "sim/kernel/random_stream.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim::kernel;
using Catch::Matchers::WithinAbs;

// These values pin the generator and its transformations: a change to either changes every
// simulation result, so it must be deliberate.
TEST_CASE("a named stream of a known seed yields pinned first values", "[kernel][random]") {
  RandomStream rng(7, "workload.chat.arrivals");
  CHECK(rng.next_u64() == 8389422669559352668ULL);
  CHECK(rng.next_u64() == 10530675402412943372ULL);
  RandomStream u(7, "pin");
  CHECK_THAT(u.uniform01(), WithinAbs(0.64888050272214126, 1e-15));
  CHECK_THAT(u.exponential(2.0), WithinAbs(1.4993169408553808, 1e-12));
  CHECK_THAT(u.standard_normal(), WithinAbs(0.52778919802946078, 1e-12));
  CHECK_THAT(u.lognormal(100.0, 0.5), WithinAbs(48.324093404900772, 1e-9));
}

TEST_CASE("streams with different names or seeds are different", "[kernel][random]") {
  RandomStream a(7, "workload.a.sizes"), b(7, "workload.b.sizes"), c(8, "workload.a.sizes");
  const auto x = a.next_u64();
  CHECK(x != b.next_u64());
  CHECK(x != c.next_u64());
  RandomStream a2(7, "workload.a.sizes");
  CHECK(a2.next_u64() == x);
}

TEST_CASE("uniform and exponential draws have the right moments", "[kernel][random]") {
  RandomStream rng(1, "moments");
  const int n = 200000;
  double su = 0, se = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    su += u;
    se += rng.exponential(3.0);
    const double z = rng.standard_normal();
    sn += z;
    sn2 += z * z;
  }
  // Tolerances are about five standard errors.
  CHECK_THAT(su / n, WithinAbs(0.5, 5 * std::sqrt(1.0 / 12 / n)));
  CHECK_THAT(se / n, WithinAbs(3.0, 5 * 3.0 / std::sqrt(n)));
  CHECK_THAT(sn / n, WithinAbs(0.0, 5 / std::sqrt(n)));
  CHECK_THAT(sn2 / n, WithinAbs(1.0, 5 * std::sqrt(2.0 / n)));
}
