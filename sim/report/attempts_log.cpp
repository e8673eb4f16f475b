#include "sim/report/attempts_log.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/report/rfc3339.hpp"

namespace ratesim::report {
namespace {

using nlohmann::ordered_json;

const char* const kBudgetHeader[] = {"requests", "input-tokens", "output-tokens", "tokens"};

std::string refusal_message(models::LimitCause c) {
  switch (c) {
    case models::LimitCause::kRpm: return "This request would exceed the rate limit for requests per minute";
    case models::LimitCause::kItpm: return "This request would exceed the rate limit for input tokens per minute";
    case models::LimitCause::kOtpm: return "This request would exceed the rate limit for output tokens per minute";
    case models::LimitCause::kTpm: return "This request would exceed the rate limit for tokens per minute";
    case models::LimitCause::kAcceleration: return "Rate limited: a sharp increase in usage (acceleration limit)";
    case models::LimitCause::kSpend: return "You have reached your monthly spend limit";
    default: return "Rate limited";
  }
}

}  // namespace

void AttemptsLog::write(const metrics::AttemptRecord& a) {
  ordered_json j;
  j["time"] = format_rfc3339(kLogEpochUnix + a.sent_s, 6);
  j["request_id"] = fmt::format("r{}", a.request_id);
  j["arrival"] = format_rfc3339(kLogEpochUnix + a.arrival_s, 6);
  j["attempt"] = a.attempt;
  j["model"] = *a.model;
  if (a.workload) j["workload"] = *a.workload;
  const auto o = a.result.outcome;
  j["status"] = o == models::AttemptOutcome::kOk    ? ordered_json(200)
                : o == models::AttemptOutcome::k429 ? ordered_json(429)
                : o == models::AttemptOutcome::k529 ? ordered_json(529)
                                                     : ordered_json(nullptr);
  j["latency_s"] = std::round(a.latency_s * 1e6) / 1e6;
  j["max_tokens"] = a.max_tokens;
  j["input_tokens"] = a.prompt_tokens;
  if (o == models::AttemptOutcome::kOk)
    j["usage"] = ordered_json{{"input_tokens", a.input_tokens},
                              {"output_tokens", a.output_tokens},
                              {"cache_creation_input_tokens", a.cache_write_tokens},
                              {"cache_read_input_tokens", a.cache_read_tokens}};
  ordered_json headers = ordered_json::object();
  if (a.has_headers) {
    for (std::size_t b = 0; b < models::kBudgetCount; ++b) {
      const auto& h = a.headers[b];
      if (h.limit == 0) continue;
      const std::string name = std::string("anthropic-ratelimit-") + kBudgetHeader[b];
      headers[name + "-limit"] = std::to_string(h.limit);
      headers[name + "-remaining"] = std::to_string(static_cast<long long>(std::floor(std::max(0.0, h.remaining))));
      headers[name + "-reset"] = format_rfc3339(kLogEpochUnix + a.decided_s + kernel::to_seconds(h.reset), 3);
    }
  }
  if (a.result.retry_after >= kernel::Duration{0})
    headers["retry-after"] = std::to_string(a.result.retry_after.count() / 1'000'000);
  if (a.result.should_retry != models::ShouldRetry::kAbsent)
    headers["x-should-retry"] = a.result.should_retry == models::ShouldRetry::kTrue ? "true" : "false";
  if (!headers.empty()) j["headers"] = std::move(headers);
  if (o == models::AttemptOutcome::k429)
    j["error"] = ordered_json{{"type", "rate_limit_error"}, {"message", refusal_message(a.result.cause)}};
  else if (o == models::AttemptOutcome::k529)
    j["error"] = ordered_json{{"type", "overloaded_error"}, {"message", "Overloaded"}};
  else if (o == models::AttemptOutcome::kTimeout)
    j["error"] = ordered_json{{"type", "timeout"}, {"message", "the client stopped waiting (attempt_timeout)"}};
  out_ << j.dump() << '\n';
}

}  // namespace ratesim::report
