#include "models/provider/price.hpp"

namespace ratesim::models::provider {

double cache_write_multiplier(kernel::Duration ttl) {
  return ttl >= std::chrono::hours(1) ? kCacheWrite1hMultiplier : kCacheWrite5mMultiplier;
}

Charge charge_for(const Price& price, const Request& r, double write_multiplier) {
  constexpr double kPerToken = 1e-6;
  return Charge{
      .input = r.input_tokens * price.input * kPerToken,
      .cache_write = r.cache_write_tokens * price.input * write_multiplier * kPerToken,
      .cache_read = r.cache_read_tokens * price.input * kCacheReadMultiplier * kPerToken,
      .output = r.output_tokens * price.output * kPerToken,
  };
}

}  // namespace ratesim::models::provider
