// What a request costs: its prompt chooses the band, cache reads have their model's price,
// cache writes are multiples of input, and the Batch API halves all of it. Every figure is worked
// out by hand in the comment before it is asserted (USD; prices per million tokens).
#include "models/provider/price.hpp"

#include <catch2/catch.hpp>

#include "models/provider/provider.hpp"

using namespace ratesim;
using namespace ratesim::models;
using namespace ratesim::models::provider;
using namespace std::chrono_literals;
using kernel::kTimeZero;

namespace {

/// Haiku 5.5's two bands on the October 2026 pricing page: 0.10 / 0.50 for prompts up to 100,000
/// tokens, 0.50 / 2.50 above; cache reads 0.1 × input in both.
const Price kHaiku55{.input = 0.10,
                     .output = 0.50,
                     .long_prompt = LongPromptPrice{.over_tokens = 100'000, .input = 0.50, .output = 2.50}};

Request tokens(std::uint32_t uncached, std::uint32_t writes, std::uint32_t reads, std::uint32_t output) {
  Request r;
  r.input_tokens = uncached;
  r.cache_write_tokens = writes;
  r.cache_read_tokens = reads;
  r.output_tokens = output;
  return r;
}

}  // namespace

TEST_CASE("a prompt over the band's over_tokens bills the whole request at the long band", "[provider][price]") {
  // 50,000 uncached + 40,000 written + 60,000 read = 150,000 prompt tokens > 100,000: long band,
  // though no part alone is over it.
  //   input        50,000 × 0.50             / 10^6 = 0.025
  //   cache write  40,000 × 0.50 × 1.25      / 10^6 = 0.025
  //   cache read   60,000 × (0.1 × 0.50)     / 10^6 = 0.003
  //   output        2,000 × 2.50             / 10^6 = 0.005
  //   total                                          0.058 (at the base band it would be 0.0116)
  const Charge c = charge_for(kHaiku55, tokens(50'000, 40'000, 60'000, 2'000));
  CHECK(c.input == Approx(0.025));
  CHECK(c.cache_write == Approx(0.025));
  CHECK(c.cache_read == Approx(0.003));
  CHECK(c.output == Approx(0.005));
  CHECK(c.total() == Approx(0.058));
}

TEST_CASE("a prompt of exactly over_tokens stays in the base band", "[provider][price]") {
  // 100,000 prompt tokens is not over 100,000: 100,000 × 0.10 / 10^6 = 0.01 and
  // 1,000 × 0.50 / 10^6 = 0.0005, total 0.0105.
  const Charge at = charge_for(kHaiku55, tokens(100'000, 0, 0, 1'000));
  CHECK(at.input == Approx(0.01));
  CHECK(at.output == Approx(0.0005));
  CHECK(at.total() == Approx(0.0105));
  // One token more is long: 100,001 × 0.50 / 10^6 = 0.0500005 and 1,000 × 2.50 / 10^6 = 0.0025.
  const Charge over = charge_for(kHaiku55, tokens(100'001, 0, 0, 1'000));
  CHECK(over.input == Approx(0.0500005));
  CHECK(over.output == Approx(0.0025));
  const PriceBand band = band_for(kHaiku55, 100'001);
  CHECK(band.input == 0.50);
  CHECK(band.output == 2.50);
  CHECK(band.cache_read == Approx(0.05));  // 0.1 × 0.50
}

TEST_CASE("cache reads cost the model's own price, 0.1 × input when it gives none", "[provider][price]") {
  // Sonnet 5.5 from 2026-10-07: input 2, cache read 0.05 × 2 = 0.10.
  //   1,000,000 read × 0.10 / 10^6 = 0.10;  10,000 uncached × 2 / 10^6 = 0.02.
  const Price sonnet55{.input = 2.0, .output = 10.0, .cache_read = 0.10};
  const Charge c = charge_for(sonnet55, tokens(10'000, 0, 1'000'000, 0));
  CHECK(c.cache_read == Approx(0.10));
  CHECK(c.input == Approx(0.02));
  // Sonnet 5 gives none: 0.1 × 2 = 0.20 per million, so 1,000,000 reads cost 0.20.
  CHECK(charge_for(Price{.input = 2.0, .output = 10.0}, tokens(0, 0, 1'000'000, 0)).cache_read == Approx(0.20));
  // Fable 5.1: 0.025 × 10 = 0.25 per million; 400,000 reads: 400,000 × 0.25 / 10^6 = 0.10.
  CHECK(charge_for(Price{.input = 10.0, .output = 50.0, .cache_read = 0.25}, tokens(0, 0, 400'000, 0)).cache_read ==
        Approx(0.10));
}

TEST_CASE("a long band without a cache-read price keeps the base band's multiple of input", "[provider][price]") {
  // Base: input 4, cache read 0.20 = 0.05 × input. Long band input 8 → 0.05 × 8 = 0.40 per million.
  Price p{.input = 4.0, .output = 20.0, .cache_read = 0.20,
          .long_prompt = LongPromptPrice{.over_tokens = 10, .input = 8.0, .output = 40.0}};
  CHECK(band_for(p, 11).cache_read == Approx(0.40));
  CHECK(band_for(p, 10).cache_read == Approx(0.20));
  // Its own price wins: 0.30.
  p.long_prompt->cache_read = 0.30;
  CHECK(band_for(p, 11).cache_read == Approx(0.30));
  // A free base input leaves no multiple to keep: 0.1 × 8 = 0.80.
  const Price free_base{.input = 0, .output = 0, .long_prompt = LongPromptPrice{.over_tokens = 10, .input = 8.0, .output = 40.0}};
  CHECK(band_for(free_base, 11).cache_read == Approx(0.80));
}

TEST_CASE("cache writes cost 1.25 × input for 5-minute entries and 2 × for 1-hour entries", "[provider][price]") {
  // Opus 4.x, input 5: 200,000 written × 5 × 1.25 / 10^6 = 1.25; × 2 instead: 2.00.
  const Price opus{.input = 5.0, .output = 25.0};
  const Request r = tokens(0, 200'000, 0, 0);
  CHECK(charge_for(opus, r).cache_write == Approx(1.25));
  CHECK(charge_for(opus, r, cache_write_multiplier(1h)).cache_write == Approx(2.0));
  CHECK(charge_for(opus, r, cache_write_multiplier(5min)).cache_write == Approx(1.25));
}

TEST_CASE("the Batch API halves the banded price, cache writes and reads included", "[provider][price]") {
  ProviderConfig config{
      .models = {Model{.name = "haiku-5-5", .group = "g", .price = kHaiku55, .latency = {}, .cache = {.min_tokens = 1024}}},
      .groups = {Group{.name = "g", .limits = Limits{.rpm = 100}}}};
  Provider p(config, 1);
  p.add_cache(0, 1h, 1);
  Request r;
  r.prompt = 150'000;
  r.cache_prefix = 30'000;
  r.output_tokens = 2'000;
  // First: 30,000 written (1-hour entry), 120,000 uncached; 150,000 > 100,000, so the long band.
  //   input   120,000 × 0.50       / 10^6 = 0.06    → half 0.03
  //   write    30,000 × 0.50 × 2   / 10^6 = 0.03    → half 0.015
  //   output    2,000 × 2.50       / 10^6 = 0.005   → half 0.0025
  //   total                                  0.095  → half 0.0475
  const Charge first = p.batch_charge(kTimeZero, r);
  CHECK(first.input == Approx(0.03));
  CHECK(first.cache_write == Approx(0.015));
  CHECK(first.cache_read == 0);
  CHECK(first.output == Approx(0.0025));
  CHECK(first.total() == Approx(0.0475));
  // Then a read of the live entry: 30,000 × (0.1 × 0.50) / 10^6 = 0.0015 → half 0.00075; the
  // rest as before: total 0.06 + 0.0015 + 0.005 = 0.0665 → half 0.03325.
  const Charge second = p.batch_charge(kTimeZero + 1min, r);
  CHECK(second.cache_read == Approx(0.00075));
  CHECK(second.total() == Approx(0.03325));
  // The provider's spend counts both: 0.0475 + 0.03325 = 0.08075.
  CHECK(p.spent() == Approx(0.08075));
}
