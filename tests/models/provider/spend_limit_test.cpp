// The monthly spend limit: once this month's spend reaches the limit every attempt gets a 429
// with cause `spend`, no retry-after and no x-should-retry, which the SDKs retry by status (in
// vain, as the real ones do).
#include <catch2/catch.hpp>

#include "sim/metrics/diagnosis.hpp"
#include "sim/report/summary_json.hpp"
#include "sim/report/summary_table.hpp"
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

TEST_CASE("summary.json says when the spend limit was reached, and the table and diagnosis print it",
          "[provider][report]") {
  // Uniform arrivals at 1 request a second come at 1, 2, ..., 10 s; with no network delay the
  // fourth is admitted and charged at 4 s, bringing the month to $0.50 + 4 × $0.125 = $1.00.
  const auto s = run_yaml(spend_scenario(""));
  CHECK(s.spend_limit_reached_s == Approx(4.0));
  CHECK(report::summary_to_json(s)["spend"]["limit_reached_s"] == 4.0);
  CHECK(report::summary_table(s, false).find("spend limit reached at 4.0 s") != std::string::npos);
  CHECK(report::summary_table(s, false).find("monthly spend limit reached at 4.0 s") != std::string::npos);
  CHECK(metrics::diagnose(s).spend_limit_reached_s == Approx(4.0));

  SECTION("never reached: null, and nothing printed") {
    const auto far = run_yaml(
        "name: s\nduration: 1m\nprovider:\n  spend_limit: {monthly_usd: 100, spent_usd: 0}\n"
        "  models:\n    m:\n      limits: {rpm: 1000}\n      price: {input: 1, output: 0}\n"
        "      latency: {ttft: 1s, output_tps: 1000}\n"
        "workloads:\n  - {name: w, model: m, backlog: {count: 2}, input_tokens: 10, output_tokens: 1, max_tokens: 1}\n");
    CHECK(far.spend_limit_reached_s < 0);
    CHECK(report::summary_to_json(far)["spend"]["limit_reached_s"].is_null());
    CHECK(report::summary_table(far, false).find("spend limit reached") == std::string::npos);
  }
}

namespace {

// A Batch API backlog of ten requests, one batch of ten submitted at 0 s, each processed in
// exactly 10 s. 250,000 input tokens at $1 per million at the batch's half price is $0.125 a
// request (output is free).
std::string batch_scenario(const std::string& spent) {
  return "name: b\nduration: 1h\nprovider:\n  spend_limit: {monthly_usd: 1.0, spent_usd: " + spent + "}\n"
         "  batch: {processing_time: 10}\n"
         "  models:\n    m:\n      limits: {rpm: 1000, itpm: 100000000}\n      price: {input: 1, output: 0}\n"
         "      latency: {ttft: 1s, output_tps: 1000}\n"
         "workloads:\n  - {name: w, model: m, api: batch, batch: {size: 10, every: 1m}, backlog: {count: 10},"
         " input_tokens: 250000, output_tokens: 10, max_tokens: 10}\n";
}

}  // namespace

TEST_CASE("a batch's requests processed once the spend limit is reached are refused", "[provider][batch]") {
  // The batch ends at 10 s and is charged in submission order: $0.50 left of $1.00 pays for
  // 0.50 / 0.125 = 4 requests, the fourth bringing the month exactly to the limit; the other
  // six are refused (one 429 'spend' each, gave up, no charge).
  const auto s = run_yaml(batch_scenario("0.5"));
  CHECK(s.total.requests(RequestOutcome::kOk) == 4);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 6);
  CHECK(s.total.attempts == 10);
  CHECK(s.total.r429_of(LimitCause::kSpend) == 6);
  CHECK(s.total.cost_total() == Approx(4 * 0.125));
  CHECK(s.spend_limit_reached_s == Approx(10.0));

  SECTION("the request that crosses the limit is served in full: batches may go slightly over") {
    // $0.45 left: three requests bring the month to $0.925, the fourth to $1.05, past the limit.
    const auto over = run_yaml(batch_scenario("0.55"));
    CHECK(over.total.requests(RequestOutcome::kOk) == 4);
    CHECK(over.total.requests(RequestOutcome::kGaveUp) == 6);
    CHECK(over.total.cost_total() == Approx(0.5));
  }
}

TEST_CASE("a batch created once the spend limit is reached is refused whole", "[provider][batch]") {
  // The month's spend already reaches the limit: the create call gets the 429, so all ten
  // requests end gave up at the start, at no cost, and the limit counts as reached at 0 s.
  const auto s = run_yaml(batch_scenario("1.0"));
  CHECK(s.total.requests(RequestOutcome::kOk) == 0);
  CHECK(s.total.requests(RequestOutcome::kGaveUp) == 10);
  CHECK(s.total.r429_of(LimitCause::kSpend) == 10);
  CHECK(s.total.cost_total() == 0);
  CHECK(s.spend_limit_reached_s == 0.0);
}
