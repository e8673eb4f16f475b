// What the world reports as it runs. The engine never prints: metrics, CSV writers and progress
// displays are observers. Every method has an empty default, so an observer overrides only what
// it needs. Calls arrive in simulated-time order; `now` never decreases.
#pragma once

#include "models/request.hpp"

namespace ratesim::models {

/// No limit group: a request whose workload names no workspace with caps on its group.
inline constexpr std::uint32_t kNoGroup = 0xffff'ffff;

/// The price of one successful attempt, USD, by token kind.
struct Charge {
  double input = 0;
  double cache_write = 0;
  double cache_read = 0;
  double output = 0;
  double total() const { return input + cache_write + cache_read + output; }
};

/// An attempt's outcome as observers see it: the provider's decision, or the client's timeout.
struct AttemptDecision {
  AttemptResult result;
  std::uint32_t group = 0;                ///< the limit group of the request's model
  /// The workspace's caps on that group the request must also fit (a group index of its own),
  /// or kNoGroup.
  std::uint32_t workspace_group = kNoGroup;
  /// Taken now from each budget (kBudgets order), in `group` and in `workspace_group` alike.
  std::array<std::int64_t, kBudgetCount> debited{};
  bool billed = false;                    ///< admitted: the attempt is charged
  Charge charge;                          ///< when billed
  /// The response's rate-limit headers, when the world keeps them (valid during the call only).
  const RateLimitHeaders* headers = nullptr;
};

class WorldObserver {
 public:
  virtual ~WorldObserver() = default;
  /// A request arrived (before any client layer saw it).
  virtual void on_arrival(Time /*now*/, const Request& /*r*/) {}
  /// An attempt left the client; r.attempts counts it.
  virtual void on_attempt_sent(Time /*now*/, const Request& /*r*/) {}
  /// An attempt has an outcome: the provider decided it (when it reached the provider, with
  /// budgets, charge and headers); the client stopped waiting for it (d.result.outcome is
  /// kTimeout, nothing debited or billed; the provider's decision on the same attempt is reported
  /// too, before or after, as the times fall); or the Batch API finished a batch request. An
  /// observer after what the client saw keeps the latest call per attempt.
  virtual void on_attempt_outcome(Time /*now*/, const Request& /*r*/,
                                  const AttemptDecision& /*d*/) {}
  /// An admitted attempt's work is done and its output budget settled: `amount` is output tokens
  /// given back (negative; reserve accounting) or debited as produced (positive; actual).
  virtual void on_budget_settled(Time /*now*/, std::uint32_t /*group*/, std::size_t /*budget*/,
                                 std::int64_t /*amount*/) {}
  /// The client stopped waiting for an attempt: its response came back, or the request was
  /// abandoned while it was out.
  virtual void on_attempt_returned(Time /*now*/, const Request& /*r*/) {}
  /// The request ended with `outcome`.
  virtual void on_request_done(Time /*now*/, const Request& /*r*/, RequestOutcome /*outcome*/) {}
  /// The run reached its horizon. Only on_request_done(..., kUnfinished) calls follow, one for
  /// each request still pending.
  virtual void on_horizon(Time /*now*/) {}
};

}  // namespace ratesim::models
