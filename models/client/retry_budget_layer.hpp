// A retry budget (Finagle's RetryBudget): within the last `ttl`, retries may number at most
// `ratio` × first attempts + `min_per_s` × ttl. Placed inside a retry layer, it sees each first
// attempt (a deposit) and each retry (a withdrawal); a retry over budget ends its request as
// gave_up, as Finagle fails the call instead of retrying.
#pragma once

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"
#include "models/client/throttle_layer.hpp"

namespace ratesim::models::client {

class RetryBudgetLayer final : public ClientLayer {
 public:
  RetryBudgetLayer(const RetryBudgetConfig& config, LayerHost& host, std::size_t index);

  void enter(Slot s, Request& r) override;
  Verdict on_result(Slot, Request&) override { return Verdict::kPassOut; }
  void abandon(Slot, Request&, bool) override {}

 private:
  RetryBudgetConfig config_;
  LayerHost& host_;
  std::size_t index_;
  WindowCount requests_;
  WindowCount retries_;
};

}  // namespace ratesim::models::client
