#include "models/client/retry_layer.hpp"

#include "models/client/backoff.hpp"

#include <algorithm>

namespace ratesim::models::client {

RetryLayer::RetryLayer(const RetryConfig& config, LayerHost& host, std::size_t index,
                       kernel::RandomStream rng)
    : config_(config), host_(host), index_(index), rng_(rng) {
  if (config_.quota) quota_ = config_.quota->capacity;
}

RetryLayer::State& RetryLayer::state(Slot s) {
  if (s >= state_.size()) state_.resize(s + 1);
  return state_[s];
}

bool RetryLayer::retries(AttemptOutcome o) const {
  switch (o) {
    case AttemptOutcome::kOk: return false;
    case AttemptOutcome::k429: return config_.on_429;
    case AttemptOutcome::k529: return config_.on_529;
    case AttemptOutcome::kTimeout: return config_.on_timeout;
  }
  return false;
}

void RetryLayer::enter(Slot s, Request&) {
  state(s) = State{.retries = 0, .previous = config_.base};
  host_.pass_inward(s, index_);
}

Verdict RetryLayer::on_result(Slot s, Request& r) {
  State& st = state(s);
  if (r.last.outcome == AttemptOutcome::kOk) {
    if (config_.quota)  // a success gives back what its retry spent, or a little for a first try
      quota_ = std::min(config_.quota->capacity,
                        quota_ + (st.retries > 0 ? st.spent : config_.quota->success_refund));
    return Verdict::kPassOut;
  }
  if (st.retries >= config_.max_retries) return Verdict::kPassOut;
  // The SDKs read x-should-retry before their status rules.
  const ShouldRetry header = config_.honor_should_retry ? r.last.should_retry : ShouldRetry::kAbsent;
  if (header == ShouldRetry::kFalse) return Verdict::kPassOut;
  if (header == ShouldRetry::kAbsent && !retries(r.last.outcome)) return Verdict::kPassOut;
  std::uint32_t cost = 0;
  if (config_.quota) {
    cost = r.last.outcome == AttemptOutcome::kTimeout ? config_.quota->timeout_cost
                                                      : config_.quota->retry_cost;
    if (quota_ < cost) return Verdict::kPassOut;  // the quota is short: no retry
  }
  const std::optional<Duration> delay = retry_delay(config_, st.retries, st.previous, r.last, rng_);
  if (!delay) return Verdict::kPassOut;
  quota_ -= cost;
  st.spent = cost;
  st.previous = *delay;
  ++st.retries;
  r.parked = true;
  host_.wake_at(host_.now() + *delay, s, index_);
  return Verdict::kKeep;
}

}  // namespace ratesim::models::client
