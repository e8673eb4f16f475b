#include "sim/metrics/histogram.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "sim/kernel/random_stream.hpp"

using namespace ratesim::metrics;
using Catch::Matchers::WithinRel;

TEST_CASE("percentiles are within 1% of the exact order statistic", "[metrics]") {
  Histogram h;
  std::vector<double> values;
  ratesim::kernel::RandomStream rng(5, "hist");
  for (int i = 0; i < 100000; ++i) {
    const double v = rng.lognormal(2.0, 1.0);
    values.push_back(v);
    h.add(v);
  }
  std::sort(values.begin(), values.end());
  for (const double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = values[static_cast<std::size_t>(std::ceil(q * values.size())) - 1];
    CHECK_THAT(h.quantile(q), WithinRel(exact, 0.01));
  }
  CHECK(h.max() == values.back());
  CHECK(h.min() == values.front());
  CHECK(h.count() == 100000);
}

TEST_CASE("count, mean and max are exact and clear starts over", "[metrics]") {
  Histogram h;
  for (const double v : {1.0, 2.0, 3.0, 10.0}) h.add(v);
  CHECK(h.mean() == 4.0);
  CHECK(h.max() == 10.0);
  CHECK_THAT(h.quantile(0.5), WithinRel(2.0, 0.01));
  CHECK(h.quantile(1.0) == 10.0);
  h.clear();
  CHECK(h.count() == 0);
  CHECK(h.quantile(0.5) == 0.0);
  h.add(7.0);
  CHECK_THAT(h.quantile(0.5), WithinRel(7.0, 0.01));
}

TEST_CASE("zero and tiny values land in the bottom bucket", "[metrics]") {
  Histogram h;
  h.add(0.0);
  h.add(1e-9);
  CHECK(Histogram::bucket_of(0.0) == 0);
  CHECK(h.quantile(0.5) == 0.0);
}
