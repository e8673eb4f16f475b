// The scenario key `provider.rate_limits: FILE.json`: the organization's configured limits, a
// saved response of Anthropic's Admin API GET /v1/organizations/rate_limits (docs/provider.md,
// "Your organization's limits"). A relative path is resolved from the scenario file's folder, as
// a trace's is. The file is laid over the provider once its groups are read
// (organization_limits.hpp); for `validate --resolved` the result is written back into the
// scenario, so that the resolved scenario stands on its own without the file.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/provider/provider_config.hpp"
#include "sim/scenario/node_reader.hpp"

namespace ratesim::scenario {

/// When the provider mapping `provider` has `rate_limits`, reads that file and lays it over `p`,
/// appending the warnings to `warnings`. Throws InputError (a missing file: at the key's value,
/// naming the path; a malformed one: at its own file:line:col).
void read_rate_limits_key(const Source& src, const YAML::Node& provider, models::provider::ProviderConfig& p,
                          std::vector<std::string>& warnings);

/// Rewrites the provider block of `root` (a scenario that loaded into provider `p`) so that it
/// holds what its rate_limits file gave, and removes the key: the limits of the groups the file
/// set under provider.groups (limiter and burst too for a group the block did not name), each
/// moved model's `group`, and no model-level `limits` for those groups. Returns comment lines
/// ("# ...\n") saying so, to print above the scenario; "" when there was no rate_limits key.
std::string resolve_rate_limits_key(YAML::Node& root, const models::provider::ProviderConfig& p);

}  // namespace ratesim::scenario
