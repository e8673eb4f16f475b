// Warnings about the provider figures a scenario stands on, as opposed to its own settings: a
// preset the provider has replaced, and models whose figures no primary source confirms. Each is
// one sentence, given once per scenario however many workloads or variants touch it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ratesim::scenario {

/// For a scenario laid over a superseded preset (its file's `superseded:`): says when the
/// provider replaced it and names the nearest current preset with the reason. nullopt when the
/// preset is current or there is none.
std::optional<std::string> superseded_preset_warning(const Scenario& s);

/// One warning for each model marked `unconfirmed` that the workloads send to (used_models),
/// naming the model and the reason, in the provider's model order.
std::vector<std::string> unconfirmed_model_warnings(const Scenario& s);

}  // namespace ratesim::scenario
