#include "models/provider/latency_model.hpp"

namespace ratesim::models::provider {

Duration LatencyModel::service_time(const Request& r) {
  double seconds = latency_.ttft.sample(rng_);
  if (latency_.prefill_tps) seconds += r.prompt_tokens() / latency_.prefill_tps->sample(rng_);
  seconds += r.output_tokens / latency_.output_tps.sample(rng_);
  return kernel::from_seconds(seconds);
}

}  // namespace ratesim::models::provider
