// A semaphore whose limit grows from `from` to `to` over `over` (linearly, exponentially or in
// steps), counted from the first request that enters it: a backfill that starts gently.
#pragma once

#include "models/client/semaphore_layer.hpp"

namespace ratesim::models::client {

class RampLayer final : public SemaphoreLayer {
 public:
  RampLayer(const RampConfig& config, LayerHost& host, std::uint16_t workload, std::size_t index);

  void enter(Slot s, Request& r) override;
  void on_timer(std::uint32_t token) override;

  /// The limit `elapsed` after the first request (exposed for tests).
  std::uint32_t limit_after(Duration elapsed) const;

 private:
  /// Schedules the timer for the next whole step of the limit, if any.
  void schedule_next();

  RampConfig config_;
  std::uint16_t workload_;
  bool started_ = false;
  Time start_{};
};

}  // namespace ratesim::models::client
