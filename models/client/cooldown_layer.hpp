// After a 429 passes out through this layer, requests entering it wait until `pause` after
// that 429; then they go on in the order they came (the OpenAI cookbook's global pause).
// Placed inside a retry layer, retries wait too.
#pragma once

#include "models/client/layer.hpp"
#include "models/client/wait_queue.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/ring_queue.hpp"

namespace ratesim::models::client {

class CooldownLayer final : public ClientLayer {
 public:
  CooldownLayer(const CooldownConfig& config, LayerHost& host, std::uint16_t workload,
                std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot, Request&, bool) override {}
  void on_timer(std::uint32_t token) override;

 private:
  CooldownConfig config_;
  LayerHost& host_;
  std::uint16_t workload_;
  std::size_t index_;
  Time paused_until_{};
  bool timer_set_ = false;
  WaitQueue waiting_;
};

}  // namespace ratesim::models::client
