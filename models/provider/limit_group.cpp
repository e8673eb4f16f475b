#include "models/provider/limit_group.hpp"

#include "models/provider/fixed_window.hpp"
#include "models/provider/sliding_window.hpp"
#include "models/provider/token_bucket.hpp"

namespace ratesim::models::provider {

std::unique_ptr<Limiter> make_limiter(LimiterKind kind, std::int64_t limit, Duration burst) {
  switch (kind) {
    case LimiterKind::kTokenBucket: return std::make_unique<TokenBucket>(limit, burst);
    case LimiterKind::kSlidingWindow: return std::make_unique<SlidingWindow>(limit);
    case LimiterKind::kFixedWindow: return std::make_unique<FixedWindow>(limit);
  }
  return nullptr;
}

LimitGroup::LimitGroup(const Group& config) : limits_(config.limits) {
  for (std::size_t i = 0; i < kBudgetCount; ++i)
    if (const auto& limit = config.limits.at(i))
      budgets_[i] = make_limiter(config.limiter, *limit, config.burst);
}

Admission LimitGroup::check(Time now, const Costs& c) {
  Admission a;
  for (std::size_t i = 0; i < kBudgetCount; ++i) {
    if (!budgets_[i]) continue;
    const Duration w = budgets_[i]->wait(now, c[i]);
    if (w > a.wait) {  // strictly longer: earlier budgets win ties
      a.wait = w;
      a.cause = static_cast<LimitCause>(i);
    }
  }
  a.admitted = a.wait == Duration{0};
  a.never_fits = a.wait == Duration::max();
  return a;
}

void LimitGroup::take(Time now, const Costs& c) {
  for (std::size_t i = 0; i < kBudgetCount; ++i)
    if (budgets_[i] && c[i] != 0) budgets_[i]->take(now, c[i]);
}

bool LimitGroup::consume_rejected(Time now) {
  Limiter* rpm = budget(LimitCause::kRpm);
  if (!rpm || rpm->wait(now, 1) != Duration{0}) return false;
  rpm->take(now, 1);
  return true;
}

Duration retry_after_for(Duration wait) {
  if (wait == Duration::max()) return kNeverFitsRetryAfter;
  const std::int64_t us = wait.count();
  const std::int64_t seconds = std::max<std::int64_t>(1, (us + 999'999) / 1'000'000);
  return std::chrono::seconds(seconds);
}

}  // namespace ratesim::models::provider
