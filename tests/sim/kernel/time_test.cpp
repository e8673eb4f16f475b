#include "sim/kernel/time.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "sim/kernel/random_stream.hpp"

using namespace ratesim::kernel;

TEST_CASE("from_seconds rounds to the microsecond as std::round does, halves away from zero", "[kernel]") {
  CHECK(from_seconds(0.0000005).count() == 1);     // 0.5 µs (just above, in binary)
  CHECK(from_seconds(0.0000015).count() == 2);
  CHECK(from_seconds(-0.0000025).count() == -3);   // -2.5 µs: away from zero
  CHECK(from_seconds(2.5e-6).count() == 3);
  CHECK(from_seconds(1.2345674).count() == 1234567);
  CHECK(from_seconds(-1.2345676).count() == -1234568);
  CHECK(from_seconds(0.0).count() == 0);
  CHECK(from_seconds(-0.0).count() == 0);
  // Exact halves of a microsecond, which std::round takes away from zero.
  for (std::int64_t k = -1000; k <= 1000; ++k) {
    const double us = static_cast<double>(k) + 0.5;
    REQUIRE(from_seconds(us / 1e6).count() == static_cast<std::int64_t>(std::round(us / 1e6 * 1e6)));
  }
  // Random values over many magnitudes, against the library's rounding.
  RandomStream rng(5, "from_seconds");
  for (int i = 0; i < 200000; ++i) {
    const double s = (rng.uniform01() - 0.5) * std::pow(10.0, rng.uniform(-9, 12));
    REQUIRE(from_seconds(s).count() == static_cast<std::int64_t>(std::round(s * 1e6)));
  }
}

TEST_CASE("from_seconds saturates instead of overflowing", "[kernel]") {
  CHECK(from_seconds(1e300) == Duration::max());
  CHECK(from_seconds(-1e300) == Duration::min());
  CHECK(from_seconds(std::numeric_limits<double>::infinity()) == Duration::max());
  CHECK(from_seconds(std::numeric_limits<double>::quiet_NaN()) == Duration::max());
  CHECK(from_seconds(8.9e12).count() == 8'900'000'000'000'000'000);
}
