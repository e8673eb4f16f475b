// A workload's `client:` list (docs/strategies.md): each layer's settings, the retry presets
// (including the ones that expand into several layers: cookbook, aws-adaptive) and the rules on
// where layers may stand.
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/client/layer_config.hpp"
#include "models/provider/provider_config.hpp"
#include "sim/scenario/node_reader.hpp"

namespace ratesim::scenario {

/// Reads a `client:` list, outermost layer first. `provider` resolves model names (route).
std::vector<models::client::LayerConfig> read_client(const Source& src, const YAML::Node& n,
                                                     const models::provider::ProviderConfig& provider);

}  // namespace ratesim::scenario
