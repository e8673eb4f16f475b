#include "models/traffic/key_chooser.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::traffic;

TEST_CASE("Zipf keys follow 1/k^s and uniform keys are equally likely", "[traffic]") {
  const int n = 200000;
  kernel::RandomStream rng(4, "keys");
  // s = 1 over 4 keys: probabilities 1, 1/2, 1/3, 1/4 over H = 25/12.
  const KeyChooser zipf(CacheConfig{.keys = 4, .choice = CacheConfig::Choice::kZipf, .zipf_s = 1.0});
  const KeyChooser uniform(CacheConfig{.keys = 4});
  int z[4] = {}, u[4] = {};
  for (int i = 0; i < n; ++i) {
    ++z[zipf.pick(rng)];
    ++u[uniform.pick(rng)];
  }
  for (int k = 0; k < 4; ++k) {
    const double p = (1.0 / (k + 1)) / (25.0 / 12);
    CHECK(std::abs(z[k] - n * p) < 5 * std::sqrt(n * p * (1 - p)));
    CHECK(std::abs(u[k] - n * 0.25) < 5 * std::sqrt(n * 0.25 * 0.75));
  }
}

TEST_CASE("a single key draws no randomness", "[traffic]") {
  kernel::RandomStream a(1, "k"), b(1, "k");
  const KeyChooser one(CacheConfig{.keys = 1});
  CHECK(one.pick(a) == 0);
  CHECK(a.next_u64() == b.next_u64());
}
