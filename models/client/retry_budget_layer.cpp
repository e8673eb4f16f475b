#include "models/client/retry_budget_layer.hpp"

namespace ratesim::models::client {

RetryBudgetLayer::RetryBudgetLayer(const RetryBudgetConfig& config, LayerHost& host, std::size_t index)
    : config_(config), host_(host), index_(index), requests_(config.ttl), retries_(config.ttl) {}

void RetryBudgetLayer::enter(Slot s, Request& r) {
  const Time now = host_.now();
  if (r.attempts == 0) {
    requests_.add(now);
  } else {
    const double allowed = config_.ratio * static_cast<double>(requests_.total(now)) +
                           config_.min_per_s * kernel::to_seconds(config_.ttl);
    if (static_cast<double>(retries_.total(now)) + 1 > allowed) {
      r.parked = true;  // it never went inward
      host_.give_up(s);
      return;
    }
    retries_.add(now);
  }
  host_.pass_inward(s, index_);
}

}  // namespace ratesim::models::client
