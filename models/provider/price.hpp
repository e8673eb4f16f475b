// What a successful attempt costs, USD, from the model's price per million tokens.
// Cache writes cost 1.25 × input (5-minute entries), cache reads 0.1 × input (PROVIDERS.md).
#pragma once

#include "models/observer.hpp"
#include "models/provider/provider_config.hpp"
#include "models/request.hpp"

namespace ratesim::models::provider {

inline constexpr double kCacheWriteMultiplier = 1.25;
inline constexpr double kCacheReadMultiplier = 0.1;

Charge charge_for(const Price& price, const Request& r);

}  // namespace ratesim::models::provider
