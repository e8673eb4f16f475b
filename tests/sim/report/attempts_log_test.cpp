// The attempts log: one JSON line per attempt as the client saw it, in the field names of a
// recorded log.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/report/attempts_log.hpp"
#include "test_support.hpp"

using namespace ratesim;
using nlohmann::json;

namespace {

std::vector<json> lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("the attempts log records each attempt with its status, usage and headers", "[report]") {
  // rpm 60 and itpm 100,000 with one-second buckets: 1 request and 1,666.7 tokens. Two requests
  // of 100 input tokens at t = 0: the first passes (1 s + 50 tokens / 100 per s = 1.5 s), the
  // second is refused for rpm, retry-after 1 s.
  std::ostringstream out;
  auto s = testing::scenario_from(
      "name: al\nduration: 1m\nprovider:\n  burst: 1s\n  models:\n    m:\n      limits: {rpm: 60, itpm: 100000}\n"
      "      price: {input: 1, output: 1}\n      latency: {ttft: 1s, output_tps: 100}\n"
      "workloads:\n  - {name: w, model: m, backlog: {count: 2}, input_tokens: 100, output_tokens: 50, max_tokens: 80}\n");
  cli::run_scenario(s, cli::RunOptions{.attempts_log = &out});
  const auto log = lines(out.str());
  REQUIRE(log.size() == 2);
  const json& refused = log[0];  // it came back at once
  CHECK(refused["request_id"] == "r1");
  CHECK(refused["status"] == 429);
  CHECK(refused["headers"]["retry-after"] == "1");
  CHECK(refused["headers"]["x-should-retry"] == "true");
  CHECK(refused["error"]["type"] == "rate_limit_error");
  CHECK_FALSE(refused.contains("usage"));
  const json& ok = log[1];
  CHECK(ok["request_id"] == "r0");
  CHECK(ok["attempt"] == 1);
  CHECK(ok["status"] == 200);
  CHECK(ok["latency_s"] == 1.5);
  CHECK(ok["usage"]["input_tokens"] == 100);
  CHECK(ok["usage"]["output_tokens"] == 50);
  CHECK(ok["input_tokens"] == 100);
  CHECK(ok["max_tokens"] == 80);
  // After it: no request left (full again in 1 s), 1,666 − 100 = 1,566 tokens left, which the
  // header rounds to the nearest thousand as the API does: 2,000. Full again after
  // 100 / 1,666.7 per s = 0.06 s. The group's only token budget is also the most restrictive,
  // so anthropic-ratelimit-tokens-* repeats it; requests are not tokens and stay exact.
  CHECK(ok["headers"]["anthropic-ratelimit-requests-limit"] == "60");
  CHECK(ok["headers"]["anthropic-ratelimit-requests-remaining"] == "0");
  CHECK(ok["headers"]["anthropic-ratelimit-requests-reset"] == "2026-01-01T00:00:01.000Z");
  CHECK(ok["headers"]["anthropic-ratelimit-input-tokens-remaining"] == "2000");
  CHECK(ok["headers"]["anthropic-ratelimit-input-tokens-reset"] == "2026-01-01T00:00:00.060Z");
  CHECK(ok["headers"]["anthropic-ratelimit-tokens-limit"] == "100000");
  CHECK(ok["headers"]["anthropic-ratelimit-tokens-remaining"] == "2000");
  CHECK(ok["headers"]["anthropic-ratelimit-tokens-reset"] == "2026-01-01T00:00:00.060Z");
  CHECK_FALSE(ok["headers"].contains("anthropic-ratelimit-output-tokens-limit"));
}

TEST_CASE("reset times are RFC 3339 instants counted from the log's epoch", "[report]") {
  // 59 days and 1 h 1 min 1.5 s after 2026-01-01T00:00:00Z is 1 March (2026 is not a leap year).
  const std::string model = "m";
  metrics::AttemptRecord a{.model = &model};
  a.decided_s = 59 * 86400 + 3661.5;
  a.has_headers = true;
  a.headers[0] = models::BudgetHeader{.limit = 60, .remaining = 3, .reset = std::chrono::seconds(0)};
  std::ostringstream out;
  report::AttemptsLog(out).write(a);
  CHECK(json::parse(out.str())["headers"]["anthropic-ratelimit-requests-reset"] == "2026-03-01T01:01:01.500Z");
}

TEST_CASE("token remainders are rounded to thousands and tokens-* names the tightest token budget", "[report]") {
  const std::string model = "m";
  metrics::AttemptRecord a{.model = &model};
  a.has_headers = true;
  // requests exact; input 1,499.9 → 1,000; output 2,500 → 3,000 (half away from zero); a
  // negative remainder (actual accounting's overdraft) reads 0.
  a.headers[0] = models::BudgetHeader{.limit = 60, .remaining = 7.9, .reset = std::chrono::seconds(1)};
  a.headers[1] = models::BudgetHeader{.limit = 450'000, .remaining = 1'499.9, .reset = std::chrono::seconds(2)};
  a.headers[2] = models::BudgetHeader{.limit = 90'000, .remaining = 2'500, .reset = std::chrono::seconds(3)};
  std::ostringstream out;
  report::AttemptsLog(out).write(a);
  json h = json::parse(out.str())["headers"];
  CHECK(h["anthropic-ratelimit-requests-remaining"] == "7");
  CHECK(h["anthropic-ratelimit-input-tokens-remaining"] == "1000");
  CHECK(h["anthropic-ratelimit-output-tokens-remaining"] == "3000");
  // The input budget has less room (1,499.9 < 2,500): tokens-* is its limit, remainder and reset.
  CHECK(h["anthropic-ratelimit-tokens-limit"] == "450000");
  CHECK(h["anthropic-ratelimit-tokens-remaining"] == "1000");
  CHECK(h["anthropic-ratelimit-tokens-reset"] == "2026-01-01T00:00:02.000Z");
  a.headers[2].remaining = -350;
  std::ostringstream again;
  report::AttemptsLog(again).write(a);
  h = json::parse(again.str())["headers"];
  CHECK(h["anthropic-ratelimit-output-tokens-remaining"] == "0");
  CHECK(h["anthropic-ratelimit-tokens-limit"] == "90000");
}
