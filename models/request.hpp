// A request and the outcome of each of its attempts.
//
// A request is plain data living in a RequestSlab slot; events refer to it by slot and
// generation, so an event for a request that has since finished is recognised and ignored.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "models/budget.hpp"
#include "models/named.hpp"
#include "sim/kernel/time.hpp"

namespace ratesim::models {

using kernel::Duration;
using kernel::Time;

/// How a request ended. Each request ends in exactly one.
enum class RequestOutcome : std::uint8_t {
  kOk,          ///< an attempt succeeded
  kGaveUp,      ///< an attempt failed and no layer retried it
  kTimedOut,    ///< the workload's deadline passed first (the user left)
  kDropped,     ///< shed by a client layer
  kExpired,     ///< a batch request not done in 24 h
  kUnfinished,  ///< still pending when the run ended
};
inline constexpr int kRequestOutcomeCount = 6;

/// How one attempt ended, as the client sees it.
enum class AttemptOutcome : std::uint8_t { kOk, k429, k529, kTimeout };

std::string_view name(RequestOutcome o);
std::string_view name(AttemptOutcome o);

/// One budget's rate-limit headers on a response (anthropic-ratelimit-*-limit, -remaining,
/// -reset). `limit` 0: the group has no such budget.
struct BudgetHeader {
  std::int64_t limit = 0;  ///< per minute
  double remaining = 0;    ///< what could be taken now (exact; real headers round tokens)
  Duration reset{0};       ///< how long until the budget is whole again
};

/// The rate-limit headers of a response, per budget (kBudgets order), as they stood after the
/// decision: where a workspace caps the budget too, the scope with less room. Kept apart from
/// AttemptResult: only layers that read them pay for them.
using RateLimitHeaders = std::array<BudgetHeader, kBudgetCount>;

/// A response's retry-after header when it has none.
inline constexpr Duration kNoRetryAfter{-1};

/// A response's `x-should-retry` header: the official SDKs read it before their status rules.
enum class ShouldRetry : std::uint8_t {
  kAbsent,  ///< no header: the client's status rules decide
  kTrue,    ///< the client retries (while it has retries left)
  kFalse,   ///< the client does not retry
};
inline constexpr Named<ShouldRetry> kShouldRetryHeaders[] = {
    {"absent", ShouldRetry::kAbsent}, {"true", ShouldRetry::kTrue}, {"false", ShouldRetry::kFalse}};

/// What the provider answered to one attempt (the response's status and headers).
struct AttemptResult {
  AttemptOutcome outcome = AttemptOutcome::kOk;
  LimitCause cause = LimitCause::kNone;  ///< for a 429: the budget that needs the longest wait
  Scope scope = Scope::kOrganization;    ///< for a 429 from a budget: whose budget it was
  bool never_fits = false;     ///< for a 429: the request exceeds a bucket's whole capacity
  ShouldRetry should_retry = ShouldRetry::kAbsent;  ///< the x-should-retry header
  Duration retry_after = kNoRetryAfter;  ///< the retry-after header, whole seconds; kNoRetryAfter: none
};

struct Request {
  std::uint64_t id = 0;           ///< sequence number in order of arrival, from 0
  std::uint32_t generation = 0;   ///< bumped each time the slot is reused
  std::uint16_t workload = 0;
  std::uint16_t model = 0;
  std::uint32_t prompt = 0;             ///< the whole prompt, tokens
  std::uint32_t cache_prefix = 0;       ///< tokens at the start of the prompt that may be cached
  std::uint32_t cache_key = 0;          ///< which of the workload's cached prefixes it uses
  std::uint32_t input_tokens = 0;       ///< uncached input tokens (of the latest attempt)
  std::uint32_t cache_write_tokens = 0; ///< prompt tokens written to the cache (latest attempt)
  std::uint32_t cache_read_tokens = 0;  ///< prompt tokens read from the cache (latest attempt)
  std::uint32_t max_tokens = 0;
  std::uint32_t output_tokens = 0;      ///< actual output, already clipped to max_tokens
  Time arrival{};
  Time first_send = kernel::kNever;
  Time last_send = kernel::kNever;  ///< when the latest attempt left the client
  Time deadline = kernel::kNever;
  std::uint32_t attempts = 0;       ///< attempts sent so far
  std::uint8_t attempts_out = 0;    ///< attempts sent whose response has not come back
  std::uint8_t depth = 0;           ///< client layers the request is inside
  bool parked = false;              ///< waiting inside layer depth-1 instead of passed inward
  bool awaiting = false;            ///< the client waits for the latest attempt's response
  bool finished = false;            ///< has its outcome; the slot waits for attempts_out == 0
  bool live = false;                ///< the slot holds a request
  AttemptResult last{};             ///< the latest attempt's result

  /// Total prompt tokens (uncached + cache writes + cache reads).
  std::uint32_t prompt_tokens() const {
    return input_tokens + cache_write_tokens + cache_read_tokens;
  }

  /// Whether this is still the request that was here at `generation_then` and it has not ended:
  /// the test every deferred action (an event, a place in a queue) makes before touching it.
  bool current(std::uint32_t generation_then) const { return live && !finished && generation == generation_then; }
};

}  // namespace ratesim::models
