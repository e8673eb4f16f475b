// How long the provider takes to answer an admitted attempt:
// ttft + input tokens / prefill_tps (when set) + output tokens / output_tps.
// Every term may be a distribution; the model draws from its own stream.
#pragma once

#include "models/provider/provider_config.hpp"
#include "models/request.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::provider {

class LatencyModel {
 public:
  LatencyModel(Latency latency, kernel::RandomStream rng)
      : latency_(std::move(latency)), rng_(rng) {}

  /// Service time of `r` from admission to its last output token.
  Duration service_time(const Request& r);

 private:
  Latency latency_;
  kernel::RandomStream rng_;
};

}  // namespace ratesim::models::provider
