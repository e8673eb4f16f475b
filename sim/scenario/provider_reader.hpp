// The provider block of a scenario (DESIGN §2.1, docs/provider.md): limiters, budgets and
// groups, acceleration, overload, batch limits and models, read into a ProviderConfig.
#pragma once

#include <yaml-cpp/yaml.h>

#include "models/provider/provider_config.hpp"
#include "sim/scenario/node_reader.hpp"

namespace ratesim::scenario {

/// Reads `provider:` (after its preset was merged in). Throws InputError on the first mistake.
models::provider::ProviderConfig read_provider(const Source& src, const YAML::Node& n);

}  // namespace ratesim::scenario
