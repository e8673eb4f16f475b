#include "models/client/breaker_layer.hpp"

namespace ratesim::models::client {

BreakerLayer::BreakerLayer(const BreakerConfig& config, LayerHost& host, std::size_t index)
    : config_(config), host_(host), index_(index), results_(config.window, false) {}

void BreakerLayer::open() {
  state_ = State::kOpen;
  open_until_ = host_.now() + config_.open_for;
}

void BreakerLayer::enter(Slot s, Request& r) {
  if (state_ == State::kOpen && host_.now() >= open_until_) {
    state_ = State::kHalfOpen;
    probes_sent_ = probes_done_ = probes_failed_ = 0;
  }
  const bool refuse = state_ == State::kOpen ||
                      (state_ == State::kHalfOpen && probes_sent_ >= config_.probes);
  if (refuse) {
    r.parked = true;  // it never went inward
    host_.drop(s);
    return;
  }
  if (state_ == State::kHalfOpen) ++probes_sent_;
  host_.pass_inward(s, index_);
}

Verdict BreakerLayer::on_result(Slot, Request& r) {
  record(r.last.outcome != AttemptOutcome::kOk);
  return Verdict::kPassOut;
}

void BreakerLayer::record(bool failed) {
  switch (state_) {
    case State::kClosed: {
      if (recorded_ == results_.size()) failures_ -= results_[next_];
      else ++recorded_;
      results_[next_] = failed;
      failures_ += failed;
      next_ = (next_ + 1) % results_.size();
      if (recorded_ == results_.size() &&
          static_cast<double>(failures_) >= config_.failure_rate * static_cast<double>(recorded_)) {
        open();
        recorded_ = failures_ = next_ = 0;
      }
      return;
    }
    case State::kHalfOpen: {
      ++probes_done_;
      probes_failed_ += failed;
      if (probes_done_ < config_.probes) return;
      if (static_cast<double>(probes_failed_) >= config_.failure_rate * probes_done_) open();
      else state_ = State::kClosed;
      return;
    }
    case State::kOpen:
      return;  // a late result of a request let through before the breaker opened
  }
}

}  // namespace ratesim::models::client
