#include "models/client/cooldown_layer.hpp"

namespace ratesim::models::client {

CooldownLayer::CooldownLayer(const CooldownConfig& config, LayerHost& host, std::uint16_t workload,
                             std::size_t index)
    : config_(config), host_(host), workload_(workload), index_(index) {}

void CooldownLayer::enter(Slot s, Request& r) {
  if (host_.now() >= paused_until_ && waiting_.empty()) {
    host_.pass_inward(s, index_);
    return;
  }
  r.parked = true;
  waiting_.push(s, r);
}

Verdict CooldownLayer::on_result(Slot, Request& r) {
  if (r.last.outcome == AttemptOutcome::k429) {
    paused_until_ = std::max(paused_until_, host_.now() + config_.pause);
    if (!timer_set_) {
      host_.timer_at(paused_until_, workload_, index_, 0);
      timer_set_ = true;
    }
  }
  return Verdict::kPassOut;
}

void CooldownLayer::on_timer(std::uint32_t) {
  timer_set_ = false;
  if (host_.now() < paused_until_) {  // another 429 extended the pause
    host_.timer_at(paused_until_, workload_, index_, 0);
    timer_set_ = true;
    return;
  }
  while (host_.now() >= paused_until_) {
    const std::optional<Slot> s = waiting_.pop(host_);  // skips those that ended while paused
    if (!s) break;
    host_.pass_inward(*s, index_);
  }
}

}  // namespace ratesim::models::client
