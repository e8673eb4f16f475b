// What a successful attempt costs, USD, from the model's price per million tokens.
//
// A request is billed wholly at one band of its model's price: the long-prompt band when its
// prompt (uncached input + cache writes + cache reads, Request::prompt_tokens()) is longer than
// the band's over_tokens, else the base band; its output is billed at the same band. Within a
// band, cache writes cost 1.25 × input (5-minute entries) or 2 × input (1-hour entries) and cache
// reads cost the model's cache-read price (0.1 × input unless the model gives one). Anthropic
// pricing page (platform.claude.com/docs/en/about-claude/pricing), as read in October 2026.
// The Batch API's half price (Provider::batch_charge) applies on top of all of these.
#pragma once

#include "models/observer.hpp"
#include "models/provider/provider_config.hpp"
#include "models/request.hpp"

namespace ratesim::models::provider {

inline constexpr double kCacheWrite5mMultiplier = 1.25;
inline constexpr double kCacheWrite1hMultiplier = 2.0;
inline constexpr double kCacheReadMultiplier = 0.1;  ///< a cache read's price when none is given
inline constexpr double kBatchDiscount = 0.5;  ///< Batch API usage costs half

/// The prices one request is billed at, USD per million tokens, every default resolved.
struct PriceBand {
  double input = 0;       ///< uncached input tokens; cache writes are multiples of it
  double output = 0;      ///< output tokens
  double cache_read = 0;  ///< cache-read tokens
};

/// The band of `price` for a prompt of `prompt_tokens`: the long-prompt band when the prompt has
/// more than its over_tokens, else the base band. An absent base cache-read price is
/// kCacheReadMultiplier × input; an absent long-band one is the base band's cache-read price as
/// a multiple of the base input (kCacheReadMultiplier when the base input is 0), times the long
/// band's input.
PriceBand band_for(const Price& price, std::uint32_t prompt_tokens);

/// The charge of request `r` at its band (band_for with r.prompt_tokens()). `write_multiplier`:
/// 1.25 for 5-minute entries, 2.0 for 1-hour entries.
Charge charge_for(const Price& price, const Request& r,
                  double write_multiplier = kCacheWrite5mMultiplier);

/// The cache-write multiplier of entries living `ttl`.
double cache_write_multiplier(kernel::Duration ttl);

}  // namespace ratesim::models::provider
