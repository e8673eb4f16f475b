// The budgets a group of models shares, and the admission rule (docs/provider.md): every budget
// must have room for the attempt's cost; otherwise the attempt gets a 429 blamed on the budget
// that needs the longest wait (ties: the earlier row of models::kBudgets), with retry-after =
// that wait in whole seconds (at least 1). A workspace's caps on a group are a LimitGroup too,
// holding only the budgets the workspace caps.
#pragma once

#include <array>
#include <memory>

#include "models/provider/limiter.hpp"
#include "models/provider/provider_config.hpp"
#include "models/request.hpp"

namespace ratesim::models::provider {

/// What an attempt is measured against in each budget (kBudgets order).
using Costs = std::array<std::int64_t, kBudgetCount>;

struct Admission {
  bool admitted = false;
  LimitCause cause = LimitCause::kNone;  ///< when refused
  Duration wait{0};                      ///< when refused: the longest wait among short budgets
  bool never_fits = false;               ///< when refused: a cost exceeds a whole budget
};

/// A never-fitting request is told to come back after this long.
inline constexpr Duration kNeverFitsRetryAfter = std::chrono::seconds(60);

class LimitGroup {
 public:
  explicit LimitGroup(const Group& config);

  /// Whether every budget has room for `c` at `now`. Debits nothing.
  Admission check(Time now, const Costs& c);
  /// Debits `c` from every budget. REQUIRES: check(now, c).admitted.
  void take(Time now, const Costs& c);
  /// A refused attempt that still counts (rejected_consume): takes one request from rpm if it
  /// has room. Returns whether it did.
  bool consume_rejected(Time now);

  /// The limiter of budget `b`, or null when that budget is unlimited.
  Limiter* budget(std::size_t b) { return budgets_[b].get(); }
  Limiter* budget(LimitCause b) { return budgets_[index(b)].get(); }
  const Limits& limits() const { return limits_; }

 private:
  Limits limits_;
  std::array<std::unique_ptr<Limiter>, kBudgetCount> budgets_;
};

std::unique_ptr<Limiter> make_limiter(LimiterKind kind, std::int64_t limit, Duration burst);

/// retry-after for a wait: whole seconds, rounded up, at least one.
Duration retry_after_for(Duration wait);

}  // namespace ratesim::models::provider
