// Builds a client layer from its configuration.
#pragma once

#include <memory>
#include <string>

#include "models/client/layer.hpp"
#include "models/client/layer_config.hpp"

namespace ratesim::models::client {

/// `stream_name` names the random stream of a layer that draws (e.g. a retry's jitter).
/// `workload` and `index` say where the layer sits (for its timers).
std::unique_ptr<ClientLayer> make_layer(const LayerConfig& config, LayerHost& host,
                                        std::uint16_t workload, std::size_t index,
                                        std::uint64_t seed, const std::string& stream_name);

/// "semaphore", "retry", ...
std::string layer_kind(const LayerConfig& config);

}  // namespace ratesim::models::client
