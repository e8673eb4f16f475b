// Retry delays: capped exponential, constant or decorrelated backoff with jitter, following
// "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015) and the SDKs' formula.
#pragma once

#include <optional>

#include "models/client/layer_config.hpp"
#include "models/request.hpp"
#include "sim/kernel/random_stream.hpp"

namespace ratesim::models::client {

/// The backoff before retry `k` (k = 0 for the first retry). `previous` is the delay used before
/// the previous retry (decorrelated backoff grows from it; pass `base` for k = 0).
Duration backoff_delay(const RetryConfig& c, std::uint32_t k, Duration previous,
                       kernel::RandomStream& rng);

/// The delay before the next retry: the response's retry-after where the policy obeys it,
/// otherwise backoff_delay(). Nullopt: the policy says not to retry at all (retry-after longer
/// than an kObeyOrGiveUp client accepts).
std::optional<Duration> retry_delay(const RetryConfig& c, std::uint32_t k, Duration previous,
                                    const AttemptResult& result, kernel::RandomStream& rng);

}  // namespace ratesim::models::client
