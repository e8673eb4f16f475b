// Re-sends a request after a failed attempt, up to `max_retries` times, sleeping between
// attempts per the backoff and retry-after policy (backoff.hpp). The request stays inside this
// layer (and every layer outside it) while it sleeps.
#pragma once

#include <vector>

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::client {

class RetryLayer final : public ClientLayer {
 public:
  RetryLayer(const RetryConfig& config, LayerHost& host, std::size_t index,
             kernel::RandomStream rng);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot, Request&, bool) override {}

  /// Whether the layer would retry a result with this outcome (ignoring the retry count).
  bool retries(AttemptOutcome o) const;

 private:
  struct State {
    std::uint32_t retries = 0;  ///< retries this layer has made for the request
    Duration previous{0};       ///< the last delay, for decorrelated backoff
    std::uint32_t spent = 0;    ///< quota its last retry spent
  };
  State& state(Slot s);

  RetryConfig config_;
  LayerHost& host_;
  std::size_t index_;
  kernel::RandomStream rng_;
  std::vector<State> state_;  ///< by slot; reset when a request enters
  std::uint32_t quota_ = 0;   ///< what is left of the retry quota, when there is one
};

}  // namespace ratesim::models::client
