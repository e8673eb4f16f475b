// Reading attempts logs: JSON Lines and CSV with dotted names, times in RFC 3339 or seconds,
// headers as sent, and malformed lines reported at their position or skipped.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/calibrate/attempts_reader.hpp"
#include "sim/calibrate/calibrate.hpp"
#include "sim/calibrate/inference.hpp"
#include "sim/calibrate/log_summary.hpp"
#include "sim/report/rfc3339.hpp"
#include "sim/scenario/input_error.hpp"

using namespace ratesim;
using calibrate::read_attempts_logs;

namespace {

/// Writes `text` to a fresh file named `name` in a temporary folder and returns its path.
std::string write_log(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / ("ratesim-reader-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string error_of(const std::string& path, bool skip_bad = false) {
  try {
    read_attempts_logs({path}, {.skip_bad = skip_bad});
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("RFC 3339 times read with their zone and written in UTC", "[calibrate]") {
  // 2026-03-01 is 59 days after 2026-01-01 (Unix 1767225600).
  CHECK(*report::parse_rfc3339("2026-03-01T01:01:01.5Z") == Approx(1767225600 + 59 * 86400 + 3661.5));
  CHECK(*report::parse_rfc3339("2026-03-01T02:01:01.5+01:00") == Approx(1767225600 + 59 * 86400 + 3661.5));
  CHECK(*report::parse_rfc3339("2026-02-28 20:01:01.5-05:00") == Approx(1767225600 + 59 * 86400 + 3661.5));
  CHECK_FALSE(report::parse_rfc3339("2026-03-01T01:01:01"));  // no zone
  CHECK_FALSE(report::parse_rfc3339("2026-13-01T01:01:01Z"));
  CHECK_FALSE(report::parse_rfc3339("yesterday"));
  CHECK(report::format_rfc3339(1767225600 + 59 * 86400 + 3661.5, 3) == "2026-03-01T01:01:01.500Z");
  CHECK(report::format_rfc3339(951782400, 0) == "2000-02-29T00:00:00Z");  // a leap day
}

TEST_CASE("a JSON Lines log gives attempts, requests, usage and headers", "[calibrate]") {
  const std::string path = write_log("two.jsonl",
      R"({"time": "2026-03-01T12:00:00Z", "request_id": "a", "attempt": 1, "model": "m", "status": 429, "latency_s": 0.1,)"
      R"( "input_tokens": 900, "headers": {"Retry-After": "3", "anthropic-ratelimit-input-tokens-limit": "1000",)"
      R"( "anthropic-ratelimit-input-tokens-remaining": "500", "anthropic-ratelimit-input-tokens-reset": "2026-03-01T12:00:30Z"},)"
      R"( "error": {"type": "rate_limit_error", "message": "This request would exceed the rate limit for your organization of 1,000 input tokens per minute."}})"
      "\n\n"
      R"({"time": "2026-03-01T12:00:03.5Z", "request_id": "a", "attempt": 2, "model": "m", "status": 200, "latency_s": 2.5, "ttft_s": 0.5,)"
      R"( "max_tokens": 512, "usage": {"input_tokens": 100, "output_tokens": 300, "cache_read_input_tokens": 800}, "extra": [1, 2]})"
      "\n");
  const auto log = read_attempts_logs({path});
  REQUIRE(log.attempts.size() == 2);
  CHECK(log.epoch == Approx(*report::parse_rfc3339("2026-03-01T12:00:00Z")));
  const auto& refused = log.attempts[0];
  CHECK(refused.time == 0);
  CHECK(refused.status == 429);
  CHECK(refused.retry_after == 3);
  CHECK(refused.prompt() == 900);
  CHECK(refused.named_cause == models::LimitCause::kItpm);
  CHECK(refused.budgets[1].limit == 1000);
  CHECK(refused.budgets[1].remaining == 500);
  CHECK(refused.budgets[1].reset == Approx(30));
  CHECK(refused.budgets[0].limit == 0);  // not sent
  const auto& ok = log.attempts[1];
  CHECK(ok.time == Approx(3.5));
  CHECK(ok.ttft == 0.5);
  CHECK(ok.prompt() == 900);  // 100 uncached + 800 read from the cache
  CHECK(ok.end() == Approx(6));
  const auto requests = calibrate::logical_requests(log);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].ok);
  CHECK(requests[0].attempt_index == std::vector<std::uint32_t>{0, 1});
  CHECK(requests[0].output == 300);
  CHECK(requests[0].cached == 800);
  CHECK(requests[0].end == Approx(6));
}

TEST_CASE("anthropic-ratelimit-tokens-* beside input and output headers is no budget of its own", "[calibrate]") {
  // The API's tokens-* headers repeat the most restrictive token budget in effect: with
  // input-tokens headers on the line they fit no tpm limit; alone (an OpenAI-style group with
  // only tpm) they are that budget.
  const std::string both = write_log("tokens-both.jsonl",
      R"({"time": 0, "request_id": "a", "model": "m", "status": 200, "latency_s": 1, "headers": {)"
      R"("anthropic-ratelimit-input-tokens-limit": "450000", "anthropic-ratelimit-input-tokens-remaining": "449000",)"
      R"( "anthropic-ratelimit-tokens-limit": "450000", "anthropic-ratelimit-tokens-remaining": "449000"}})"
      "\n");
  const auto log = read_attempts_logs({both});
  CHECK(log.attempts[0].budgets[1].limit == 450000);
  CHECK(log.attempts[0].budgets[3].limit == 0);
  const std::string alone = write_log("tokens-alone.jsonl",
      R"({"time": 0, "request_id": "a", "model": "m", "status": 200, "latency_s": 1, "headers": {)"
      R"("anthropic-ratelimit-tokens-limit": "30000", "anthropic-ratelimit-tokens-remaining": "29000"}})"
      "\n");
  CHECK(read_attempts_logs({alone}).attempts[0].budgets[3].limit == 30000);
}

TEST_CASE("a CSV log uses dotted names for nested fields, with quoting", "[calibrate]") {
  const std::string path = write_log("two.csv",
      "time,request_id,model,status,latency_s,usage.output_tokens,headers.retry-after,error.message\n"
      "100.0,1,m,429,0.05,,2,\"would exceed 50 requests per minute, retry later\"\n"
      "102.5,1,m,200,1.25,40,,\n");
  const auto log = read_attempts_logs({path});
  REQUIRE(log.attempts.size() == 2);
  CHECK(log.epoch == 100);
  CHECK(log.attempts[0].retry_after == 2);
  CHECK(log.attempts[0].named_cause == models::LimitCause::kRpm);
  CHECK(log.attempts[1].time == Approx(2.5));
  CHECK(log.attempts[1].has_usage);
  CHECK(log.attempts[1].output_tokens == 40);
  CHECK(log.request_ids.size() == 1);
}

TEST_CASE("a malformed line is an error at its file and line, or skipped when asked", "[calibrate]") {
  const std::string good = R"({"time": 1, "request_id": "a", "model": "m", "status": 200})";
  const std::string broken = write_log("broken.jsonl", good + "\n" + good + "\n{\"time\": 3, \"request_id\": \n");
  CHECK_THAT(error_of(broken), Catch::Contains("broken.jsonl:3:") && Catch::Contains("malformed JSON"));
  const auto log = read_attempts_logs({broken}, {.skip_bad = true});
  CHECK(log.attempts.size() == 2);
  CHECK(log.skipped == 1);
  CHECK(log.first_skipped_line == 3);

  CHECK_THAT(error_of(write_log("missing.jsonl", R"({"time": 1, "model": "m", "status": 200})")),
             Catch::Contains("missing.jsonl:1:1: missing field 'request_id'"));
  CHECK_THAT(error_of(write_log("time.jsonl", R"({"time": "noon", "request_id": 1, "model": "m"})")),
             Catch::Contains("time.jsonl:1:1: invalid value 'noon' for 'time'") && Catch::Contains("RFC 3339"));
  CHECK_THAT(error_of(write_log("usage.jsonl", R"({"time": 1, "request_id": 1, "model": "m", "usage": {"output_tokens": -4}})")),
             Catch::Contains("invalid value '-4' for 'output_tokens'"));
  CHECK_THAT(error_of(write_log("array.jsonl", "[1, 2]\n")), Catch::Contains("array.jsonl:1:1: expected a JSON object"));
  CHECK_THAT(error_of(write_log("fields.csv", "time,request_id,model\n1,a\n")),
             Catch::Contains("fields.csv:2:1: expected 3 fields as in the header, got 2"));
  CHECK_THAT(error_of(write_log("header.csv", "when,request_id\n")), Catch::Contains("no 'time' column"));
  CHECK_THAT(error_of(write_log("empty.jsonl", "\n\n")), Catch::Contains("the attempts log is empty"));
  CHECK_THAT(error_of(write_log("all-bad.jsonl", "x\ny\n"), true), Catch::Contains("every line was malformed"));
  CHECK_THAT(error_of("/nonexistent/log.jsonl"), Catch::Contains("cannot open attempts log"));
}

TEST_CASE("values that would exhaust memory or overflow are refused with their position", "[calibrate]") {
  const auto line = [](const std::string& extra) {
    return R"({"time": 1700000000, "request_id": "a", "model": "m")" + extra + "}\n";
  };
  CHECK_THAT(error_of(write_log("status.jsonl", line(R"(, "status": 1e10)"))),
             Catch::Contains("status.jsonl:1:1: invalid value '1e10' for 'status': expected an HTTP status"));
  CHECK_THAT(error_of(write_log("latency.jsonl", line(R"(, "latency_s": 1e20)"))),
             Catch::Contains("invalid value '1e20' for 'latency_s': expected seconds, 0 to a year"));
  CHECK_THAT(error_of(write_log("limit.jsonl", line(R"(, "headers": {"anthropic-ratelimit-requests-limit": "1e300"})"))),
             Catch::Contains("for 'anthropic-ratelimit-requests-limit': expected a limit per minute, 1 to 1e12"));
  // Milliseconds where seconds were meant: the year 55,000.
  CHECK_THAT(error_of(write_log("ms.jsonl", R"({"time": 1700000000000, "request_id": "a", "model": "m"})")),
             Catch::Contains("invalid value '1700000000000' for 'time'"));
  CHECK_THAT(error_of(write_log("span.jsonl", line("") + R"({"time": 1800000000, "request_id": "b", "model": "m"})" + "\n")),
             Catch::Contains("span.jsonl:2:1: the log spans 1157 days") && Catch::Contains("at most 366 days"));
  CHECK_THAT(error_of(write_log("long.jsonl", line("") + std::string(2 << 20, ' ') + "\n")),
             Catch::Contains("long.jsonl:2:1: the line is longer than 1048576 bytes"));
  CHECK_THAT(error_of(write_log("deep.jsonl", R"({"time": 1, "request_id": "a", "model": "m", "x": )" + std::string(100000, '[') +
                                                  std::string(100000, ']') + "}\n")),
             Catch::Equals(""));  // deep nesting in an unknown field is read (and ignored) without recursion
}

TEST_CASE("a model or workload name becomes a scenario name", "[calibrate]") {
  CHECK(calibrate::scenario_name("claude-haiku-4-5") == "claude-haiku-4-5");
  CHECK(calibrate::scenario_name("anthropic.claude-haiku-4-5-v1:0") == "anthropic-claude-haiku-4-5-v1-0");
  CHECK(calibrate::scenario_name("-x") == "m-x");
  CHECK(calibrate::scenario_name("") == "m");
}

TEST_CASE("a 429's cause: the message's, else the headers' against the request's needs, with rounding",
          "[calibrate]") {
  calibrate::LoggedAttempt a;
  a.status = 429;
  a.max_tokens = 100;
  const calibrate::HeaderSlack exact{};
  CHECK(calibrate::infer_cause(a, 2000, exact) == calibrate::kUnknownCause);  // no headers, no message
  a.budgets[0] = {.limit = 50, .remaining = 3, .reset = 1};
  a.budgets[1] = {.limit = 10000, .remaining = 1500, .reset = 3};  // 500 short of a 2,000-token prompt
  CHECK(calibrate::infer_cause(a, 2000, exact) == models::LimitCause::kItpm);
  a.budgets[1].remaining = 2500;
  CHECK(calibrate::infer_cause(a, 2000, exact) == models::LimitCause::kAcceleration);
  // Remainders rounded to thousands: 2,000 may be 1,500 to 2,499, so a 2,000-token prompt may
  // not fit (exhausted); 2,500 leaves room by more than rounding explains.
  calibrate::HeaderSlack rounded{};
  rounded[1] = 500;
  a.budgets[1].remaining = 2000;
  CHECK(calibrate::infer_cause(a, 2000, rounded) == models::LimitCause::kItpm);
  CHECK(calibrate::infer_cause(a, 1500, rounded) == models::LimitCause::kAcceleration);
  // A prompt the log never shows cannot decide the input budget ...
  CHECK(calibrate::infer_cause(a, -1, rounded) == calibrate::kUnknownCause);
  // ... but a budget that needs no prompt can: no request left.
  a.budgets[0].remaining = 0;
  CHECK(calibrate::infer_cause(a, -1, rounded) == models::LimitCause::kRpm);
  // Two budgets short: the one that needs the longer to refill. rpm: 1 request at 50/60 per s =
  // 1.2 s; itpm: 3,000 − 2,000 = 1,000 tokens at 10,000/60 per s = 6 s.
  CHECK(calibrate::infer_cause(a, 3000, exact) == models::LimitCause::kItpm);
  a.named_cause = models::LimitCause::kSpend;
  CHECK(calibrate::infer_cause(a, 2000, rounded) == models::LimitCause::kSpend);
  CHECK(calibrate::cause_from_message("Output tokens per minute exceeded") == models::LimitCause::kOtpm);
  CHECK(calibrate::cause_from_message("You have reached your specified API usage limits") == models::LimitCause::kNone);
}
