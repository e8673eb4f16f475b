#include "models/provider/latency_model.hpp"

#include <algorithm>

namespace ratesim::models::provider {

Duration LatencyModel::service_time(const Request& r) {
  double seconds = latency_.ttft.sample(rng_);
  if (latency_.prefill_tps) seconds += r.prompt_tokens() / latency_.prefill_tps->sample(rng_);
  seconds += r.output_tokens / latency_.output_tps.sample(rng_);
  // A speed drawn near zero must not overflow the clock: nothing takes longer than a year.
  constexpr double kLongest = 365.0 * 86400;
  return kernel::from_seconds(std::min(seconds, kLongest));
}

}  // namespace ratesim::models::provider
