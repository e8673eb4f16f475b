#include "sim/report/attempts_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>

#include "sim/report/rfc3339.hpp"

namespace ratesim::report {
namespace {

std::string_view refusal_message(models::LimitCause c) {
  return c == models::LimitCause::kNone ? "Rate limited" : models::spec(c).message;
}

/// What a token budget's `remaining` header says: the API rounds it to the nearest thousand
/// (requests are exact). Never negative.
long long header_remaining(const models::BudgetSpec& b, double remaining) {
  const double r = std::max(0.0, remaining);
  return static_cast<long long>(b.tokens ? std::round(r / 1000) * 1000 : std::floor(r));
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
  const auto budget_headers = [&](std::string_view name, const models::BudgetSpec& b, const models::BudgetHeader& h) {
    const std::string prefix = fmt::format("anthropic-ratelimit-{}", name);
    header(prefix, "-limit", h.limit);
    header(prefix, "-remaining", header_remaining(b, h.remaining));
    header(prefix, "-reset", format_rfc3339(kLogEpochUnix + a.decided_s + kernel::to_seconds(h.reset), 3));
  };
  if (a.has_headers) {
    // Each budget under its own name, then anthropic-ratelimit-tokens-*: the most restrictive
    // token budget in effect (the least room; a workspace's cap where it binds).
    std::size_t tightest = models::kBudgetCount;
    for (std::size_t k = 0; k < models::kBudgetCount; ++k) {
      const auto& h = a.headers[k];
      const models::BudgetSpec& b = models::kBudgets[k];
      if (h.limit == 0) continue;
      if (b.tokens && (tightest == models::kBudgetCount || h.remaining < a.headers[tightest].remaining)) tightest = k;
      if (b.header != models::kTokensHeader) budget_headers(b.header, b, h);
    }
    if (tightest < models::kBudgetCount)
      budget_headers(models::kTokensHeader, models::kBudgets[tightest], a.headers[tightest]);
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
