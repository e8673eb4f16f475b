// The estimate of what a scenario's offered work costs, against the monthly spend limit, and the
// warning given before a run when the work will pass the limit.
#include "sim/scenario/spend_forecast.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace ratesim;

namespace {

// Two workloads on one model at $3 / $15 per million input / output tokens:
// - chat: 20,000 requests in the hour, 1,000 tokens in and 200 out (max_tokens 1,024 does not
//   cap them): 1,000 × 3 / 10⁶ + 200 × 15 / 10⁶ = $0.006 a request, $120 in all;
// - nightly, Batch API: 10,000 requests, 2,000 in and 300 out capped by max_tokens 100:
//   (2,000 × 3 + 100 × 15) / 10⁶ = $0.0075 at list price, $0.00375 at the batch's half, $37.50.
// Offered: $157.50. With $60 of a $100 limit spent, $40 is left: 40 / 157.5 = 25.4% fits.
std::string forecast_scenario(const std::string& spend_limit) {
  return "name: f\nduration: 1h\nprovider:\n" + spend_limit +
         "  models:\n    m:\n      limits: {rpm: 100000, itpm: 100000000}\n      price: {input: 3, output: 15}\n"
         "      latency: {ttft: 1s, output_tps: 100}\n"
         "workloads:\n"
         "  - {name: chat, model: m, traffic: [{for: 1h, count: 20000}], input_tokens: 1000,"
         " output_tokens: 200, max_tokens: 1024}\n"
         "  - {name: nightly, model: m, api: batch, backlog: {count: 10000}, input_tokens: 2000,"
         " output_tokens: 300, max_tokens: 100}\n";
}

}  // namespace

TEST_CASE("the offered work is costed from mean sizes at list prices, batch at half", "[scenario]") {
  const auto s = testing::scenario_from(forecast_scenario("  spend_limit: {monthly_usd: 100, spent_usd: 60}\n"));
  const auto f = scenario::spend_forecast(s);
  REQUIRE(f);
  CHECK(f->offered_usd == Approx(120 + 37.5));
  CHECK(f->spent_usd == 60);
  CHECK(f->monthly_usd == 100);
  CHECK(f->fits() == Approx(40 / 157.5));
  CHECK(scenario::spend_limit_warning(s) ==
        "the offered work costs about $157.50 at list prices; with $60.00 already spent this month and a "
        "$100.00 monthly limit, about 25% of it fits before the spend limit stops it (an estimate from mean "
        "sizes at list prices, leaving out caching and closed-loop users)");
}

TEST_CASE("no spend warning when the work fits or there is no limit", "[scenario]") {
  // $157.50 of work with nothing spent of $500: it fits.
  const auto fits = testing::scenario_from(forecast_scenario("  spend_limit: {monthly_usd: 500}\n"));
  CHECK(scenario::spend_forecast(fits)->fits() == 1);
  CHECK_FALSE(scenario::spend_limit_warning(fits));
  const auto none = testing::scenario_from(forecast_scenario(""));
  CHECK_FALSE(scenario::spend_forecast(none));
  CHECK_FALSE(scenario::spend_limit_warning(none));
}

TEST_CASE("with the month's spend already at the limit, none of the work fits", "[scenario]") {
  const auto s = testing::scenario_from(forecast_scenario("  spend_limit: {monthly_usd: 100, spent_usd: 100}\n"));
  CHECK(scenario::spend_forecast(s)->fits() == 0);
  CHECK(scenario::spend_limit_warning(s)->find("about 0% of it fits") != std::string::npos);
}
