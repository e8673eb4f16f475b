// The provider block's price keys (cache_read, long_prompt), a model's `unconfirmed` and the
// batch RPM: read into the configuration, and each mistake reported where it was made.
#include "sim/scenario/provider_reader.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;

namespace {

// Line 6 holds the price; tests replace it, or another line, to change or break it.
const std::string kPriced = R"(name: priced
duration: 1m
provider:
  models:
    m:
      price: {input: 0.10, output: 0.50, cache_read: 0.01, long_prompt: {over_tokens: 100000, input: 0.50, output: 2.50}}
      limits: {rpm: 60}
      latency: {ttft: 1s, output_tps: 100}
  batch: {queue_limit: 200000, rpm: 1000}
workloads:
  - {name: w, model: m, backlog: {count: 1}, input_tokens: 10, output_tokens: 1, max_tokens: 1}
)";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

std::string with(const std::string& from, const std::string& to) { return replaced(kPriced, from, to); }

}  // namespace

TEST_CASE("a price may give cache reads their own price and a band for long prompts", "[scenario][price]") {
  const auto s = scenario_from(kPriced);
  const auto& p = s.world.provider;
  const auto& price = p.models[0].price;
  CHECK(price.input == 0.10);
  CHECK(price.output == 0.50);
  CHECK(price.cache_read == 0.01);
  REQUIRE(price.long_prompt);
  CHECK(price.long_prompt->over_tokens == 100000);
  CHECK(price.long_prompt->input == 0.50);
  CHECK(price.long_prompt->output == 2.50);
  CHECK_FALSE(price.long_prompt->cache_read);  // absent: the base band's multiple, price.hpp
  CHECK(p.batch_rpm == 1000);
  CHECK(p.batch_queue_limit == 200000);

  // Both left out: one band, cache reads at 0.1 × input (price.hpp), no batch RPM.
  const auto plain = scenario_from(replaced(with(", cache_read: 0.01, long_prompt: {over_tokens: 100000, input: 0.50, "
                                                "output: 2.50}",
                                                ""),
                                           ", rpm: 1000", ""))
                         .world.provider;
  CHECK_FALSE(plain.models[0].price.long_prompt);
  CHECK_FALSE(plain.batch_rpm);
  // A long band's own cache-read price.
  CHECK(scenario_from(with("output: 2.50}", "output: 2.50, cache_read: 0.05}")).world.provider.models[0].price
            .long_prompt->cache_read == 0.05);
}

TEST_CASE("price and batch mistakes name the place, the value and what was expected", "[scenario][price]") {
  CHECK(load_error(with("over_tokens: 100000", "over_tokens: 0")) ==
        "test.yaml:6:87: invalid value '0' for 'price.long_prompt.over_tokens': expected a whole number >= 1");
  CHECK(load_error(with("over_tokens: 100000", "over_tokens: 1.5")) ==
        "test.yaml:6:87: invalid value '1.5' for 'price.long_prompt.over_tokens': expected a whole number >= 1");
  CHECK(load_error(with("cache_read: 0.01", "cache_read: -1")) ==
        "test.yaml:6:54: invalid value '-1' for 'price.cache_read': expected a number >= 0");
  CHECK(load_error(with("input: 0.50, output: 2.50", "input: 0.50")) ==
        "test.yaml:6:73: missing key 'output' in long-prompt price of model 'm'");
  CHECK(load_error(with("input: 0.50, output: 2.50", "input: 0.50, output: 2.50, cach_read: 1")) ==
        "test.yaml:6:122: unknown key 'cach_read' in long-prompt price of model 'm' (did you mean 'cache_read'?)");
  CHECK(load_error(with("long_prompt: {", "long_prompt: 5, x: {")) ==
        "test.yaml:6:73: expected a mapping for long-prompt price of model 'm', got '5'");
  CHECK(load_error(with("rpm: 1000}", "rpm: 0}")) ==
        "test.yaml:9:37: invalid value '0' for 'batch.rpm': expected a whole number >= 1");
}

TEST_CASE("a model may be marked unconfirmed, with the reason", "[scenario][price]") {
  const auto s = scenario_from(with("      limits:", "      unconfirmed: \"seen only in secondary copies\"\n      limits:"));
  CHECK(s.world.provider.models[0].unconfirmed == "seen only in secondary copies");
  CHECK(scenario_from(kPriced).world.provider.models[0].unconfirmed.empty());
  CHECK(load_error(with("      limits:", "      unconfirmed: \"\"\n      limits:")) ==
        "test.yaml:7:20: invalid value '' for 'unconfirmed' of model 'm': expected the reason its figures are "
        "not confirmed, e.g. \"seen only in secondary copies of the rate-limits page\"");
}
