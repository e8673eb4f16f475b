// Model routing: picks each request's model when it enters — the first rule whose
// `max_input_tokens` its prompt fits, otherwise a draw by weight, otherwise the workload's model —
// and, on a 429, resends the request at once to a fallback model (once). The models' groups,
// budgets, prices and latencies then apply as the provider defines them.
#pragma once

#include <vector>

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::client {

class RouteLayer final : public ClientLayer {
 public:
  RouteLayer(const RouteConfig& config, LayerHost& host, std::size_t index, kernel::RandomStream rng);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot s, Request& r) override;
  void abandon(Slot, Request&, bool) override {}

 private:
  RouteConfig config_;
  LayerHost& host_;
  std::size_t index_;
  kernel::RandomStream rng_;
  std::vector<double> cumulative_;  ///< cumulative weights, normalised
};

}  // namespace ratesim::models::client
