// The provider block of a scenario (docs/provider.md): limiters, budgets and
// groups, acceleration, overload, batch limits and models, read into a ProviderConfig.
#pragma once

#include <yaml-cpp/yaml.h>

#include "models/provider/provider_config.hpp"
#include "sim/scenario/node_reader.hpp"

namespace ratesim::scenario {

/// Reads the per-minute budget keys rpm, itpm, otpm and tpm of the mapping `m` (whole numbers
/// from 1 to 10^9), for provider groups and client pace layers alike. The caller checks that at
/// least one is there and finishes `m`.
models::provider::Limits read_limit_keys(const Source& src, MapReader& m);

/// Reads `provider:` (after its preset was merged in). Throws InputError on the first mistake.
models::provider::ProviderConfig read_provider(const Source& src, const YAML::Node& n);

/// Reads `provider.workspaces` into `p`: each workspace's caps, checked against p's groups and
/// their limits. Called once the groups are final (after a provider.rate_limits file).
void read_workspaces_key(const Source& src, const YAML::Node& provider, models::provider::ProviderConfig& p);

}  // namespace ratesim::scenario
