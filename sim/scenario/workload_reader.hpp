// One workload of a scenario (docs/scenarios.md): its kind (traffic phases,
// backlog, closed-loop users or a trace), request sizes, cache, deadline, Batch API settings and
// client layers.
#pragma once

#include <yaml-cpp/yaml.h>

#include "models/provider/provider_config.hpp"
#include "models/workload_config.hpp"
#include "sim/scenario/node_reader.hpp"

namespace ratesim::scenario {

/// Reads one item of `workloads:`. `provider` resolves model names.
models::WorkloadConfig read_workload(const Source& src, const YAML::Node& n,
                                     const models::provider::ProviderConfig& provider);

}  // namespace ratesim::scenario
