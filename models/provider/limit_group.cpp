#include "models/provider/limit_group.hpp"

#include "models/provider/token_bucket.hpp"

namespace ratesim::models::provider {
namespace {

std::unique_ptr<Limiter> make_budget(const std::optional<std::int64_t>& limit, Duration burst) {
  if (!limit) return nullptr;
  return std::make_unique<TokenBucket>(*limit, burst);
}

}  // namespace

LimitGroup::LimitGroup(const Limits& limits, Duration burst)
    : budgets_{make_budget(limits.rpm, burst), make_budget(limits.itpm, burst),
               make_budget(limits.otpm, burst)} {}

Admission LimitGroup::admit(Time now, const Costs& c) {
  const std::array<std::int64_t, 3> cost{c.requests, c.input_tokens, c.output_tokens};
  Admission a;
  for (std::size_t i = 0; i < budgets_.size(); ++i) {
    if (!budgets_[i]) continue;
    const Duration w = budgets_[i]->wait(now, cost[i]);
    if (w > a.wait) {  // strictly longer: earlier budgets win ties
      a.wait = w;
      a.cause = static_cast<LimitCause>(i);
    }
  }
  if (a.wait == Duration{0}) {
    for (std::size_t i = 0; i < budgets_.size(); ++i)
      if (budgets_[i]) budgets_[i]->take(now, cost[i]);
    a.admitted = true;
    return a;
  }
  a.never_fits = a.wait == Duration::max();
  return a;
}

void LimitGroup::refund_output(Time now, std::int64_t tokens) {
  if (auto* otpm = budget(LimitCause::kOtpm); otpm && tokens > 0) otpm->give_back(now, tokens);
}

Duration retry_after_for(Duration wait) {
  if (wait == Duration::max()) return kNeverFitsRetryAfter;
  const std::int64_t us = wait.count();
  const std::int64_t seconds = std::max<std::int64_t>(1, (us + 999'999) / 1'000'000);
  return std::chrono::seconds(seconds);
}

}  // namespace ratesim::models::provider
