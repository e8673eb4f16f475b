// A circuit breaker with resilience4j's defaults: closed while fewer than `failure_rate` of the
// last `window` results failed (429, 529, timeout); then open for `open_for`, dropping every
// request that enters; then half-open, letting `probes` requests through: if `failure_rate` of
// them fail it opens again, otherwise it closes with a fresh window.
#pragma once

#include <vector>

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"

namespace ratesim::models::client {

class BreakerLayer final : public ClientLayer {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  BreakerLayer(const BreakerConfig& config, LayerHost& host, std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot, Request&, bool) override {}

  State state() const { return state_; }

 private:
  void record(bool failed);
  void open();

  BreakerConfig config_;
  LayerHost& host_;
  std::size_t index_;
  State state_ = State::kClosed;
  Time open_until_{};
  std::vector<bool> results_;  ///< ring of the last `window` results (true: failed)
  std::size_t next_ = 0;
  std::size_t recorded_ = 0;
  std::size_t failures_ = 0;
  std::uint32_t probes_sent_ = 0;
  std::uint32_t probes_done_ = 0;
  std::uint32_t probes_failed_ = 0;
};

}  // namespace ratesim::models::client
