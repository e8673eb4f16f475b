#include "sim/kernel/random_stream.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

using namespace ratesim::kernel;
using Catch::Matchers::WithinAbs;

// These values pin the generator and its transformations: a change to either changes every
// simulation result, so it must be deliberate. tests/tools/random_reference.py, an independent
// implementation, computes the same values.
TEST_CASE("a named stream of a known seed yields pinned first values", "[kernel][random]") {
  RandomStream rng(7, "workload.chat.arrivals");
  CHECK(rng.next_u64() == 8389422669559352668ULL);
  CHECK(rng.next_u64() == 10530675402412943372ULL);
  RandomStream u(7, "pin");
  CHECK_THAT(u.uniform01(), WithinAbs(0.64888050272214126, 1e-15));
  CHECK_THAT(u.exponential(2.0), WithinAbs(1.6080523794993797, 1e-12));
  CHECK_THAT(u.standard_normal(), WithinAbs(0.5964398071074732, 1e-12));
  CHECK_THAT(u.lognormal(100.0, 0.5), WithinAbs(47.226094627461315, 1e-9));
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

namespace {

// The Kolmogorov–Smirnov distance between `xs` (sorted in place) and the distribution `cdf`.
template <typename Cdf>
double ks_distance(std::vector<double>& xs, Cdf cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = static_cast<double>(xs.size());
  double d = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

}  // namespace

TEST_CASE("normal and exponential draws follow their distributions, tails included", "[kernel][random]") {
  // A million draws of each against the exact distribution function: the Kolmogorov–Smirnov
  // distance of a correct sampler exceeds 1.63/√n with probability 1%, a wrong layer table or a
  // lost tail moves it far beyond. Tails are checked apart: beyond the ziggurat's last layer
  // (3.654 for the normal, 7.697 for the exponential) each draw takes the slow path.
  const int n = 1'000'000;
  RandomStream rng(3, "shape");
  std::vector<double> normal(n), expo(n);
  for (int i = 0; i < n; ++i) normal[i] = rng.standard_normal();
  for (int i = 0; i < n; ++i) expo[i] = rng.standard_exponential();
  const double beyond_normal = static_cast<double>(std::count_if(normal.begin(), normal.end(),
                                                                 [](double z) { return std::abs(z) > 3.6541528853610088; }));
  const double beyond_expo = static_cast<double>(std::count_if(expo.begin(), expo.end(),
                                                               [](double x) { return x > 7.69711747013104972; }));
  const double bound = 1.63 / std::sqrt(n);
  CHECK(ks_distance(normal, [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }) < bound);
  CHECK(ks_distance(expo, [](double x) { return -std::expm1(-x); }) < bound);
  // Expected counts: n·P(|Z| > r) = 258 and n·e^−r = 453; five standard deviations either way.
  const double p_normal = std::erfc(3.6541528853610088 / std::sqrt(2.0));
  const double p_expo = std::exp(-7.69711747013104972);
  CHECK(std::abs(beyond_normal - n * p_normal) < 5 * std::sqrt(n * p_normal));
  CHECK(std::abs(beyond_expo - n * p_expo) < 5 * std::sqrt(n * p_expo));
  CHECK(*std::min_element(expo.begin(), expo.end()) >= 0.0);
}
