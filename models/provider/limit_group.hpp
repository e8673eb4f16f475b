// The budgets a group of models shares, and the admission rule of DESIGN §2.1: every budget
// must have room for the request's cost; otherwise the attempt gets a 429 blamed on the budget
// that needs the longest wait (ties: rpm, itpm, otpm), with retry-after = that wait in whole
// seconds (at least 1).
#pragma once

#include <array>
#include <memory>

#include "models/provider/limiter.hpp"
#include "models/provider/provider_config.hpp"
#include "models/request.hpp"

namespace ratesim::models::provider {

/// What an attempt would take from each budget.
struct Costs {
  std::int64_t requests = 1;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
};

struct Admission {
  bool admitted = false;
  LimitCause cause = LimitCause::kNone;  ///< when refused
  Duration wait{0};                      ///< when refused: the longest wait among short budgets
  bool never_fits = false;               ///< when refused: a cost exceeds a whole bucket
};

/// A never-fitting request is told to come back after this long.
inline constexpr Duration kNeverFitsRetryAfter = std::chrono::seconds(60);

class LimitGroup {
 public:
  LimitGroup(const Limits& limits, Duration burst);

  /// Admits (and debits) or refuses an attempt costing `c` at `now`.
  Admission admit(Time now, const Costs& c);
  /// Returns unused output tokens reserved at admission.
  void refund_output(Time now, std::int64_t tokens);

  /// The limiter of budget `b` (rpm, itpm, otpm), or null when that budget is unlimited.
  Limiter* budget(LimitCause b) { return budgets_[static_cast<std::size_t>(b)].get(); }

 private:
  std::array<std::unique_ptr<Limiter>, 3> budgets_;
};

/// retry-after for a wait: whole seconds, rounded up, at least one.
Duration retry_after_for(Duration wait);

}  // namespace ratesim::models::provider
