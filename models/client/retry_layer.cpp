#include "models/client/retry_layer.hpp"

#include "models/client/backoff.hpp"

namespace ratesim::models::client {

RetryLayer::RetryLayer(const RetryConfig& config, LayerHost& host, std::size_t index,
                       kernel::RandomStream rng)
    : config_(config), host_(host), index_(index), rng_(rng) {}

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
  if (!retries(r.last.outcome) || st.retries >= config_.max_retries) return Verdict::kPassOut;
  const Duration delay = retry_delay(config_, st.retries, st.previous, r.last, rng_);
  st.previous = delay;
  ++st.retries;
  r.parked = true;
  host_.wake_at(host_.now() + delay, s, index_);
  return Verdict::kKeep;
}

}  // namespace ratesim::models::client
