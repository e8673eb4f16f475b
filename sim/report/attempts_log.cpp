#include "sim/report/attempts_log.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <string_view>

#include "sim/report/rfc3339.hpp"

namespace ratesim::report {
namespace {

const char* const kBudgetHeader[] = {"anthropic-ratelimit-requests", "anthropic-ratelimit-input-tokens",
                                     "anthropic-ratelimit-output-tokens", "anthropic-ratelimit-tokens"};

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

/// `s` as a JSON string, quotes included.
void json_string(fmt::memory_buffer& b, std::string_view s) {
  b.push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': b.append(std::string_view("\\\"")); break;
      case '\\': b.append(std::string_view("\\\\")); break;
      case '\n': b.append(std::string_view("\\n")); break;
      case '\r': b.append(std::string_view("\\r")); break;
      case '\t': b.append(std::string_view("\\t")); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) fmt::format_to(std::back_inserter(b), "\\u{:04x}", static_cast<int>(c));
        else b.push_back(c);
    }
  }
  b.push_back('"');
}

/// Seconds rounded to the microsecond, written as the shortest decimal that reads back the same.
void micros(fmt::memory_buffer& b, double seconds) {
  fmt::format_to(std::back_inserter(b), "{}", std::round(seconds * 1e6) / 1e6);
}

}  // namespace

// Written with fmt into one buffer per line (no JSON document is built): the log of a long run
// has millions of lines. The fields and their order are those of docs/outputs.md.
void AttemptsLog::write(const metrics::AttemptRecord& a) {
  fmt::memory_buffer b;
  auto out = std::back_inserter(b);
  b.append(std::string_view("{\"time\":\""));
  b.append(format_rfc3339(kLogEpochUnix + a.sent_s, 6));
  fmt::format_to(out, "\",\"request_id\":\"r{}\",\"arrival\":\"", a.request_id);
  b.append(format_rfc3339(kLogEpochUnix + a.arrival_s, 6));
  fmt::format_to(out, "\",\"attempt\":{},\"model\":", a.attempt);
  json_string(b, *a.model);
  if (a.workload) {
    b.append(std::string_view(",\"workload\":"));
    json_string(b, *a.workload);
  }
  const auto o = a.result.outcome;
  b.append(std::string_view(",\"status\":"));
  b.append(std::string_view(o == models::AttemptOutcome::kOk    ? "200"
                            : o == models::AttemptOutcome::k429 ? "429"
                            : o == models::AttemptOutcome::k529 ? "529"
                                                                 : "null"));
  b.append(std::string_view(",\"latency_s\":"));
  micros(b, a.latency_s);
  fmt::format_to(out, ",\"max_tokens\":{},\"input_tokens\":{}", a.max_tokens, a.prompt_tokens);
  if (o == models::AttemptOutcome::kOk)
    fmt::format_to(out,
                   ",\"usage\":{{\"input_tokens\":{},\"output_tokens\":{},\"cache_creation_input_tokens\":{},"
                   "\"cache_read_input_tokens\":{}}}",
                   a.input_tokens, a.output_tokens, a.cache_write_tokens, a.cache_read_tokens);
  bool any_header = false;
  const auto header = [&](std::string_view name, std::string_view suffix, const auto& value) {
    b.append(std::string_view(any_header ? "," : ",\"headers\":{"));
    any_header = true;
    fmt::format_to(out, "\"{}{}\":\"{}\"", name, suffix, value);
  };
  if (a.has_headers) {
    for (std::size_t k = 0; k < models::kBudgetCount; ++k) {
      const auto& h = a.headers[k];
      if (h.limit == 0) continue;
      const std::string_view budget = kBudgetHeader[k];
      header(budget, "-limit", h.limit);
      header(budget, "-remaining", static_cast<long long>(std::floor(std::max(0.0, h.remaining))));
      header(budget, "-reset", format_rfc3339(kLogEpochUnix + a.decided_s + kernel::to_seconds(h.reset), 3));
    }
  }
  if (a.result.retry_after >= kernel::Duration{0}) header("retry-after", "", a.result.retry_after.count() / 1'000'000);
  if (a.result.should_retry != models::ShouldRetry::kAbsent)
    header("x-should-retry", "", a.result.should_retry == models::ShouldRetry::kTrue ? "true" : "false");
  if (any_header) b.push_back('}');
  const auto error = [&](std::string_view type, std::string_view message) {
    b.append(std::string_view(",\"error\":{\"type\":"));
    json_string(b, type);
    b.append(std::string_view(",\"message\":"));
    json_string(b, message);
    b.push_back('}');
  };
  if (o == models::AttemptOutcome::k429) error("rate_limit_error", refusal_message(a.result.cause));
  else if (o == models::AttemptOutcome::k529) error("overloaded_error", "Overloaded");
  else if (o == models::AttemptOutcome::kTimeout) error("timeout", "the client stopped waiting (attempt_timeout)");
  b.append(std::string_view("}\n"));
  out_.write(b.data(), static_cast<std::streamsize>(b.size()));
}

}  // namespace ratesim::report
