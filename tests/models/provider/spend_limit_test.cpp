// The monthly spend limit: once this month's spend reaches the limit every attempt gets a 429
// with cause `spend`, no retry-after and no x-should-retry, which the SDKs retry by status (in
// vain, as the real ones do).
#include <catch2/catch.hpp>

#include "sim/metrics/diagnosis.hpp"
#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::LimitCause;
using models::RequestOutcome;

namespace {

// 125,000 input tokens at $1 per million is $0.125 a request (output is free): with $0.50
// already spent of $1.00, four requests reach the limit exactly.
std::string spend_scenario(const std::string& client) {
  return "name: s\nduration: 10m\nprovider:\n  spend_limit: {monthly_usd: 1.0, spent_usd: 0.5}\n"
         "  models:\n    m:\n      limits: {rpm: 1000, itpm: 100000000}\n"
         "      price: {input: 1, output: 0}\n      latency: {ttft: 1s, output_tps: 1000}\n"
         "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 10s, count: 10}],"
         " input_tokens: 125000, output_tokens: 10, max_tokens: 10" + client + "}\n";
}

}  // namespace

TEST_CASE("the spend limit refuses every attempt once this month's spend reaches it", "[provider]") {
  const auto s = run_yaml(spend_scenario(""));
  CHECK(s.total.requests(RequestOutcome::kOk) == 4);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 6);
  CHECK(s.total.r429_of(LimitCause::kSpend) == 6);
  CHECK(s.total.r429_total() == 6);
  CHECK(s.total.cost_total() == Approx(0.5));
}

TEST_CASE("a spend 429 has no retry-after, and the SDK presets retry it anyway", "[provider][client]") {
  Recorder rec;
  run_with(scenario_from(spend_scenario(", client: [{retry: {preset: anthropic-python}}]")), rec);
  std::size_t spend = 0;
  for (const auto& r : rec.results) {
    if (r.cause != LimitCause::kSpend) continue;
    ++spend;
    CHECK(r.retry_after == models::kNoRetryAfter);
    CHECK(r.should_retry == models::ShouldRetry::kAbsent);
  }
  // Six refused requests, each tried three times (two retries) before giving up.
  CHECK(spend == 18);
  const auto s = run_yaml(spend_scenario(", client: [{retry: {preset: anthropic-python}}]"));
  CHECK(s.total.attempts == 4 + 18);
  CHECK(s.total.r429_of(LimitCause::kSpend) == 18);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 6);
}

TEST_CASE("the diagnosis names the spend limit and its cure", "[provider]") {
  const auto d = metrics::diagnose(run_yaml(spend_scenario("")));
  REQUIRE_FALSE(d.causes.empty());
  CHECK(d.causes[0].cause == "spend");
  CHECK(d.causes[0].cure.find("next month") != std::string::npos);
}
