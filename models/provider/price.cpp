#include "models/provider/price.hpp"

namespace ratesim::models::provider {

Charge charge_for(const Price& price, const Request& r) {
  constexpr double kPerToken = 1e-6;
  return Charge{
      .input = r.input_tokens * price.input * kPerToken,
      .cache_write = r.cache_write_tokens * price.input * kCacheWriteMultiplier * kPerToken,
      .cache_read = r.cache_read_tokens * price.input * kCacheReadMultiplier * kPerToken,
      .output = r.output_tokens * price.output * kPerToken,
  };
}

}  // namespace ratesim::models::provider
