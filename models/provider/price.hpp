// What a successful attempt costs, USD, from the model's price per million tokens.
// Cache writes cost 1.25 × input (5-minute entries), cache reads 0.1 × input (Anthropic pricing page, 2026).
#pragma once

#include "models/observer.hpp"
#include "models/provider/provider_config.hpp"
#include "models/request.hpp"

namespace ratesim::models::provider {

inline constexpr double kCacheWrite5mMultiplier = 1.25;
inline constexpr double kCacheWrite1hMultiplier = 2.0;
inline constexpr double kCacheReadMultiplier = 0.1;
inline constexpr double kBatchDiscount = 0.5;  ///< Batch API usage costs half

/// `write_multiplier`: 1.25 for 5-minute entries, 2.0 for 1-hour entries.
Charge charge_for(const Price& price, const Request& r,
                  double write_multiplier = kCacheWrite5mMultiplier);

/// The cache-write multiplier of entries living `ttl`.
double cache_write_multiplier(kernel::Duration ttl);

}  // namespace ratesim::models::provider
