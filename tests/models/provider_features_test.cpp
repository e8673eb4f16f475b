// Provider features end to end: whole scenarios whose results follow from arithmetic or from a
// known distribution.
#include <catch2/catch.hpp>
#include <cmath>

#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;
using models::RequestOutcome;

namespace {
std::string batch_scenario(const std::string& batch_provider, const std::string& workload_extra) {
  return "name: b\nduration: 30h\nprovider:\n  batch: " + batch_provider +
         "\n  models:\n    m:\n      limits: {rpm: 60}\n      price: {input: 3, output: 15}\n"
         "      latency: {ttft: 1s, output_tps: 100}\n"
         "workloads:\n  - name: w\n    model: m\n    api: batch\n    backlog: {count: 3000}\n"
         "    input_tokens: 2000\n    output_tokens: 300\n    max_tokens: 512\n" + workload_extra;
}
}  // namespace

TEST_CASE("batches wait for room in the processing queue", "[provider][batch]") {
  // Queue of 1000, batches of 1000, each request takes exactly 1 h: one batch at a time, the
  // next submitted when the previous ends (the flush every 10 m finds room at 1 h, 2 h).
  const auto s = run_yaml(batch_scenario("{queue_limit: 1000, processing_time: 1h}",
                                         "    batch: {size: 1000, every: 10m}\n"));
  CHECK(s.total.requests(RequestOutcome::kOk) == 3000);
  CHECK(s.total.latency.max == Approx(3 * 3600.0));
  CHECK(s.total.latency.mean == Approx(2 * 3600.0));
  CHECK(s.total.queue_wait.max == Approx(2 * 3600.0));
}

TEST_CASE("with the default processing time a batch of 100 ends well within the hour", "[provider][batch]") {
  // Anthropic: most batches finish within an hour. A batch ends with its slowest request: the
  // expected largest of 100 lognormal(median 6 min, sigma 0.5) draws is about 19 minutes.
  const auto s = run_yaml(
      "name: b\nduration: 3h\nprovider:\n  models:\n    m:\n      limits: {rpm: 1000}\n"
      "      price: {input: 1, output: 1}\n      latency: {ttft: 1s, output_tps: 100}\n"
      "workloads:\n  - {name: w, model: m, api: batch, backlog: {count: 100}, batch: {size: 100, every: 1m},"
      " input_tokens: 10, output_tokens: 10, max_tokens: 10}\n");
  CHECK(s.total.requests(models::RequestOutcome::kOk) == 100);
  CHECK(s.total.makespan_s < 3600);
  CHECK(s.total.makespan_s > 600);
}

TEST_CASE("batch requests not done in 24 hours expire and cost nothing", "[provider][batch]") {
  // Processing times uniform on [20 h, 28 h]: half finish in time. The batch ends at 24 h.
  const auto s = run_yaml(batch_scenario("{processing_time: {uniform: [20h, 28h]}}",
                                         "    batch: {size: 3000}\n"));
  const double expired = static_cast<double>(s.total.requests(RequestOutcome::kExpired));
  CHECK(std::abs(expired - 1500) < 5 * std::sqrt(3000 * 0.25));  // binomial(3000, 1/2)
  CHECK(s.total.requests(RequestOutcome::kOk) + s.total.requests(RequestOutcome::kExpired) == 3000);
  CHECK(s.total.latency.max == Approx(24 * 3600.0));
  // Only finished requests are billed, at half price: 2000 × $3/M + 300 × $15/M = $0.0105 each.
  CHECK(s.total.cost_total() == Approx(0.0105 * s.total.requests(RequestOutcome::kOk) * 0.5));
}

TEST_CASE("caching and the batch discount give costs exact to the cent", "[provider][cost]") {
  // 100 requests of 10,000 input tokens, the first 8,000 a cached prefix (1 key, 5 m), each one
  // second apart through Messages: 1 write, then 99 reads.
  const std::string messages =
      "name: c\nduration: 10m\nprovider:\n  models:\n    m:\n      limits: {itpm: 10000000}\n"
      "      price: {input: 3, output: 15}\n      latency: {ttft: 100ms, output_tps: 1000}\n"
      "workloads:\n  - name: w\n    model: m\n    arrivals: uniform\n"
      "    traffic: [{for: 100s, rate: 1/s}]\n    input_tokens: 10000\n    output_tokens: 500\n"
      "    max_tokens: 500\n    cache: {prefix_tokens: 8000}\n";
  const auto s = run_yaml(messages);
  REQUIRE(s.total.attempts_ok == 100);
  CHECK(s.total.cache_write_tokens == 8000);
  CHECK(s.total.cache_read_tokens == 99 * 8000);
  // uncached 100 × 2000 × $3/M = $0.60; write 8000 × $3.75/M = $0.03; reads 792,000 × $0.30/M
  // = $0.2376; output 50,000 × $15/M = $0.75. Total $1.6176.
  CHECK(std::round(s.total.cost_input * 100) == 60);
  CHECK(std::round(s.total.cost_cache_write * 100) == 3);
  CHECK(std::round(s.total.cost_cache_read * 1e4) == 2376);
  CHECK(std::round(s.total.cost_output * 100) == 75);
  CHECK(std::round(s.total.cost_total() * 1e4) == 16176);
  // One-hour entries cost 2× input to write: $0.048 instead of $0.03.
  auto one_hour = messages;
  one_hour.replace(one_hour.find("prefix_tokens: 8000}"), 20, "prefix_tokens: 8000, ttl: 1h}");
  CHECK(std::round(run_yaml(one_hour).total.cost_cache_write * 1000) == 48);
}

TEST_CASE("529s arrive at the overload rate whatever the traffic", "[provider]") {
  const auto s = run_yaml(
      "name: o\nseed: 3\nduration: 1h\nprovider:\n  overload: {rate: 0.05}\n  models:\n    m:\n"
      "      limits: {rpm: 1000000}\n      price: {input: 1, output: 1}\n"
      "      latency: {ttft: 10ms, output_tps: 100000}\n"
      "workloads:\n  - {name: w, model: m, traffic: [{for: 1h, rate: 10/s}], input_tokens: 10,"
      " output_tokens: 1, max_tokens: 1}\n");
  const double n = static_cast<double>(s.total.attempts);
  CHECK(std::abs(static_cast<double>(s.total.r529) - 0.05 * n) < 5 * std::sqrt(n * 0.05 * 0.95));
  CHECK(s.total.r429_total() == 0);
}

TEST_CASE("a backfill started at full speed trips the acceleration limit, a steady one does not",
          "[provider]") {
  const std::string base =
      "name: a\nduration: 30m\nprovider:\n  acceleration: {}\n  models:\n    m:\n"
      "      limits: {rpm: 600}\n      price: {input: 1, output: 1}\n"
      "      latency: {ttft: 100ms, output_tps: 100000}\n"
      "workloads:\n  - {name: w, model: m, arrivals: uniform, traffic: [{for: 30m, rate: RATE}],"
      " input_tokens: 10, output_tokens: 1, max_tokens: 1}\n";
  auto at = [&](const std::string& rate) {
    std::string y = base;
    y.replace(y.find("RATE"), 4, rate);
    return run_yaml(y).total;
  };
  // 2/s is 20% of rpm: under the 25% floor, never refused.
  CHECK(at("2/s").r429_of(models::LimitCause::kAcceleration) == 0);
  // 8/s from a cold start (80% at once) is refused as acceleration, not as rpm.
  const auto jump = at("8/s");
  CHECK(jump.r429_of(models::LimitCause::kAcceleration) > 0);
  CHECK(jump.r429_of(models::LimitCause::kRpm) == 0);
}
