#include "models/provider/price.hpp"

namespace ratesim::models::provider {

double cache_write_multiplier(kernel::Duration ttl) {
  return ttl >= std::chrono::hours(1) ? kCacheWrite1hMultiplier : kCacheWrite5mMultiplier;
}

PriceBand band_for(const Price& price, std::uint32_t prompt_tokens) {
  const double base_read = price.cache_read.value_or(kCacheReadMultiplier * price.input);
  if (!price.long_prompt || prompt_tokens <= price.long_prompt->over_tokens)
    return PriceBand{.input = price.input, .output = price.output, .cache_read = base_read};
  const LongPromptPrice& l = *price.long_prompt;
  // A long band without its own cache-read price keeps the base band's discount on input.
  const double multiple = price.input > 0 ? base_read / price.input : kCacheReadMultiplier;
  return PriceBand{.input = l.input, .output = l.output, .cache_read = l.cache_read.value_or(multiple * l.input)};
}

Charge charge_for(const Price& price, const Request& r, double write_multiplier) {
  constexpr double kPerToken = 1e-6;
  const PriceBand band = band_for(price, r.prompt_tokens());
  return Charge{
      .input = r.input_tokens * band.input * kPerToken,
      .cache_write = r.cache_write_tokens * band.input * write_multiplier * kPerToken,
      .cache_read = r.cache_read_tokens * band.cache_read * kPerToken,
      .output = r.output_tokens * band.output * kPerToken,
  };
}

}  // namespace ratesim::models::provider
